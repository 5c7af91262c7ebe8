/**
 * Which database the app opens, and the service behind the contract. The core modules are reached through a small
 * `BackendFactory`, so the shell is tested with a fake and the choice logic stays pure.
 */
import { join } from 'node:path';
import type { Handlers } from '../core/api/contract.js';
import { ingestSampleIfEmpty, sampleDbPath } from '../core/api/sample-start.js';
import { chooseStore } from '../core/api/store-choice.js';

export interface Backend {
  handlers: Handlers;
  dbPath: string;
  /** Waits for background jobs, then closes the store. */
  close(): Promise<void> | void;
}

export interface OpenOptions {
  /** Refuse a missing or empty file (a store the user chose); the sample night's store is created. */
  mustExist?: boolean;
  isSample?: boolean;
}

export interface BackendFactory {
  /** Open (migrating if needed) the store at dbPath and build the service on it. */
  open(dbPath: string, opts?: OpenOptions): Promise<Backend>;
  /** Make sure the embedded sample night exists under dir: its database path and the alert files to ingest. */
  sampleNight(dir: string): Promise<{ dbPath: string; files: string[] }>;
}

export type DbSource = 'env' | 'last' | 'default' | 'sample';

/**
 * The database to open, by the rule every entry point shares (core/api/store-choice.ts): FINKVRA_DB if set, else
 * the last one used (if it still exists), else $FINKVRA_HOME/finkvra.sqlite if it exists, else null (→ sample night).
 */
export function chooseDatabase(opts: {
  envDb?: string | undefined;
  lastDbPath?: string | undefined;
  /** FINKVRA_HOME */
  home?: string | undefined;
  /** The app's sample-night folder (in its user-data folder). */
  sampleDir?: string;
  exists: (p: string) => boolean;
}): { dbPath: string; source: DbSource; isSample: boolean } | null {
  const c = chooseStore({
    env: { FINKVRA_DB: opts.envDb, FINKVRA_HOME: opts.home },
    lastDbPath: opts.lastDbPath,
    sampleDir: opts.sampleDir,
    allowSample: true,
    exists: opts.exists,
  });
  if (c.source === 'sample') return null;
  return { dbPath: c.path, source: c.source === 'env' ? 'env' : c.source === 'last' ? 'last' : 'default', isSample: c.isSample };
}

/**
 * Open the chosen database; when there is none, or it fails to open (e.g. a newer schema), fall back to the sample
 * night so the app always starts. `onFallback` lets the caller tell the user why. An empty sample database gets the
 * sample files ingested through the contract (a background job the Data screen shows).
 */
export async function openDatabase(
  factory: BackendFactory,
  opts: { userDataDir: string; envDb?: string; home?: string; lastDbPath?: string; exists: (p: string) => boolean },
  onFallback: (dbPath: string, err: unknown) => void = () => {},
): Promise<{ backend: Backend; source: DbSource; ingestJob: string | null }> {
  const sampleDir = join(opts.userDataDir, 'sample');
  const choice = chooseDatabase({ ...opts, sampleDir });
  if (choice) {
    try {
      const backend = await factory.open(choice.dbPath, { mustExist: true, isSample: choice.isSample });
      return { backend, source: choice.source, ingestJob: null };
    } catch (err) {
      if (choice.source === 'env') throw err; // asked for explicitly: do not silently open something else
      onFallback(choice.dbPath, err);
    }
  }
  const sample = await factory.sampleNight(sampleDir);
  const backend = await factory.open(sample.dbPath, { isSample: true });
  const ingestJob = await ingestSampleIfEmpty(backend.handlers, sample.files);
  return { backend, source: 'sample', ingestJob };
}

/**
 * The real factory over core/, loaded lazily so the shell's unit tests never load better-sqlite3 or parquet-wasm.
 */
export function coreBackendFactory(): BackendFactory {
  return {
    async open(dbPath, o = {}) {
      const { openService } = await import('../core/api/service.js');
      const svc = openService({ dbPath, mustExist: o.mustExist, isSample: o.isSample });
      return { handlers: svc.handlers, dbPath, close: () => svc.close() };
    },
    async sampleNight(dir) {
      // Generated on first use (deterministic), then reused.
      const { ensureSampleNights } = await import('../core/sample/sample-night.js');
      return { dbPath: sampleDbPath(dir), files: await ensureSampleNights(dir) };
    },
  };
}
