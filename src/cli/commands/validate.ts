import type { Style } from '../../text/style.js';
import { plural } from '../../text/units.js';
import { findAndLoadConfig } from '../../app/session.js';

export async function validateCommand(opts: { config?: string }, style: Style): Promise<number> {
  const { loaded, source } = await findAndLoadConfig(opts.config);
  const c = loaded.config;
  const count = (o: object | undefined): number => Object.keys(o ?? {}).length;
  process.stdout.write(
    `${style.green('Valid:')} ${loaded.file} (${source}): ${plural(count(c.drives), 'drive')}, ${plural(count(c.users), 'user')}, ${plural(count(c.machines), 'machine')}${c.servers === undefined ? '' : `, ${plural(count(c.servers), 'server')}`}.\n`,
  );
  return 0;
}
