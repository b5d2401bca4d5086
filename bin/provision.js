#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/bundle/ by `npm run build` (scripts/bundle.mjs).
// Node 22.1 and later keep the compiled bundle in a cache on disk (module.enableCompileCache),
// which saves most of the time spent compiling it at every start; Node checks each cached entry
// against the file's content, and an older Node simply goes without.
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('../dist/bundle/provision.mjs');

main(process.argv).then((code) => {
  process.exitCode = code;
});
