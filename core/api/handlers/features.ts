/** `data.features`: the feature matrix of a feature set (and its meta) as CSV text, for `finkvra features`. */
import { featureMatrixCsv } from '../../features/matrix-csv.js';
import type { Handlers } from '../contract.js';
import type { ServiceContext } from '../context.js';

export function featureHandlers(ctx: ServiceContext): Pick<Handlers, 'data.features'> {
  return {
    'data.features': ({ featureSet, night, meta }) => ({ featureSet, ...featureMatrixCsv(ctx.db, { featureSet, night, meta }) }),
  };
}
