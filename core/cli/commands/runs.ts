/**
 * `finkvra runs`: list, show, compare and export tracked runs (core/track).
 *   finkvra runs [list] [--experiment NAME] [--limit N] [--metrics a,b] [--json]
 *   finkvra runs show <runId> [--json]
 *   finkvra runs compare <runId...> [--json]
 *   finkvra runs export [runId] [--experiment NAME] --format csv|json|mlflow --out PATH
 * Run ids may be shortened to a unique prefix (at least 4 characters).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { SURVEY_LABELS } from '../../surveys/registry.js';
import { Option } from 'commander';
import type { ExperimentSummary, RunComparison, RunSummary } from '../../api/types.js';
import { EXPORT_FORMATS, exportMlflow } from '../../track/export.js';
import type { ExportFormat } from '../../track/export.js';
import { cvHeadline } from '../../track/headline.js';
import { resolveRunId, type TrackedRun } from '../../track/tracker.js';
import { withStore } from '../context.js';
import { intArg } from '../options.js';
import { withService } from '../service.js';

type Log = (line: string) => void;

/**
 * Metrics shown by `runs list` when --metrics is not given: the first four found, `cv_night_<name>` (the headline:
 * whole nights held out) before `cv_<name>` (folds by object, optimistic) before `<name>`.
 */
const PREFERRED_METRICS = ['balanced_accuracy', 'roc_auc', 'f1', 'accuracy', 'log_loss', 'figure_of_merit'];

function fmtNum(v: number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (Number.isNaN(v)) return 'NaN';
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 ? v.toExponential(3) : v.toFixed(4);
}

/** Aligned text table; numeric-looking cells right-aligned. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = /^-?[\d.]+(e[-+]?\d+)?$|^NaN$/;
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (numeric.test(c) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function chooseMetrics(runs: RunSummary[], wanted?: string): string[] {
  if (wanted) return wanted.split(',').map((s) => s.trim()).filter(Boolean);
  const present = new Set(runs.flatMap((r) => Object.keys(r.metrics)));
  // The loop logs cross-validated metrics with a cv_ prefix; plain names come from other loggers.
  const preferred = PREFERRED_METRICS.flatMap((k) => [`cv_night_${k}`, `cv_${k}`, k]).filter((k) => present.has(k));
  return (preferred.length ? preferred : [...present].sort()).slice(0, 4);
}

export function printRunList(
  runs: RunSummary[],
  exps: ExperimentSummary[],
  opts: { experiment?: string; metrics?: string },
  log: Log,
): void {
  if (runs.length === 0) {
    log(opts.experiment ? `no runs in experiment '${opts.experiment}'` : 'no runs yet');
    return;
  }
  const metrics = chooseMetrics(runs, opts.metrics);
  const header = ['run_id', 'experiment', 'name', 'survey', 'status', 'n_train', 'started', ...metrics];
  const rows = runs.map((r) => [
    r.runId,
    r.experiment,
    r.name,
    // Empty for a run that logged no feature set (its survey is not known).
    r.survey ? SURVEY_LABELS[r.survey] : '',
    r.status,
    r.nTrain >= 0 ? String(r.nTrain) : '',
    r.startedAt.slice(0, 19).replace('T', ' '),
    ...metrics.map((k) => nightCell(r.metrics, k) ?? fmtNum(r.metrics[k])),
  ]);
  for (const l of table(header, rows)) log(l);
  if (metrics.some((k) => k.startsWith('cv_night_')) && metrics.some((k) => /^cv_(?!night_)/.test(k))) {
    log(`cv_night_*: whole nights held out (a forecast of the next night); cv_*: folds by object within the same nights (optimistic)`);
  }
  if (!opts.experiment && exps.length > 1) log(`\n${exps.length} experiments: ${exps.map((e) => `${e.name} (${e.runs})`).join(', ')}`);
}

/** `n/a` for a night-grouped metric of a run that had labels from too few nights to compute it. */
function nightCell(m: Record<string, number>, key: string): string | null {
  return key.startsWith('cv_night_') && m[key] === undefined && m.cv_night_groups !== undefined ? 'n/a' : null;
}

