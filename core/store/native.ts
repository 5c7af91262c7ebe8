import type Database from 'better-sqlite3';

/**
 * better-sqlite3 options for this process. node_modules holds the Node build (CLI, web mode, tests); the desktop app
 * started from a checkout runs under Electron, whose ABI differs, so `npm start` builds a second copy for Electron
 * and names it in FINKVRA_SQLITE_BINDING (electron/launch.ts). Packaged apps are rebuilt for Electron instead.
 */
export function sqliteOptions(): Database.Options {
  const nativeBinding = process.env.FINKVRA_SQLITE_BINDING;
  return nativeBinding ? { nativeBinding } : {};
}
