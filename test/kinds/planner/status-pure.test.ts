import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../src/engine/journal/journal.js';
import { statusFromChange } from '../../../src/engine/status/status-from-plan.js';
import { withInterruptions } from '../../../src/engine/status/status-journal.js';
import type { ResourceStatus, StatusReport } from '../../../src/engine/status/status-types.js';
import type { Change } from '../../../src/engine/types.js';
import { createStyle } from '../../../src/text/style.js';
import { renderStatusText } from '../../../src/cli/views/status-text.js';
import { wrapText } from '../../../src/text/wrap-text.js';
import { ageInDays, deviceFromInfo, parseDeviceFolderName } from '../../../src/kinds/mobilesync/device-info.js';

const NOW = new Date('2026-11-22T12:00:00Z');

describe('device backups from Info.plist (pure)', () => {
  it('reads name, model (Product Name before Product Type), iOS and the last backup date', () => {
    const d = deviceFromInfo(
      { 'Device Name': "Alex's iPhone", 'Product Type': 'iPhone14,2', 'Product Name': 'iPhone 13 Pro', 'Product Version': '17.5', 'Last Backup Date': new Date('2026-11-20T10:00:00Z') },
      false,
      NOW,
    );
    expect(d).toEqual({ deviceName: "Alex's iPhone", model: 'iPhone 13 Pro', iosVersion: '17.5', lastBackup: new Date('2026-11-20T10:00:00Z'), ageDays: 2, stale: false });
    expect(deviceFromInfo({ 'Product Type': 'iPad13,4', 'Last Backup Date': new Date('2026-11-20T10:00:00Z') }, false, NOW).model).toBe('iPad13,4');
  });

  it('is stale past the threshold, never as an archived copy', () => {
    const old = { 'Last Backup Date': new Date('2026-08-20T10:00:00Z') };
    expect(deviceFromInfo(old, false, NOW)).toMatchObject({ ageDays: 94, stale: true });
    expect(deviceFromInfo(old, true, NOW)).toMatchObject({ ageDays: 94, stale: false });
    expect(deviceFromInfo({ 'Last Backup Date': new Date('2026-10-23T12:00:00Z') }, false, NOW).stale).toBe(false);
    expect(deviceFromInfo({ 'Last Backup Date': new Date('2026-10-22T11:00:00Z') }, false, NOW).stale).toBe(true);
  });

  it('a dictionary without a date, or no dictionary at all, is a problem, not a crash', () => {
    expect(deviceFromInfo({ 'Device Name': 'X' }, false, NOW).problem).toContain('Last Backup Date');
    expect(deviceFromInfo(['a'], false, NOW).problem).toContain('dictionary');
    expect(deviceFromInfo('text', false, NOW).problem).toContain('dictionary');
    expect(deviceFromInfo({ 'Device Name': 42, 'Last Backup Date': 'yesterday' }, false, NOW)).toEqual({ problem: 'Info.plist has no Last Backup Date', stale: false });
  });

  it('tells archived copies by their name', () => {
    expect(parseDeviceFolderName('00008030-00125C2E0287C02E')).toEqual({ udid: '00008030-00125C2E0287C02E', archived: false });
    expect(parseDeviceFolderName('00008030-00125C2E0287C02E-20250101-101500')).toEqual({ udid: '00008030-00125C2E0287C02E', archived: true });
    expect(parseDeviceFolderName('0123456789abcdef0123456789abcdef01234567-20240102-030405')).toMatchObject({ archived: true });
    expect(ageInDays(new Date('2026-11-23T12:00:00Z'), NOW)).toBe(-1);
  });
});

function change(over: Partial<Change>): Change {
  return { id: 'timemachine', kind: 'timemachine', title: 'Time Machine destinations', path: 'drive backup', action: 'none', before: 'b', after: 'a', reason: 'r', moves: { files: 0, bytes: 0 }, blockers: [], warnings: [], steps: [], ...over };
}

describe('rows read off a plan, for kinds without a status (pure)', () => {
  it('no change is ok; a change differs; a blocker blocks, with its fix', () => {
    expect(statusFromChange(change({})).state).toBe('ok');
    const d = statusFromChange(change({ action: 'create', before: 'no destinations' }));
    expect(d).toMatchObject({ state: 'differs', severity: 'warning', words: 'differs: no destinations' });
    const b = statusFromChange(change({ action: 'blocked', blockers: [{ code: 'X', reason: 'the drive is FAT32', fix: 'reformat it' }] }));
    expect(b).toMatchObject({ state: 'blocked', severity: 'error', words: 'blocked: the drive is FAT32', hint: 'reformat it' });
  });
});

