/** The ONNX metadata of a model trained by the app on a task, with the feature set its inputs are. */
import { FEATURE_SET_NAMES, FEATURE_SET_SURVEY, FEATURE_SET_VERSIONS, FEATURE_SETS, type FeatureSetName } from '../../features/names.js';
import type { SurveyId } from '../../surveys/survey.js';
import { TASK_CLASS_NAMES, type Task } from '../../labels.js';
import type { EngineJSON } from '../classifier.js';
import type { OnnxModelMeta } from './metadata.js';

/** The feature-set version whose names are exactly `names` (in order), or null. */
export function featureSetOfNames(names: readonly string[]): string | null {
  const set = FEATURE_SETS.find((s) => FEATURE_SET_NAMES[s].join('\u0000') === names.join('\u0000'));
  return set ? FEATURE_SET_VERSIONS[set] : null;
}

/** The feature set a stored version is of (null for a version of no known set). */
export function featureSetOfVersion(version: string): FeatureSetName | null {
  return FEATURE_SETS.find((s) => FEATURE_SET_VERSIONS[s] === version) ?? null;
}

/** The survey whose alerts a stored feature-set version describes (null for a version of no known set). */
export function surveyOfVersion(version: string): SurveyId | null {
  const set = featureSetOfVersion(version);
  return set ? FEATURE_SET_SURVEY[set] : null;
}

/** `dustMap`: what storeDustRecord tells of the store the model was trained on (left out when undefined). */
export function taskModelMeta(model: EngineJSON, task: Task, runId: string, dustMap?: string): OnnxModelMeta {
  const featureSet = featureSetOfNames(model.featureNames);
  // A scorer picks the features by this version: a model of no known set must not claim one.
  if (!featureSet) throw new Error(`the model's features are not those of a feature set (${FEATURE_SETS.join(', ')})`);
  return {
    featureSet,
    featureNames: [...model.featureNames],
    task,
    classNames: [...TASK_CLASS_NAMES[task]],
    survey: surveyOfVersion(featureSet)!,
    runId,
    engine: model.engine,
    ...(dustMap === undefined ? {} : { dustMap }),
  };
}
