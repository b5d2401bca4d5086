// ditto simulator: the copying forms of ditto(1) that provision uses,
//   ditto [-v] [-V] [--noextattr] [--noacl] [--norsrc] src ... dst_directory
//   ditto [-v] [-V] src_file dst_file
// Facts (ditto(1), see sim/README.md): a source folder's CONTENTS go into dst_directory, which
// is created when missing and merged into when present, and whose own mode, owner, times, xattrs
// and ACLs are left alone when it existed; links given as arguments are followed, links met
// inside are copied as links; modes, times, owners, xattrs, ACLs and hard links between files are
// kept; pipes and sockets, and names starting with .nfs or .afpDeleted, are skipped. -V prints
// a line per file, link and device copied (here on stderr). Errors are "ditto: <path>: <reason>"
// on stderr and a non-zero exit (1 here).
// The copy itself is GNU `cp -a` (which keeps the same things on Linux), one run per source.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runTool, ToolExit, usageExit } from './cli.js';

const USAGE = [
  'Usage: ditto [ <options> ] src [ ... src ] dst',
  '  (this simulator implements only -v, -V, --noextattr, --noacl, --norsrc and the copying forms)',
].join('\n');

/** @param {string} text */
function fail(text) {
  throw new ToolExit(1, { stderr: `ditto: ${text}\n` });
}

/** @param {string[]} argv */
function parseArgs(argv) {
  const options = { verbose: false, veryVerbose: false, noXattr: false };
  const operands = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = /** @type {string} */ (argv[i]);
    if (arg === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-v') options.verbose = true;
    else if (arg === '-V') options.veryVerbose = true;
    else if (arg === '--noextattr' || arg === '--noacl') options.noXattr = true;
    else if (arg === '--norsrc' || arg === '--rsrc' || arg === '--extattr' || arg === '--acl') continue;
    else if (arg === '-h' || arg === '--help') throw new ToolExit(0, { stderr: `${USAGE}\n` });
    else if (arg.startsWith('-') && arg !== '-') usageExit(`ditto: unknown option ${arg}\n${USAGE}`);
    else operands.push(arg);
  }
  if (operands.length < 2) usageExit(USAGE);
  return { options, sources: operands.slice(0, -1), dst: /** @type {string} */ (operands.at(-1)) };
}

/**
 * Runs cp; its errors become ditto's ("cp: cannot create regular file 'x': Permission denied"
 * -> "ditto: x: Permission denied").
 * @param {string[]} args
 * @param {boolean} verbose
 */
function cp(args, verbose) {
  const r = spawnSync('cp', args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  if (verbose) {
    for (const line of r.stdout.split('\n')) {
      const m = /^'.*' -> '(.*)'$/.exec(line);
      if (m?.[1] === undefined || /^\.(nfs|afpDeleted)/.test(path.basename(m[1]))) continue;
      const st = fs.lstatSync(m[1]);
      if (!st.isDirectory() && !st.isFIFO() && !st.isSocket()) process.stderr.write(`copying file ${m[1]}\n`);
    }
  }
  if (r.status === 0) return;
  const lines = r.stderr
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const m = /^cp: .*?'(.*)': (.*)$/.exec(l);
      return m === null ? `ditto: ${l.replace(/^cp: /, '')}` : `ditto: ${m[1]}: ${m[2]}`;
    });
  throw new ToolExit(1, { stderr: `${lines.join('\n')}\n` });
}

/** Removes what ditto skips: pipes, sockets, and names starting with .nfs or .afpDeleted. @param {string} dir */
function dropSkipped(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.name.startsWith('.nfs') || entry.name.startsWith('.afpDeleted') || entry.isFIFO() || entry.isSocket()) fs.rmSync(p, { recursive: true, force: true });
    else if (entry.isDirectory()) dropSkipped(p);
  }
}

/** @param {string[]} argv */
function main(argv) {
  const { options, sources, dst } = parseArgs(argv);
  const preserve = options.noXattr ? ['--preserve=mode,ownership,timestamps,links', '--no-preserve=xattr'] : [];
  const base = ['-a', '-v', ...preserve];
  // src_file dst_file: one file to a path that is not a folder.
  const first = /** @type {string} */ (sources[0]);
  const dstStat = fs.statSync(dst, { throwIfNoEntry: false });
  if (sources.length === 1 && fs.statSync(first, { throwIfNoEntry: false })?.isFile() === true && dstStat?.isDirectory() !== true) {
    cp([...base, '-L', '-T', '--', first, dst], options.veryVerbose);
    return 0;
  }
  for (const src of sources) {
    // Links given as arguments are followed.
    let real;
    try {
      real = fs.realpathSync(src);
    } catch {
      fail(`${src}: No such file or directory`);
    }
    const st = fs.statSync(/** @type {string} */ (real));
    if (options.verbose) process.stderr.write(`>>> Copying ${src}\n`);
    if (!st.isDirectory()) {
      fs.mkdirSync(dst, { recursive: true });
      cp([...base, '-T', '--', /** @type {string} */ (real), path.join(dst, path.basename(src))], options.veryVerbose);
      continue;
    }
    const existed = fs.statSync(dst, { throwIfNoEntry: false });
    cp([...base, '-T', '--', /** @type {string} */ (real), dst], options.veryVerbose);
    if (existed !== undefined) {
      // ditto leaves an existing destination folder's own metadata alone.
      fs.chmodSync(dst, existed.mode & 0o7777);
      fs.utimesSync(dst, existed.atime, existed.mtime);
    }
    dropSkipped(dst);
  }
  return 0;
}

export function run() {
  return runTool('ditto', main);
}
