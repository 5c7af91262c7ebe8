/**
 * Rules on settings that a schema cannot say alone, shared by every entry point (the Settings screen shows the same
 * problems before saving; settings.set refuses them so a scripted call cannot store what the screen would refuse).
 */
import type { Settings } from './api/types.js';
import type { FeatureSetName } from './features/names.js';
import { LABELS, type Label } from './labels.js';
import type { SurveyId } from './surveys/survey.js';

export { featureSetsOf } from './features/names.js';

/** The set a new store and a switch to the survey pick: ZTF's extended set (see README, Features), LSST's only set. */
export const SURVEY_DEFAULT_FEATURE_SET: Record<SurveyId, FeatureSetName> = { ztf: 'extended', lsst: 'lsst' };

/** Single-character keys of the label screen's fixed actions (skip, undo, Lasair, Fink, help). */
export const RESERVED_ACTION_KEYS = ['s', 'z', 'l', 'f', '?'] as const;

/** Problems with a full label key map; the label screen matches keys case-insensitively. */
export function labelKeyProblems(keys: Record<Label, string>): string[] {
  const reserved = new Set<string>(RESERVED_ACTION_KEYS);
  return LABELS.flatMap((l) => {
    const k = keys[l].toLowerCase();
    if ([...k].length !== 1) return [`labelKeys.${l}: one character`];
    if (reserved.has(k)) return [`labelKeys.${l}: '${k}' is an action key`];
    const other = LABELS.find((o) => o !== l && keys[o].toLowerCase() === k);
    if (other && LABELS.indexOf(other) < LABELS.indexOf(l)) return [`labelKeys.${l}: '${k}' is already the key of ${other}`];
    return [];
  });
}

/** A night is a UT calendar date, YYYY-MM-DD (the form alerts are grouped by); null means all nights. */
export function nightProblem(night: string | null): string | null {
  if (night === null) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(night);
  if (!m) return 'night: expected a date YYYY-MM-DD';
  const [y, mo, d] = m.slice(1).map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return 'night: not a calendar date';
  return null;
}

/** What a settings patch would break, checked against the settings it would change (label keys are merged). */
export function settingsPatchProblems(current: Settings, patch: Partial<Settings>): string[] {
  const problems = patch.labelKeys ? labelKeyProblems({ ...current.labelKeys, ...patch.labelKeys }) : [];
  const night = patch.night === undefined ? null : nightProblem(patch.night);
  return night ? [...problems, night] : problems;
}
