import path from 'node:path';
import type { Host, HostReads } from '../../host/host.js';
import type { DataVolume } from '../types.js';
import type { JournaledDrive } from '../journal/journal.js';

/**
 * The record inside an original that a move kept instead of removing (a photo library, kept
 * until its owner has opened the moved one): what provision needs to remove it safely later,
 * without the journal. It lives inside the kept folder, so it goes wherever the folder goes and
 * disappears with it; it is removed last, so a removal cut short still finds it.
 */
export const KEPT_RECORD = '.provision-kept.json';

export interface KeptRecord {
  version: 1;
  /** When the original was put aside and kept (ISO time). */
  keptAt: string;
  user: string;
  title: string;
  /** The folder on the drive that holds the moved copy (host path). */
  movedTo: string;
  /** The link that replaced the original (host path), and where it points. */
  link: string;
  linkTarget: string;
  /** The top-level entries that moved. */
  entries: string[];
  volume: DataVolume;
  /** The drive the copy went to, as the move identified it. */
  drive?: JournaledDrive;
  /** What the kind noted at the move (Photos' System Photo Library setting then). */
  context: Record<string, string>;
  /** When the owner said the moved copy works (provision confirm-library). */
  confirmedAt?: string;
}

/** The record of a kept original, or why it cannot be read. */
export type KeptRecordRead = { ok: true; record: KeptRecord } | { ok: false; reason: string };

export async function readKeptRecord(host: HostReads, kept: string): Promise<KeptRecordRead> {
  let text: string;
  try {
    text = (await host.readFile(path.join(kept, KEPT_RECORD))).toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? `it holds no ${KEPT_RECORD}` : `its ${KEPT_RECORD} cannot be read (${code ?? String(e)})` };
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, reason: `its ${KEPT_RECORD} is not valid JSON` };
  }
  const o = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  if (o['version'] !== 1) return { ok: false, reason: `its ${KEPT_RECORD} is of another version` };
  const texts = ['keptAt', 'user', 'title', 'movedTo', 'link', 'linkTarget'] as const;
  const bad = texts.find((k) => typeof o[k] !== 'string');
  if (bad !== undefined) return { ok: false, reason: `its ${KEPT_RECORD} lacks ${bad}` };
  if (!Array.isArray(o['entries']) || !(o['entries'] as unknown[]).every((e) => typeof e === 'string')) {
    return { ok: false, reason: `its ${KEPT_RECORD} lacks entries` };
  }
  const record = o as unknown as KeptRecord;
  return { ok: true, record: { ...record, context: record.context ?? {}, volume: record.volume ?? { files: 0, bytes: 0 } } };
}

/** Writes the record atomically (flushed), replacing any earlier one. */
export async function writeKeptRecord(host: Host, kept: string, record: KeptRecord): Promise<void> {
  await host.writeFileAtomic(path.join(kept, KEPT_RECORD), `${JSON.stringify(record, null, 2)}\n`);
}

const KEPT_SUFFIX = ' (original, kept by provision)';

/** The name a kept original gets beside the link: the library's name and what it is, never a library's extension last. */
export function keptName(base: string): string {
  return `${base}${KEPT_SUFFIX}`;
}

/** Whether a name is one keptName gives (or that name numbered, when an earlier one was there). */
export function isKeptName(name: string): boolean {
  return /^.+ \(original, kept by provision\)( \d+)?$/.test(name);
}
