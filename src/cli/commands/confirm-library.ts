import { createHost } from '../../host/create-host.js';
import { confirmLibraries } from '../../app/confirm-library.js';
import { openSession, type CommonOptions } from '../../app/session.js';
import { formatBytes } from '../../text/units.js';
import type { Style } from '../../text/style.js';

/** Records that the owner opened the moved library and it works; the next apply removes the kept original. */
export async function confirmLibraryCommand(which: string | undefined, opts: CommonOptions, style: Style): Promise<number> {
  const reads = createHost('read-only');
  const host = createHost('real');
  const run = await openSession(opts, reads);
  const done = await confirmLibraries(run, reads, host, which);
  const lines = done.map((d) => {
    const size = `${d.record.volume.files} files, ${formatBytes(d.record.volume.bytes)}`;
    return `${d.already ? 'Already confirmed' : 'Confirmed'}: ${d.record.title} works from ${d.record.movedTo}; the original kept at ${d.kept} (${size}) goes at the next apply.`;
  });
  process.stdout.write(`${lines.join('\n')}\n${style.dim('Run provision apply to remove it: the drive and the moved library are checked again first.')}\n`);
  return 0;
}
