/**
 * Training, cross-validation, committee scoring and pool scoring in a worker thread, so the caller (the app's main
 * process, the CLI's progress bar) is never blocked. This module is both the client API (main thread) and the worker
 * entry (it serves only when started by runWorkerTask with its marker).
 * Inputs are copied by default; pass `transfer: true` to move the input buffers instead (they become unusable in the
 * caller). Results (probabilities) are always transferred back.
 */
import type { TransferListItem } from 'node:worker_threads';
import { runWorkerTask, serveWorkerTasks } from '../util/worker.js';
import { createClassifier, type EngineJSON, type EngineSpecInput } from './classifier.js';
import { committeeProba } from './committee.js';
import { crossValidate, type CvResult } from './cv.js';

const MARKER = 'finkvra-learn';

export interface TrainData {
  spec: EngineSpecInput;
  X: Float64Array;
  n: number;
  d: number;
  y: Uint8Array;
  weights?: Float64Array;
  featureNames?: string[];
}

export interface TrainAndScoreRequest extends TrainData {
  /** Pool rows to score (row-major poolN × d); may be empty. */
  pool: Float64Array;
  poolN: number;
}

export interface TrainAndScoreResult {
  model: EngineJSON;
  /** poolN × nClasses probabilities. */
  poolProba: Float64Array;
  fitMs: number;
  predictMs: number;
}

type Task =
  | ({ kind: 'trainAndScore' } & TrainAndScoreRequest)
  | ({ kind: 'crossValidate'; k?: number; seed?: number } & TrainData)
  | ({ kind: 'committee'; pool: Float64Array; poolN: number; members?: number; seed?: number } & TrainData);

async function handle(task: Task): Promise<{ result: unknown; transfer?: TransferListItem[] }> {
  switch (task.kind) {
    case 'trainAndScore': {
      const model = createClassifier(task.spec);
      let t = performance.now();
      model.fit(task.X, task.n, task.d, task.y, { sampleWeight: task.weights, featureNames: task.featureNames });
      const fitMs = performance.now() - t;
      t = performance.now();
      const poolProba = task.poolN > 0 ? model.predictProba(task.pool, task.poolN) : new Float64Array(0);
      const predictMs = performance.now() - t;
      const result: TrainAndScoreResult = { model: model.toJSON(), poolProba, fitMs, predictMs };
      return { result, transfer: [poolProba.buffer as ArrayBuffer] };
    }
    case 'crossValidate': {
      const r = crossValidate(task.spec, task.X, task.n, task.d, task.y, { k: task.k, seed: task.seed, sampleWeight: task.weights });
      return { result: r, transfer: [r.oofProba.buffer as ArrayBuffer, r.fold.buffer as ArrayBuffer] };
    }
    case 'committee': {
      const members = committeeProba(task.spec, task.X, task.n, task.d, task.y, task.pool, task.poolN, {
        members: task.members,
        seed: task.seed,
      });
      return { result: members, transfer: members.map((m) => m.buffer as ArrayBuffer) };
    }
  }
}

serveWorkerTasks<Task, unknown>(MARKER, handle);

const SELF = new URL('./worker.js', import.meta.url);

function inputs(t: TrainData & { pool?: Float64Array }): TransferListItem[] {
  const list: ArrayBuffer[] = [t.X.buffer as ArrayBuffer, t.y.buffer as ArrayBuffer];
  if (t.weights) list.push(t.weights.buffer as ArrayBuffer);
  if (t.pool) list.push(t.pool.buffer as ArrayBuffer);
  // A buffer may appear once only (e.g. X and pool views of one buffer).
  return [...new Set(list)];
}

function run<R>(task: Task, transfer: boolean, signal?: AbortSignal): Promise<R> {
  return runWorkerTask<Task, R>(SELF, task, { workerData: { marker: MARKER }, transfer: transfer ? inputs(task) : [], signal });
}

export interface WorkerCallOptions {
  /** Move the input buffers to the worker instead of copying them. */
  transfer?: boolean;
  signal?: AbortSignal;
}

/** Fit on (X, y) and score the pool, off the calling thread. */
export function trainAndScoreInWorker(req: TrainAndScoreRequest, opts: WorkerCallOptions = {}): Promise<TrainAndScoreResult> {
  return run({ kind: 'trainAndScore', ...req }, opts.transfer ?? false, opts.signal);
}

export function crossValidateInWorker(
  req: TrainData & { k?: number; seed?: number },
  opts: WorkerCallOptions = {},
): Promise<CvResult> {
  return run({ kind: 'crossValidate', ...req }, opts.transfer ?? false, opts.signal);
}

export function committeeInWorker(
  req: TrainData & { pool: Float64Array; poolN: number; members?: number; seed?: number },
  opts: WorkerCallOptions = {},
): Promise<Float64Array[]> {
  return run({ kind: 'committee', ...req }, opts.transfer ?? false, opts.signal);
}
