/**
 * `model.train`: fit the model on the counted labels with honest (cross-validated) metrics and permutation
 * importance, in the background; the model comes back as JSON and, when asked, as ONNX (`finkvra train`).
 */
import { DEFAULT_CLASS_MAPS, TASK_CLASS_NAMES } from '../../labels.js';
import type { EngineName } from '../../learn/engines.js';
import type { BinaryMetrics } from '../../learn/metrics.js';
import { storeDustRecord } from '../../learn/onnx/dust-record.js';
import { exportOnnx } from '../../learn/onnx/export.js';
import { taskModelMeta } from '../../learn/onnx/task-meta.js';
import { computeRound, type RoundComputeOutput } from '../../loop/compute.js';
import { trainingGroups } from '../../loop/night-groups.js';
import { loadTrainingSet, type TrainingSet } from '../../loop/pool.js';
import { holdoutFor } from '../../loop/round.js';
import { getSettings } from '../../store/settings.js';
import type { Handlers, ParsedInput } from '../contract.js';
import type { ServiceContext } from '../context.js';
import { ApiError } from '../define.js';
import type { Settings, TrainSummary } from '../types.js';

export const TRAIN_JOB = 'train';

/** What a train job returns (jobs.get): the metrics of computeRound, the model, and the ONNX bytes if asked. */
export type TrainJobResult = Pick<
  RoundComputeOutput,
  'cv' | 'cvK' | 'cvNote' | 'cvNight' | 'cvNightK' | 'cvNightGroups' | 'cvNightNote' | 'holdout' | 'trainAccuracy' | 'importance' | 'importanceMetric' | 'model'
> & {
  holdoutWarning: string | null;
  /** The model as ONNX, base64 (null unless asked for). */
  onnxBase64: string | null;
};

export type { BinaryMetrics };

type TrainInput = ParsedInput<'model.train'>;

function settingsFor(ctx: ServiceContext, i: TrainInput): Settings {
  const s = getSettings(ctx.db, ctx.dbPath);
  return { ...s, engine: i.engine ?? s.engine, featureSet: i.featureSet ?? s.featureSet, cvGroup: i.cvGroup ?? s.cvGroup };
}

function summaryOf(s: Settings, ts: TrainingSet): TrainSummary {
  const positives = ts.y.reduce((a, v) => a + v, 0);
  const names = TASK_CLASS_NAMES[s.task];
  return {
    task: s.task,
    featureSet: s.featureSet,
    engine: s.engine,
    cvGroup: s.cvGroup ?? 'night',
    features: ts.d,
    counted: ts.n,
    positives,
    notCounted: ts.notCounted,
    heldOut: ts.heldOut,
    classNames: [names[0], names[1]],
  };
}

async function train(ctx: ServiceContext, s: Settings, ts: TrainingSet, i: TrainInput, report: (f: number, m: string) => void): Promise<TrainJobResult> {
  const cvGroup = s.cvGroup ?? 'night';
  const ho = holdoutFor(ctx.db, s.task, s.featureSet);
  const out = await computeRound(
    {
      engine: { engine: s.engine as EngineName, seed: s.seed },
      strategy: 'random',
      batchSize: 0,
      seed: s.seed,
      names: ts.names,
      train: { X: ts.X, n: ts.n, d: ts.d, y: ts.y, groups: trainingGroups(ctx.db, ts.candids, ts.objectIds, cvGroup) },
      groupUnit: cvGroup,
      pool: { X: new Float64Array(0), n: 0, objectIds: [] },
      holdout: ho.input,
      cvFolds: i.folds,
      importanceRepeats: i.repeats,
    },
    report,
  );
  const onnx = i.onnx ? exportOnnx(out.model, taskModelMeta(out.model, s.task, '', storeDustRecord(ctx.db, s.featureSet))) : null;
  const { cv, cvK, cvNote, cvNight, cvNightK, cvNightGroups, cvNightNote, holdout, trainAccuracy, importance, importanceMetric, model } = out;
  return {
    ...{ cv, cvK, cvNote, cvNight, cvNightK, cvNightGroups, cvNightNote, holdout, trainAccuracy, importance, importanceMetric, model },
    holdoutWarning: ho.warning ?? null,
    onnxBase64: onnx ? Buffer.from(onnx).toString('base64') : null,
  };
}

export function trainHandlers(ctx: ServiceContext): Pick<Handlers, 'model.train'> {
  return {
    'model.train': (input) => {
      const s = settingsFor(ctx, input);
      // Said before training, not after: mlrf's trees have no ONNX form (no missing-value routing).
      if (input.onnx && s.engine === 'mlrf') {
        throw new ApiError('invalid_input', 'onnx: the mlrf engine cannot be exported to ONNX; use the engine hgb or hrf');
      }
      const ts = loadTrainingSet(ctx.db, DEFAULT_CLASS_MAPS[s.task], s.featureSet);
      const summary = summaryOf(s, ts);
      if (summary.positives === 0 || summary.positives === ts.n) {
        throw new ApiError('invalid_input', 'training needs labels of both classes');
      }
      const job = ctx.jobs.start(TRAIN_JOB, (r) => train(ctx, s, ts, input, (f, m) => r.progress(f, m)));
      return { jobId: job.id, summary };
    },
  };
}
