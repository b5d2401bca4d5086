/**
 * Every test file starts with the node that runs the tests first on PATH: the simulators and
 * helper scripts (`#!/usr/bin/env node`) then run on the same Node version as the CLI under test
 * (started with process.execPath), whichever node launched vitest (CI runs the suite on two).
 */
import path from 'node:path';

const dir = path.dirname(process.execPath);
const rest = (process.env['PATH'] ?? '').split(path.delimiter).filter((d) => d !== dir);
process.env['PATH'] = [dir, ...rest].join(path.delimiter);
