/**
 * Fills Node's compile cache for this build after a run that succeeded (compiled-cache.ts): a
 * separate Node process, so that what it compiles is the whole bundle from scratch. Its failure
 * costs nothing but the next starts' time, and says nothing.
 */

import { execa } from 'execa';

export async function keepCompiled(command: { file: string; args: string[] }): Promise<void> {
  await execa(command.file, command.args, { reject: false, stdio: 'ignore', timeout: 60_000 });
}
