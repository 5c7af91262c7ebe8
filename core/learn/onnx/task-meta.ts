/** The ONNX metadata of a model trained by the app on a task of the current feature set. */
import { FEATURE_SET_VERSION } from '../../features/names.js';
import { TASK_CLASS_NAMES, type Task } from '../../labels.js';
import type { EngineJSON } from '../classifier.js';
import type { OnnxModelMeta } from './metadata.js';
import { STORE_SURVEY } from './saved-model.js';

export function taskModelMeta(model: EngineJSON, task: Task, runId: string): OnnxModelMeta {
  return {
    featureSet: FEATURE_SET_VERSION,
    featureNames: [...model.featureNames],
    task,
    classNames: [...TASK_CLASS_NAMES[task]],
    survey: STORE_SURVEY,
    runId,
    engine: model.engine,
  };
}
