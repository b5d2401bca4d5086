/**
 * What init tells the person: what it detected, what it wrote where, and what to run next.
 * One entry per block, so it stays readable in a narrow terminal.
 */

import type { Platform } from '../config/model/declared.js';
import { tildePath } from '../text/tilde-path.js';
import type { Style } from '../text/style.js';
import type { KeyedDrive, LocationChoice } from './choose-locations.js';
import type { KindFindings } from './detect-locations.js';
import { describeFindings, describePlace, KIND_TITLE } from './describe-found.js';
import { describeDrive } from './render-entries.js';

export interface ReportInput {
  /** "Wrote" or "Added machine imac to": what was done to `file`. */
  headline: string;
  file: string;
  computer: string;
  platform: Platform;
  machineKey: string;
  user: string;
  home: string;
  homeExists: boolean;
  /** Drives mounted here, under the keys the declaration has (or gets) for them. */
  drives: readonly KeyedDrive[];
  /** Drives mounted here that the declaration does not mention. */
  otherDrives: readonly string[];
  findings: readonly KindFindings[];
  /** Undefined when the user was already declared (their locations are left as they are). */
  choices: readonly LocationChoice[] | undefined;
  notes: readonly string[];
  next: string;
  /** The invoking person's home, for shortening paths. */
  ownHome: string | undefined;
}

export function renderReport(r: ReportInput, style: Style): string {
  const out: string[] = [];
  out.push(`${style.bold('This computer:')} ${r.computer} (${r.platform})`);
  out.push(`  declared as machine ${r.machineKey}`);
  out.push(`${style.bold('User:')} ${r.user}, home ${r.home}${r.homeExists ? '' : style.yellow(' (not found)')}`);
  out.push(style.bold('Drives mounted:'));
  if (r.drives.length === 0 && r.otherDrives.length === 0) out.push('  none');
  for (const { key, drive } of r.drives) out.push(`  ${key}: ${drive.label}`, `    ${describeDrive(drive)}`);
  for (const label of r.otherDrives) out.push(`  ${label} ${style.dim('(not used by this declaration)')}`);
  if (r.choices === undefined) {
    out.push(`${style.bold(`${r.user}:`)} already declared; their locations stay as they are`);
  } else {
    out.push(style.bold(`Found for ${r.user}:`));
    if (r.findings.length === 0) out.push(`  nothing provision manages on ${r.platform}`);
    const common = shared(r);
    for (const c of r.choices) {
      const f = r.findings.find((x) => x.kind === c.kind);
      if (f === undefined) continue;
      if (f.places.length > 1) {
        // One line per library (or per Windows backup folder), so it stays readable when narrow.
        out.push(`  ${KIND_TITLE[c.kind]}:`);
        for (const p of f.places) out.push(`    ${c.kind === 'mobilesync' ? tildePath(p.path, r.home) : p.name}: ${describePlace(p, c.kind)}`);
      } else {
        out.push(`  ${KIND_TITLE[c.kind]}: ${describeFindings(f, r.home)}`);
      }
      if (c.active) out.push(`    -> ${c.drive ?? '?'}: ${c.path}`);
      else if (common === undefined) out.push(style.dim(`    not declared: ${c.note ?? ''}`));
      if (c.active && c.note !== undefined) out.push(style.yellow(`    note: ${c.note}`));
    }
  }
  if (shared(r) !== undefined) out.push(style.yellow(`Nothing is declared for ${r.user} yet: ${shared(r) ?? ''}.`));
  for (const n of r.notes) out.push(style.yellow(`Note: ${n}`));
  out.push(`${style.green(r.headline)} ${tildePath(r.file, r.ownHome)}`);
  out.push(`Next: ${r.next}`);
  return `${out.join('\n')}\n`;
}

/** The one reason nothing at all is declared for the user (no drive, no home), if there is one. */
function shared(r: ReportInput): string | undefined {
  if (r.choices === undefined || r.choices.length === 0 || r.choices.some((c) => c.active)) return undefined;
  const notes = new Set(r.choices.map((c) => c.note));
  return notes.size === 1 ? [...notes][0] : undefined;
}
