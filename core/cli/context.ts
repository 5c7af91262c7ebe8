import type { Command } from 'commander';
import { openStore, type Db } from '../store/database.js';
import { defaultDbPath, ensurePrivateHome, finkvraHome } from '../util/paths.js';

/** What every command needs, resolved from the root program's global options (--db, --home). */
export interface CliContext {
  dbPath: string;
  homeDir: string;
}

export function cliContext(cmd: Command): CliContext {
  // optsWithGlobals: the options of this command and of every parent, so `finkvra --db X ingest` works.
  const o = cmd.optsWithGlobals<{ db?: string; home?: string }>();
  if (o.home) process.env.FINKVRA_HOME = o.home;
  const homeDir = o.home ?? finkvraHome();
  ensurePrivateHome(homeDir);
  return { dbPath: o.db ?? defaultDbPath(), homeDir };
}

/** Open the store of a command, run `fn`, and always close it. */
export async function withStore<T>(cmd: Command, fn: (db: Db, ctx: CliContext) => Promise<T> | T): Promise<T> {
  const ctx = cliContext(cmd);
  const db = openStore(ctx.dbPath);
  try {
    return await fn(db, ctx);
  } finally {
    db.close();
  }
}
