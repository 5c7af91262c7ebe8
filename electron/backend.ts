/**
 * Which database the app opens, and the service behind the contract. The core modules are reached through a small
 * `BackendFactory`, so the shell is tested with a fake and the choice logic stays pure.
 */
import { join } from 'node:path';
import type { Handlers } from '../core/api/contract.js';

export interface Backend {
  handlers: Handlers;
  dbPath: string;
  close(): void;
}

export interface BackendFactory {
  /** Open (creating/migrating if needed) the store at dbPath and build the service on it. */
  open(dbPath: string): Promise<Backend>;
  /** Make sure the embedded sample night exists under dir; returns the database path to open. */
  sampleDatabase(dir: string): Promise<string>;
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
 * night so the app always starts. `onFallback` lets the caller tell the user why.
 */
export async function openDatabase(
  factory: BackendFactory,
  opts: { userDataDir: string; envDb?: string; lastDbPath?: string; exists: (p: string) => boolean },
  onFallback: (dbPath: string, err: unknown) => void = () => {},
): Promise<{ backend: Backend; source: DbSource }> {
  const choice = chooseDatabase(opts);
  if (choice) {
    try {
      return { backend: await factory.open(choice.dbPath), source: choice.source };
    } catch (err) {
      if (choice.source === 'env') throw err; // asked for explicitly: do not silently open something else
      onFallback(choice.dbPath, err);
    }
  }
  const samplePath = await factory.sampleDatabase(join(opts.userDataDir, 'sample'));
  return { backend: await factory.open(samplePath), source: 'sample' };
}

/**
 * The real factory over core/. Loaded lazily by specifier so the shell's unit tests never load better-sqlite3.
 * Expected exports (being written in parallel): core/api/service.ts `createService({ dbPath })` returning
 * `{ handlers, close }` (or the Handlers themselves), core/sample `ensureSampleNight(dir)` returning the database
 * path (or `{ dbPath }`).
 */
export function coreBackendFactory(): BackendFactory {
  const load = (spec: string): Promise<Record<string, unknown>> => import(spec) as Promise<Record<string, unknown>>;
  return {
    async open(dbPath) {
      const mod = await load('../core/api/service.js');
      const createService = mod.createService as (o: { dbPath: string }) => unknown;
      const svc = (await createService({ dbPath })) as { handlers?: Handlers; close?: () => void } & Handlers;
      const handlers = svc.handlers ?? svc;
      return { handlers, dbPath, close: () => svc.close?.() };
    },
    async sampleDatabase(dir) {
      const mod = await load('../core/sample/index.js');
      const ensure = mod.ensureSampleNight as (d: string) => unknown;
      const r = (await ensure(dir)) as string | { dbPath: string };
      return typeof r === 'string' ? r : r.dbPath;
    },
  };
}
