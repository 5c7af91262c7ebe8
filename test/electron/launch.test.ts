import { existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUILD_OUTPUTS,
  WEB_FALLBACK_MESSAGE,
  abiFallbackMessage,
  findElectronBinary,
  isBuildStale,
  planStart,
  sqliteAbiMismatch,
} from '../../electron/launch.js';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function touch(root: string, rel: string, when: number): void {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, '');
  utimesSync(p, when, when);
}

describe('findElectronBinary', () => {
  it('returns the path only when require(electron) gives one that exists', () => {
    expect(findElectronBinary(() => '/opt/electron/electron', () => true)).toBe('/opt/electron/electron');
    expect(findElectronBinary(() => '/opt/electron/electron', () => false)).toBeNull();
    expect(
      findElectronBinary(() => {
        throw new Error('Electron failed to install correctly');
      }),
    ).toBeNull();
    expect(findElectronBinary(() => ({}), () => true)).toBeNull();
  });

  it('agrees with the installed electron package (no binary when installed with ELECTRON_SKIP_BINARY_DOWNLOAD)', () => {
    // Independent check: the package records the binary's relative path in path.txt after downloading it.
    // electron is optional: where its download failed, npm removed the whole package.
    let pkg: string | null = null;
    try {
      pkg = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    } catch {
      pkg = null;
    }
    const pathTxt = pkg ? join(pkg, 'path.txt') : null;
    const bin = pkg && pathTxt && existsSync(pathTxt) ? join(pkg, 'dist', readFileSync(pathTxt, 'utf8')) : null;
    const expected = bin && existsSync(bin) && !process.env.ELECTRON_OVERRIDE_DIST_PATH ? bin : null;
    if (!process.env.ELECTRON_OVERRIDE_DIST_PATH) expect(findElectronBinary()).toBe(expected);
  });
});

describe('planStart', () => {
  it('falls back to web mode with one explanatory line when there is no binary', () => {
    const plan = planStart({ root: '/repo', electronPath: null, stale: () => true, nodePath: '/usr/bin/node', extraArgs: ['--port', '8080'] });
    expect(plan).toEqual({
      mode: 'web',
      message: WEB_FALLBACK_MESSAGE,
      command: '/usr/bin/node',
      args: ['/repo/bin/finkvra.js', 'web', '--port', '8080'],
    });
    expect(WEB_FALLBACK_MESSAGE).toBe('Electron binary not installed (offline install?): serving web mode instead');
    expect(WEB_FALLBACK_MESSAGE).not.toContain('\n');
  });

  it('serves web mode, saying why in one line, when better-sqlite3 is built for Node rather than Electron', () => {
    const plan = planStart({ root: '/repo', electronPath: '/e', stale: () => false, abiMismatch: () => ({ addon: 115, electron: 145 }) });
    expect(plan.mode).toBe('web');
    if (plan.mode === 'web') {
      expect(plan.message).toBe(abiFallbackMessage(115, 145));
      expect(plan.message).toMatch(/ABI 115 .*ABI 145 .*serving web mode instead$/);
      expect(plan.message).not.toContain('\n');
      expect(plan.args.slice(1)).toEqual(['web']);
    }
    // no binary: the mismatch is not even looked at
    const noBin = planStart({ root: '/repo', electronPath: null, stale: () => false, abiMismatch: () => { throw new Error('not called'); } });
    expect(noBin.mode === 'web' && noBin.message).toBe(WEB_FALLBACK_MESSAGE);
  });

  it('compares the installed better-sqlite3 ABI with Electron’s', () => {
    const tools = (addon: number | null, electron: number) => ({ addonAbi: () => addon, electronAbi: () => electron });
    expect(sqliteAbiMismatch('/repo', tools(115, 145))).toEqual({ addon: 115, electron: 145 });
    expect(sqliteAbiMismatch('/repo', tools(145, 145))).toBeNull();
    expect(sqliteAbiMismatch('/repo', { addonAbi: () => { throw new Error('ENOENT'); }, electronAbi: () => 145 })).toBeNull();
    // this checkout: built for this Node, so it differs from Electron 41's ABI (nothing to compare with when the
    // optional electron package could not be installed)
    const withElectron = existsSync(join(root, 'node_modules/electron/abi_version'));
    expect(sqliteAbiMismatch(root)).toEqual(withElectron ? { addon: Number(process.versions.modules), electron: expect.any(Number) } : null);
  });

  it('launches Electron, building first only when the build is stale', () => {
    expect(planStart({ root: '/repo', electronPath: '/e', stale: () => false })).toEqual({ mode: 'electron', electronPath: '/e', build: false });
    expect(planStart({ root: '/repo', electronPath: '/e', stale: () => true })).toEqual({ mode: 'electron', electronPath: '/e', build: true });
  });
});

