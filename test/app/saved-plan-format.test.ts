import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSavedPlan } from '../../src/app/saved-plan.js';
import { FORMAT_VERSION } from '../../src/engine/types.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'provision-saved-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a saved plan of another format', () => {
  it('is refused with what to do, before its shape is checked', async () => {
    const file = path.join(dir, 'old.plan');
    // A format 1 plan with a Samba change: its kind was still "shares".
    await writeFile(file, JSON.stringify({ format_version: 1, machine: 'box', changes: [{ id: 'shares', kind: 'shares' }] }));
    await expect(readSavedPlan(file)).rejects.toMatchObject({
      code: 'PLAN_FILE_INVALID',
      message: `${file}: a plan of format 1, made by another version of provision; this one reads format ${FORMAT_VERSION}`,
      hint: expect.stringContaining('make a new plan with provision plan --out FILE') as unknown,
    });
  });

  it('is the current format 2', () => {
    expect(FORMAT_VERSION).toBe(2);
  });
});
