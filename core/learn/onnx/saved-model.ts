/**
 * A saved model, JSON (the app's own engine JSON) or ONNX (an export), behind one scorer, with what it was trained
 * on so that a store can be checked against it before scoring.
 */
import { readFileSync } from 'node:fs';
import { classifierFromJSON, EngineJSONSchema } from '../classifier.js';
import type { OnnxModelMeta } from './metadata.js';
import { loadOnnxScorer } from './runtime.js';
import { surveyOfVersion } from './task-meta.js';

export interface SavedModel {
  kind: 'json' | 'onnx';
  engine: string;
  featureNames: string[];
  /** From the ONNX metadata; a JSON model does not record these (null). */
  featureSet: string | null;
  survey: string | null;
  task: string | null;
  /** The dust map the training store's ebv came from (ONNX metadata finkvra.dust_map), when recorded. */
  dustMap: string | null;
  /** Class names from the ONNX metadata, else class0, class1, ... */
  classNames: string[];
  predictProba(X: Float64Array, n: number): Promise<Float64Array>;
  close(): Promise<void>;
}

/** ONNX files start with the ModelProto's ir_version field (tag 0x08); JSON with '{' (after blanks). */
function looksLikeJson(bytes: Buffer): boolean {
  for (const b of bytes.subarray(0, 64)) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    return b === 0x7b;
  }
  return false;
}

export async function loadSavedModel(path: string): Promise<SavedModel> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot read the model (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (looksLikeJson(bytes)) return jsonModel(path, bytes);
  const s = await loadOnnxScorer(path);
  const m: OnnxModelMeta = s.meta;
  return {
    kind: 'onnx',
    engine: m.engine,
    featureNames: m.featureNames,
    featureSet: m.featureSet,
    survey: m.survey,
    task: m.task,
    dustMap: m.dustMap ?? null,
    classNames: m.classNames,
    predictProba: (X, n) => s.predictProba(X, n),
    close: () => s.close(),
  };
}

function jsonModel(path: string, bytes: Buffer): SavedModel {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`${path}: not valid JSON`);
  }
  const parsed = EngineJSONSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`${path}: field ${i.path.join('.') || '(root)'}: ${i.message} (not a finkvra model file?)`);
  }
  if (parsed.data.model == null) throw new Error(`${path}: field model: the model is not fitted`);
  const c = classifierFromJSON(parsed.data);
  return {
    kind: 'json',
    engine: c.engine,
    featureNames: c.featureNames,
    featureSet: null,
    survey: null,
    task: null,
    dustMap: null,
    classNames: Array.from({ length: c.nClasses }, (_, k) => `class${k}`),
    predictProba: (X, n) => Promise.resolve(c.predictProba(X, n)),
    close: () => Promise.resolve(),
  };
}

/**
 * Why `model` cannot score the alerts of a store with feature set `featureSet` (names `storeNames`), or null.
 * Names must match in order: the model reads columns by position.
 */
/** A value read from a model file, shown only when it is a plain short identifier (errors never quote content). */
const shown = (v: string): string => (/^[\w.-]{1,32}$/.test(v) ? v : '(an unreadable value)');

export function mismatchReason(model: SavedModel, source: string, featureSet: string, storeNames: readonly string[]): string | null {
  // The feature set's survey: a model's survey must be the one whose alerts these features describe.
  const survey = surveyOfVersion(featureSet);
  if (model.survey !== null && survey !== null && model.survey !== survey) {
    return `${source}: field survey: the model was trained on ${shown(model.survey)} alerts; this store holds ${survey} alerts for feature set ${featureSet}`;
  }
  if (model.featureSet !== null && model.featureSet !== featureSet) {
    return `${source}: field feature_set: the model uses feature set ${shown(model.featureSet)}; this store's features are ${featureSet}`;
  }
  const a = model.featureNames;
  if (a.length !== storeNames.length) {
    return `${source}: field feature_names: the model reads ${a.length} features; this store's feature set ${featureSet} has ${storeNames.length}`;
  }
  const i = a.findIndex((n, k) => n !== storeNames[k]);
  if (i >= 0) return `${source}: field feature_names: feature ${i + 1} of the model is not the store's ${storeNames[i]} (feature set ${featureSet})`;
  return null;
}
