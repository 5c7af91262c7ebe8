#!/usr/bin/env node
// postinstall: electron is an optionalDependency, so where its binary cannot be downloaded npm removes the whole
// package, and with it what the project needs besides the binary: electron.d.ts (tsc: typecheck, build) and its ABI
// number. This puts the registry package back without running its install script, which leaves node_modules as an
// install with ELECTRON_SKIP_BINARY_DOWNLOAD=1 did (no binary: `npm start` serves web mode). Where electron installed,
// it does nothing. It never fails the install: at worst it says why the package could not be restored.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const win = process.platform === 'win32';

/** `npm pack electron@version` into `dest` (from the configured registry or npm's cache); the tarball's path. */
function npmPack(version, dest) {
  const r = spawnSync('npm', ['pack', `electron@${version}`, '--pack-destination', dest, '--silent'], { encoding: 'utf8', shell: win });
  if (r.status !== 0) throw new Error(`npm pack electron@${version} failed: ${(r.stderr || '').trim().split('\n').pop()}`);
  const tgz = readdirSync(dest).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack electron@${version} wrote no tarball`);
  return join(dest, tgz);
}

/**
 * Restores node_modules/electron (without its binary) when npm left it out. Returns what it did, for one line of
 * output; `pack` fetches the tarball (a parameter for the tests).
 */
export function restoreElectronPackage(dir = root, pack = npmPack) {
  const target = join(dir, 'node_modules/electron');
  if (existsSync(join(target, 'package.json'))) return 'installed';
  const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).optionalDependencies?.electron;
  if (!version) return 'not a dependency';
  const work = mkdtempSync(join(tmpdir(), 'finkvra-electron-package-'));
  try {
    const tgz = pack(version, work);
    mkdirSync(target, { recursive: true });
    const r = spawnSync('tar', ['-xzf', tgz, '-C', target, '--strip-components=1'], { encoding: 'utf8' });
    if (r.status !== 0 || !existsSync(join(target, 'package.json'))) {
      rmSync(target, { recursive: true, force: true });
      throw new Error(`tar could not unpack ${tgz}: ${(r.stderr || '').trim()}`);
    }
    return 'restored';
  } catch (err) {
    return `not restored: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outcome = restoreElectronPackage();
  if (outcome === 'restored') {
    console.log(
      "electron's binary could not be downloaded: its package is kept without it (types), and `npm start` serves web " +
        'mode. With network access, `node node_modules/electron/install.js` fetches the binary.',
    );
  } else if (outcome.startsWith('not restored')) {
    console.warn(`electron's package is missing and was ${outcome} (typecheck and build need its types)`);
  }
}