const row = (over: Partial<ResourceStatus>): ResourceStatus => ({
  id: 'alex/mobilesync',
  kind: 'mobilesync',
  user: 'alex',
  title: 'iOS device backups',
  declared: '/Volumes/A/MobileSync/alex',
  drive: 'archive',
  paths: ['/Users/alex/Library/Application Support/MobileSync/Backup'],
  state: 'not-moved',
  words: 'not yet moved',
  severity: 'warning',
  links: [],
  data: [],
  sized: true,
  notes: [],
  ...over,
});

function entry(over: Partial<JournalEntry>): JournalEntry {
  return {
    version: 1,
    id: 'alex_mobilesync.0',
    changeId: 'alex/mobilesync',
    user: 'alex',
    title: 'iOS device backups',
    path: '/Users/alex/Library/Application Support/MobileSync/Backup',
    startedAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    pid: 1,
    phase: 'copying',
    step: { op: 'relocate', id: 'alex_mobilesync.0', source: '/s', dest: '/d', entries: [], discard: [], link: { path: '/s', target: '/Volumes/A/MobileSync/alex', type: 'symlink' }, volume: { files: 1, bytes: 1 } },
    ...over,
  } as JournalEntry;
}

describe('interrupted moves from the journal (pure)', () => {
  it('marks the location by its change id, or by its paths after a resumed move was cut again', () => {
    const [a] = withInterruptions([row({})], [entry({})], ['alex']);
    expect(a).toMatchObject({ state: 'interrupted', severity: 'error', interrupted: { op: 'relocate', phase: 'copying' } });
    const [b] = withInterruptions([row({})], [entry({ changeId: 'resume:alex_mobilesync.0', phase: 'aside' } as Partial<JournalEntry>)], ['alex']);
    expect(b?.state).toBe('interrupted');
    expect(b?.words).toContain('phase: aside');
  });

  it('another user\'s entry is left alone; an entry matching no location gets its own row', () => {
    expect(withInterruptions([row({})], [entry({ user: 'sam', changeId: 'sam/mobilesync', path: '/Users/sam/x' })], ['alex'])[0]?.state).toBe('not-moved');
    const out = withInterruptions([], [entry({ changeId: 'alex/gone', path: '/Users/alex/gone' })], ['alex']);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ state: 'interrupted', user: 'alex', paths: ['/Users/alex/gone'] });
  });
});

describe('text at 60 columns', () => {
  it('wraps long values under their label, and never passes the width', () => {
    const report: StatusReport = {
      formatVersion: 2,
      machine: 'imac',
      platform: 'macos',
      configFile: '/x/backups.yaml',
      users: ['alex'],
      homes: { alex: '/Users/alex' },
      generatedAt: NOW,
      staleAfterDays: 30,
      locations: [
        row({
          words: 'link replaced by a real folder: a folder with 1 device backup is where the link was, while the declared folder on drive archive holds 2 device backups (an app re-created it)',
          hint: 'run provision plan: it says how apply puts the link back, and never merges what could lose data',
          data: [
            { path: '/Users/alex/Library/Application Support/MobileSync/Backup', where: 'link', files: 3, bytes: 3000, unreadable: 0 },
            { path: '/Volumes/Archive 2TB With A Long Name/MobileSync/alex', where: 'declared', files: 5, bytes: 5000, unreadable: 0 },
          ],
          devices: [
            { folder: 'ABC', path: '/Volumes/Archive 2TB With A Long Name/MobileSync/alex/ABC', udid: 'ABC', archived: false, deviceName: "Alex's iPad with a rather long name\u001b[31m", model: 'iPad13,4', iosVersion: '16.1', lastBackup: new Date('2026-08-20T10:00:00Z'), ageDays: 94, stale: true, files: 5, bytes: 5000 },
          ],
        }),
      ],
      drives: [{ name: 'archive', mountPoint: '/Volumes/Archive 2TB With A Long Name', state: 'mounted', freeBytes: 1e9, totalBytes: 2e9, fsType: 'apfs', usedBy: ['alex/mobilesync'] }],
    };
    const text = renderStatusText(report, createStyle(false), 60);
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(60);
    const flat = text.replace(/\n +/g, ' ');
    expect(flat).toContain('94 days ago: over 30 days');
    expect(flat).toContain('~/Library/Application Support/MobileSync/Backup');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('\\x1B[31m');
  });

  it('wrapText breaks at spaces, then after path separators', () => {
    expect(wrapText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrapText('/Volumes/Archive/MobileSync/alex', 12)).toEqual(['/Volumes/', 'Archive/', 'MobileSync/', 'alex']);
    expect(wrapText('', 10)).toEqual(['']);
  });
});
