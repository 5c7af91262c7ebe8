import { join, dirname } from 'node:path';
import { openStore } from '../store/database.js';
import { removeIngestLeftovers } from '../ingest/ingest.js';
import { defaultDbPath, finkvraHome } from '../util/paths.js';
import type { Handlers } from './contract.js';
import type { ServiceContext } from './context.js';
import { dataHandlers } from './handlers/data.js';
import { loopHandlers, proposalOf } from './handlers/loop.js';
import { JobRegistry } from './jobs.js';

export interface Service {
  handlers: Handlers;
  ctx: ServiceContext;
  /** Waits for background jobs, then closes the store. */
  close(): Promise<void>;
}

export interface ServiceOptions {
  dbPath?: string;
  homeDir?: string;
}

/** The one implementation of the contract, shared by Electron, the web server and tests. */
export function openService(opts: ServiceOptions = {}): Service {
  const dbPath = opts.dbPath ?? defaultDbPath();
  const homeDir = opts.homeDir ?? finkvraHome();
  const db = openStore(dbPath);
  removeIngestLeftovers(db);
  const ctx: ServiceContext = {
    db,
    dbPath,
    jobs: new JobRegistry(),
    homeDir,
    artifactsDir: dbPath === ':memory:' ? join(homeDir, 'artifacts') : join(dirname(dbPath), 'artifacts'),
  };
  const loop = loopHandlers(ctx);
  const handlers: Handlers = { ...dataHandlers(ctx, proposalOf(ctx)), ...loop } satisfies Handlers;
  return {
    handlers,
    ctx,
    close: async () => {
      await ctx.jobs.idle();
      db.close();
    },
  };
}
