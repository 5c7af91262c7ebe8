import { chmodSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the app keeps its data unless told otherwise. */
export function finkvraHome(): string {
  return process.env.FINKVRA_HOME ?? join(homedir(), '.finkvra');
}

export function defaultDbPath(): string {
  return join(finkvraHome(), 'finkvra.sqlite');
}

/**
 * Files and folders this process creates are its user's alone (0600 / 0700): the store, cutouts, uploads and
 * artifacts are unpublished data. Main thread only (workers cannot change the umask; they inherit it).
 */
export function usePrivateFileModes(): void {
  process.umask(0o077);
}

/** Creates the app folder 0700, or tightens one an older version (or a permissive umask) left open. */
export function ensurePrivateHome(dir: string = finkvraHome()): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
}
