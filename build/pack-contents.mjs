// What a packed app must contain, and the check of a packed resources/ folder (app.asar + app.asar.unpacked)
// against it. Used by build/pack-check.mjs (npm run pack:check) and by test/build/pack-contents.test.ts.
// The expected set is derived from the tree and the builder config, not hand-listed: every non-map file under dist/,
// the worker bundles, resources/, what asarUnpack matches, and every package the main and worker bundles import
// (with the packages those need in turn, resolved inside the archive as Node would).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { join, posix, relative, sep } from 'node:path';
import { globSync } from 'tinyglobby';
import { WORKER_ENTRIES, workerBundleName } from './build-workers.mjs';

const require = createRequire(import.meta.url);

/** Packages the app must never carry: the runtime provides electron; the others are build-time tools. */
export const FORBIDDEN_PACKAGES = ['electron', 'electron-builder', 'esbuild', 'tsx', 'typescript', 'vite', 'vitest'];

/** Files named because the main process loads them by path (a clearer message than "some dist file is missing"). */
export function namedRuntimeFiles(pkg) {
  return [
    'package.json',
    pkg.main,
    'dist/electron/preload.cjs',
    'dist/renderer/index.html',
    'dist/core/sample/sample-night.js',
    ...WORKER_ENTRIES.map((e) => `dist/workers/${workerBundleName(e)}`),
  ];
}

/** Native code and WebAssembly that must be real files beside the archive. */
export const NAMED_UNPACKED = [
  'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
  'node_modules/parquet-wasm/node/parquet_wasm_bg.wasm',
];

function filesUnder(root, dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(abs);
  return out;
}

/** Node's lookup of package `name` from directory `fromDir` (relative), in a set of files; null when not found. */
export function resolvePackage(files, fromDir, name) {
  for (let dir = fromDir; ; dir = posix.dirname(dir)) {
    const base = dir === '.' ? '' : `${dir}/`;
    const candidate = base.endsWith('node_modules/') ? `${base}${name}` : `${base}node_modules/${name}`;
    if (files.has(`${candidate}/package.json`)) return candidate;
    if (dir === '.') return null;
  }
}

/** 'apache-arrow/x' → 'apache-arrow', '@scope/p/x' → '@scope/p'. */
export function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Bare imports of the main process and the worker bundles (static and literal dynamic ones), from esbuild's
 * metafile of the built dist/.
 */
export function runtimeImports(root, pkg) {
  const { buildSync } = require('esbuild');
  const entries = [pkg.main, ...WORKER_ENTRIES.map((e) => `dist/workers/${workerBundleName(e)}`)]
    .map((f) => join(root, f))
    .filter((f) => existsSync(f));
  if (entries.length === 0) return [];
  const r = buildSync({
    entryPoints: entries,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outdir: join(root, '.pack-check-unused'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const names = new Set();
  for (const input of Object.values(r.metafile.inputs)) {
    for (const imp of input.imports) {
      if (imp.external && !isBuiltin(imp.path) && !imp.path.startsWith('.')) names.add(packageName(imp.path));
    }
  }
  return [...names].sort();
}

/**
 * Problems resolving `names` from the app's root inside the package, following each package's dependencies as Node
 * would find them there (electron-builder re-hoists nested node_modules, so paths differ from the tree's).
 * `readJson(path)` reads a package.json from the package.
 */
export function missingPackages(files, names, readJson) {
  const problems = [];
  const seen = new Set();
  const visit = (fromDir, name, optional, via) => {
    const dir = resolvePackage(files, fromDir, name);
    if (!dir) {
      if (!optional) problems.push(`app.asar: missing package ${name}${via ? ` (needed by ${via})` : ''}`);
      return;
    }
    if (seen.has(dir)) return;
    seen.add(dir);
    const meta = readJson(`${dir}/package.json`);
    for (const dep of Object.keys(meta.dependencies ?? {})) visit(dir, dep, false, meta.name);
    for (const dep of Object.keys(meta.optionalDependencies ?? {})) visit(dir, dep, true, meta.name);
  };
  for (const name of names) visit('.', name, false, '');
  return problems;
}

/** Everything the packed app must hold: `asar` (paths inside app.asar), `unpacked` (files in app.asar.unpacked). */
export function expectedContents(root, config) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const problems = [];
  const imports = runtimeImports(root, pkg);
  for (const name of imports) {
    if (name !== 'electron' && !(name in (pkg.dependencies ?? {}))) {
      problems.push(`package.json: dependencies lacks '${name}', which the built app imports (electron-builder packs only dependencies)`);
    }
  }
  const distFiles = filesUnder(root, 'dist').filter((f) => !f.endsWith('.map'));
  const asar = new Set([...namedRuntimeFiles(pkg), ...distFiles, ...filesUnder(root, 'resources')]);
  // What asarUnpack matches in the tree, less what the files patterns leave out of the package.
  const ignore = (config.files ?? []).filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const unpacked = new Set([...NAMED_UNPACKED, ...globSync(config.asarUnpack ?? [], { cwd: root, ignore })]);
  return { asar: [...asar].sort(), unpacked: [...unpacked].sort(), imports, problems };
}

/**
 * Problems of a packed resources/ folder against `expected` (empty when the package is complete). Paths in the
 * messages are relative to the package; file contents are never quoted.
 */
export function checkPacked(resourcesDir, expected) {
  const { extractFile, listPackage } = require('@electron/asar');
  const archive = join(resourcesDir, 'app.asar');
  if (!existsSync(archive)) return [`${archive}: no app.asar (was the app packed with asar: true?)`];
  const inAsar = new Set(listPackage(archive, { isPack: false }).map((p) => p.split(sep).join('/').replace(/^\//, '')));
  const problems = [...expected.problems];
  for (const f of expected.asar) if (!inAsar.has(f)) problems.push(`app.asar: missing ${f}`);
  const readJson = (p) => JSON.parse(extractFile(archive, p).toString('utf8'));
  problems.push(...missingPackages(inAsar, expected.imports.filter((n) => n !== 'electron'), readJson));
  const unpackedDir = join(resourcesDir, 'app.asar.unpacked');
  for (const f of expected.unpacked) {
    if (!existsSync(join(unpackedDir, f))) problems.push(`app.asar.unpacked: missing ${f} (native code or wasm must be a real file)`);
  }
  for (const name of FORBIDDEN_PACKAGES) {
    if (inAsar.has(`node_modules/${name}/package.json`)) problems.push(`app.asar: contains node_modules/${name}, which the app must not carry`);
  }
  return problems;
}
