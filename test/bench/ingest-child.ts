/** The "ours" child of the ingest benchmarks (ZTF and LSST): a timed ingest, then the sampled alerts' features. */
import { readFileSync } from 'node:fs';
import type { FeatureSetName } from '../../core/features/names.js';

const nanToNull = (v: number | undefined): number | null => (v === undefined || Number.isNaN(v) ? null : v);

export interface TimedIngest {
  seconds: number;
  alerts: number;
  maxRssMb: number;
  /** The sampled candids' chosen features, by candid (NaN as null). */
  sample: Record<string, Record<string, number | null>>;
}

/** Ingest `file` into a new store, timed; then read `names` of the candids in `sampleFile` from `featureSet`. */
export async function timedIngest(
  file: string,
  dbPath: string,
  o: { sampleFile: string; withCutouts: boolean; featureSet: FeatureSetName; names: readonly string[] },
): Promise<TimedIngest> {
  const { openStore } = await import('../../core/store/database.js');
  const { ingestFiles } = await import('../../core/ingest/ingest.js');
  const { loadFeatureMatrix } = await import('../../core/store/features.js');
  const db = openStore(dbPath);
  const t0 = performance.now();
  const s = await ingestFiles(db, [file], { withCutouts: o.withCutouts });
  const seconds = (performance.now() - t0) / 1000;
  if (s.failed > 0) throw new Error(`ingest failed: ${s.files.filter((f) => !f.ok).map((f) => f.error).join('; ')}`);
  const candids = JSON.parse(readFileSync(o.sampleFile, 'utf8')) as string[];
  const m = loadFeatureMatrix(db, { candids, featureSet: o.featureSet });
  const sample: TimedIngest['sample'] = {};
  for (let i = 0; i < m.n; i++) {
    sample[m.candids[i]!] = Object.fromEntries(o.names.map((n) => [n, nanToNull(m.X[i * m.d + m.names.indexOf(n)])]));
  }
  db.close();
  return { seconds, alerts: s.alertsRead, maxRssMb: process.resourceUsage().maxRSS / 1024, sample };
}