export function printRun(r: TrackedRun, log: Log): void {
  log(`run ${r.runId}  ${r.name}  [${r.status}]`);
  log(`experiment ${r.experiment} (id ${r.experimentId})`);
  log(`started ${r.startedAt}${r.finishedAt ? `, finished ${r.finishedAt}` : ''}${r.userId ? ` by ${r.userId}` : ''}`);
  if (r.round >= 0 || r.strategy || r.engine) {
    log(`round ${r.round >= 0 ? r.round : '?'}, strategy ${r.strategy || '?'}, engine ${r.engine || '?'}, n_train ${r.nTrain >= 0 ? r.nTrain : '?'}`);
  }
  const kv = (title: string, rec: Record<string, string>): void => {
    const keys = Object.keys(rec).sort();
    log('');
    log(`${title}${keys.length ? '' : ': none'}`);
    for (const k of keys) log(`  ${k} = ${rec[k]}`);
  };
  kv('params', r.params);
  kv('tags', r.tags);
  const headline = cvHeadline(r.metrics, r.tags['cv_night.unit'] === 'file' ? 'file' : 'night');
  if (headline.length) log('');
  for (const l of headline) log(l);
  const counts = new Map<string, number>();
  for (const m of r.metricHistory) counts.set(m.key, (counts.get(m.key) ?? 0) + 1);
  const mkeys = Object.keys(r.metrics).sort();
  log('');
  log(`metrics (latest)${mkeys.length ? '' : ': none'}`);
  for (const k of mkeys) {
    const n = counts.get(k) ?? 1;
    log(`  ${k} = ${fmtNum(r.metrics[k])}${n > 1 ? `  (${n} points)` : ''}`);
  }
  if (r.confusion) {
    log('');
    log('confusion matrix (rows: true class, columns: predicted)');
    for (const row of r.confusion) log(`  ${row.map((v) => String(v).padStart(6)).join(' ')}`);
  }
  if (r.importance.length) {
    log('');
    log('permutation importance (top 10)');
    const top = [...r.importance].sort((a, b) => b.mean - a.mean).slice(0, 10);
    for (const l of table(['feature', 'mean', 'std'], top.map((i) => [i.feature, fmtNum(i.mean), fmtNum(i.std)]))) {
      log(`  ${l}`);
    }
  }
  if (r.balance) {
    const fmt = (c: Record<string, number>): string =>
      Object.entries(c).map(([k, v]) => `${k} ${fmtNum(v)}`).join(', ') || 'none';
    log('');
    log(`balance: train ${fmt(r.balance.train)}; batch ${fmt(r.balance.batch)}; pool predicted ${fmt(r.balance.poolPredicted)}`);
    for (const w of r.balance.warnings) log(`  warning: ${w}`);
  }
  log('');
  log(`artifacts (${r.artifactUri})${r.artifacts.length ? '' : ': none'}`);
  for (const a of r.artifacts) log(`  ${a}`);
  for (const p of r.problems ?? []) log(`warning: ${p}`);
}

export function printComparison(c: RunComparison, log: Log): void {
  const header = ['', ...c.runs.map((r) => `${r.name} (${r.runId.slice(0, 8)})`)];
  const rows: string[][] = [
    ['experiment', ...c.runs.map((r) => r.experiment)],
    ['status', ...c.runs.map((r) => r.status)],
    ...c.params.map((p) => [`${p.differs ? '* ' : ''}params.${p.key}`, ...p.values.map((v) => v ?? '')]),
    ...c.metrics.map((m) => [`metrics.${m.key}`, ...m.values.map(fmtNum)]),
  ];
  for (const l of table(header, rows)) log(l);
  if (c.params.some((p) => p.differs)) log('\n* params that differ between the runs');
}

