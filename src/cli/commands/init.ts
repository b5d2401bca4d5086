/**
 * `provision init [DIR]`: a starter backups.yaml for this machine and user, from what is on the
 * machine now; and `init --add-machine`: this machine added to an existing declaration. Detection
 * runs on a read-only host (through the path mapper, so --root works as for plan). The file is
 * not machine state: like loading a declaration, writing one is done here on this computer's
 * own paths, never under --root. Whatever is written has first passed the same validation as
 * `provision validate`.
 */

import { lstat, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LoadedConfig, Platform } from '../../config/model/declared.js';
import { CONFIG_FILE_NAME, findConfigFile } from '../../config/read/find-config.js';
import { loadConfig, parseConfig } from '../../config/load-config.js';
import { errnoCode, isProvisionError, ProvisionError } from '../../errors.js';
import { replaceFile } from '../../host/fs/replace-file.js';
import { writeNewFile } from '../../host/fs/write-new-file.js';
import { createHost } from '../../host/create-host.js';
import { addMachine } from '../../init/add-machine.js';
import { chooseLocations, type KeyedDrive } from '../../init/choose-locations.js';
import { detectDrives, preferredOrder, type DetectedDrive } from '../../init/detect-drives.js';
import { detectLocations, type KindFindings } from '../../init/detect-locations.js';
import { detectMachine, type DetectedMachine } from '../../init/detect-machine.js';
import { isValidName, keyFrom, uniqueKey } from '../../init/names.js';
import { nextSteps } from '../../init/next-steps.js';
import { renderDeclaration } from '../../init/render-declaration.js';
import { renderReport } from '../../init/render-report.js';
import { schemaModeline } from '../../init/schema-modeline.js';
import type { Style } from '../../text/style.js';

export interface InitOptions {
  config?: string;
  root?: string;
  machine?: string;
  user?: string;
  platform?: Platform;
  addMachine?: boolean;
}

interface Detected {
  machine: DetectedMachine;
  drives: DetectedDrive[];
  findings: KindFindings[];
}

export async function initCommand(dir: string | undefined, opts: InitOptions, style: Style): Promise<number> {
  if (dir !== undefined && opts.config !== undefined) {
    throw new ProvisionError('USAGE', 'give either a folder or -c FILE, not both', {
      hint: 'provision init DIR writes DIR/backups.yaml; provision init -c FILE writes FILE',
    });
  }
  if (opts.machine !== undefined && !isValidName(opts.machine)) {
    throw new ProvisionError('USAGE', `--machine ${opts.machine} is not a name a declaration can hold`, {
      hint: "use letters, digits, '.', '_' and '-', not starting with '.' or '-'",
    });
  }
  // Where the file goes (or which one is extended) is settled before anything is detected, so a
  // mistake there is reported at once.
  if (opts.addMachine) {
    const existing = await readDeclaration(dir, opts);
    return addToDeclaration(existing, opts, await detect(opts), style);
  }
  const file = await starterFile(dir, opts);
  return writeStarter(file, opts, await detect(opts), style);
}

async function detect(opts: InitOptions): Promise<Detected> {
  const reads = createHost('read-only');
  const machine = await detectMachine(reads, {
    ...(opts.root === undefined ? {} : { root: opts.root }),
    ...(opts.platform === undefined ? {} : { platform: opts.platform }),
    ...(opts.user === undefined ? {} : { user: opts.user }),
  });
  const drives = await detectDrives(reads, machine);
  return { machine, drives, findings: await detectLocations(reads, machine, drives) };
}

/** Anything at all at p, even a dangling link: init writes only where nothing is. */
async function somethingAt(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (e) {
    const code = errnoCode(e);
    return code !== 'ENOENT' && code !== 'ENOTDIR';
  }
}

function expandHome(p: string): string {
  return p === '~' ? os.homedir() : p.startsWith('~/') ? path.join(os.homedir(), p.slice(2)) : p;
}

function refuseOverwrite(file: string, dir: string | undefined, opts: InitOptions): ProvisionError {
  return new ProvisionError('CONFIG_EXISTS', `${file} already exists; init never overwrites a declaration`, {
    hint: `to add this computer to it, run provision init --add-machine${opts.config !== undefined ? ` -c ${file}` : dir !== undefined ? ` ${dir}` : ''}; to start afresh, move it away first`,
  });
}

/** The file a new declaration goes to: -c FILE, or DIR/backups.yaml; its folder must exist and the name be free. */
async function starterFile(dir: string | undefined, opts: InitOptions): Promise<{ file: string; refuse: () => ProvisionError }> {
  const file = opts.config !== undefined ? path.resolve(expandHome(opts.config)) : path.join(path.resolve(expandHome(dir ?? '.')), CONFIG_FILE_NAME);
  const folder = path.dirname(file);
  if (!(await stat(folder).catch(() => undefined))?.isDirectory()) {
    throw new ProvisionError('USAGE', `the folder ${folder} does not exist`, { hint: `create it first (mkdir -p ${folder}), or give another folder` });
  }
  const refuse = (): ProvisionError => refuseOverwrite(file, dir, opts);
  if (await somethingAt(file)) throw refuse();
  return { file, refuse };
}

