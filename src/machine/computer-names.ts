import os from 'node:os';
import type { HostReads } from '../host/host.js';

/** The scutil preferences that name a Mac, most specific to the person first. */
const SCUTIL_NAMES = ['ComputerName', 'LocalHostName', 'HostName'] as const;

/** The part of a host name before its first dot: "imac.local" -> "imac". */
export function firstLabel(name: string): string {
  const dot = name.indexOf('.');
  return dot === -1 ? name : name.slice(0, dot);
}

/** Appends a name unless it is empty or already there (names compare case-insensitively). */
function addName(names: string[], name: string): void {
  const trimmed = name.trim();
  if (trimmed === '') return;
  const key = trimmed.toLowerCase();
  if (!names.some((n) => n.toLowerCase() === key)) names.push(trimmed);
}

/** One scutil preference, or undefined when it is not set or scutil fails in any way. */
async function scutilGet(host: HostReads, pref: string): Promise<string | undefined> {
  try {
    const r = await host.query('scutil', ['--get', pref]);
    return r.exitCode === 0 ? r.stdout.trim() : undefined;
  } catch {
    // A missing or broken scutil only costs us a candidate name; detection continues.
    return undefined;
  }
}

/**
 * The names this computer goes by, in order of preference and without duplicates, for matching
 * against the declaration's machines. On a Mac (or wherever `scutil` is on PATH, which lets the
 * simulator stand in on Linux): ComputerName, LocalHostName, then HostName when set. Elsewhere,
 * or when scutil gave nothing: os.hostname() and its first label.
 * `hostname` is injectable for tests; callers leave it out.
 */
export async function computerNames(
  host: HostReads,
  platform: NodeJS.Platform,
  hostname: () => string = os.hostname,
): Promise<string[]> {
  const names: string[] = [];
  const useScutil = platform === 'darwin' || (await host.hasCommand('scutil'));
  if (useScutil) {
    for (const pref of SCUTIL_NAMES) {
      const value = await scutilGet(host, pref);
      if (value !== undefined) addName(names, value);
    }
  }
  if (names.length === 0) {
    const own = hostname();
    addName(names, own);
    addName(names, firstLabel(own));
  }
  return names;
}
