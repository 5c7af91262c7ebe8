/** `finkvra train`: fit the model on the counted labels and report honest (cross-validated) metrics and importance. */
import { writeFileSync } from 'node:fs';
import { exportOnnx } from '../../learn/onnx/export.js';
import { storeDustRecord } from '../../learn/onnx/dust-record.js';
import { taskModelMeta } from '../../learn/onnx/task-meta.js';
import type { Command } from 'commander';
import { DEFAULT_CLASS_MAPS, TASK_CLASS_NAMES } from '../../labels.js';
import { ENGINE_NAMES, type EngineName } from '../../learn/engines.js';
import { computeRound } from '../../loop/compute.js';
import { loadTrainingSet } from '../../loop/pool.js';
import { trainingGroups } from '../../loop/night-groups.js';
import { holdoutFor } from '../../loop/round.js';
import type { BinaryMetrics } from '../../learn/metrics.js';
import { getSettings } from '../../store/settings.js';
import { withStore } from '../context.js';
import { intArg } from '../options.js';
import { FEATURE_SETS } from '../../features/names.js';
import { fmtMetric } from '../../track/headline.js';
import { progressReporter, roundOverrides, type RoundCliOptions } from './round.js';

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
      await withStore(cmd, async (db, ctx) => {
        const overrides = roundOverrides({ engine: opts.engine, features: opts.features, cvGroup: opts.cvGroup });
        const s = { ...getSettings(db, ctx.dbPath), ...overrides };
        const cvGroup = s.cvGroup ?? 'night';
        // Said before training, not after: mlrf's trees have no ONNX form (no missing-value routing).
        if (opts.onnx && s.engine === 'mlrf') throw new Error('--onnx: the mlrf engine cannot be exported to ONNX; use --engine hgb or hrf');
        const ts = loadTrainingSet(db, DEFAULT_CLASS_MAPS[s.task], s.featureSet);
        const names = TASK_CLASS_NAMES[s.task];
        const n1 = ts.y.reduce((a, v) => a + v, 0);
        console.log(
          `task ${s.task}, ${s.featureSet} features (${ts.d}): ${ts.n} counted labels (${names[1]} ${n1}, ${names[0]} ${ts.n - n1}); ${ts.notCounted} stored but not counted`,
        );
        if (ts.heldOut > 0) console.log(`${ts.heldOut} counted label(s) are held out (not trained on)`);
        if (n1 === 0 || n1 === ts.n) throw new Error('training needs labels of both classes');
        const ho = holdoutFor(db, s.task, s.featureSet);
        const bar = progressReporter('train');
        let out;
        try {
          out = await computeRound(
            {
              engine: { engine: s.engine as EngineName, seed: s.seed },
              strategy: 'random',
              batchSize: 0,
              seed: s.seed,
              names: ts.names,
              train: { X: ts.X, n: ts.n, d: ts.d, y: ts.y, groups: trainingGroups(db, ts.candids, ts.objectIds, cvGroup) },
              groupUnit: cvGroup,
              pool: { X: new Float64Array(0), n: 0, objectIds: [] },
              holdout: ho.input,
              cvFolds: opts.folds,
              importanceRepeats: opts.repeats,
            },
            bar.progress,
          );
        } finally {
          bar.stop();
        }
        const show = (title: string, c: BinaryMetrics) => {
          console.log(title);
          console.log(
            `  accuracy ${fmt(c.accuracy)}  balanced ${fmt(c.balancedAccuracy)}  precision ${fmt(c.precision)}  recall ${fmt(c.recall)}  F1 ${fmt(c.f1)}`,
          );
          console.log(`  ROC AUC ${fmt(c.rocAuc)}  log loss ${fmt(c.logLoss)}  efficiency ${fmt(c.efficiency)}  purity ${fmt(c.purity)}  FoM ${fmt(c.figureOfMerit)}`);
          console.log(`  confusion (rows true ${names[0]}/${names[1]}, columns predicted): ${JSON.stringify(c.confusion.matrix)}`);
        };
        const by = cvGroup === 'file' ? 'source file' : 'night';
        if (out.cvNight) {
          show(`cross-validated by ${by} (forecast of unseen ${by}s; ${out.cvNightK} folds over ${out.cvNightGroups} ${by}s, whole ${by}s held out):`, out.cvNight);
        } else console.log(out.cvNightNote ?? `cv_night: n/a`);
        if (out.cvNight && out.cvNightNote) console.log(`note: ${out.cvNightNote}`);
        if (out.cv) show(`cross-validated by object, ${out.cvK}-fold (optimistic: same ${by}s; out-of-fold predictions of ${out.cv.n} labels):`, out.cv);
        if (out.holdout) show(`held-out (the final model on the marked held-out set, ${out.holdout.n} labels, never trained on):`, out.holdout);
        if (ho.warning) console.log(`warning: ${ho.warning}`);
        if (out.cvNote) console.log(`note: ${out.cvNote}`);
        console.log(`training-set accuracy (optimistic; the seed's number): ${fmt(out.trainAccuracy)}`);
        console.log(`permutation importance (${out.importanceMetric} drop on held-out folds, mean ± std):`);
        for (const f of out.importance.slice(0, 10)) console.log(`  ${f.feature.padEnd(32)} ${fmt(f.mean)} ± ${fmt(f.std)}`);
        if (opts.out) {
          writeFileSync(opts.out, JSON.stringify(out.model));
          console.log(`model -> ${opts.out}`);
        }
        if (opts.onnx) {
          writeFileSync(opts.onnx, exportOnnx(out.model, taskModelMeta(out.model, s.task, '', storeDustRecord(db))));
          console.log(`ONNX model -> ${opts.onnx}`);
        }
      });
    });
}
