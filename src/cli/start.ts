/**
 * What bin/provision.js loads first (built on its own into dist/bundle/start.mjs): Node's compile
 * cache for the library bundles, then the CLI's script with its own code cache.
 */

export { fillCommand, startCompiledCache } from './compiled-cache.js';
export { loadCli } from './load-cli.js';