export function registerRuns(program: Command, log: Log = console.log): void {
  const runs = program.command('runs').description('tracked runs (rounds, simulations): list, show, compare, export');

  runs
    .command('list', { isDefault: true })
    .description('runs, newest first, with their latest metrics')
    .option('-e, --experiment <name>', 'only this experiment')
    .option('-n, --limit <n>', 'at most n runs', intArg(1))
    .option('-m, --metrics <keys>', 'comma-separated metric keys to show')
    .option('--json', 'print the runs as JSON')
    .action(async (opts: { experiment?: string; limit?: number; metrics?: string; json?: boolean }, cmd: Command) => {
      await withService(cmd, async (api) => {
        const runs = await api.call('runs.list', { experiment: opts.experiment, limit: opts.limit });
        if (opts.json) log(JSON.stringify(runs, null, 2));
        else printRunList(runs, await api.call('runs.experiments', {}), opts, log);
      });
    });

  runs
    .command('show')
    .description('one run in full: params, tags, metrics, confusion, importance, balance, artifacts')
    .argument('<runId>', 'run id or a unique prefix of it')
    .option('--json', 'print the run as JSON')
    .action(async (runId: string, opts: { json?: boolean }, cmd: Command) => {
      await withService(cmd, async (api) => {
        // The service returns the tracker's whole record (its folder, user, experiment id) beyond RunDetail.
        const r = (await api.call('runs.get', { runId })) as TrackedRun;
        if (opts.json) log(JSON.stringify(r, null, 2));
        else printRun(r, log);
      });
    });

  runs
    .command('compare')
    .description('params and latest metrics of several runs side by side')
    .argument('<runIds...>', 'two or more run ids (or unique prefixes)')
    .option('--json', 'print the comparison as JSON')
    .action(async (ids: string[], opts: { json?: boolean }, cmd: Command) => {
      await withService(cmd, async (api) => {
        const c = await api.call('runs.compare', { runIds: ids });
        if (opts.json) log(JSON.stringify(c, null, 2));
        else printComparison(c, log);
      });
    });

  runs
    .command('export')
    .description('export a run or an experiment as CSV, JSON, or an MLflow file store (mlflow ui --backend-store-uri OUT)')
    .argument('[runId]', 'the run to export (or use --experiment)')
    .option('-e, --experiment <name>', 'export every run of this experiment')
    .addOption(new Option('-f, --format <format>', 'output format').choices(EXPORT_FORMATS).makeOptionMandatory())
    .requiredOption('-o, --out <path>', "file to write (csv, json; '-' for stdout) or folder (mlflow)")
    .action(
      async (runId: string | undefined, opts: { experiment?: string; format: ExportFormat; out: string }, cmd: Command) => {
        if ((runId === undefined) === (opts.experiment === undefined)) {
          cmd.error('give either a run id or --experiment NAME');
        }
        if (opts.format === 'mlflow') {
          if (opts.out === '-') cmd.error('the mlflow format writes a folder: give --out DIR');
          // A folder where the user says, with absolute paths inside: no contract method writes anywhere it is told.
          await withStore(cmd, (db) => {
            const sel = runId !== undefined ? { runId: resolveRunId(db, runId) } : { experiment: opts.experiment as string };
            const res = exportMlflow(db, sel, opts.out);
            log(`wrote ${res.runs.length} run(s) of ${res.experiments.length} experiment(s) to ${res.root}`);
            log(`open with: mlflow ui --backend-store-uri ${res.root}`);
          });
          return;
        }
        const format = opts.format;
        const sel = runId !== undefined ? { runId, format } : { experiment: opts.experiment as string, format };
        const { text } = await withService(cmd, (api) => api.call('runs.exportText', sel));
        if (opts.out === '-') {
          process.stdout.write(text);
          return;
        }
        const out = resolve(opts.out);
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, text);
        log(`wrote ${out}`);
      },
    );
}
