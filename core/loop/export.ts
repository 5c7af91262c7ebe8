/**
 * The labelled set as CSV. 'seed' = the seed's labeled.csv (candid, objectId, label, timestamp), every label of the
 * store, with a `survey` column only when some labelled alert is not ZTF's (so a ZTF store's file stays the seed's);
 * 'full' = the labels of ONE survey with the task class, alert meta columns and that survey's features (empty cell =
 * missing), with an optional column choice. One survey per full file, because the surveys' features differ: a
 * mixed store exports each survey on its own.
 */
import { stringify } from 'csv-stringify/sync';
import { FEATURE_SET_VERSION, LSST_SET_VERSION } from '../features/names.js';
import { DEFAULT_CLASS_MAPS, type Task } from '../labels.js';
import type { Db } from '../store/database.js';
import { loadFeatureMatrix } from '../store/features.js';
import { alertExportMeta, type AlertExportMeta } from '../store/label-export.js';
import { currentLabels, type CurrentLabel } from '../store/labels.js';
import { SURVEY_LABELS } from '../surveys/registry.js';
import type { SurveyId } from '../surveys/survey.js';

export const SEED_COLUMNS = ['candid', 'objectId', 'label', 'timestamp'] as const;
export const META_COLUMNS = ['candid', 'objectId', 'survey', 'label', 'class', 'source', 'timestamp', 'night', 'jd', 'ra', 'dec', 'fid', 'magpsf', 'drb'] as const;

/** The feature set each survey's full export carries (ZTF: the seed's set, as the seed's export had). */
export const EXPORT_FEATURE_SET: Record<SurveyId, string> = { ztf: FEATURE_SET_VERSION, lsst: LSST_SET_VERSION };

export interface LabelsCsvOptions {
  format: 'full' | 'seed';
  task: Task;
  /** Subset and order of columns (full format; unknown names are an error). */
  columns?: string[];
  /**
   * The survey a full export is of. Without it: the one survey the labelled alerts are of (an error when they are
   * of several). Labels of alerts not ingested go with ZTF's (their survey is unknown; the column is left empty).
   */
  survey?: SurveyId;
  /** The survey a mixed store's full export is of when `survey` is not given (the app's current survey). */
  current?: SurveyId;
}

export interface LabelsCsv {
  csv: string;
  rows: number;
  columns: string[];
  /** The survey of a full export (null for the seed format). */
  survey: SurveyId | null;
}

type Cell = string | number | null;

/** A full export of a mixed store without a survey: the user must say which. */
export class ExportSurveyError extends RangeError {}

function seedCsv(labels: readonly CurrentLabel[], meta: (c: string) => AlertExportMeta | undefined): LabelsCsv {
  const surveys = labels.map((l) => meta(l.candid)?.survey ?? '');
  const withSurvey = surveys.some((s) => s !== '' && s !== 'ztf');
  const columns: string[] = withSurvey ? [...SEED_COLUMNS, 'survey'] : [...SEED_COLUMNS];
  const rows = labels.map((l, i) => (withSurvey ? [l.candid, l.objectId, l.label, l.at, surveys[i]] : [l.candid, l.objectId, l.label, l.at]));
  return { csv: stringify([columns, ...rows]), rows: rows.length, columns, survey: null };
}

function exportSurvey(surveys: readonly (string | undefined)[], o: LabelsCsvOptions): SurveyId {
  if (o.survey) return o.survey;
  const present = [...new Set(surveys.map((s) => s ?? 'ztf'))] as SurveyId[];
  if (present.length <= 1) return present[0] ?? 'ztf';
  if (o.current) return o.current;
  const names = present.map((s) => SURVEY_LABELS[s] ?? s).join(' and ');
  throw new ExportSurveyError(`the labels are of ${names} alerts, whose features differ: export one survey at a time (survey: ${present.join(' or ')})`);
}

export function labelsCsv(db: Db, o: LabelsCsvOptions): LabelsCsv {
  const all = currentLabels(db);
  const meta = alertExportMeta(db);
  if (o.format === 'seed') return seedCsv(all, meta);
  const metas = all.map((l) => meta(l.candid));
  const survey = exportSurvey(metas.map((m) => m?.survey), o);
  const keep = all.flatMap((l, i) => ((metas[i]?.survey ?? 'ztf') === survey ? [{ l, a: metas[i] }] : []));
  const m = loadFeatureMatrix(db, { candids: keep.map(({ l }) => l.candid), version: EXPORT_FEATURE_SET[survey] });
  const rowOf = new Map(m.candids.map((c, i) => [c, i]));
  const classMap = DEFAULT_CLASS_MAPS[o.task];
  // ra, dec and drb are both alert columns and ZTF features (the same values): one column per name.
  const available = [...new Set<string>([...META_COLUMNS, ...m.names])];
  const columns = o.columns && o.columns.length ? o.columns : available;
  const unknown = columns.filter((c) => !available.includes(c));
  if (unknown.length) throw new RangeError(`unknown column(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  const rows = keep.map(({ l, a }) => {
    const rec: Record<string, Cell> = {
      candid: l.candid,
      objectId: l.objectId,
      survey: a?.survey ?? '',
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
  return { csv: stringify([columns, ...rows]), rows: rows.length, columns, survey };
}
