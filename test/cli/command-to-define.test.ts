import { describe, expect, it } from 'vitest';
import { commandToDefine } from '../../src/cli/command-to-define.js';

const COMMANDS = ['plan', 'apply', 'status', 'completion', 'schedule'];
const argv = (...words: string[]) => ['/usr/bin/node', '/usr/bin/provision', ...words];

describe('which command a run defines', () => {
  it('the command the run names, after the program\'s own options, whatever follows it', () => {
    expect(commandToDefine(argv('plan'), COMMANDS)).toBe('plan');
    expect(commandToDefine(argv('--no-color', 'plan', '--json', '-c', 'apply'), COMMANDS)).toBe('plan');
    expect(commandToDefine(argv('schedule', 'install'), COMMANDS)).toBe('schedule');
    expect(commandToDefine(argv('apply', '--help'), COMMANDS)).toBe('apply');
  });

  it('every command where commander needs them all: help, the version, a word that is none, completion', () => {
    expect(commandToDefine(argv(), COMMANDS)).toBeUndefined();
    expect(commandToDefine(argv('--help'), COMMANDS)).toBeUndefined();
    expect(commandToDefine(argv('-V'), COMMANDS)).toBeUndefined();
    expect(commandToDefine(argv('help', 'plan'), COMMANDS)).toBeUndefined();
    expect(commandToDefine(argv('plann'), COMMANDS)).toBeUndefined();
    expect(commandToDefine(argv('completion', 'bash'), COMMANDS)).toBeUndefined();
  });
});
