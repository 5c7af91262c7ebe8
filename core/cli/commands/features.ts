import type { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Db } from '../../store/database.js';
import { FEATURE_SETS, parseFeatureSet, type FeatureSetName } from '../../features/names.js';
import { loadFeatureMatrix } from '../../store/features.js';
import { withStore } from '../context.js';

/** Write X (candid + features, NaN as empty) and meta (candid, objectId, jd, night, fid) as CSV. */
export async function exportFeatures(
  db: Db,
  xPath: string,
  metaPath: string | undefined,
  night?: string,
  featureSet: FeatureSetName = 'seed',
): Promise<number> {
  const m = loadFeatureMatrix(db, { night: night ?? null, featureSet });
  const x = stringify({ header: true, columns: ['candid', ...m.names] });
  const xOut = x.pipe(createWriteStream(xPath));
  for (let i = 0; i < m.n; i++) {
    const row: (string | number)[] = [m.candids[i]];
    for (let j = 0; j < m.d; j++) {
      const v = m.X[i * m.d + j];
      row.push(Number.isNaN(v) ? '' : v);
    }
    x.write(row);
  }
  x.end();
  await finished(xOut);
  if (metaPath) {
    const meta = db.prepare('SELECT jd, night, fid FROM alerts WHERE candid = ?');
    const s = stringify({ header: true, columns: ['candid', 'objectId', 'jd', 'night', 'fid'] });
    const out = s.pipe(createWriteStream(metaPath));
    for (let i = 0; i < m.n; i++) {
      const r = meta.get(m.candids[i]) as { jd: number; night: string; fid: number };
      s.write([m.candids[i], m.objectIds[i], r.jd, r.night, r.fid]);
    }
    s.end();
    await finished(out);
  }
  return m.n;
}

export function registerFeatures(program: Command): void {
  program
    .command('features')
    .description('export the feature matrix X (indexed on candid) and meta (candid, objectId, ...) as CSV')
    .requiredOption('--out <file>', 'X as CSV')
    .option('--meta <file>', 'meta as CSV')
    .option('--night <YYYY-MM-DD>', 'only alerts of this night')
    .option('--set <name>', `feature set (${FEATURE_SETS.join(', ')})`, 'seed')
    .action(async (opts: { out: string; meta?: string; night?: string; set: string }, cmd: Command) => {
      const set = parseFeatureSet(opts.set, '--set');
      const n = await withStore(cmd, (db) => exportFeatures(db, opts.out, opts.meta, opts.night, set));
      console.log(`wrote ${n} rows to ${opts.out}${opts.meta ? ` and ${opts.meta}` : ''}`);
    });
}
