import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI, REPO } from '../helpers/sandbox.js';

const examples = (await fs.readdir(path.join(REPO, 'examples'))).filter((f) => f.endsWith('.yaml')).map((f) => path.join('examples', f));

describe('the shipped declarations validate and point editors at the schema', () => {
  it.each([...examples, 'backups.yaml'])('%s', async (file) => {
    const r = await execa(process.execPath, [CLI, 'validate', '-c', file], { cwd: REPO, reject: false, env: { NO_COLOR: '1' } });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    if (file.endsWith('time-capsule.yaml')) expect(String(r.stdout)).toContain('2 machines, 1 server.');
    const first = (await fs.readFile(path.join(REPO, file), 'utf8')).split('\n')[0] ?? '';
    const schema = /\$schema=(\S+)/.exec(first)?.[1];
    expect(schema).toBeDefined();
    await expect(fs.access(path.resolve(REPO, path.dirname(file), schema ?? ''))).resolves.toBeUndefined();
  });
});
