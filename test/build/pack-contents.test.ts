/**
 * pack:check's content check on small hand-made packages (packed with @electron/asar as electron-builder does): a
 * complete one passes, and each runtime file or package taken out of it is reported by name. Plus the install
 * settings that let `npm install` succeed without Electron's binary.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WORKER_ENTRIES, workerBundleName } from '../../build/build-workers.mjs';
import { checkPacked, expectedContents, resolvePackage } from '../../build/pack-contents.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as {
  createPackageWithOptions(src: string, dest: string, opts: { unpack?: string }): Promise<void>;
};
const { installOnlyPackages } = require('../../build/install-only-packages.cjs') as {
  installOnlyPackages(lock: unknown): string[];
};

const CONFIG = { asarUnpack: ['**/*.node', '**/*.wasm'], files: ['dist/**/*', '!**/*.map'] };

function write(dir: string, rel: string, text = ''): void {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

/** A small app tree: main imports dep-a (which needs dep-b), a worker bundle imports fflate-like dep-w. */
function appTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'finkvra-app-tree-'));
  write(dir, 'package.json', JSON.stringify({ name: 'app', type: 'module', main: 'dist/electron/main.js', dependencies: { 'dep-a': '1', 'dep-w': '1' } }));
  write(dir, 'dist/electron/main.js', "import 'node:fs';\nimport { app } from 'electron';\nimport a from 'dep-a';\nawait import('../core/late.js');\n");
  write(dir, 'dist/core/late.js', "export { x } from 'dep-a/sub.js';\n");
  write(dir, 'dist/electron/preload.cjs', "require('electron');\n");
  write(dir, 'dist/renderer/index.html', '<!doctype html>');
  write(dir, 'dist/renderer/assets/index.js', '');
  write(dir, 'dist/core/sample/sample-night.js', '');
  for (const e of WORKER_ENTRIES) write(dir, `dist/workers/${workerBundleName(e)}`, "import w from 'dep-w';\n");
  write(dir, 'node_modules/dep-a/package.json', JSON.stringify({ name: 'dep-a', dependencies: { 'dep-b': '1' } }));
  write(dir, 'node_modules/dep-a/index.js', '');
  write(dir, 'node_modules/dep-a/sub.js', '');
  write(dir, 'node_modules/dep-b/package.json', JSON.stringify({ name: 'dep-b', optionalDependencies: { 'not-installed': '1' } }));
  write(dir, 'node_modules/dep-w/package.json', JSON.stringify({ name: 'dep-w' }));
  write(dir, 'node_modules/better-sqlite3/package.json', JSON.stringify({ name: 'better-sqlite3' }));
  write(dir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'ELF');
  write(dir, 'node_modules/parquet-wasm/package.json', JSON.stringify({ name: 'parquet-wasm' }));
  write(dir, 'node_modules/parquet-wasm/node/parquet_wasm_bg.wasm', 'wasm');
  return dir;
}

/** Packs `app` (optionally altered first) into resources/app.asar + app.asar.unpacked, as electron-builder lays it out. */
async function packed(app: string, alter: (copy: string) => void = () => {}): Promise<string> {
  const copy = mkdtempSync(join(tmpdir(), 'finkvra-app-copy-'));
  cpSync(app, copy, { recursive: true });
  alter(copy);
  const resources = mkdtempSync(join(tmpdir(), 'finkvra-resources-'));
  await asar.createPackageWithOptions(copy, join(resources, 'app.asar'), { unpack: '*.{node,wasm}' });
  return resources;
}

