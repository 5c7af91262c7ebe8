/** The feature matrix X (indexed on candid, NaN as an empty cell) and its meta as CSV text: `finkvra features`. */
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../store/database.js';
import { alertMetaOf } from '../store/alert-meta.js';
import { loadFeatureMatrix } from '../store/features.js';
import type { FeatureSetName } from './names.js';

export interface FeatureMatrixCsv {
  /** candid, then the set's features. */
  x: string;
  /** candid, objectId, jd, night, fid; null when not asked for. */
  meta: string | null;
  rows: number;
}

export function featureMatrixCsv(db: Db, o: { featureSet: FeatureSetName; night?: string; meta?: boolean }): FeatureMatrixCsv {
  const m = loadFeatureMatrix(db, { night: o.night ?? null, featureSet: o.featureSet });
  const xRows: (string | number)[][] = [];
  for (let i = 0; i < m.n; i++) {
    const row: (string | number)[] = [m.candids[i]];
    for (let j = 0; j < m.d; j++) {
      const v = m.X[i * m.d + j];
      row.push(Number.isNaN(v) ? '' : v);
    }
    xRows.push(row);
  }
  const x = stringify(xRows, { header: true, columns: ['candid', ...m.names] });
  if (!o.meta) return { x, meta: null, rows: m.n };
  const byCandid = alertMetaOf(db, m.candids);
  const metaRows = m.candids.map((c, i) => {
    const a = byCandid.get(c);
    return [c, m.objectIds[i], a?.jd ?? '', a?.night ?? '', a?.fid ?? ''];
  });
  return { x, meta: stringify(metaRows, { header: true, columns: ['candid', 'objectId', 'jd', 'night', 'fid'] }), rows: m.n };
}
