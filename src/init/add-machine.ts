/**
 * `provision init --add-machine`: this computer added to an existing declaration as a new
 * machine, with this user added under users: if absent. Pure: the detection is done before,
 * and the caller validates and writes the result. Every byte of the file outside the new lines
 * stays as it was (yaml-splice.ts says why the Document is not re-serialised).
 */

import type { LoadedConfig } from '../config/model/declared.js';
import { hostnames, kindAppliesOn, LOCATION_KINDS } from '../config/model/effective.js';
import { ProvisionError } from '../errors.js';
import { matchMachine } from '../machine/match-machine.js';
import { chooseLocations, type KeyedDrive, type LocationChoice } from './choose-locations.js';
import { declaredDrivesHere } from './declared-drives-here.js';
import { preferredOrder, type DetectedDrive } from './detect-drives.js';
import type { KindFindings } from './detect-locations.js';
import type { DetectedMachine } from './detect-machine.js';
import { keyFrom, uniqueKey } from './names.js';
import { comment, driveEntry, machineEntry, userEntry } from './render-entries.js';
import { appendToMap, applyInsertions, insertTopLevelBefore, spliceTarget, topLevelMap, type Insertion, type NewEntry } from './yaml-splice.js';
import { flowMap, flowSeq, yamlScalar } from './yaml-scalar.js';

export interface AddMachineInput {
  /** The file's text as read (without a byte-order mark). */
  text: string;
  loaded: LoadedConfig;
  machine: DetectedMachine;
  drives: readonly DetectedDrive[];
  findings: readonly KindFindings[];
  /** --machine: the key to declare it under. */
  key?: string;
}

export interface AddMachineResult {
  text: string;
  machineKey: string;
  hostname: string;
  /** Set when the user was not declared yet and has been added. */
  userChoices?: LocationChoice[];
  /** A drive added under drives: for the new user's data. */
  addedDrive?: KeyedDrive;
  /** Declared drives mounted here. */
  mountedHere: KeyedDrive[];
  /** Windows: the letters written in the new machine's drives:. */
  letters: Record<string, string>;
  /** Caveats for the report. */
  notes: string[];
}

