#!/usr/bin/env node
// Thin launcher: the CLI is built into dist/bundle/ by `npm run build` (scripts/bundle.mjs).
// Node's compile cache (for the library bundles) is turned on first, when this build's is
// complete; the CLI's own script is then compiled with the code cache of an earlier run of the
// same command (src/cli/load-cli.ts). After a run that succeeded, a missing cache is filled
// (src/cli/compiled-cache.ts says why only then). The process then ends at once if nothing is
// left running (src/cli/exit-when-idle.ts).
import { fillCommand, loadCli, startCompiledCache } from '../dist/bundle/start.mjs';

const compiled = startCompiledCache();
const loaded = loadCli(compiled);
const { exitWhenIdle, keepCompiled, main } = loaded.cli;
const code = await main(process.argv);
process.exitCode = code;
loaded.keep(code);
if (code === 0 && compiled !== undefined && !compiled.complete) await keepCompiled(fillCommand(compiled.dir));
await exitWhenIdle(code);
