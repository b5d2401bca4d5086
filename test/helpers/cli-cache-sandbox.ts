import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach } from 'vitest';
import { CLI } from './sandbox.js';
import { ONE_DRIVE_DECLARATION } from './one-drive-declaration.js';

/** A temporary home with a cache folder and a valid declaration, made before and removed after each test. */
export interface CliCacheSandbox {
  /** The temporary folder (HOME of the runs). */
  dir: string;
  /** PROVISION_CACHE_DIR of the runs. */
  cache: string;
  /** backups.yaml in it, the one-drive declaration. */
  file: string;
}

/** Registers the sandbox's making and removal around each test of the calling describe. */
export function cliCacheSandbox(prefix: string): CliCacheSandbox {
  const sb: CliCacheSandbox = { dir: '', cache: '', file: '' };
  beforeEach(async () => {
    sb.dir = await mkdtemp(path.join(os.tmpdir(), prefix));
    sb.cache = path.join(sb.dir, 'cache');
    sb.file = path.join(sb.dir, 'backups.yaml');
    await writeFile(sb.file, ONE_DRIVE_DECLARATION);
  });
  afterEach(async () => {
    await rm(sb.dir, { recursive: true, force: true });
  });
  return sb;
}

/** The built CLI run with only PATH, HOME (the sandbox), its cache folder and NO_COLOR, plus `extra`. */
export function runCli(sb: CliCacheSandbox, args: string[], extra: Record<string, string> = {}) {
  return execa(process.execPath, [CLI, ...args], { reject: false, extendEnv: false, env: { PATH: process.env['PATH'] ?? '', HOME: sb.dir, PROVISION_CACHE_DIR: sb.cache, NO_COLOR: '1', ...extra } });
}
