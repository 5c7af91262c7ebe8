/** `finkvra round`: train on what is labelled, score the pool, log the run and print the next batch with links. */
import type { Command } from 'commander';
import type { MethodInput } from '../../api/contract.js';
import type { RoundResult } from '../../api/handlers/loop.js';
import { ApiError } from '../../api/define.js';
import type { JobStatus } from '../../api/types.js';
import { ENGINE_NAMES, type EngineName } from '../../learn/engines.js';
import { STRATEGIES } from '../../learn/strategies.js';
import { cvHeadline, fmtMetric } from '../../track/headline.js';
import { surveyLinks } from '../../surveys/registry.js';
import { intArg } from '../options.js';
import { announceSurvey, withService, type CliApi } from '../service.js';
import { FEATURE_SETS, parseFeatureSet } from '../../features/names.js';
import { GROUP_UNITS, type GroupUnit } from '../../learn/group-folds.js';

export { progressReporter } from '../progress.js';

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
    const page = surveyLinks(r.survey, { objectId: p.objectId });
    log(`  ${String(p.rank).padStart(3)}  ${p.candid}  ${p.objectId.padEnd(12)}  p=${fmt(p.prob)}  ${page.lasair ?? page.fink ?? ''}`);
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

/** One round's settings, as loop.startRound takes them. */
export type RoundSettings = NonNullable<MethodInput<'loop.startRound'>['settings']>;

export function roundOverrides(o: RoundCliOptions): RoundSettings {
  const s: RoundSettings = {};
  if (o.strategy) {
    if (!(STRATEGIES as readonly string[]).includes(o.strategy)) throw new Error(`--strategy must be one of ${STRATEGIES.join(', ')}`);
    s.strategy = o.strategy as RoundSettings['strategy'];
  }
  if (o.engine) {
    if (!(ENGINE_NAMES as readonly string[]).includes(o.engine)) throw new Error(`--engine must be one of ${ENGINE_NAMES.join(', ')}`);
    s.engine = o.engine as EngineName;
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

/**
 * Waits for a round job (started by `round`, or by the write that completed a batch, as in the app) and prints it.
 */
export async function followRound(api: CliApi, job: JobStatus, log: (line: string) => void = console.log): Promise<RoundResult> {
  const r = (await api.waitJob(job.id, 'round')) as RoundResult;
  const cvGroup = (await api.call('settings.get', {})).cvGroup ?? 'night';
  printRound(r, log, cvGroup);
  return r;
}

/**
 * The round a write started (as the app's would), waited for and printed after `why`; null when it started none.
 * `before`: the service's round job before the write.
 */
export async function followStartedRound(
  api: CliApi,
  before: JobStatus | null,
  why: string,
  log: (line: string) => void = console.log,
): Promise<RoundResult | null> {
  const job = api.roundJob();
  if (!job || job.id === before?.id) return null;
  log(why);
  return followRound(api, job, log);
}

/** loop.startRound, its refusal worded for the command line. */
async function startRound(api: CliApi, force: boolean | undefined, settings: RoundSettings): Promise<string> {
  try {
    return (await api.call('loop.startRound', { force, settings })).jobId;
  } catch (e) {
    if (e instanceof ApiError && e.code === 'batch_incomplete') {
      throw new Error(`${e.message.replace(/; pass force.*$/, '')} (label them with \`finkvra label\`, or pass --force)`, { cause: e });
    }
    throw e;
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
      const settings = roundOverrides(opts);
      await withService(cmd, async (api) => {
        await announceSurvey(api, settings.featureSet);
        const jobId = await startRound(api, opts.force, settings);
        const r = (await api.waitJob(jobId, 'round')) as RoundResult;
        printRound(r, console.log, settings.cvGroup ?? (await api.call('settings.get', {})).cvGroup ?? 'night');
      });
    });
}
