import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  buildDependenciesFromSource: boolean;
  afterPack: string;
  icon: string;
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; category: string; maintainer: string };
  mac: { target: string[] };
  win: { target: string[] };
}

const config = require('../../build/electron-builder.config.cjs') as BuilderConfig;
const afterPack = require('../../build/after-pack.cjs') as {
  checkNativeAbi: (dir: string, expected?: number) => string[];
  addonAbi: (file: string) => number | null;
  electronAbi: () => number;
};

describe('electron-builder config', () => {
  it('passes electron-builder 26’s own schema validation', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration: (c: unknown, log: { isEnabled: boolean; add(): void }) => Promise<void>;
    };
    const log = { isEnabled: false, add() {} };
    await expect(validateConfiguration(config, log)).resolves.toBeUndefined();
    // and the validation is real: a broken target is refused
    await expect(validateConfiguration({ ...config, linux: { ...config.linux, notAnOption: 1 } }, log)).rejects.toThrow(/configuration\.linux/);
  });

  it('names the app and its targets', () => {
    expect(config.appId).toBe('org.finkvra.desktop');
    expect(config.productName).toBe('Fink VRA');
    expect(config.directories).toEqual({ output: 'out', buildResources: 'build' });
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.linux.category).toBe('Science');
    expect(config.linux.maintainer).toMatch(/<.+@.+>/); // deb needs one; package.json has no author
    expect(config.mac.target).toContain('dmg');
    expect(config.win.target).toContain('nsis');
  });

  it('packages dist and package.json, and unpacks the native addon and the wasm (matched on the real files)', () => {
    expect(config.files).toContain('dist/**/*');
    expect(config.files).toContain('package.json');
    const unpacked = globSync(config.asarUnpack, { cwd: root });
    expect(unpacked).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(unpacked).toContain('node_modules/parquet-wasm/node/parquet_wasm_bg.wasm');
    expect(unpacked.every((f) => f.endsWith('.node') || f.endsWith('.wasm'))).toBe(true);
  });

  it('rebuilds native dependencies for Electron and checks the result after packing', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(true);
    expect(existsSync(join(root, config.afterPack))).toBe(true);
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, onlyLoadAppFromAsar: true });
  });

  it('has a 512×512 PNG icon', () => {
    const png = readFileSync(join(root, config.icon));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(512);
    expect(png.readUInt32BE(20)).toBe(512);
    expect(existsSync(join(root, 'build/icon.svg'))).toBe(true);
  });

  it('package.json main is the compiled electron/main.ts', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/electron/main.js');
    // tsconfig.build.json compiles with rootDir "." into dist/: electron/main.ts → dist/electron/main.js
    const build = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as { compilerOptions: { outDir: string; rootDir: string } };
    expect(join(build.compilerOptions.outDir, 'electron/main.js')).toBe(pkg.main);
    expect(build.compilerOptions.rootDir).toBe('.');
    expect(existsSync(join(root, 'electron/main.ts'))).toBe(true);
  });
});

describe('afterPack ABI check', () => {
  it('reads the ABI of the installed better-sqlite3 (built for this Node)', () => {
    const addon = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(afterPack.addonAbi(addon)).toBe(Number(process.versions.modules));
  });

  // electron is optional: an install that could not download it has no package (then the check says so).
  const electronInstalled = existsSync(join(root, 'node_modules/electron/abi_version'));
  it.runIf(electronInstalled)('reads the installed Electron’s ABI', () => {
    expect(afterPack.electronAbi()).toBeGreaterThan(Number(process.versions.modules));
  });
  it.runIf(!electronInstalled)('says Electron is not installed instead of failing obscurely', () => {
    expect(() => afterPack.electronAbi()).toThrow(/electron package is not installed/);
  });

  it('accepts an Electron-ABI addon and refuses a Node-ABI one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'finkvra-pack-'));
    const rel = join(dir, 'resources/app.asar.unpacked/node_modules/better-sqlite3/build/Release');
    mkdirSync(rel, { recursive: true });
    writeFileSync(join(rel, 'better_sqlite3.node'), Buffer.from('\x7fELF....node_register_module_v145\0...', 'latin1'));
    expect(afterPack.checkNativeAbi(dir, 145)).toHaveLength(1);
    writeFileSync(join(rel, 'better_sqlite3.node'), Buffer.from('\x7fELF....node_register_module_v115\0...', 'latin1'));
    expect(() => afterPack.checkNativeAbi(dir, 145)).toThrow(/ABI 115 but Electron needs 145/);
    expect(() => afterPack.checkNativeAbi(mkdtempSync(join(tmpdir(), 'finkvra-empty-')), 145)).toThrow(/not found/);
  });
});
