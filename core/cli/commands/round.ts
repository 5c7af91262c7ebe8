/** `finkvra round`: train on what is labelled, score the pool, log the run and print the next batch with links. */
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { runRound, type RoundOptions, type RoundResult } from '../../loop/round.js';
import { latestRound } from '../../loop/rounds.js';
import { batchComplete, coldStartSuperseded, loopState } from '../../loop/state.js';
import type { Db } from '../../store/database.js';
import { ENGINE_NAMES } from '../../learn/engines.js';
import { STRATEGIES } from '../../learn/strategies.js';
import { getSettings } from '../../store/settings.js';
import { artifactsRootFor } from '../../track/tracker.js';
import { cvHeadline, fmtMetric } from '../../track/headline.js';
import { lasairObjectUrl } from '../../urls.js';
import { withStore } from '../context.js';
import { intArg } from '../options.js';
import { FEATURE_SETS, parseFeatureSet } from '../../features/names.js';
import type { ComputeProgress } from '../../loop/compute.js';
import { GROUP_UNITS, type GroupUnit } from '../../learn/group-folds.js';

/** A progress bar on a terminal, plain lines otherwise; returns the callback and a stop function. */
export function progressReporter(label: string): { progress: ComputeProgress; stop: () => void } {
  if (!process.stderr.isTTY) {
    let lastMsg = '';
    return {
      progress: (_f, m) => {
        if (m !== lastMsg) console.error(`${label}: ${m}`);
        lastMsg = m;
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {msg}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { msg: 'starting' });
  return {
    progress: (f, m) => bar.update(Math.round(f * 100), { msg: m }),
    stop: () => bar.stop(),
  };
}

const fmt = fmtMetric;

export function printRound(r: RoundResult, log: (line: string) => void = console.log, cvGroup: GroupUnit = 'night'): void {
  const head = r.runId ? ` run ${r.runId}` : '';
  log(`round ${r.round.round} (${r.round.strategy})${head}: ${r.nTrain} counted labels, pool ${r.nPool}`);
  if (r.fallback) log(`note: ${r.fallback}`);
  const m = r.metrics;
  for (const line of cvHeadline(m, cvGroup)) log(line);
  if (m.holdout_accuracy !== undefined) {
    log(
      `held-out (${m.n_holdout} labels, never trained on): accuracy ${fmt(m.holdout_accuracy)}, balanced ${fmt(m.holdout_balanced_accuracy)}, ` +
        `precision ${fmt(m.holdout_precision)}, recall ${fmt(m.holdout_recall)}, F1 ${fmt(m.holdout_f1)}, ROC AUC ${fmt(m.holdout_roc_auc)}, ` +
        `log loss ${fmt(m.holdout_log_loss)}, efficiency ${fmt(m.holdout_efficiency)}, purity ${fmt(m.holdout_purity)}, FoM ${fmt(m.holdout_figure_of_merit)}, ` +
        `confusion [[${m.holdout_tn}, ${m.holdout_fp}], [${m.holdout_fn}, ${m.holdout_tp}]]`,
    );
  }
  if (m.train_accuracy !== undefined) log(`training-set accuracy (optimistic, as the seed logged it): ${fmt(m.train_accuracy)}`);
  for (const w of r.warnings) log(`warning: ${w}`);
  const reserve = r.reserve.length ? ` (+${r.reserve.length} in reserve: a label the task does not count brings in the next)` : '';
  log(`next batch (${r.proposals.length})${reserve}:`);
  for (const p of r.proposals) {
    log(`  ${String(p.rank).padStart(3)}  ${p.candid}  ${p.objectId.padEnd(12)}  p=${fmt(p.prob)}  ${lasairObjectUrl(p.objectId)}`);
    log(`       ${p.reason}`);
  }
}

export interface RoundCliOptions {
  force?: boolean;
  strategy?: string;
  n?: number;
  n0?: number;
  engine?: string;
  night?: string;
  seed?: number;
  /** --features: the feature set (seed | extended). */
  features?: string;
  cvGroup?: string;
}

/** The --cv-group option: what the headline cross-validation holds out whole (undefined: the setting). */
export function cvGroupOption(v: string | undefined): GroupUnit | undefined {
  if (v === undefined || (GROUP_UNITS as readonly string[]).includes(v)) return v as GroupUnit | undefined;
  throw new Error(`--cv-group must be ${GROUP_UNITS.join(' or ')}, not '${v}'`);
}

export function roundOverrides(o: RoundCliOptions): NonNullable<RoundOptions['settings']> {
  const s: NonNullable<RoundOptions['settings']> = {};
  if (o.strategy) {
    if (!(STRATEGIES as readonly string[]).includes(o.strategy)) throw new Error(`--strategy must be one of ${STRATEGIES.join(', ')}`);
    s.strategy = o.strategy;
  }
  if (o.engine) {
    if (!(ENGINE_NAMES as readonly string[]).includes(o.engine)) throw new Error(`--engine must be one of ${ENGINE_NAMES.join(', ')}`);
    s.engine = o.engine;
  }
  if (o.n !== undefined) s.n = o.n;
  if (o.n0 !== undefined) s.n0 = o.n0;
  if (o.seed !== undefined) s.seed = o.seed;
  if (o.night) s.night = o.night;
  if (o.features) s.featureSet = parseFeatureSet(o.features, '--features');
  const cvGroup = cvGroupOption(o.cvGroup);
  if (cvGroup) s.cvGroup = cvGroup;
  return s;
}

/** Refuse to start a round over an unfinished batch unless forced. */
export function checkBatchDone(db: Db, dbPath: string, force: boolean | undefined): void {
  const s = getSettings(db, dbPath);
  if (force || !latestRound(db, s.task)) return;
  const st = loopState(db, s.task, s.strategy, null);
  if (!batchComplete(st) && !coldStartSuperseded(db, st, s.n0)) {
    throw new Error(
      `${st.batch.length - st.cursor} alert(s) of round ${st.round} are neither labelled nor skipped ` +
        '(label them with `finkvra label`, or pass --force)',
    );
  }
}

export function registerRound(program: Command): void {
  program
    .command('round')
    .description('train on the labels, score the pool, log the run and print the next batch (round 0 under n0 counted labels: a pick from one night)')
    .option('--force', 'start a round even if the current batch is not fully labelled')
    .option('--strategy <name>', `query strategy (${STRATEGIES.join(', ')}); default from settings`)
    .option('--n <count>', 'batch size of this round', intArg(1))
    .option('--n0 <count>', 'size of round 0', intArg(1))
    .option('--engine <name>', `learner (${ENGINE_NAMES.join(', ')})`)
    .option('--night <YYYY-MM-DD>', 'restrict the pool to one night')
    .option('--seed <int>', 'random seed', intArg(0))
    .option('--features <set>', `feature set (${FEATURE_SETS.join(', ')}); default from settings`)
    .option('--cv-group <unit>', 'headline cross-validation holds out whole nights (night) or source files (file); default from settings')
    .action(async (opts: RoundCliOptions, cmd: Command) => {
      let cvGroup: GroupUnit = 'night';
      const result = await withStore(cmd, async (db, ctx) => {
        const overrides = roundOverrides(opts);
        cvGroup = overrides.cvGroup ?? getSettings(db, ctx.dbPath).cvGroup ?? 'night';
        checkBatchDone(db, ctx.dbPath, opts.force);
        const bar = progressReporter('round');
        try {
          return await runRound(db, ctx.dbPath, {
            settings: overrides,
            artifactsRoot: artifactsRootFor(ctx.dbPath),
            progress: bar.progress,
          });
        } finally {
          bar.stop();
        }
      });
      printRound(result, console.log, cvGroup);
    });
}
