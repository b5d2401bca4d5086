#!/usr/bin/env node
// Thin launcher: the CLI itself is compiled to dist/ by `npm run build`.
import { main } from '../dist/cli/main.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
