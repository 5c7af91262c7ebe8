/**
 * postinstall (build/electron-package.mjs): where npm dropped the optional electron package (its binary download
 * failed), the registry package is put back without the binary, so tsc still has electron.d.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { restoreElectronPackage } from '../../build/electron-package.mjs';

function project(electron: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'finkvra-electron-pkg-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify(electron ? { optionalDependencies: { electron } } : {}));
  return dir;
}

/** A registry-like tarball (files under package/), as `npm pack` writes it. */
function fakePack(version: string, dest: string): string {
  const src = mkdtempSync(join(tmpdir(), 'finkvra-electron-src-'));
  mkdirSync(join(src, 'package'));
  writeFileSync(join(src, 'package/package.json'), JSON.stringify({ name: 'electron', version }));
  writeFileSync(join(src, 'package/electron.d.ts'), 'declare module "electron" {}\n');
  const tgz = join(dest, `electron-${version}.tgz`);
  expect(spawnSync('tar', ['-czf', tgz, '-C', src, 'package']).status).toBe(0);
  return tgz;
}

describe('restoreElectronPackage', () => {
  it('unpacks the pinned version into node_modules/electron when npm left it out', () => {
    const dir = project('41.7.1');
    const pack = vi.fn(fakePack);
    expect(restoreElectronPackage(dir, pack)).toBe('restored');
    expect(pack).toHaveBeenCalledWith('41.7.1', expect.any(String));
    expect(JSON.parse(readFileSync(join(dir, 'node_modules/electron/package.json'), 'utf8')).version).toBe('41.7.1');
    expect(existsSync(join(dir, 'node_modules/electron/electron.d.ts'))).toBe(true);
    // installed now: nothing more to do
    expect(restoreElectronPackage(dir, pack)).toBe('installed');
    expect(pack).toHaveBeenCalledTimes(1);
  });

  it('never fails the install: says why, and leaves no half-made package', () => {
    const dir = project('41.7.1');
    const outcome = restoreElectronPackage(dir, () => {
      throw new Error('npm pack electron@41.7.1 failed: offline');
    });
    expect(outcome).toBe('not restored: npm pack electron@41.7.1 failed: offline');
    const notTar = restoreElectronPackage(dir, (_v, dest) => {
      writeFileSync(join(dest, 'x.tgz'), 'not a tarball');
      return join(dest, 'x.tgz');
    });
    expect(notTar).toMatch(/^not restored: tar could not unpack/);
    expect(existsSync(join(dir, 'node_modules/electron'))).toBe(false);
    expect(restoreElectronPackage(project(null), fakePack)).toBe('not a dependency');
  });
});
