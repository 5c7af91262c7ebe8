/**
 * Score the alerts of a store with a saved model: one CSV row per alert (candid, objectId, night, one probability
 * column per class, the predicted class), written in chunks so a large night never sits in memory as text.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { EXTENDED_SET_VERSION, FEATURE_SET_VERSION, FEATURE_SET_VERSIONS } from '../../features/names.js';
import { alertNights } from '../../store/alert-nights.js';
import type { Db } from '../../store/database.js';
import { ensureExtendedFeatures, featureNames, loadFeatureMatrix } from '../../store/features.js';
import { storeDustRecord } from './dust-record.js';
import { mismatchReason, type SavedModel } from './saved-model.js';
import { featureSetOfNames, featureSetOfVersion, surveyOfVersion } from './task-meta.js';
import { alertCountsBySurvey } from '../../store/survey-counts.js';
import { SURVEY_LABELS } from '../../surveys/registry.js';
import type { SurveyId } from '../../surveys/survey.js';

const CHUNK = 5000;

export interface ScoreOptions {
  night?: string | null;
  /** The model file's name, for errors. */
  source: string;
  progress?: (fraction: number, message: string) => void;
  /** Alerts per model call (default 5000). */
  chunk?: number;
}

export interface ScoreSummary {
  out: string;
  rows: number;
  classNames: string[];
  /** Alerts per predicted class. */
  predicted: Record<string, number>;
  columns: string[];
  /** The survey whose alerts were scored and the feature-set version the model reads. */
  survey: SurveyId | null;
  featureSet: string;
}

export class ModelMismatchError extends Error {}

/** CSV column of a class's probability: p_<name>, spaces as underscores. */
export function probabilityColumn(className: string): string {
  return `p_${className.replace(/\s+/g, '_')}`;
}

/** The predicted class: the most probable, the lower index on a tie (numpy's argmax). */
export function argmax(p: Float64Array, offset: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (p[offset + c] > p[offset + best]) best = c;
  return best;
}

/**
 * The store's feature set to score `model` on: the one its metadata names when the store has it, else (a JSON model
 * records none) the one whose names it reads, else the seed set, against which the mismatch is then reported.
 */
function storeFeatureSetFor(model: SavedModel): string {
  const known: readonly string[] = Object.values(FEATURE_SET_VERSIONS);
  if (model.featureSet !== null) return known.includes(model.featureSet) ? model.featureSet : FEATURE_SET_VERSION;
  return featureSetOfNames(model.featureNames) ?? FEATURE_SET_VERSION;
}

/** The model's ebv came from another map than the store's, when both are known (a store of several maps cannot tell). */
function dustMismatch(db: Db, model: SavedModel, source: string, version: string): string | null {
  // The store's record for the alerts the model scores (its feature set's survey).
  const set = featureSetOfVersion(version);
  if (model.dustMap === null || set === null) return null;
  const store = storeDustRecord(db, set);
  if (store === undefined || store === model.dustMap) return null;
  const shown = /^[\w:.-]{1,80}$/.test(model.dustMap) ? model.dustMap : '(an unreadable value)';
  return `${source}: field dust_map: the model was trained on ebv from the dust map ${shown}; this store's ebv is from ${store}`;
}

const surveyName = (s: string): string => SURVEY_LABELS[s as SurveyId] ?? s;

/**
 * A model of one survey's features given only another survey's alerts (a ZTF model on LSST files, an lsst-set model
 * on a ZTF store): said plainly, instead of a feature-name mismatch or an empty result.
 */
function surveyMismatch(db: Db, version: string, source: string): string | null {
  const survey = surveyOfVersion(version);
  const counts = alertCountsBySurvey(db);
  if (survey === null || counts.size === 0 || counts.has(survey)) return null;
  const others = [...counts.keys()].map((s) => `${surveyName(s)}'s`).join(' and ');
  return `${source}: field survey: the model scores ${surveyName(survey)} alerts (feature set ${version}); the alerts to score are ${others}`;
}

export async function scoreStore(db: Db, model: SavedModel, out: string, opts: ScoreOptions): Promise<ScoreSummary> {
  const version = storeFeatureSetFor(model);
  const wrongSurvey = surveyMismatch(db, version, opts.source);
  if (wrongSurvey) throw new ModelMismatchError(wrongSurvey);
  if (version === EXTENDED_SET_VERSION) ensureExtendedFeatures(db);
  const names = featureNames(db, version);
  const why = mismatchReason(model, opts.source, version, names) ?? dustMismatch(db, model, opts.source, version);
  if (why) throw new ModelMismatchError(why);
  const m = loadFeatureMatrix(db, { night: opts.night ?? null, version });
  const nights = alertNights(db, opts.night ?? null);
  const K = model.classNames.length;
  const columns = ['candid', 'objectId', 'night', ...model.classNames.map(probabilityColumn), 'predicted'];
  const predicted: Record<string, number> = Object.fromEntries(model.classNames.map((c) => [c, 0]));
  const fd = openSync(out, 'w');
  try {
    writeSync(fd, stringify([columns]));
    const chunk = opts.chunk ?? CHUNK;
    for (let start = 0; start < m.n; start += chunk) {
      const n = Math.min(chunk, m.n - start);
      const p = await model.predictProba(m.X.subarray(start * m.d, (start + n) * m.d), n);
      if (p.length !== n * K) throw new Error(`${opts.source}: the model gave ${p.length / n} probabilities per alert, its metadata names ${K} classes`);
      const rows: (string | number)[][] = [];
      for (let i = 0; i < n; i++) {
        const c = m.candids[start + i];
        const k = argmax(p, i * K, K);
        predicted[model.classNames[k]]++;
        rows.push([c, m.objectIds[start + i], nights.get(c) ?? '', ...Array.from(p.subarray(i * K, (i + 1) * K)), model.classNames[k]]);
      }
      writeSync(fd, stringify(rows));
      opts.progress?.((start + n) / m.n, `${start + n}/${m.n} alerts`);
    }
  } finally {
    closeSync(fd);
  }
  return { out, rows: m.n, classNames: model.classNames, predicted, columns, survey: surveyOfVersion(version), featureSet: version };
}
