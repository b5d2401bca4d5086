import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importEdges, LAYERS, violation } from './layers.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

describe('the folders of src/ import each other only down the layers', () => {
  it('every import of src/ keeps the rules', () => {
    const edges = importEdges(SRC);
    expect(edges.length).toBeGreaterThan(500);
    const broken = edges.flatMap((e) => {
      const why = violation(e);
      return why === undefined ? [] : [`${e.from} -> ${e.to}: ${why}`];
    });
    expect(broken).toEqual([]);
  });

  it('knows every top-level folder of src/', () => {
    const folders = new Set(importEdges(SRC).flatMap((e) => [e.from, e.to]).map((f) => (f.includes(path.sep) ? f.split(path.sep)[0] : '(root)')));
    for (const f of folders) expect(LAYERS.flat(), f).toContain(f);
  });

  // The rules themselves, on imports that break them: each must be refused.
  it.each([
    ['engine/apply/run-step.ts', 'kinds/timemachine/run-timemachine.ts', 'not below'],
    ['kinds/photos/index.ts', 'cli/views/plan-text.ts', 'not below'],
    ['kinds/timemachine/plan.ts', 'app/session.ts', 'not below'],
    ['doctor/run-doctor.ts', 'cli/commands/plan.ts', 'not below'],
    ['schedule/agent-job.ts', 'cli/main.ts', 'not below'],
    ['init/names.ts', 'doctor/types.ts', 'not below'],
    ['drives/observe-drive.ts', 'desired/machine-context.ts', 'not below'],
    ['kinds/shares/mac/index.ts', 'kinds/shares/samba/plan.ts', 'imports kind shares/samba'],
    ['kinds/app-library/observe.ts', 'kinds/photos/index.ts', 'imports kind photos'],
    ['app/status.ts', 'kinds/mobilesync/device-info.ts', "reaches into a kind's folder"],
    ['cli/commands/status.ts', 'kinds/timemachine/steps.ts', "reaches into a kind's folder"],
    ['kinds/registry.ts', 'kinds/timemachine/run-timemachine.ts', 'the registry reaches into'],
    ['kinds/linked-folder/plan.ts', 'kinds/mobilesync/paths.ts', 'imports kind mobilesync'],
  ])('refuses %s -> %s', (from, to, why) => {
    expect(violation({ from: from.split('/').join(path.sep), to: to.split('/').join(path.sep) })).toContain(why);
  });

  it.each([
    ['kinds/photos/index.ts', 'kinds/app-library/kind.ts'],
    ['kinds/shares/mac/index.ts', 'kinds/shares/types.ts'],
    ['app/plan.ts', 'kinds/registry.ts'],
    ['init/detect-drives.ts', 'kinds/timemachine/index.ts'],
    ['cli/main.ts', 'errors.ts'],
  ])('allows %s -> %s', (from, to) => {
    expect(violation({ from: from.split('/').join(path.sep), to: to.split('/').join(path.sep) })).toBeUndefined();
  });
});

describe('the registry is the one list of kinds', () => {
  it('restore --only offers exactly the kinds that can be restored', async () => {
    const { RESTORABLE_KINDS } = await import('../../src/kinds/registry.js');
    const { LOCATION_KINDS } = await import('../../src/config/model/effective.js');
    expect([...RESTORABLE_KINDS].sort()).toEqual([...LOCATION_KINDS].sort());
  });

  it('gives every kind its own id and every kind step op one runner', async () => {
    const { KINDS, STEP_RUNNERS } = await import('../../src/kinds/registry.js');
    const ids = KINDS.map((k) => k.kind);
    expect(new Set(ids).size).toBe(ids.length);
    const ops = [...STEP_RUNNERS.values()].flatMap((r) => r.ops);
    // A kind may register an op once; photos and music share set-preference through app-library.
    const { isCoreStep } = await import('../../src/engine/types.js');
    expect(ops.filter((op) => isCoreStep({ op }))).toEqual([]);
  });
});

describe('below the CLI, nothing talks to the terminal', () => {
  // The session reads the environment once (the account, whether a person is at a terminal);
  // everything below it gets those as facts.
  it('no file of the engine, the kinds, the desired machine, the drives or the application layer writes to stdout or stderr, and only the session looks at stdin', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const found: string[] = [];
    for (const folder of ['engine', 'kinds', 'desired', 'drives', 'app']) {
      for (const f of readdirSync(path.join(SRC, folder), { recursive: true, encoding: 'utf8' })) {
        if (!f.endsWith('.ts')) continue;
        const text = readFileSync(path.join(SRC, folder, f), 'utf8');
        const terminal = folder === 'app' && f === 'session.ts' ? /process\.std(out|err)\b/ : /process\.std(in|out|err)\b/;
        if (terminal.test(text)) found.push(`${folder}/${f}`);
      }
    }
    expect(found).toEqual([]);
  });
});
