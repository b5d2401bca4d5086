// Bundles the CLI into dist/bundle/ with esbuild, so a start reads a handful of files instead of
// the ~300 modules of dist/ and node_modules: resolving and loading them was most of a no-op
// plan's time. The plan command is linked with the CLI (a daily run's command); each other
// command stays in its own chunk (main.ts imports them on demand), so a plan never loads apply's
// progress display (listr2) or the restore code. Runs after tsc, which does
// the type checking, and after build-validator.mjs, whose precompiled schema validator is
// bundled here too.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';

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

// An ES module's `import ... from 'node:fs'` makes Node build a module facade of the built-in,
// which reads every export, lazy getters included (fs.ReadStream loads the streams machinery,
// about 5 ms of a 70 ms start on Node 26), and each facade costs its own link. So the project's
// modules import each built-in from a module of this bundle that takes it with
// process.getBuiltinModule (Node 22.3+; no facade) and exports its plain values, named (esbuild's
// interop for a CommonJS module would copy every export at each importing module instead). The
// names are those of the Node running the build; importing a getter or a missing name fails the
// build, never a run. Packages keep Node's own import: they load on demand, and sharing these
// modules with them would split what a plan loads into more chunks.
const builtinNames = (id) => {
  const m = process.getBuiltinModule(id);
  return Object.getOwnPropertyNames(m).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default' && 'value' in Object.getOwnPropertyDescriptor(m, k));
};
// node:fs/promises loads its own module with the file watchers and readline (about 3 ms of a
// start) though a plan reads synchronously: each of its functions loads it on first call.
const lazyFsPromises = () => {
  const names = builtinNames('node:fs/promises').filter((k) => typeof process.getBuiltinModule('node:fs/promises')[k] === 'function');
  return [
    "let m;\nconst p = () => (m ??= process.getBuiltinModule('node:fs/promises'));",
    'export default new Proxy({}, { get: (_t, k) => p()[k] });',
    "export const constants = process.getBuiltinModule('node:fs').constants;",
    ...names.map((k) => `export const ${k} = (...a) => p().${k}(...a);`),
  ].join('\n');
};
const builtinByGetter = {
  name: 'builtin-by-getter',
  setup(b) {
    b.onResolve({ filter: /^node:[a-z_/]+$/ }, (args) =>
      args.kind === 'import-statement' && /[\\/]src[\\/]/.test(args.importer) && !/[\\/]node_modules[\\/]/.test(args.importer) && process.getBuiltinModule(args.path) !== undefined
        ? { path: args.path, namespace: 'builtin-by-getter' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin-by-getter' }, (args) => ({
      contents: args.path === 'node:fs/promises' ? lazyFsPromises() : `const m = process.getBuiltinModule(${JSON.stringify(args.path)});\nexport default m;\nexport const { ${builtinNames(args.path).join(', ')} } = m;\n`,
      loader: 'js',
    }));
  },
};

const out = new URL('../dist/bundle/', import.meta.url).pathname;
rmSync(out, { recursive: true, force: true });

const options = {
  entryPoints: { provision: 'src/cli/main.ts' },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
  // CommonJS packages (commander, fs-extra, plist) call require() for Node's built-ins, which an
  // ES module does not have.
  // The banner goes at the top of every chunk: built-ins come from process.getBuiltinModule,
  // without importing node:module into every chunk; anything else (none is known) through a
  // require() made on first use.
  banner: {
    js: "const require = (id) => process.getBuiltinModule(id) ?? process.getBuiltinModule('node:module').createRequire(import.meta.url)(id);",
  },
  legalComments: 'none',
  // Less to parse and compile at every start. Names are not kept: keeping them defines `name` on
  // every function and class as a chunk loads (about 5 ms of a converged plan on Node 26); the
  // error classes whose names are read set them themselves (ProvisionError, AbortError).
  minify: true,
  keepNames: false,
  define: { __PROVISION_BUILD__: JSON.stringify(buildId) },
  logLevel: 'warning',
};

// How the chunks fall. esbuild puts modules in one chunk when the same entry points reach them,
// an entry point being the CLI or any module loaded with import(): each command, and what
// commands load on first use (the apply code, the YAML parser, a kind's status). Every file a
// start loads costs about 0.5 ms on top of its size, and a module that one of those on-demand
// modules reaches would land apart from its neighbours, splitting what a plan loads into some
// fifty files. So every module of this project loaded with import() also imports the plan
// command's module first: everything a plan needs is then reached by the same entry points and
// lands in a few chunks. What a plan does not need stays out of them.
// A first pass without output finds those modules; the plan's own modules are left as they are.
const probe = await build({ ...options, write: false, minify: false, metafile: true, plugins: [lazyChildProcess, builtinByGetter] });
const planModule = 'src/cli/commands/plan.ts';
const planReach = new Set();
for (const queue = [planModule]; queue.length > 0; ) {
  const file = queue.pop();
  if (planReach.has(file)) continue;
  planReach.add(file);
  for (const i of probe.metafile.inputs[file]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) queue.push(i.path);
}
const onDemand = new Set();
for (const input of Object.values(probe.metafile.inputs)) {
  for (const i of input.imports) if (i.kind === 'dynamic-import' && i.path.startsWith('src/') && !planReach.has(i.path)) onDemand.add(resolvePath(i.path));
}
const planFirst = {
  name: 'plan-first',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) =>
      onDemand.has(args.path)
        ? { contents: `import ${JSON.stringify(resolvePath(planModule))};\n${readFileSync(args.path, 'utf8')}`, loader: 'ts' }
        : undefined,
    );
  },
};

await build({ ...options, plugins: [lazyChildProcess, builtinByGetter, planFirst] });

// What bin/provision.js loads first, to turn Node's compile cache on before the CLI is loaded:
// a file of its own, sharing no chunk with the CLI (a shared one would be a file more to load).
await build({
  ...options,
  entryPoints: { start: 'src/cli/compiled-cache.ts' },
  splitting: false,
  plugins: [builtinByGetter],
});

// The standalone validator needs a few of ajv's runtime helpers: bundled with it, so the CLI
// reads one file for the schema.
await build({
  entryPoints: ['dist/config/backups-validator.cjs'],
  outfile: `${out}backups-validator.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  minify: true,
  logLevel: 'warning',
});
