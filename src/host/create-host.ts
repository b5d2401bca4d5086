/**
 * Composes the hosts (docs/design.md, note 3); the CLI is the only caller. The dry-run host reads
 * through a read-only host: it only ever calls reads, and should a change to it ever call a
 * write, that write is refused instead of reaching the disk.
 */

import { DryRunHost } from './dry-run-host.js';
import type { Host } from './host.js';
import { ReadOnlyHost } from './read-only-host.js';
import { RealHost } from './real-host.js';
import { parseTestHooks, withTestHooks } from './test-hooks-host.js';
import { withWindowsSemantics } from './windows-semantics-host.js';

export type HostKind = Host['kind'];

export function createHost(kind: HostKind): Host {
  // Only tests set this (see test-hooks-host.ts): every host then sees the same hooks.
  const hooks = parseTestHooks(process.env['PROVISION_TEST_HOOKS']);
  const real = (): RealHost => {
    if (hooks === undefined) return new RealHost();
    const windows = hooks.windows;
    return withTestHooks(windows === undefined || windows === false ? new RealHost() : withWindowsSemantics(new RealHost(), windows === true ? {} : windows), hooks);
  };
  switch (kind) {
    case 'real':
      return real();
    case 'read-only':
      return new ReadOnlyHost(real());
    case 'dry-run':
      return new DryRunHost(new ReadOnlyHost(real()));
  }
}