describe('pack:check content check', () => {
  const app = appTree();
  const expected = expectedContents(app, CONFIG);

  it('derives the expected set from the tree: dist files, worker bundles, native files, imported packages', () => {
    expect(expected.problems).toEqual([]);
    expect(expected.imports).toEqual(['dep-a', 'dep-w', 'electron']);
    expect(expected.asar).toEqual(expect.arrayContaining(['package.json', 'dist/electron/main.js', 'dist/core/late.js', 'dist/renderer/assets/index.js', 'dist/workers/learn-worker.js']));
    expect(expected.unpacked).toEqual([
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/parquet-wasm/node/parquet_wasm_bg.wasm',
    ]);
  });

  it('passes a complete package', async () => {
    expect(checkPacked(await packed(app), expected)).toEqual([]);
  });

  it('names a left-out worker bundle, renderer file, dependency of a dependency, or native file', async () => {
    const noWorker = await packed(app, (d) => rmSync(join(d, 'dist/workers/ingest-read-thread.js')));
    expect(checkPacked(noWorker, expected)).toEqual(['app.asar: missing dist/workers/ingest-read-thread.js']);
    const noAsset = await packed(app, (d) => rmSync(join(d, 'dist/renderer/assets/index.js')));
    expect(checkPacked(noAsset, expected)).toEqual(['app.asar: missing dist/renderer/assets/index.js']);
    const noDepB = await packed(app, (d) => rmSync(join(d, 'node_modules/dep-b'), { recursive: true }));
    expect(checkPacked(noDepB, expected)).toEqual(['app.asar: missing package dep-b (needed by dep-a)']);
    const noWasm = await packed(app, (d) => rmSync(join(d, 'node_modules/parquet-wasm/node/parquet_wasm_bg.wasm')));
    expect(checkPacked(noWasm, expected)).toEqual([
      'app.asar.unpacked: missing node_modules/parquet-wasm/node/parquet_wasm_bg.wasm (native code or wasm must be a real file)',
    ]);
  });

  it('refuses electron inside the package, and an import that is not a runtime dependency', async () => {
    const withElectron = await packed(app, (d) => write(d, 'node_modules/electron/package.json', '{"name":"electron"}'));
    expect(checkPacked(withElectron, expected)).toEqual(['app.asar: contains node_modules/electron, which the app must not carry']);
    const tree = appTree();
    write(tree, 'dist/core/late.js', "export { x } from 'dep-a/sub.js';\nimport 'dep-dev';\n");
    write(tree, 'node_modules/dep-dev/package.json', JSON.stringify({ name: 'dep-dev' }));
    expect(expectedContents(tree, CONFIG).problems).toEqual([
      "package.json: dependencies lacks 'dep-dev', which the built app imports (electron-builder packs only dependencies)",
    ]);
  });

  it('resolves packages as Node does: nested node_modules first, then each parent', () => {
    const files = new Set(['node_modules/a/package.json', 'node_modules/a/node_modules/b/package.json', 'node_modules/b/package.json', 'node_modules/@s/c/package.json']);
    expect(resolvePackage(files, 'node_modules/a', 'b')).toBe('node_modules/a/node_modules/b');
    expect(resolvePackage(files, 'node_modules/@s/c', 'b')).toBe('node_modules/b');
    expect(resolvePackage(files, '.', '@s/c')).toBe('node_modules/@s/c');
    expect(resolvePackage(files, 'node_modules/a', 'zz')).toBeNull();
  });
});

describe('install without the Electron binary', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
    optionalDependencies: Record<string, string>;
    allowScripts: Record<string, boolean>;
    scripts: Record<string, string>;
  };

  it('electron is optional, and electron-builder is told its version', () => {
    const config = require('../../build/electron-builder.config.cjs') as { electronVersion: string };
    expect(Object.keys(pkg.optionalDependencies)).toEqual(['electron']);
    expect(pkg.dependencies.electron).toBeUndefined();
    expect(pkg.devDependencies.electron).toBeUndefined();
    expect(config.electronVersion).toBe(pkg.optionalDependencies.electron);
  });

  it('declares the install scripts the project needs, and keeps build tools out of the runtime dependencies', () => {
    expect(pkg.allowScripts).toMatchObject({ 'better-sqlite3': true, esbuild: true, electron: true });
    for (const tool of ['tsx', 'esbuild']) {
      expect(pkg.dependencies[tool]).toBeUndefined();
      expect(pkg.devDependencies[tool]).toBeDefined();
    }
    expect(pkg.scripts.build).toContain('build/build-workers.mjs');
    expect(pkg.scripts['pack:check']).toBe('node build/pack-check.mjs');
  });

  it('leaves out of the package what only optional or dev dependencies need, never a name a runtime package needs', () => {
    const lock = {
      packages: {
        '': {},
        'node_modules/electron': { optional: true },
        'node_modules/got': { devOptional: true },
        'node_modules/semver': { optional: true },
        'node_modules/foo': {},
        'node_modules/foo/node_modules/semver': {},
        'node_modules/@esbuild/linux-x64': { dev: true, optional: true },
        'node_modules/zod': {},
      },
    };
    expect(installOnlyPackages(lock)).toEqual(['electron', 'got']);
    const real = installOnlyPackages(JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')));
    expect(real).toEqual(expect.arrayContaining(['electron', '@electron/get', 'extract-zip']));
    for (const dep of Object.keys(pkg.dependencies)) expect(real).not.toContain(dep);
  });
});
