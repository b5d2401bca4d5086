import { describe, expect, it } from 'vitest';
import type { Change, Plan } from '../../../src/engine/types.js';
import { renderPlanText } from '../../../src/cli/views/plan-text.js';
import { colourWanted, createStyle } from '../../../src/text/style.js';

const home = '/Users/alexandra';
const change: Change = {
  id: 'alexandra/mobilesync',
  kind: 'mobilesync',
  user: 'alexandra',
  title: 'iOS device backups',
  path: `${home}/Library/Application Support/MobileSync/Backup`,
  action: 'relocate',
  before: `a folder with 2 device backups (1.4 MiB in 104 files) in ${home}/Library/Application Support/MobileSync/Backup`,
  after: 'link to /Volumes/Archive 2TB with a long name/MobileSync/alexandra on archive',
  reason: '2 device backups move to drive archive, then the link takes the folder\'s place',
  moves: { files: 104, bytes: 1468006 },
  blockers: [],
  warnings: [{ code: 'X', message: 'a note long enough that it has to wrap on any narrow terminal at all' }],
  steps: [],
};
const plan: Plan = { formatVersion: 2, machine: 'imac', platform: 'macos', configFile: '/c', users: ['alexandra'], homes: { alexandra: home }, changes: [change] };
const plain = createStyle(false);

describe('plan text', () => {
  it('off a terminal: whole lines, paths with ~, the summary line last', () => {
    const text = renderPlanText(plan, plain);
    expect(text).toContain('      ~/Library/Application Support/MobileSync/Backup\n');
    expect(text).toContain('      now:   a folder with 2 device backups (1.4 MiB in 104 files) in ~/Library/Application Support/MobileSync/Backup\n');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Plan: 1 to relocate, 0 to create, 0 to update.');
  });

  it.each([40, 60, 80])('on a %i-column terminal every line fits, continuation lines stay under their label', (width) => {
    const lines = renderPlanText(plan, plain, width).trimEnd().split('\n');
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(width);
    const now = lines.findIndex((l) => l.startsWith('      now:   '));
    expect(lines[now + 1]).toMatch(/^ {13}\S/);
    // Nothing is lost: the words are all there once the lines are joined again.
    const joined = lines.map((l) => l.trim()).join(' ');
    for (const word of ['device', '104', 'alexandra', 'terminal', 'Plan:']) expect(joined).toContain(word);
  });

  it('colours only on a terminal, never with NO_COLOR or --no-color', () => {
    expect(colourWanted({ isTTY: true }, {}, undefined)).toBe(true);
    expect(colourWanted({ isTTY: false }, {}, undefined)).toBe(false);
    expect(colourWanted({ isTTY: true }, { NO_COLOR: '1' }, undefined)).toBe(false);
    expect(colourWanted({ isTTY: true }, {}, false)).toBe(false);
    expect(renderPlanText(plan, createStyle(true), 50)).toContain('\u001b[33m  > alexandra: iOS device backups\u001b[39m');
    expect(renderPlanText(plan, plain, 50)).not.toContain('\u001b');
  });
});
