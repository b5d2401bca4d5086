#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/bundle/ by `npm run build` (scripts/bundle.mjs).
// Node's compile cache is turned on first, when this build's is complete; after a run that
// succeeded, a missing one is filled (src/cli/compiled-cache.ts says why only then). The process
// then ends at once if nothing is left running (src/cli/exit-when-idle.ts).
import { fillCommand, startCompiledCache } from '../dist/bundle/start.mjs';

const compiled = startCompiledCache();
const { exitWhenIdle, keepCompiled, main } = await import('../dist/bundle/provision.mjs');
const code = await main(process.argv);
process.exitCode = code;
if (code === 0 && compiled !== undefined && !compiled.complete) await keepCompiled(fillCommand(compiled.dir));
await exitWhenIdle(code);
