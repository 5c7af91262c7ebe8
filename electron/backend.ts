/**
 * Which database the app opens, and the service behind the contract. The core modules are reached through a small
 * `BackendFactory`, so the shell is tested with a fake and the choice logic stays pure.
 */
import { join } from 'node:path';
import type { Handlers } from '../core/api/contract.js';
import { ingestSampleIfEmpty, sampleDbPath } from '../core/api/sample-start.js';

export interface Backend {
  handlers: Handlers;
  dbPath: string;
  /** Waits for background jobs, then closes the store. */
  close(): Promise<void> | void;
}

export interface BackendFactory {
  /** Open (creating/migrating if needed) the store at dbPath and build the service on it. */
  open(dbPath: string): Promise<Backend>;
  /** Make sure the embedded sample night exists under dir: its database path and the alert files to ingest. */
  sampleNight(dir: string): Promise<{ dbPath: string; files: string[] }>;
}

export type DbSource = 'env' | 'last' | 'sample';

/**
 * The database to open: FINKVRA_DB if set, else the last one used (if it still exists), else null (→ sample night).
 */
export function chooseDatabase(opts: {
  envDb?: string | undefined;
  lastDbPath?: string | undefined;
  exists: (p: string) => boolean;
}): { dbPath: string; source: DbSource } | null {
  if (opts.envDb) return { dbPath: opts.envDb, source: 'env' };
  if (opts.lastDbPath && opts.exists(opts.lastDbPath)) return { dbPath: opts.lastDbPath, source: 'last' };
  return null;
}

/**
 * Open the chosen database; when there is none, or it fails to open (e.g. a newer schema), fall back to the sample
 * night so the app always starts. `onFallback` lets the caller tell the user why. An empty sample database gets the
 * sample files ingested through the contract (a background job the Data screen shows).
 */
export async function openDatabase(
  factory: BackendFactory,
  opts: { userDataDir: string; envDb?: string; lastDbPath?: string; exists: (p: string) => boolean },
  onFallback: (dbPath: string, err: unknown) => void = () => {},
): Promise<{ backend: Backend; source: DbSource; ingestJob: string | null }> {
  const choice = chooseDatabase(opts);
  if (choice) {
    try {
      return { backend: await factory.open(choice.dbPath), source: choice.source, ingestJob: null };
    } catch (err) {
      if (choice.source === 'env') throw err; // asked for explicitly: do not silently open something else
      onFallback(choice.dbPath, err);
    }
  }
  const sample = await factory.sampleNight(join(opts.userDataDir, 'sample'));
  const backend = await factory.open(sample.dbPath);
  const ingestJob = await ingestSampleIfEmpty(backend.handlers, sample.files);
  return { backend, source: 'sample', ingestJob };
}

/**
 * The real factory over core/, loaded lazily so the shell's unit tests never load better-sqlite3 or parquet-wasm.
 */
export function coreBackendFactory(): BackendFactory {
  return {
    async open(dbPath) {
      const { openService } = await import('../core/api/service.js');
      const svc = openService({ dbPath });
      return { handlers: svc.handlers, dbPath, close: () => svc.close() };
    },
    async sampleNight(dir) {
      // Generated on first use (deterministic), then reused.
      const { ensureSampleNight } = await import('../core/sample/sample-night.js');
      const file = await ensureSampleNight(dir);
      return { dbPath: sampleDbPath(dir), files: [file] };
    },
  };
}
