import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { SIM_BIN } from './run-sim.js';

describe('the simulators run on the node under test', () => {
  it('a simulator started through PATH (#!/usr/bin/env node) runs the same Node version as the tests', async () => {
    const r = await execa('env', ['node', '-p', 'process.version'], { env: { PATH: `${SIM_BIN}:${process.env['PATH'] ?? ''}` } });
    expect(r.stdout.trim()).toBe(process.version);
  });
});
