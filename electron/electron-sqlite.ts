/**
 * A second build of better-sqlite3 for Electron, beside node_modules' Node build, so that one checkout serves both the
 * CLI/tests (Node ABI) and the desktop app (Electron ABI). Plain Node: run by `npm start` before Electron starts.
 * Steps: copy the package's sources to node_modules/.finkvra-electron/, fetch a prebuilt binary for Electron
 * (prebuild-install, as better-sqlite3's own install does) or compile it against Electron's headers (node-gyp),
 * then keep the .node file whose ABI is Electron's.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface NativeTools {
  addonAbi(file: string): number | null;
  /** Run a command in `cwd`; true when it succeeded. */
  run(command: string, args: string[], cwd: string): boolean;
}

const electronSqliteDir = (root: string): string => join(root, 'node_modules', '.finkvra-electron');
export const electronSqliteBinding = (root: string): string => join(electronSqliteDir(root), 'better_sqlite3.node');

/** The Electron build of better-sqlite3 when present and of the right ABI. */
export function readyElectronSqlite(root: string, electronAbi: number, tools: Pick<NativeTools, 'addonAbi'>): string | null {
  const file = electronSqliteBinding(root);
  return existsSync(file) && tools.addonAbi(file) === electronAbi ? file : null;
}

export const defaultRun = (command: string, args: string[], cwd: string): boolean =>
  spawnSync(command, args, { cwd, stdio: 'inherit' }).status === 0;

/** Build (or fetch) better-sqlite3 for this Electron; returns the .node path, or null when neither way worked. */
export function buildElectronSqlite(
  root: string,
  electronVersion: string,
  electronAbi: number,
  tools: NativeTools,
): string | null {
  const ready = readyElectronSqlite(root, electronAbi, tools);
  if (ready) return ready;
  const src = join(root, 'node_modules', 'better-sqlite3');
  const work = join(electronSqliteDir(root), 'better-sqlite3');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const part of ['package.json', 'binding.gyp', 'src', 'deps', 'lib']) {
    if (existsSync(join(src, part))) cpSync(join(src, part), join(work, part), { recursive: true });
  }
  const bin = (pkg: string, file: string) => join(root, 'node_modules', pkg, file);
  const built = join(work, 'build', 'Release', 'better_sqlite3.node');
  const attempts: [string, string[]][] = [
    [process.execPath, [bin('prebuild-install', 'bin.js'), '--runtime', 'electron', '--target', electronVersion]],
    [
      process.execPath,
      [bin('node-gyp', 'bin/node-gyp.js'), 'rebuild', '--release', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers'],
    ],
  ];
  for (const [command, args] of attempts) {
    if (tools.run(command, args, work) && existsSync(built) && tools.addonAbi(built) === electronAbi) {
      cpSync(built, electronSqliteBinding(root));
      return electronSqliteBinding(root);
    }
  }
  return null;
}

