import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCommand } from '../../src/host/fs/find-command.js';
import { CLI } from '../helpers/sandbox.js';

/**
 * `provision completion bash|zsh|fish` end to end: each script, printed by the built CLI, is
 * loaded into the real shell and asked to complete real command lines. The dynamic names
 * (--machine, --user) come from `provision __complete`, found on PATH as the user's shell finds
 * it, reading a real declaration.
 */

const DECLARATION = `version: 1
drives:
  archive: { volume: Archive 2TB }
users:
  alex: { mobilesync: { drive: archive, path: MobileSync/alex } }
  sam: { mobilesync: { drive: archive, path: MobileSync/sam } }
machines:
  imac: { hostname: iMac, users: [alex, sam] }
  pc: { hostname: FAMILY-PC, platform: windows, users: [sam], drives: { archive: 'E:' } }
`;

let dir: string;
let env: Record<string, string>;
const scripts: Record<'bash' | 'zsh' | 'fish', string> = { bash: '', zsh: '', fish: '' };

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-completion-'));
  // `provision` on PATH, as after npm link: the scripts call it back for names.
  await fs.mkdir(path.join(dir, 'bin'));
  await fs.symlink(CLI, path.join(dir, 'bin', 'provision'));
  // A working folder with a declaration, another file and a folder, for file and folder values.
  await fs.mkdir(path.join(dir, 'work', 'backups-old'), { recursive: true });
  await fs.writeFile(path.join(dir, 'work', 'backups.yaml'), DECLARATION);
  await fs.writeFile(path.join(dir, 'work', 'tonight.plan'), '{}');
  env = { PATH: `${path.join(dir, 'bin')}:${process.env['PATH'] ?? ''}`, HOME: dir, NO_COLOR: '1' };
  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    const r = await execa(process.execPath, [CLI, 'completion', shell], { reject: false });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    scripts[shell] = path.join(dir, `provision.${shell}`);
    await fs.writeFile(scripts[shell], String(r.stdout));
    if (shell === 'zsh') {
      await fs.mkdir(path.join(dir, 'zfunc'));
      await fs.writeFile(path.join(dir, 'zfunc', '_provision'), String(r.stdout));
    }
  }
}, 60_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Runs bash's completion function on the words given (the last is the one completed). */
async function bash(...words: string[]): Promise<string[]> {
  const program = `source "$SCRIPT"; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _provision; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = await execa('bash', ['-c', program, 'bash', ...words], { cwd: path.join(dir, 'work'), env: { ...env, SCRIPT: scripts.bash }, extendEnv: false, reject: false });
  expect(r.exitCode, String(r.stderr)).toBe(0);
  expect(String(r.stderr)).toBe('');
  return lines(String(r.stdout));
}

/** Asks fish what it would offer for the line, as `complete -C` does for a Tab. */
async function fish(line: string): Promise<string[]> {
  const r = await execa('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', scripts.fish, line], { cwd: path.join(dir, 'work'), env, extendEnv: false, reject: false });
  expect(r.exitCode, String(r.stderr)).toBe(0);
  expect(String(r.stderr)).toBe('');
  return lines(String(r.stdout)).map((l) => l.split('\t')[0] ?? '');
}

/**
 * zsh completes only inside its line editor, so the test drives a real interactive zsh on a
 * pseudo-terminal (zsh/zpty): compinit, the script sourced as a user would, then the line and a
 * Tab. A wrapper around the compadd builtin records every candidate zsh matched against the
 * word (compadd -O fills an array instead of offering); a last command written after the Tab
 * runs only when completion is over, and marks the end.
 */
const ZSH_DRIVER = `
zmodload zsh/zpty || exit 3
local script=$1 out=$2 line=$3
zpty z zsh -f -i
if [[ $4 == fpath ]]; then
  # Installed as a file named _provision in a folder on fpath, autoloaded on the first Tab.
  zpty -w z "PS1='> '; fpath=(\${(q)script:h} \\$fpath); autoload -Uz compinit; compinit -u -D"
else
  zpty -w z "PS1='> '; autoload -Uz compinit; compinit -u -D; source \${(q)script}"
fi
zpty -w z "compadd() { local -a m; if (( ! \\\${@[(I)-[OAD]*]} )); then builtin compadd -O m \\"\\$@\\"; print -rl -- \\$m >> \${(q)out}; fi; builtin compadd \\"\\$@\\"; }"
zpty -w z "zstyle ':completion:*' menu no"
zpty -w z "\${line}"$'\\t'
zpty -w z $'\\C-u'"print done > \${(q)out}.done"
local i
for i in {1..400}; do
  [[ -e $out.done ]] && break
  zpty -rt z junk 2>/dev/null
  sleep 0.05
done
zpty -d z
[[ -e $out.done ]] || exit 4
`;

let zshRuns = 0;
async function zsh(line: string, how: 'source' | 'fpath' = 'source'): Promise<string[]> {
  const driver = path.join(dir, 'drive.zsh');
  await fs.writeFile(driver, ZSH_DRIVER);
  const out = path.join(dir, `zsh-out-${zshRuns++}`);
  await fs.writeFile(out, '');
  const r = await execa('zsh', ['-f', driver, how === 'fpath' ? path.join(dir, 'zfunc', '_provision') : scripts.zsh, out, line, how], { cwd: path.join(dir, 'work'), env, extendEnv: false, reject: false });
  expect(r.exitCode, `${String(r.stdout)}${String(r.stderr)}`).toBe(0);
  return [...new Set(lines(await fs.readFile(out, 'utf8')))].sort();
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

const COMMANDS = ['apply', 'completion', 'doctor', 'help', 'init', 'plan', 'restore', 'status', 'validate'];

describe('bash', () => {
  it('completes commands, options and their values', async () => {
    const all = await bash('provision', '');
    for (const c of COMMANDS) expect(all).toContain(c);
    expect(all).not.toContain('__complete');
    expect(await bash('provision', 'pl')).toEqual(['plan']);
    expect(await bash('provision', 'apply', '--ver')).toEqual(['--verify']);
    expect(await bash('provision', 'apply', '--verify', '')).toEqual(['size', 'content']);
    // Bash splits --verify=co at the = (COMP_WORDBREAKS); a line set by hand may not.
    expect(await bash('provision', 'apply', '--verify', '=', 'co')).toEqual(['content']);
    expect(await bash('provision', 'apply', '--verify=co')).toEqual(['--verify=content']);
    expect(await bash('provision', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(await bash('provision', 'init', '--platform', 'w')).toEqual(['windows']);
    expect(await bash('provision', 'help', 'pl')).toEqual(['plan']);
    // After an option's value, the next word is an option or an argument again.
    expect(await bash('provision', 'plan', '--user', 'alex', '--js')).toEqual(['--json']);
  });

  it('completes files for -c, --out and apply PLANFILE, folders for --root', async () => {
    expect((await bash('provision', 'plan', '-c', 'back')).sort()).toEqual(['backups-old', 'backups.yaml']);
    expect(await bash('provision', 'plan', '--out', 'to')).toEqual(['tonight.plan']);
    expect(await bash('provision', 'apply', 'to')).toEqual(['tonight.plan']);
    expect(await bash('provision', 'status', '--root', 'back')).toEqual(['backups-old']);
  });

  it('completes machine and user names from the declaration on the line', async () => {
    expect(await bash('provision', 'plan', '--machine', '')).toEqual(['imac', 'pc']);
    expect(await bash('provision', 'plan', '--user', '')).toEqual(['alex', 'sam']);
    expect(await bash('provision', 'status', '--machine', 'pc', '--user', '')).toEqual(['sam']);
    expect(await bash('provision', 'doctor', '-c', 'backups.yaml', '--machine', 'i')).toEqual(['imac']);
    // A declaration that is not there: no names, and no error in the middle of the line.
    expect(await bash('provision', 'plan', '-c', 'nowhere.yaml', '--machine', '')).toEqual([]);
  });
});

describe.skipIf(!(await hasCommand('fish')))(`fish${(await hasCommand('fish')) ? '' : ' (skipped: fish is not installed; .ci/run installs it)'}`, () => {
  it('completes commands, options, values, files and names', async () => {
    const all = await fish('provision ');
    for (const c of COMMANDS) expect(all).toContain(c);
    expect(await fish('provision pl')).toEqual(['plan']);
    expect(await fish('provision apply --ver')).toEqual(['--verify']);
    expect((await fish('provision apply --verify ')).sort()).toEqual(['content', 'size']);
    expect(await fish('provision apply --verify=c')).toEqual(['--verify=content']);
    expect(await fish('provision help val')).toEqual(['validate']);
    expect(await fish('provision plan --out to')).toEqual(['tonight.plan']);
    expect(await fish('provision plan --root back')).toEqual(['backups-old/']);
    expect(await fish('provision plan --machine ')).toEqual(['imac', 'pc']);
    expect(await fish('provision plan --machine pc --user ')).toEqual(['sam']);
  });
});

describe.skipIf(!(await hasCommand('zsh')))(`zsh${(await hasCommand('zsh')) ? '' : ' (skipped: zsh is not installed; .ci/run installs it)'}`, () => {
  it('the script is valid zsh', async () => {
    const r = await execa('zsh', ['-n', scripts.zsh], { reject: false });
    expect(r.exitCode, String(r.stderr)).toBe(0);
  });

  it('completes commands, options, values, files and names in a real line editor', async () => {
    const all = await zsh('provision ');
    for (const c of COMMANDS) expect(all).toContain(c);
    expect(await zsh('provision pl')).toEqual(['plan']);
    expect(await zsh('provision apply --ver')).toEqual(['--verify']);
    expect(await zsh('provision apply --verify ')).toEqual(['content', 'size']);
    expect(await zsh('provision apply --verify=c')).toEqual(['content']);
    expect(await zsh('provision completion ')).toEqual(['bash', 'fish', 'zsh']);
    expect(await zsh('provision plan --out to')).toEqual(['tonight.plan']);
    expect(await zsh('provision plan --root back')).toEqual(['backups-old']);
    expect(await zsh('provision plan --machine ')).toEqual(['imac', 'pc']);
    expect(await zsh('provision plan --machine pc --user ')).toEqual(['sam']);
  });

  it('also installed as a file on fpath, as the help says: completes from the first Tab', async () => {
    expect(await zsh('provision do', 'fpath')).toEqual(['doctor']);
    expect(await zsh('provision apply --verify ', 'fpath')).toEqual(['content', 'size']);
  });
});

describe('provision __complete', () => {
  const run = (...args: string[]) => execa(process.execPath, [CLI, '__complete', ...args], { cwd: path.join(dir, 'work'), env, extendEnv: false, reject: false });

  it('prints the names, one a line', async () => {
    expect(String((await run('machines')).stdout)).toBe('imac\npc');
    expect(String((await run('users', '--machine', 'pc')).stdout)).toBe('sam');
  });

  it('is silent and exits 0 on any error: no declaration, an invalid one, an unknown kind', async () => {
    await fs.writeFile(path.join(dir, 'bad.yaml'), 'version: 1\nmachines: [\n');
    for (const args of [['machines', '-c', 'nowhere.yaml'], ['machines', '-c', path.join(dir, 'bad.yaml')], ['drives']]) {
      const r = await run(...args);
      expect(r.exitCode).toBe(0);
      expect(String(r.stdout)).toBe('');
      expect(String(r.stderr)).toBe('');
    }
  });

  it('completion --help says where each shell looks for the script', async () => {
    const help = await execa(process.execPath, [CLI, 'completion', '--help'], { reject: false });
    expect(help.exitCode).toBe(0);
    expect(String(help.stdout)).toMatch(/Examples:\n {2}provision completion bash > ~\/\.local\/share\/bash-completion\/completions\/provision\n/);
    expect(String(help.stdout)).toContain('provision completion zsh > ~/.zfunc/_provision');
    expect(String(help.stdout)).toContain('provision completion fish > ~/.config/fish/completions/provision.fish');
    const wrong = await execa(process.execPath, [CLI, 'completion', 'tcsh'], { reject: false });
    expect(wrong.exitCode).toBe(1);
    expect(String(wrong.stdout)).toBe('');
  });

  it('is hidden: not in the help, not completed', async () => {
    const help = await execa(process.execPath, [CLI, '--help'], { reject: false });
    expect(String(help.stdout)).toContain('completion');
    expect(String(help.stdout)).not.toContain('__complete');
  });
});
