/**
 * The YAML text of one drive, user or machine entry, with the comments that explain it. Lines
 * are relative to the entry's own indentation (its key at column 0) and use `step` for each
 * level below, so the same entry fits a new file and, through --add-machine, an existing file
 * indented its own way.
 */

import type { Platform } from '../config/model/declared.js';
import { tildePath } from '../text/tilde-path.js';
import { formatBytes } from '../text/units.js';
import type { LocationChoice } from './choose-locations.js';
import type { DetectedDrive } from './detect-drives.js';
import type { KindFindings } from './detect-locations.js';
import { describeFindings, describePlace, KIND_TITLE, placesOf } from './describe-found.js';
import { flowMap, flowSeq, yamlScalar } from './yaml-scalar.js';

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A comment line: whatever was found on disk cannot end the comment or add a line. */
export function comment(text: string): string {
  return `# ${text.replace(CONTROL, '?')}`;
}

/** Prefixes every line (comments included); blank lines stay blank. */
export function indent(lines: readonly string[], prefix: string): string[] {
  return lines.map((l) => (l === '' ? '' : `${prefix}${l}`));
}

/** "found: /Volumes/Archive 2TB, apfs, 1.2 TiB free of 1.8 TiB" */
export function describeDrive(d: DetectedDrive): string {
  const extra = [d.network ? 'a network share' : '', d.writable ? '' : 'not writable', d.timeMachine ? 'Time Machine backs up to it' : ''].filter((s) => s !== '');
  return [`${d.mountPoint.machine}, ${d.fsType}`, `${formatBytes(d.freeBytes)} free of ${formatBytes(d.totalBytes)}`, ...extra].join(', ');
}

export function driveEntry(key: string, d: DetectedDrive, platform: Platform, step: string): string[] {
  const found = comment(`found: ${describeDrive(d)}`);
  switch (platform) {
    case 'macos':
      return [found, `${key}:`, `${step}volume: ${yamlScalar(d.label)}`, ...idLine(d, step)];
    case 'linux':
      return [found, `${key}:`, `${step}mount: ${yamlScalar(d.mountPoint.machine)}`, ...idLine(d, step)];
    case 'windows':
      return [
        found,
        comment("Windows finds it by its letter, given in the machine's drives:. For a Mac to find it"),
        comment("too, write volume: and the drive's name as Finder shows it inside the {}."),
        `${key}: {}`,
      ];
  }
}

/**
 * The drive's identity, pinned: a twin drive of the same name is then refused. A drive with
 * neither a volume UUID nor provision's marker gets none (its first apply records it instead).
 */
function idLine(d: DetectedDrive, step: string): string[] {
  const id = d.identity.uuid ?? d.identity.marker;
  return id === undefined ? [] : [`${step}id: ${yamlScalar(id)}${' '.repeat(2)}# which physical drive: another one of the same name is refused`];
}

export interface UserEntryInput {
  name: string;
  home: string;
  findings: readonly KindFindings[];
  choices: readonly LocationChoice[];
  platform: Platform;
}

function locationValue(c: LocationChoice): string {
  const entries: [string, string][] = [
    ['drive', c.drive ?? 'DRIVE'],
    ['path', yamlScalar(c.path)],
  ];
  if (c.libraries.length > 0) entries.push(['libraries', flowSeq(c.libraries.map(yamlScalar))]);
  return flowMap(entries);
}

/** What happens to a kind's data on the drive, for the comment above its location. */
const HOW: Record<LocationChoice['kind'], string> = {
  mobilesync: '',
  photos: ': each moves whole into this folder',
  music: ': moves into this folder',
};

export function userEntry(u: UserEntryInput, step: string): string[] {
  if (u.findings.length === 0) {
    return [
      `${u.name}: {}`,
      ...indent(
        [
          comment(`On this ${u.platform} machine provision keeps none of ${u.name}'s data on a drive: iPhone`),
          comment('backups, photos and music are managed on Macs (backups on Windows PCs too).'),
        ],
        step,
      ),
    ];
  }
  const anyActive = u.choices.some((c) => c.active);
  // When nothing is declared for one reason (no drive), it is said once, not for every kind.
  const notes = new Set(u.choices.map((c) => c.note));
  const shared = !anyActive && notes.size === 1 ? [...notes][0] : undefined;
  const body: string[] = [];
  for (const c of u.choices) {
    const f = u.findings.find((x) => x.kind === c.kind);
    if (f === undefined) continue;
    if (c.kind === 'mobilesync' && f.places.length > 1) {
      // Windows: the two folders iTunes and Apple Devices use, each with what it holds.
      body.push(comment(`${KIND_TITLE[c.kind]}, kept in two places (both become links):`));
      for (const p of f.places) body.push(comment(`  ${tildePath(p.path, u.home)}: ${describePlace(p, c.kind)}`));
    } else {
      body.push(comment(`${KIND_TITLE[c.kind]} (${placesOf(f, u.home)})${HOW[c.kind]}`));
      body.push(comment(`found: ${describeFindings(f, u.home)}`));
    }
    const line = `${c.kind}: ${locationValue(c)}`;
    if (c.active) {
      if (c.note !== undefined) body.push(comment(`note: ${c.note}`));
      body.push(line);
    } else {
      if (shared === undefined) body.push(comment(`not declared: ${c.note ?? 'nothing to keep'}. To declare it, uncomment:`));
      body.push(comment(line));
    }
  }
  if (anyActive) return [`${u.name}:`, ...indent(body, step)];
  // A user with nothing declared is an empty mapping; the commented lines show what to add.
  const why = shared === undefined ? '' : `: ${shared}`;
  return [`${u.name}: {}`, ...indent([comment(`Nothing is declared yet${why}.`), comment('To declare a location, remove the {} above and uncomment its line below.'), ...body], step)];
}

export interface MachineEntryInput {
  key: string;
  hostname: string;
  platform: Platform;
  users: readonly string[];
  /** Windows: drive key -> letter (E:). */
  letters: Readonly<Record<string, string>>;
  /** Comments above the entry. */
  notes?: readonly string[];
}

export function machineEntry(m: MachineEntryInput, step: string): string[] {
  const lines = [...(m.notes ?? []).map(comment), `${m.key}:`];
  const body = [
    `hostname: ${yamlScalar(m.hostname)}   ${comment("this computer's name, as it reports it")}`,
    `platform: ${m.platform}`,
    `users: ${flowSeq(m.users.map(yamlScalar))}`,
  ];
  const letters = Object.entries(m.letters);
  if (letters.length > 0) body.push(`drives: ${flowMap(letters.map(([k, v]) => [k, yamlScalar(v)] as [string, string]))}   ${comment('where each drive appears on this PC')}`);
  return [...lines, ...indent(body, step)];
}
