import { z } from 'zod';
import { DEFAULT_LABEL_KEYS, LABELS, TASKS } from '../labels.js';
import { FEATURE_SET_SURVEY, FEATURE_SETS } from '../features/names.js';
import type { SurveyId } from '../surveys/survey.js';
import { DUST_CHOICES } from '../ingest/dust-choice.js';
import { ENGINE_NAMES } from '../learn/engines.js';
import { STRATEGIES } from '../learn/strategies.js';
import type { Settings } from '../api/types.js';
import { SURVEY_DEFAULT_FEATURE_SET } from '../settings-rules.js';
import type { Db } from './database.js';
import { GROUP_UNITS } from '../learn/group-folds.js';

const StoredSettings = z.object({
  task: z.enum(TASKS),
  strategy: z.enum(STRATEGIES),
  n0: z.number().int().min(1),
  n: z.number().int().min(1),
  engine: z.enum(ENGINE_NAMES),
  seed: z.number().int().min(0),
  night: z.string().nullable(),
  featureSet: z.enum(FEATURE_SETS),
  dust: z.enum(DUST_CHOICES),
  labelKeys: z.record(z.enum(LABELS), z.string().length(1)),
  cvGroup: z.enum(GROUP_UNITS),
});
type Stored = z.infer<typeof StoredSettings>;

/**
 * The seed's defaults: galactic task, 30 then 10 by uncertainty. The feature set is `extended`: it forecasts source
 * files never seen better than the seed's (docs/experiments.md, "Feature sets on unseen nights"). The engine is the histogram random forest: its
 * probabilities stay graded at 10–50 labels (uncertainty sampling needs that) and it was never below random sampling
 * in the simulations on the real alerts (docs/experiments.md).
 */
export const DEFAULT_SETTINGS: Stored = {
  task: 'gal',
  strategy: 'least_confidence',
  n0: 30,
  n: 10,
  engine: 'hrf',
  seed: 42,
  night: null,
  // ZTF's default set (extended: why in README, Features); a switch to a survey picks the same table's set.
  featureSet: SURVEY_DEFAULT_FEATURE_SET.ztf,
  dust: 'auto',
  labelKeys: { ...DEFAULT_LABEL_KEYS },
  cvGroup: 'night',
};

export function getSettings(db: Db, dbPath: string): Settings {
  const row = db.prepare("SELECT value_json FROM settings WHERE key = 'app'").get() as { value_json: string } | undefined;
  const merged = { ...DEFAULT_SETTINGS, ...(row ? (JSON.parse(row.value_json) as Partial<Stored>) : {}) };
  const parsed = StoredSettings.safeParse(merged);
  // A settings row from an older version that no longer validates falls back to defaults rather than blocking the app.
  const s = parsed.success ? parsed.data : DEFAULT_SETTINGS;
  return { ...s, labelKeys: { ...DEFAULT_LABEL_KEYS, ...s.labelKeys }, dbPath };
}

export function updateSettings(db: Db, dbPath: string, patch: Partial<Omit<Settings, 'dbPath'>>): Settings {
  const current = getSettings(db, dbPath);
  const { dbPath: _ignored, ...rest } = { ...current, ...patch };
  const next = StoredSettings.parse(rest);
  const keys = Object.values(next.labelKeys);
  if (new Set(keys).size !== keys.length) throw new Error('settings.labelKeys: two labels share one key');
  db.prepare(
    "INSERT INTO settings (key, value_json) VALUES ('app', ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json",
  ).run(JSON.stringify(next));
  return { ...next, dbPath };
}

/** The survey of the current feature set: the one rounds, the pool and the held-out set work on. */
export function currentSurvey(db: Db): SurveyId {
  return FEATURE_SET_SURVEY[getSettings(db, '').featureSet];
}
