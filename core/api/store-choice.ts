/**
 * Which store an entry point opens: the one rule shared by the CLI, web mode, `npm start`'s fallback and the desktop
 * app. In order: the store named on the command line (--db), FINKVRA_DB, the desktop app's remembered store (when
 * it still exists), the default store ($FINKVRA_HOME/finkvra.sqlite) when it exists, and only then — where the
 * entry point may open it (the app, web mode) — the embedded sample night's own store. The CLI's commands use the
 * default store's path even when it does not exist yet (ingest creates it; the others refuse a missing store).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { sampleDbPath } from './sample-start.js';

export type StoreSource = 'option' | 'env' | 'last' | 'default' | 'sample';

export interface StoreChoice {
  /** Absolute path of the store file. */
  path: string;
  /** Whether it is the embedded sample night's store (synthetic alerts). */
  isSample: boolean;
  source: StoreSource;
  /** The app folder (--home, FINKVRA_HOME, ~/.finkvra). */
  homeDir: string;
  /** Where the sample night's files and store live. */
  sampleDir: string;
}

export interface StoreChoiceInput {
  /** --db */
  db?: string;
  /** --home */
  home?: string;
  /** FINKVRA_DB and FINKVRA_HOME are read from here (default process.env). */
  env?: Record<string, string | undefined>;
  /** The desktop app's remembered store. */
  lastDbPath?: string;
  /** Default: <home>/sample. The desktop app keeps its sample night in its user-data folder. */
  sampleDir?: string;
  /** May the sample night be chosen when there is no store at all (the app and web mode: yes; CLI commands: no). */
  allowSample: boolean;
  exists?: (path: string) => boolean;
}

export function chooseStore(input: StoreChoiceInput): StoreChoice {
  const env = input.env ?? process.env;
  const exists = input.exists ?? existsSync;
  const homeDir = resolve(input.home ?? env.FINKVRA_HOME ?? join(homedir(), '.finkvra'));
  const sampleDir = resolve(input.sampleDir ?? join(homeDir, 'sample'));
  const sample = sampleDbPath(sampleDir);
  const pick = (path: string, source: StoreSource): StoreChoice => {
    const abs = resolve(path);
    return { path: abs, isSample: abs === sample, source, homeDir, sampleDir };
  };
  if (input.db) return pick(input.db, 'option');
  if (env.FINKVRA_DB) return pick(env.FINKVRA_DB, 'env');
  const fallback = join(homeDir, 'finkvra.sqlite');
  // A remembered sample night gives way to a store the user has made since (e.g. with `finkvra ingest`).
  const last = input.lastDbPath;
  if (last && exists(last) && !(resolve(last) === sample && exists(fallback))) return pick(last, 'last');
  if (exists(fallback) || !input.allowSample) return pick(fallback, 'default');
  return pick(sample, 'sample');
}
