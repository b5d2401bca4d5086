#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/bundle/ by `npm run build` (scripts/bundle.mjs).
// Node 22.1 and later keep the compiled bundle in a cache on disk (module.enableCompileCache),
// which saves most of the time spent compiling it at every start. It goes in provision's own
// cache folder (never the temporary folder, which a run in Ansible's check mode must leave as it
// was); Node checks each entry against the file's content, and an older Node goes without.
import module from 'node:module';

if (typeof module.enableCompileCache === 'function') {
  const { compileCacheFolder } = await import('../dist/bundle/cache-folder.mjs');
  const folder = compileCacheFolder();
  if (folder !== undefined) module.enableCompileCache(folder);
}
const { main } = await import('../dist/bundle/provision.mjs');

main(process.argv).then((code) => {
  process.exitCode = code;
});
