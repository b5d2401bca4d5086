import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandTree } from '../../src/completion/command-tree.js';
import { completionScript } from '../../src/completion/completion-script.js';

/**
 * The scripts come from commander's tree as it is at run time: a command added later (here a
 * made-up `backup` with subcommands, choices, a variadic argument and a hidden command) is
 * completed with no change to the completion code.
 */
function program(): Command {
  const p = new Command('provision').option('--no-color', 'no colours').version('1.0.0', '-V, --version');
  const backup = p.command('backup').description('made up: a command with subcommands').alias('bk').option('--profile <name>', 'a profile');
  backup
    .command('start')
    .description('start one')
    .option('-c, --config <file>', 'the declaration')
    .addOption(new Option('--speed <speed>', 'how fast').choices(['slow', 'fast']))
    .option('--machine <name>', 'a machine')
    .argument('<paths...>', 'folders to back up');
  backup.command('stop').description('stop it').option('--force', 'no questions');
  p.command('secret', { hidden: true }).description('not for people');
  p.command('completion').argument('<shell>');
  return p;
}

describe('the command tree', () => {
  it('has every visible command, with options, choices and value kinds', () => {
    const tree = commandTree(program());
    expect(tree.subcommands.map((c) => c.names)).toEqual([['backup', 'bk'], ['completion'], ['help']]);
    const start = tree.subcommands[0]?.subcommands.find((c) => c.names[0] === 'start');
    expect(start?.path).toEqual(['backup', 'start']);
    const byFlag = new Map(start?.options.flatMap((o) => o.flags.map((f) => [f, o.value])));
    expect(byFlag.get('-c')).toEqual({ kind: 'file' });
    expect(byFlag.get('--speed')).toEqual({ kind: 'choices', values: ['slow', 'fast'] });
    expect(byFlag.get('--machine')).toEqual({ kind: 'machines' });
    // The program's own options are accepted after a subcommand too; --version is not offered there.
    expect(byFlag.get('--no-color')).toEqual({ kind: 'none' });
    expect(byFlag.has('--version')).toBe(false);
    expect(start?.args).toEqual([{ name: 'paths', value: { kind: 'any' }, variadic: true }]);
  });
});

describe('a bash script from a tree it has never seen', () => {
  let dir: string;
  let script: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-tree-'));
    script = path.join(dir, 'provision.bash');
    await fs.writeFile(script, completionScript('bash', program(), '1.0.0'));
    await fs.mkdir(path.join(dir, 'work', 'docs'), { recursive: true });
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function complete(...words: string[]): Promise<string[]> {
    const r = await execa('bash', ['-c', `source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _provision; printf '%s\\n' "\${COMPREPLY[@]}"`, script, ...words], {
      cwd: path.join(dir, 'work'),
      reject: false,
    });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    return String(r.stdout).split('\n').filter((l) => l !== '');
  }

  it('completes the new commands, their subcommands (also by alias), options and choices', async () => {
    expect(await complete('provision', '')).toEqual(['backup', 'completion', 'help']);
    expect(await complete('provision', 'backup', '')).toEqual(['start', 'stop', 'help']);
    expect(await complete('provision', 'bk', 'st')).toEqual(['start', 'stop']);
    expect(await complete('provision', 'backup', 'start', '--sp')).toEqual(['--speed']);
    expect(await complete('provision', 'backup', 'start', '--speed', '')).toEqual(['slow', 'fast']);
    expect(await complete('provision', 'backup', 'stop', '--')).toEqual(['--force', '--help', '--no-color']);
    expect(await complete('provision', 'help', 'b')).toEqual(['backup']);
    expect(await complete('provision', 'backup', 'help', 's')).toEqual(['start', 'stop']);
  });

  it('an option value is not taken for a subcommand or an argument', async () => {
    // `--profile stop`: stop is the profile's name, so the options are still backup's, not stop's.
    expect(await complete('provision', 'backup', '--profile', 'stop', '--')).toEqual(['--profile', '--help', '--no-color']);
    expect(await complete('provision', 'backup', 'stop', '--')).toEqual(['--force', '--help', '--no-color']);
    // An argument between options leaves the command as it was.
    expect(await complete('provision', 'backup', 'start', '-c', 'x', 'docs', '--sp')).toEqual(['--speed']);
  });
});