async function writeStarter({ file, refuse }: { file: string; refuse: () => ProvisionError }, opts: InitOptions, d: Detected, style: Style): Promise<number> {
  const { machine: m } = d;
  const taken: string[] = [];
  const keyed: KeyedDrive[] = d.drives.map((drive) => {
    const key = uniqueKey(keyFrom(drive.keyBase, 'drive'), taken);
    taken.push(key);
    return { key, drive };
  });
  const choices = chooseLocations({ user: m.user, homeExists: m.homeExists, home: m.home.machine, findings: d.findings, drives: preferredOrder(keyed) });
  const hostname = m.names[0] ?? 'this-computer';
  const machineKey = opts.machine ?? keyFrom(hostname, 'this-computer');
  // A Windows machine says where each drive is; every drive written gets its letter.
  const letters = m.platform === 'windows' ? Object.fromEntries(keyed.map((k) => [k.key, k.drive.label])) : {};
  const text = renderDeclaration({
    modeline: schemaModeline(),
    platform: m.platform,
    drives: keyed,
    user: { name: m.user, home: m.home.machine, findings: d.findings, choices, platform: m.platform },
    machine: { key: machineKey, hostname, platform: m.platform, users: [m.user], letters },
  });
  mustValidate(text, file, 'init wrote a declaration that does not validate (a bug in provision)');
  if ((await writeNewFile(file, text)) === 'exists') throw refuse();

  process.stdout.write(
    renderReport(
      {
        headline: 'Wrote',
        file,
        computer: hostname,
        platform: m.platform,
        machineKey,
        user: m.user,
        home: m.home.machine,
        homeExists: m.homeExists,
        drives: keyed,
        otherDrives: [],
        findings: d.findings,
        choices,
        notes: [],
        next: next(file, opts),
        ownHome: os.homedir(),
      },
      style,
    ),
  );
  return 0;
}

/** The declaration --add-machine extends: -c FILE, DIR/backups.yaml, or where plan looks. */
function declarationToExtend(dir: string | undefined, opts: InitOptions): string {
  if (dir !== undefined) return path.join(path.resolve(expandHome(dir)), CONFIG_FILE_NAME);
  return findConfigFile({ ...(opts.config === undefined ? {} : { explicit: opts.config }), env: process.env, cwd: process.cwd(), home: os.homedir() }).file;
}

interface Existing {
  file: string;
  original: Buffer;
  bom: string;
  text: string;
  loaded: LoadedConfig;
}

async function readDeclaration(dir: string | undefined, opts: InitOptions): Promise<Existing> {
  const file = declarationToExtend(dir, opts);
  if (dir !== undefined && (await stat(file).catch(() => undefined)) === undefined) {
    throw new ProvisionError('CONFIG_NOT_FOUND', `there is no ${CONFIG_FILE_NAME} in ${path.dirname(file)} to add this computer to`, {
      hint: `run provision init ${dir} to write one`,
    });
  }
  // The loader reads and checks the file as validate does (its errors are the ones people know);
  // then the text is read once, and that text is what is extended and, later, compared.
  await loadConfig(file);
  const original = await readFile(file);
  const decoded = original.toString('utf8');
  const bom = decoded.startsWith('\uFEFF') ? '\uFEFF' : '';
  const text = decoded.slice(bom.length);
  return { file, original, bom, text, loaded: parseConfig(text, file) };
}

async function addToDeclaration({ file, original, bom, text, loaded }: Existing, opts: InitOptions, d: Detected, style: Style): Promise<number> {
  const result = addMachine({ text, loaded, machine: d.machine, drives: d.drives, findings: d.findings, ...(opts.machine === undefined ? {} : { key: opts.machine }) });
  mustValidate(result.text, file, `adding machine ${result.machineKey} would leave ${file} invalid, so nothing was written`);
  if ((await replaceFile(file, bom + result.text, original)) === 'changed') {
    throw new ProvisionError('IO', `${file} changed while init was adding this computer to it; nothing was written`, {
      hint: 'run provision init --add-machine again',
    });
  }

  const used = new Set([...result.mountedHere.map((k) => k.drive), ...(result.addedDrive === undefined ? [] : [result.addedDrive.drive])]);
  const m = d.machine;
  process.stdout.write(
    renderReport(
      {
        headline: `Added machine ${result.machineKey}${result.userChoices === undefined ? '' : ` and user ${m.user}`} to`,
        file,
        computer: result.hostname,
        platform: m.platform,
        machineKey: result.machineKey,
        user: m.user,
        home: m.home.machine,
        homeExists: m.homeExists,
        drives: [...result.mountedHere, ...(result.addedDrive === undefined ? [] : [result.addedDrive])],
        otherDrives: d.drives.filter((x) => !used.has(x)).map((x) => x.label),
        findings: d.findings,
        choices: result.userChoices,
        notes: result.notes,
        next: next(file, opts),
        ownHome: os.homedir(),
      },
      style,
    ),
  );
  return 0;
}

function next(file: string, opts: InitOptions): string {
  return nextSteps(file, { root: opts.root === undefined ? undefined : path.resolve(opts.root), cwd: process.cwd(), home: os.homedir(), env: process.env });
}

/** Runs the loader's checks on text about to be written; its problems are reported under `why`. */
function mustValidate(text: string, file: string, why: string): void {
  try {
    parseConfig(text, file);
  } catch (e) {
    if (!isProvisionError(e)) throw e;
    const problems = e.problems.length > 0 ? e.problems : [{ code: e.code, message: e.message }];
    throw ProvisionError.fromProblems([
      { code: 'CONFIG_INVALID', message: why, hint: 'the problems below are in the text that would have been written' },
      ...problems,
    ]);
  }
}
