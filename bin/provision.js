#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/bundle/ by `npm run build` (scripts/bundle.mjs).
// Node's compile cache (module.enableCompileCache) is left off: Node writes it at the exit of
// every run, a refused one too, and a refused run must leave the disk as it was.
import { main } from '../dist/bundle/provision.mjs';

main(process.argv).then((code) => {
  process.exitCode = code;
});
