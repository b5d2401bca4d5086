/**
 * The benchmarks run inside a private user and mount namespace (`unshare --user
 * --map-root-user --mount`, as scripts/demo.sh does), where mounting a tmpfs drive needs no real
 * privilege and every mount vanishes with the process. main.ts re-executes itself there.
 */

import { execa } from 'execa';

const MARK = 'PROVISION_BENCH_INSIDE';

export function insideNamespace(): boolean {
  return process.env[MARK] === '1';
}

/** Runs this script again inside the namespace, with the same arguments; resolves to its exit code. */
export async function rerunInNamespace(script: string, args: readonly string[]): Promise<number> {
  const child = execa(
    'unshare',
    ['--user', '--map-root-user', '--mount', '--propagation', 'private', process.execPath, script, ...args],
    { stdio: 'inherit', reject: false, env: { [MARK]: '1' } },
  );
  // Ctrl-C on a terminal reaches both processes; a signal sent to this one alone is passed on,
  // so that the inner run cleans up instead of running on unseen.
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const result = await child;
  process.off('SIGINT', forward);
  process.off('SIGTERM', forward);
  if (result.failed && result.exitCode === undefined) {
    throw new Error(`could not start unshare (util-linux) with user namespaces: ${result.shortMessage}`);
  }
  return result.exitCode ?? 1;
}
