/** About the app itself: which store is open (the UI marks the synthetic sample night on every screen). */
import { join, resolve } from 'node:path';
import type { Handlers } from '../contract.js';
import type { ServiceContext } from '../context.js';
import { sampleDbPath } from '../sample-start.js';

export function appHandlers(ctx: ServiceContext): Pick<Handlers, 'app.store'> {
  return {
    'app.store': () => ({
      path: ctx.dbPath,
      isSample: resolve(ctx.dbPath) === resolve(sampleDbPath(join(ctx.homeDir, 'sample'))),
    }),
  };
}
