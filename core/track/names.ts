/**
 * Names shared by the tracker and the code that logs runs (core/loop, experiments), and the checks that keep keys
 * and artifact paths safe to turn into file names (the MLflow export writes one file per param, metric and tag).
 */
import { InvalidNameError } from './errors.js';

/** Artifact files that getRun() reads back into RunDetail (written by logConfusion/logImportance/logBalance). */
export const CONFUSION_ARTIFACT = 'confusion.json';
/** CSV with header `feature,mean,std` (permutation importance, mean ± std over repeats). */
export const IMPORTANCE_ARTIFACT = 'importance.csv';
export const BALANCE_ARTIFACT = 'balance.json';

/**
 * Param keys from which a RunSummary's round, strategy, engine and nTrain are read. Loggers should log these params;
 * when absent, tags of the same name are tried, then the metric `n_train` and a run name `round_<N>_<strategy>`.
 */
export const RUN_KEYS = {
  round: 'round',
  strategy: 'strategy',
  engine: 'engine',
  nTrain: 'n_train',
} as const;

/** MLflow's reserved tag holding the run name (written to the export; not stored as a tag here). */
export const MLFLOW_RUN_NAME_TAG = 'mlflow.runName';
export const MLFLOW_USER_TAG = 'mlflow.user';
/** MLflow's run description (shown as the run's note in `mlflow ui`). */
export const MLFLOW_NOTE_TAG = 'mlflow.note.content';

// Same character set as MLflow's _validate_metric_name / _validate_param_name / _validate_tag_name.
const KEY_RE = /^[\w./ -]+$/;
const MAX_KEY_LENGTH = 250;

/** Throws InvalidNameError unless `key` is a valid param/metric/tag key (also a safe relative file path). */
export function checkKey(what: 'param' | 'metric' | 'tag', key: string): void {
  if (key.length === 0) throw new InvalidNameError(`${what} key`, key, 'empty');
  if (key.length > MAX_KEY_LENGTH) throw new InvalidNameError(`${what} key`, key, `longer than ${MAX_KEY_LENGTH}`);
  if (!KEY_RE.test(key)) {
    throw new InvalidNameError(`${what} key`, key, 'only letters, digits, _ - . space and / are allowed');
  }
  checkRelativeSegments(`${what} key`, key);
}

/**
 * Throws InvalidNameError unless `relPath` is a relative POSIX path that stays inside the artifacts folder:
 * no absolute path, no drive letter, no backslash, no `..` or `.` or empty segment, no NUL.
 */
export function checkArtifactPath(relPath: string): void {
  const what = 'artifact path';
  if (relPath.length === 0) throw new InvalidNameError(what, relPath, 'empty');
  if (relPath.includes('\0')) throw new InvalidNameError(what, relPath, 'contains NUL');
  if (relPath.includes('\\')) throw new InvalidNameError(what, relPath, 'use / as separator (backslash refused)');
  if (relPath.startsWith('/') || /^[A-Za-z]:/.test(relPath)) {
    throw new InvalidNameError(what, relPath, 'must be relative to the run artifacts folder');
  }
  checkRelativeSegments(what, relPath);
}

function checkRelativeSegments(what: string, p: string): void {
  if (p.startsWith('/')) throw new InvalidNameError(what, p, 'must not start with /');
  for (const seg of p.split('/')) {
    if (seg === '..') throw new InvalidNameError(what, p, "'..' would leave its folder");
    if (seg === '.' || seg === '') throw new InvalidNameError(what, p, "empty or '.' path segment");
  }
}
