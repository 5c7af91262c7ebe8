/**
 * The labelled set as CSV. 'seed' = the seed's labeled.csv (candid, objectId, label, timestamp); 'full' = labels with
 * the task class, alert meta columns and the features (empty cell = missing), with an optional column choice.
 */
import { stringify } from 'csv-stringify/sync';
import { DEFAULT_CLASS_MAPS, type Task } from '../labels.js';
import type { Db } from '../store/database.js';
import { loadFeatureMatrix } from '../store/features.js';
import { currentLabels } from '../store/labels.js';

export const SEED_COLUMNS = ['candid', 'objectId', 'label', 'timestamp'] as const;
export const META_COLUMNS = ['candid', 'objectId', 'label', 'class', 'source', 'timestamp', 'night', 'jd', 'ra', 'dec', 'fid', 'magpsf', 'drb'] as const;

export interface LabelsCsvOptions {
  format: 'full' | 'seed';
  task: Task;
  /** Subset and order of columns (full format; unknown names are an error). */
  columns?: string[];
}

export interface LabelsCsv {
  csv: string;
  rows: number;
  columns: string[];
}

type Cell = string | number | null;

export function labelsCsv(db: Db, o: LabelsCsvOptions): LabelsCsv {
  const labels = currentLabels(db);
  if (o.format === 'seed') {
    const columns = [...SEED_COLUMNS];
    const rows = labels.map((l) => [l.candid, l.objectId, l.label, l.at]);
    return { csv: stringify([columns, ...rows]), rows: rows.length, columns };
  }
  const m = loadFeatureMatrix(db, { candids: labels.map((l) => l.candid) });
  const rowOf = new Map(m.candids.map((c, i) => [c, i]));
  const meta = db.prepare('SELECT night, jd, ra, dec, fid, magpsf, drb FROM alerts WHERE candid = ?');
  const classMap = DEFAULT_CLASS_MAPS[o.task];
  // ra, dec and drb are both alert columns and features (the same values): one column per name.
  const all = [...new Set<string>([...META_COLUMNS, ...m.names])];
  const columns = o.columns && o.columns.length ? o.columns : all;
  const unknown = columns.filter((c) => !all.includes(c));
  if (unknown.length) throw new RangeError(`unknown column(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  const rows = labels.map((l) => {
    const a = meta.get(l.candid) as Record<string, Cell> | undefined;
    const rec: Record<string, Cell> = {
      candid: l.candid,
      objectId: l.objectId,
      label: l.label,
      class: classMap[l.label] ?? '',
      source: l.source,
      timestamp: l.at,
      night: a?.night ?? '',
      jd: a?.jd ?? '',
      ra: a?.ra ?? '',
      dec: a?.dec ?? '',
      fid: a?.fid ?? '',
      magpsf: a?.magpsf ?? '',
      drb: a?.drb ?? '',
    };
    const i = rowOf.get(l.candid);
    m.names.forEach((name, f) => {
      if (name in rec) return; // the alert's own value (ra, dec, drb) stands
      const v = i === undefined ? NaN : m.X[i * m.d + f];
      rec[name] = Number.isNaN(v) ? '' : v;
    });
    return columns.map((c) => rec[c] ?? '');
  });
  return { csv: stringify([columns, ...rows]), rows: rows.length, columns };
}
