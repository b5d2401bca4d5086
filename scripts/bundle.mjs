// Bundles the CLI into dist/bundle/ with esbuild, so a start reads a handful of files instead of
// the ~300 modules of dist/ and node_modules: resolving and loading them was most of a no-op
// plan's time. Each command stays in its own chunk (main.ts imports them on demand), so a plan
// never loads apply's progress display (listr2) or the restore code. Runs after tsc, which does
// the type checking, and after build-validator.mjs, whose precompiled schema validator is
// bundled here too.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// This build's id: a hash of everything that decides what a declaration check answers (the
// sources, the schema, the locked dependencies, the validator's generator). The declaration cache
// (src/config/declaration-cache.ts) keeps an answer only for the build that gave it.
const hash = createHash('sha256');
const sources = readdirSync('src', { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => join(e.parentPath, e.name))
  .sort();
for (const file of [...sources, 'schemas/backups.schema.json', 'package-lock.json', 'package.json', 'scripts/build-validator.mjs']) {
  hash.update(file).update('\0').update(readFileSync(file)).update('\0');
}
const buildId = hash.digest('hex').slice(0, 16);

// commander requires node:child_process at load, for executable subcommands, which provision has
// none of; loading it brings in net, dgram and the streams, a large part of a converged plan's
// start. commander gets it on first use instead.
const lazyChildProcess = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'lazy-child-process', namespace: 'lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "let real; module.exports = new Proxy({}, { get: (_t, key) => (real ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

const out = new URL('../dist/bundle/', import.meta.url).pathname;
rmSync(out, { recursive: true, force: true });

await build({
  entryPoints: { provision: 'src/cli/main.ts' },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
  // CommonJS packages (commander, fs-extra, plist) call require() for Node's built-ins, which an
  // ES module does not have.
  banner: { js: "import { createRequire as __provisionRequire } from 'node:module'; const require = __provisionRequire(import.meta.url);" },
  legalComments: 'none',
  // Less to parse and compile at every start; names are kept for error classes and messages.
  minify: true,
  keepNames: true,
  define: { __PROVISION_BUILD__: JSON.stringify(buildId) },
  plugins: [lazyChildProcess],
  logLevel: 'warning',
});

// The standalone validator needs a few of ajv's runtime helpers: bundled with it, so the CLI
// reads one file for the schema.
await build({
  entryPoints: ['dist/config/backups-validator.cjs'],
  outfile: `${out}backups-validator.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  logLevel: 'warning',
});
