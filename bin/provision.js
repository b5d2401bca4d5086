#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/bundle/ by `npm run build` (scripts/bundle.mjs).
import { main } from '../dist/bundle/provision.mjs';

main(process.argv).then((code) => {
  process.exitCode = code;
});
