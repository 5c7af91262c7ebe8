/**
 * `npm start` (bin/start.js): the desktop app when the Electron binary is installed, else web mode — an offline
 * install (ELECTRON_SKIP_BINARY_DOWNLOAD) or a server still gets the full UI. Plain Node, never loaded by Electron.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { globSync } from 'tinyglobby';
import { buildElectronSqlite, defaultRun, readyElectronSqlite } from './electron-sqlite.js';

export const WEB_FALLBACK_MESSAGE = 'Electron binary not installed (offline install?): serving web mode instead';
/** better-sqlite3 in node_modules serves the CLI and web mode (Node); Electron's main cannot load that build. */
export const abiFallbackMessage = (addon: number | null, electron: number): string =>
  `better-sqlite3 is built for ABI ${addon ?? '?'} (Node) and no build for Electron's ABI ${electron} could be ` +
  'fetched or compiled (offline? no C++ toolchain?): serving web mode instead';

/** Outputs the app needs; any missing means build. */
export const BUILD_OUTPUTS = ['dist/electron/main.js', 'dist/electron/preload.cjs', 'dist/renderer/index.html'];
/** Sources whose change makes the build stale. */
export const BUILD_SOURCES = [
  'core/**/*.ts',
  'electron/**/*.ts',
  'renderer/**/*.{ts,tsx,css,html}',
  'renderer/index.html',
  'vite.config.*',
  'tsconfig*.json',
];

/**
 * The path `require('electron')` gives, if the binary is really there. The package's index throws when its
 * install step never downloaded the binary; when it returns a path that does not exist, same verdict.
 */
export function findElectronBinary(
  requireFn: (id: string) => unknown = createRequire(import.meta.url),
  exists: (p: string) => boolean = existsSync,
): string | null {
  try {
    const p = requireFn('electron');
    return typeof p === 'string' && p.length > 0 && exists(p) ? p : null;
  } catch {
    return null;
  }
}

interface AbiTools {
  addonAbi(file: string): number | null;
  electronAbi(): number;
}

/**
 * The ABIs of node_modules' better_sqlite3.node and of the installed Electron when they differ (null when they
 * match or cannot be read: then Electron is tried and reports for itself). Reuses the packaging check.
 */
const abiTools = (): AbiTools => createRequire(import.meta.url)('../build/after-pack.cjs') as AbiTools;

export function sqliteAbiMismatch(
  root: string,
  tools: AbiTools = abiTools(),
): { addon: number | null; electron: number } | null {
  try {
    const addon = tools.addonAbi(join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
    const electron = tools.electronAbi();
    return addon === electron ? null : { addon, electron };
  } catch {
    return null;
  }
}

/** Missing outputs, or any source newer than the oldest output. */
export function isBuildStale(root: string, mtime: (p: string) => number | null = mtimeOf): boolean {
  const outputs = BUILD_OUTPUTS.map((p) => mtime(join(root, p)));
  if (outputs.some((t) => t === null)) return true;
  const oldestOutput = Math.min(...(outputs as number[]));
  const sources = globSync(BUILD_SOURCES, { cwd: root, absolute: true, ignore: ['**/node_modules/**', 'dist/**'] });
  return sources.some((s) => (mtime(s) ?? 0) > oldestOutput);
}

function mtimeOf(p: string): number | null {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return null;
  }
}

export type StartPlan =
  | { mode: 'electron'; electronPath: string; build: boolean; sqliteBinding?: string }
  | { mode: 'web'; message: string; command: string; args: string[] };

export function planStart(opts: {
  root: string;
  electronPath: string | null;
  stale: () => boolean;
  abiMismatch?: () => { addon: number | null; electron: number } | null;
  /** With a mismatch: the path of a better-sqlite3 built for Electron (found or made), or null. */
  electronSqlite?: (electronAbi: number) => string | null;
  nodePath?: string;
  extraArgs?: string[];
}): StartPlan {
  const mismatch = opts.electronPath ? (opts.abiMismatch?.() ?? null) : null;
  if (opts.electronPath && !mismatch) return { mode: 'electron', electronPath: opts.electronPath, build: opts.stale() };
  const binding = opts.electronPath && mismatch ? (opts.electronSqlite?.(mismatch.electron) ?? null) : null;
  if (opts.electronPath && binding) {
    return { mode: 'electron', electronPath: opts.electronPath, build: opts.stale(), sqliteBinding: binding };
  }
  return {
    mode: 'web',
    message: mismatch ? abiFallbackMessage(mismatch.addon, mismatch.electron) : WEB_FALLBACK_MESSAGE,
    command: opts.nodePath ?? process.execPath,
    args: [join(opts.root, 'bin', 'finkvra.js'), 'web', ...(opts.extraArgs ?? [])],
  };
}

/** Run a child with inherited stdio, forwarding Ctrl-C/SIGTERM; resolves with its exit code. */
function runChild(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: 'inherit' });
    const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    child.on('error', (err) => {
      console.error(`could not start ${command}: ${err.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

export async function runStart(root: string, extraArgs: string[] = []): Promise<number> {
  const plan = planStart({
    root,
    electronPath: findElectronBinary(),
    stale: () => isBuildStale(root),
    abiMismatch: () => sqliteAbiMismatch(root),
    electronSqlite: (abi) => {
      const tools = { addonAbi: abiTools().addonAbi, run: defaultRun };
      const ready = readyElectronSqlite(root, abi, tools);
      if (ready) return ready;
      console.log('building better-sqlite3 for Electron (once) ...');
      const version = (createRequire(import.meta.url)('electron/package.json') as { version: string }).version;
      return buildElectronSqlite(root, version, abi, tools);
    },
    extraArgs,
  });
  if (plan.mode === 'web') {
    console.log(plan.message);
    return runChild(plan.command, plan.args, root, process.env);
  }
  if (plan.build) {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) return r.status ?? 1;
    // Until `npm run build` runs it itself, emit the CommonJS preload here.
    if (!existsSync(join(root, 'dist/electron/preload.cjs'))) {
      const p = spawnSync(process.execPath, [join(root, 'build/build-preload.mjs')], { cwd: root, stdio: 'inherit' });
      if (p.status !== 0) return p.status ?? 1;
    }
  }
  // ELECTRON_RUN_AS_NODE in the environment would make the binary a plain Node: drop it.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  if (plan.sqliteBinding) env.FINKVRA_SQLITE_BINDING = plan.sqliteBinding;
  return runChild(plan.electronPath, [root, ...extraArgs], root, env);
}
