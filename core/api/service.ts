import { join, dirname } from 'node:path';
import { openExistingStore, openStore } from '../store/database.js';
import { defaultDbPath, ensurePrivateHome, finkvraHome } from '../util/paths.js';
import { removeIngestLeftovers } from '../ingest/ingest.js';
import type { Handlers } from './contract.js';
import type { ServiceContext } from './context.js';
import { appHandlers } from './handlers/app.js';
import { dataHandlers } from './handlers/data.js';
import { loopHandlers, proposalOf } from './handlers/loop.js';
import { modelHandlers } from './handlers/model.js';
import { weakHandlers } from './handlers/weak.js';
import { featureHandlers } from './handlers/features.js';
import { trainHandlers } from './handlers/train.js';
import { runsHandlers } from './handlers/runs.js';
import { JobRegistry } from './jobs.js';
import { advanceLoop } from './loop-advance.js';

export interface Service {
  handlers: Handlers;
  ctx: ServiceContext;
  /** Waits for background jobs, then closes the store. */
  close(): Promise<void>;
}

export interface ServiceOptions {
  dbPath?: string;
  homeDir?: string;
  /** Refuse a missing or empty file instead of creating a store there (a store the user chose). */
  mustExist?: boolean;
  /** The store is the embedded sample night's (reported by app.store). */
  isSample?: boolean;
  /** Start a round the loop needs when the store opens (the app); the CLI starts rounds only on a write or `round`. */
  advanceOnOpen?: boolean;
}

/** The one implementation of the contract, shared by Electron, the web server and tests. */
export function openService(opts: ServiceOptions = {}): Service {
  const dbPath = opts.dbPath ?? defaultDbPath();
  const homeDir = opts.homeDir ?? finkvraHome();
  ensurePrivateHome(homeDir);
  const db = opts.mustExist ? openExistingStore(dbPath) : openStore(dbPath);
  removeIngestLeftovers(db);
  const ctx: ServiceContext = {
    db,
    dbPath,
    jobs: new JobRegistry(),
    homeDir,
    artifactsDir: dbPath === ':memory:' ? join(homeDir, 'artifacts') : join(dirname(dbPath), 'artifacts'),
  };
  const loop = loopHandlers(ctx);
  const handlers: Handlers = {
    ...appHandlers({ path: dbPath, isSample: opts.isSample ?? false }),
    ...dataHandlers(ctx, proposalOf(ctx)),
    ...loop,
    ...modelHandlers(ctx),
    ...weakHandlers(ctx),
    ...featureHandlers(ctx),
    ...trainHandlers(ctx),
    ...runsHandlers(ctx),
  } satisfies Handlers;
  // A store opened with alerts and no round yet (or a batch done whose round never ran) gets it now, not on a read.
  if (opts.advanceOnOpen ?? true) advanceLoop(ctx);
  return {
    handlers,
    ctx,
    close: async () => {
      await ctx.jobs.idle();
      db.close();
    },
  };
}