export function addMachine(input: AddMachineInput): AddMachineResult {
  const { loaded, machine: m } = input;
  const config = loaded.config;
  const machines = config.machines;
  const hostname = m.names[0] ?? 'this-computer';

  const match = matchMachine(Object.fromEntries(Object.entries(machines).map(([k, v]) => [k, { hostname: hostnames(v) }])), m.names);
  if (match.ok || match.reason === 'ambiguous') {
    const key = match.ok ? match.machine : match.candidates.join(', ');
    const first = match.ok ? match.machine : match.candidates[0];
    throw new ProvisionError('MACHINE_DECLARED', `this computer (${m.names.join(', ')}) is already declared in ${loaded.file}, as machine ${key}`, {
      hint: 'provision plan works with it as it is; to declare it afresh, remove that machine from the file first',
      ...(first === undefined ? {} : { location: loaded.locate(['machines', first, 'hostname']) }),
    });
  }
  if (input.key !== undefined && Object.hasOwn(machines, input.key)) {
    throw new ProvisionError('MACHINE_DECLARED', `--machine ${input.key}: ${loaded.file} already declares a machine of that name`, {
      hint: 'choose another name with --machine, or leave it out to name the machine after this computer',
      location: loaded.locate(['machines', input.key]),
    });
  }
  const machineKey = input.key ?? uniqueKey(keyFrom(hostname, 'this-computer'), Object.keys(machines));

  const target = spliceTarget(input.text);
  if (target === undefined) {
    throw new ProvisionError('USAGE', `${loaded.file} is not written as a block mapping (key: value lines), which --add-machine extends`, {
      hint: 'add the machine by hand, or rewrite the file with one top-level key per line',
    });
  }

  const here = declaredDrivesHere(config, m.platform, m.paths, input.drives);
  const letters: Record<string, string> = { ...here.letters };
  const notes: string[] = [];
  const insertions: Insertion[] = [];
  const user = m.user;
  const declaredUser = config.users !== undefined && Object.hasOwn(config.users, user) ? config.users[user] : undefined;

  let userChoices: LocationChoice[] | undefined;
  let addedDrive: KeyedDrive | undefined;
  if (declaredUser === undefined) {
    // The user's data goes on a declared drive mounted here, else on a drive found here that is
    // declared for the purpose.
    const taken = Object.keys(config.drives ?? {});
    const fresh = preferredOrder(input.drives.filter((d) => !here.mounted.some((h) => h.drive === d)).map((drive) => ({ drive, key: '' })));
    const firstFresh = fresh[0];
    const candidate = firstFresh === undefined ? undefined : { key: uniqueKey(keyFrom(firstFresh.drive.keyBase, 'drive'), taken), drive: firstFresh.drive };
    const pool = here.mounted.length > 0 ? preferredOrder(here.mounted) : candidate === undefined ? [] : [candidate];
    userChoices = chooseLocations({ user, homeExists: m.homeExists, home: m.home.machine, findings: input.findings, drives: pool });
    if (candidate !== undefined && userChoices.some((c) => c.active && c.drive === candidate.key)) {
      addedDrive = candidate;
      if (m.platform === 'windows') letters[candidate.key] = candidate.drive.label;
      const entry: NewEntry = {
        key: candidate.key,
        block: (step) => driveEntry(candidate.key, candidate.drive, m.platform, step),
        flow: m.platform === 'macos' ? flowMap([['volume', yamlScalar(candidate.drive.label)]]) : m.platform === 'linux' ? flowMap([['mount', yamlScalar(candidate.drive.mountPoint.machine)]]) : '{}',
      };
      insertions.push(
        topLevelMap(target, 'drives') !== undefined
          ? appendToMap(target, 'drives', entry)
          : insertTopLevelBefore(target, 'machines', 'drives', [comment('The external drives, each by a short name of your choosing.')], entry),
      );
    }
    const choices = userChoices;
    const entry: NewEntry = {
      key: user,
      block: (step) => userEntry({ name: user, home: m.home.machine, findings: input.findings, choices, platform: m.platform }, step),
      flow: flowMap(choices.filter((c) => c.active).map((c) => [c.kind, flowMap([['drive', c.drive ?? ''], ['path', yamlScalar(c.path)], ...(c.libraries.length > 0 ? [['libraries', flowSeq(c.libraries.map(yamlScalar))] as [string, string]] : [])])])),
    };
    insertions.push(
      topLevelMap(target, 'users') !== undefined
        ? appendToMap(target, 'users', entry)
        : insertTopLevelBefore(target, 'machines', 'users', [comment('The people, by their account\'s short name, and where each kind of their data is kept.')], entry),
    );
  } else {
    if (m.platform === 'windows') guessLetters(declaredUser.mobilesync?.drive, here, input.drives, letters, notes);
    // The user's drives that are not plugged in here: plan will say the drive is missing.
    const used = new Set(LOCATION_KINDS.filter((k) => kindAppliesOn(k, m.platform)).flatMap((k) => declaredUser[k]?.drive ?? []));
    for (const name of used) {
      if (!here.mounted.some((h) => h.key === name) && letters[name] === undefined) {
        notes.push(`drive ${name}, where ${user}'s data is declared, is not mounted here: plug it in before provision plan`);
      }
    }
  }

  const machineLines = {
    key: machineKey,
    hostname,
    platform: m.platform,
    users: [user],
    letters,
    notes: [`Added by \`provision init --add-machine\` for ${user}.`],
  };
  insertions.push(
    appendToMap(target, 'machines', {
      key: machineKey,
      block: (step) => machineEntry(machineLines, step),
      flow: flowMap([
        ['hostname', yamlScalar(hostname)],
        ['platform', m.platform],
        ['users', flowSeq([yamlScalar(user)])],
        ...(Object.keys(letters).length > 0 ? [['drives', flowMap(Object.entries(letters).map(([k, v]) => [k, yamlScalar(v)] as [string, string]))] as [string, string]] : []),
      ]),
    }),
  );

  return {
    text: applyInsertions(input.text, insertions),
    machineKey,
    hostname,
    ...(userChoices === undefined ? {} : { userChoices }),
    ...(addedDrive === undefined ? {} : { addedDrive }),
    mountedHere: here.mounted,
    letters,
    notes,
  };
}

/**
 * A Windows machine must give the letter of each drive its users keep backups on. The letter
 * another PC of the household gives it is taken when that drive is mounted here; failing that,
 * when exactly one drive is mounted here, that one is taken as the user's drive, and the report
 * says so. Otherwise the letter is left out, and validation says what to add.
 */
function guessLetters(
  drive: string | undefined,
  here: ReturnType<typeof declaredDrivesHere>,
  detected: readonly DetectedDrive[],
  letters: Record<string, string>,
  notes: string[],
): void {
  if (drive === undefined || letters[drive] !== undefined) return;
  const [only, ...more] = detected;
  if (only !== undefined && more.length === 0 && !here.mounted.some((h) => h.drive === only)) {
    letters[drive] = only.label;
    notes.push(`drive ${drive} is taken to be ${only.label}, the only drive mounted here: check the machine's drives: entry`);
  }
}
