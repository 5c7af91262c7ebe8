import type { Command } from 'commander';
import { chooseStore, type StoreChoice } from '../api/store-choice.js';
import { openExistingStore, openStore, type Db } from '../store/database.js';
import { ensurePrivateHome } from '../util/paths.js';

/** What every command needs, resolved from the root program's global options (--db, --home). */
export interface CliContext {
  dbPath: string;
  homeDir: string;
  store: StoreChoice;
}

export function cliContext(cmd: Command, opts: { allowSample?: boolean } = {}): CliContext {
  // optsWithGlobals: the options of this command and of every parent, so `finkvra --db X ingest` works.
  const o = cmd.optsWithGlobals<{ db?: string; home?: string }>();
  const store = chooseStore({ db: o.db, home: o.home, allowSample: opts.allowSample ?? false });
  // Everything below (dust maps, uploads, the sample night) finds the app folder through FINKVRA_HOME.
  if (o.home) process.env.FINKVRA_HOME = store.homeDir;
  ensurePrivateHome(store.homeDir);
  return { dbPath: store.path, homeDir: store.homeDir, store };
}

/**
 * Open the store of a command, run `fn`, and always close it. Only `create` (ingest) makes a store where there is
 * none; every other command refuses a missing, empty or foreign file, leaving it untouched.
 */
export async function withStore<T>(
  cmd: Command,
  fn: (db: Db, ctx: CliContext) => Promise<T> | T,
  opts: { create?: boolean } = {},
): Promise<T> {
  const ctx = cliContext(cmd);
  const db = opts.create ? openStore(ctx.dbPath) : openExistingStore(ctx.dbPath);
  try {
    return await fn(db, ctx);
  } finally {
    db.close();
  }
}
