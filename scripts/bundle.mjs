// Bundles the CLI into dist/bundle/ with esbuild, so a start reads a few files instead of the
// ~300 modules of dist/ and node_modules: resolving and loading them was most of a no-op plan's
// time. provision's own code is one classic script (provision.cjs, loaded by
// src/cli/load-cli.ts with a code cache), the large libraries are bundles of their own loaded on
// first use, and start.mjs is what bin/provision.js loads first. Runs after tsc, which does the
// type checking, and after build-validator.mjs, whose precompiled schema validator is bundled
// here too.
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
      (args.kind === 'import-statement' || args.kind === 'dynamic-import') && /[\\/]src[\\/]/.test(args.importer) && !/[\\/]node_modules[\\/]/.test(args.importer) && process.getBuiltinModule(args.path) !== undefined
        ? { path: args.path, namespace: 'builtin-by-getter' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin-by-getter' }, (args) => ({
      contents: args.path === 'node:fs/promises' ? lazyFsPromises() : `const m = process.getBuiltinModule(${JSON.stringify(args.path)});\nexport default m;\nexport const { ${builtinNames(args.path).join(', ')} } = m;\n`,
      loader: 'js',
    }));
  },
};

// The libraries a start rarely needs (the YAML parser for a declaration not seen before, the
// process runner, apply's progress display) are bundled apart, each into a CommonJS file of its
// own that the CLI requires on first use: in the CLI's script they would be parsed at every start
// and make its code cache larger (docs/performance.md, "The eighth pass").
const VENDORED = ['yaml', 'execa', 'listr2', 'plist'];
const vendorFile = (name) => `vendor-${name}.cjs`;
const vendored = {
  name: 'vendored-libraries',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${VENDORED.join('|')})$`) }, (args) => ({ path: args.path, namespace: 'vendored' }));
    b.onResolve({ filter: /^\.\/vendor-[a-z0-9]+\.cjs$/ }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'vendored' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(`./${vendorFile(args.path)}`)});`, loader: 'js' }));
  },
};

const out = new URL('../dist/bundle/', import.meta.url).pathname;
rmSync(out, { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  legalComments: 'none',
  // Less to parse and compile at every start. Names are not kept: keeping them defines `name` on
  // every function and class as the script loads (about 5 ms of a converged plan on Node 26); the
  // error classes whose names are read set them themselves (ProvisionError, AbortError).
  minify: true,
  keepNames: false,
  // ASCII only (esbuild escapes the rest): src/cli/load-cli.ts reads the script as latin1.
  charset: 'ascii',
  logLevel: 'warning',
};

// The CLI: all of provision's own code as one classic script, a function expression that
// src/cli/load-cli.ts compiles with vm.Script and calls as Node calls a CommonJS module (its
// code cache, made after a run, holds every function the run compiled: a module's never does).
// One script, so no module is ever loaded twice and errors are told apart by their class.
// What a command does not need is compiled only if called (V8 compiles functions lazily).
const cli = await build({
  ...common,
  entryPoints: { provision: 'src/cli/main.ts' },
  outdir: out,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  // Strict, as the ES modules it is made of: the directive must open the function's body (the
  // one esbuild writes comes after the banner's line, where it is an ordinary expression).
  banner: { js: '(function (exports, require, module, __filename, __dirname) {"use strict";\nconst __provisionUrl = require("node:url").pathToFileURL(__filename).href;' },
  footer: { js: '})' },
  define: { __PROVISION_BUILD__: JSON.stringify(buildId), 'import.meta.url': '__provisionUrl' },
  plugins: [lazyChildProcess, builtinByGetter, vendored],
  metafile: true,
});
// vm.Script has no way to load an ES module without an experimental option: the script must
// not hold an import() (a library's would have been vendored above).
for (const [file, output] of Object.entries(cli.metafile.outputs)) {
  const dynamic = output.imports.filter((i) => i.kind === 'dynamic-import');
  if (dynamic.length > 0) throw new Error(`${file} imports ${dynamic.map((i) => i.path).join(', ')} with import(): vendor it (VENDORED in scripts/bundle.mjs)`);
}

// esbuild escapes what is not ASCII in strings and names, not in regular expressions: write
// those with \u escapes in the sources.
const script = readFileSync(`${out}provision.cjs`, 'latin1');
const notAscii = script.search(/[^\x00-\x7f]/);
if (notAscii >= 0) throw new Error(`dist/bundle/provision.cjs holds a character that is not ASCII near "${script.slice(Math.max(0, notAscii - 40), notAscii + 10)}": write it as a \\u escape in the source`);

for (const name of VENDORED) {
  await build({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: process.cwd(), loader: 'js' },
    outfile: `${out}${vendorFile(name)}`,
    format: 'cjs',
  });
}

// What bin/provision.js loads first, to turn Node's compile cache on and load the CLI's script.
await build({
  ...common,
  entryPoints: { start: 'src/cli/start.ts' },
  outdir: out,
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  define: { __PROVISION_BUILD__: JSON.stringify(buildId) },
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