describe('isBuildStale', () => {
  it('is stale when an output is missing or a source is newer than the oldest output', () => {
    const root = mkdtempSync(join(tmpdir(), 'finkvra-launch-'));
    const t0 = 1_700_000_000;
    touch(root, 'core/api/contract.ts', t0);
    touch(root, 'electron/main.ts', t0);
    touch(root, 'renderer/src/App.tsx', t0);
    expect(isBuildStale(root)).toBe(true); // no dist at all
    for (const out of BUILD_OUTPUTS) touch(root, out, t0 + 100);
    expect(isBuildStale(root)).toBe(false);
    touch(root, 'renderer/src/App.tsx', t0 + 200);
    expect(isBuildStale(root)).toBe(true);
    touch(root, 'renderer/src/App.tsx', t0);
    touch(root, 'dist/electron/preload.cjs', t0 - 1); // one output older than the sources
    expect(isBuildStale(root)).toBe(true);
  });
});

describe('Electron build of better-sqlite3', () => {
  it('launches Electron with the Electron build named in the environment when the Node build mismatches', () => {
    const plan = planStart({
      root: '/r',
      electronPath: '/bin/electron',
      stale: () => false,
      abiMismatch: () => ({ addon: 115, electron: 145 }),
      electronSqlite: (abi) => (abi === 145 ? '/r/node_modules/.finkvra-electron/better_sqlite3.node' : null),
    });
    expect(plan).toEqual({
      mode: 'electron',
      electronPath: '/bin/electron',
      build: false,
      sqliteBinding: '/r/node_modules/.finkvra-electron/better_sqlite3.node',
    });
  });

  it('falls back to web mode, saying why, when no Electron build can be had', () => {
    const plan = planStart({
      root: '/r',
      electronPath: '/bin/electron',
      stale: () => false,
      abiMismatch: () => ({ addon: 115, electron: 145 }),
      electronSqlite: () => null,
    });
    expect(plan.mode).toBe('web');
    expect(plan.mode === 'web' && plan.message).toMatch(/ABI 115 .*ABI 145 .*web mode/);
  });

  it('buildElectronSqlite tries the prebuilt binary, then node-gyp, and keeps only a build of the right ABI', async () => {
    const { buildElectronSqlite, electronSqliteBinding } = await import('../../electron/electron-sqlite.js');
    const { mkdtempSync, mkdirSync, writeFileSync, existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const root = mkdtempSync(join(tmpdir(), 'vra-esql-'));
    mkdirSync(join(root, 'node_modules/better-sqlite3/src'), { recursive: true });
    writeFileSync(join(root, 'node_modules/better-sqlite3/package.json'), '{}');
    const calls: string[] = [];
    const abiOf = new Map<string, number>();
    const tools = {
      addonAbi: (f: string) => abiOf.get(f) ?? null,
      run: (_c: string, args: string[], cwd: string) => {
        const which = args[0].includes('prebuild') ? 'prebuild' : 'gyp';
        calls.push(which);
        const out = join(cwd, 'build/Release/better_sqlite3.node');
        mkdirSync(join(cwd, 'build/Release'), { recursive: true });
        writeFileSync(out, which);
        // The prebuilt download "succeeds" with the wrong ABI; the compile gives the right one.
        abiOf.set(out, which === 'prebuild' ? 115 : 145);
        return true;
      },
    };
    const got = buildElectronSqlite(root, '41.7.1', 145, {
      ...tools,
      addonAbi: (f: string) => (f === electronSqliteBinding(root) ? 145 : tools.addonAbi(f)),
    });
    expect(calls).toEqual(['prebuild', 'gyp']);
    expect(got).toBe(electronSqliteBinding(root));
    expect(existsSync(got!)).toBe(true);
    const none = buildElectronSqlite(mkdtempSync(join(tmpdir(), 'vra-esql-')), '41.7.1', 145, { addonAbi: () => null, run: () => false });
    expect(none).toBeNull();
  });
});
