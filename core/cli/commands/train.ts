/** `finkvra train`: fit the model on the counted labels and report honest (cross-validated) metrics and importance. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { BinaryMetrics, TrainJobResult } from '../../api/handlers/train.js';
import type { TrainSummary } from '../../api/types.js';
import { ENGINE_NAMES } from '../../learn/engines.js';
import { intArg } from '../options.js';
import { FEATURE_SETS } from '../../features/names.js';
import { fmtMetric } from '../../track/headline.js';
import { announceSurvey, withService } from '../service.js';
import { roundOverrides, type RoundCliOptions } from './round.js';

const fmt = fmtMetric;

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train on the labelled alerts; print cross-validated metrics, training-set accuracy and permutation importance')
    .option('--engine <name>', `learner (${ENGINE_NAMES.join(', ')}); default from settings`)
    .option('--folds <k>', 'cross-validation folds', intArg(2), 5)
    .option('--repeats <r>', 'permutation-importance repeats', intArg(1), 5)
    .option('--out <file>', 'write the fitted model as JSON')
    .option('--onnx <file>', 'write the fitted model as ONNX (hgb, hrf; see docs/deploy.md)')
    .option('--features <set>', `feature set (${FEATURE_SETS.join(', ')}); default from settings`)
    .option('--cv-group <unit>', 'headline cross-validation holds out whole nights (night) or source files (file); default from settings')
    .action(async (opts: RoundCliOptions & { folds: number; repeats: number; out?: string; onnx?: string }, cmd: Command) => {
      const o = roundOverrides({ engine: opts.engine, features: opts.features, cvGroup: opts.cvGroup });
      await withService(cmd, async (api) => {
        await announceSurvey(api, o.featureSet);
        const input = { engine: o.engine, featureSet: o.featureSet, cvGroup: o.cvGroup, folds: opts.folds, repeats: opts.repeats, onnx: !!opts.onnx };
        const { jobId, summary } = await api.call('model.train', input);
        printTrainSummary(summary);
        const r = (await api.waitJob(jobId, 'train')) as TrainJobResult;
        printTrainResult(r, summary);
        if (opts.out) {
          writeFileSync(opts.out, JSON.stringify(r.model));
          console.log(`model -> ${opts.out}`);
        }
        if (opts.onnx && r.onnxBase64 !== null) {
          writeFileSync(opts.onnx, Buffer.from(r.onnxBase64, 'base64'));
          console.log(`ONNX model -> ${opts.onnx}`);
        }
      });
    });
}

function printTrainSummary(t: TrainSummary): void {
  const [c0, c1] = t.classNames;
  console.log(
    `task ${t.task}, ${t.featureSet} features (${t.features}): ${t.counted} counted labels (${c1} ${t.positives}, ${c0} ${t.counted - t.positives}); ${t.notCounted} stored but not counted`,
  );
  if (t.heldOut > 0) console.log(`${t.heldOut} counted label(s) are held out (not trained on)`);
}

function printTrainResult(out: TrainJobResult, t: TrainSummary): void {
  const show = (title: string, c: BinaryMetrics) => {
    console.log(title);
    console.log(
      `  accuracy ${fmt(c.accuracy)}  balanced ${fmt(c.balancedAccuracy)}  precision ${fmt(c.precision)}  recall ${fmt(c.recall)}  F1 ${fmt(c.f1)}`,
    );
    console.log(`  ROC AUC ${fmt(c.rocAuc)}  log loss ${fmt(c.logLoss)}  efficiency ${fmt(c.efficiency)}  purity ${fmt(c.purity)}  FoM ${fmt(c.figureOfMerit)}`);
    console.log(`  confusion (rows true ${t.classNames[0]}/${t.classNames[1]}, columns predicted): ${JSON.stringify(c.confusion.matrix)}`);
  };
  const by = t.cvGroup === 'file' ? 'source file' : 'night';
  if (out.cvNight) {
    show(`cross-validated by ${by} (forecast of unseen ${by}s; ${out.cvNightK} folds over ${out.cvNightGroups} ${by}s, whole ${by}s held out):`, out.cvNight);
  } else console.log(out.cvNightNote ?? `cv_night: n/a`);
  if (out.cvNight && out.cvNightNote) console.log(`note: ${out.cvNightNote}`);
  if (out.cv) show(`cross-validated by object, ${out.cvK}-fold (optimistic: same ${by}s; out-of-fold predictions of ${out.cv.n} labels):`, out.cv);
  if (out.holdout) show(`held-out (the final model on the marked held-out set, ${out.holdout.n} labels, never trained on):`, out.holdout);
  if (out.holdoutWarning) console.log(`warning: ${out.holdoutWarning}`);
  if (out.cvNote) console.log(`note: ${out.cvNote}`);
  console.log(`training-set accuracy (optimistic; the seed's number): ${fmt(out.trainAccuracy)}`);
  console.log(`permutation importance (${out.importanceMetric} drop on held-out folds, mean ± std):`);
  for (const f of out.importance.slice(0, 10)) console.log(`  ${f.feature.padEnd(32)} ${fmt(f.mean)} ± ${fmt(f.std)}`);
}
