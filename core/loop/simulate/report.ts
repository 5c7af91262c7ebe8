/**
 * The report folder of a simulation: learning curves per study (SVG, PNG) and as CSV, one summary table (CSV and
 * markdown: metric with at most B labels, labels needed to reach the targets, area under the learning curve),
 * permutation importance where computed, and the skipped tasks with their reason.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Task } from '../../labels.js';
import { aulc, atMost, CURVE_METRICS, labelsToReach, meanCurve, METRIC_LABELS, pairedDiff, seedsReaching, type CurveMetric, type PairedPoint } from './aggregate.js';
import { importanceSpec, learningCurveSpec, specToSvg, svgToPng, type CurveDatum } from './charts.js';
import { axisValue, cellKey, cellName, engineLabel, type Cell, type Grid } from './grid.js';
import type { ResultLine } from './results.js';

export interface Targets {
  accuracy: number;
  f1: number;
}

export interface TaskInfo {
  task: Task;
  alerts: [number, number];
  objects: [number, number];
  skipReason: string | null;
}

export interface ReportInput {
  grid: Grid;
  cells: Cell[];
  results: Map<string, ResultLine>;
  tasks: TaskInfo[];
  /** Feature names (importance rows). */
  featureNames: string[];
  targets: Targets;
  source: string;
  outDir: string;
  /** Extra lines for the markdown header (data, timing). */
  notes?: string[];
}

/** Label counts at which the summary reads the curves ("with at most B labels"). */
export const SUMMARY_BUDGETS = [20, 30, 40, 50, 60, 70] as const;
const PLOTTED: CurveMetric[] = ['accuracy', 'balancedAccuracy', 'f1', 'rocAuc'];

export interface SummaryRow {
  name: string;
  studies: string;
  task: string;
  strategy: string;
  n0: number;
  step: number;
  engine: string;
  classWeight: string;
  seeds: number;
  /** accuracy with at most B labels, per SUMMARY_BUDGETS */
  acc: Record<number, number>;
  f1At50: number;
  balAccAt50: number;
  aucAt50: number;
  accAtBudget: number;
  trainAccAtBudget: number;
  labelsToAcc: number | null;
  labelsToF1: number | null;
  seedsReachingAcc: number;
  aulcAcc: number;
  aulcF1: number;
  /** Paired accuracy difference vs the same configuration with random sampling (null for random itself / no pair). */
  vsRandom: { minDiff: number; atMinLabels: number; below: number; budgets: number; meanDiff: number } | null;
  seconds: number;
}

/** Key of the random-sampling cell with the same configuration otherwise, when it is one of `keys`. */
function randomTwinKey(cell: Cell, keys: ReadonlySet<string>): string | undefined {
  if (cell.config.strategy === 'random') return undefined;
  const want = cellKey({ ...cell.config, strategy: 'random' });
  return keys.has(want) ? want : undefined;
}

/** Summary of a paired curve: worst label count, how many label counts are below the reference (mean diff < 0). */
export function pairedSummary(p: readonly PairedPoint[]): SummaryRow['vsRandom'] {
  if (p.length === 0) return null;
  let min = p[0];
  for (const x of p) if (x.meanDiff < min.meanDiff) min = x;
  return {
    minDiff: min.meanDiff,
    atMinLabels: min.labels,
    below: p.filter((x) => x.meanDiff < 0).length,
    budgets: p.length,
    meanDiff: p.reduce((a, b) => a + b.meanDiff, 0) / p.length,
  };
}

export function summaryRow(cell: Cell, line: ResultLine, t: Targets, twin?: ResultLine): SummaryRow {
  const c = cell.config;
  const r = line.result;
  const acc = meanCurve(r, 'accuracy');
  const f1 = meanCurve(r, 'f1');
  return {
    name: cellName(c),
    studies: cell.studies.join(' '),
    task: c.task,
    strategy: c.strategy,
    n0: c.n0,
    step: c.step,
    engine: engineLabel(c.engine, c.params),
    classWeight: c.classWeight,
    seeds: r.seeds.length,
    acc: Object.fromEntries(SUMMARY_BUDGETS.map((b) => [b, atMost(acc, b)])),
    f1At50: atMost(f1, 50),
    balAccAt50: atMost(meanCurve(r, 'balancedAccuracy'), 50),
    aucAt50: atMost(meanCurve(r, 'rocAuc'), 50),
    accAtBudget: atMost(acc, c.budget),
    trainAccAtBudget: atMost(meanCurve(r, 'trainAccuracy'), c.budget),
    labelsToAcc: labelsToReach(acc, t.accuracy),
    labelsToF1: labelsToReach(f1, t.f1),
    seedsReachingAcc: seedsReaching(r, 'accuracy', t.accuracy),
    aulcAcc: aulc(acc, c.n0, c.budget),
    aulcF1: aulc(f1, c.n0, c.budget),
    // Past the start batch only: at N0 both cells hold the same model by construction.
    vsRandom: twin ? pairedSummary(pairedDiff(r, twin.result, 'accuracy').filter((p) => p.labels > c.n0)) : null,
    seconds: r.seconds,
  };
}

const f3 = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : '');
const f2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : '–');
const sgn = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;
const vs = (p: SummaryRow['vsRandom']): string => (p ? `${sgn(p.meanDiff)} / ${sgn(p.minDiff)} (${p.atMinLabels}) / ${p.below} of ${p.budgets}` : '');

export function summaryCsv(rows: readonly SummaryRow[], t: Targets): string {
  const head = [
    'name', 'studies', 'task', 'strategy', 'n0', 'step', 'engine', 'class_weight', 'seeds',
    ...SUMMARY_BUDGETS.map((b) => `accuracy_at_most_${b}`),
    'balanced_accuracy_at_most_50', 'f1_at_most_50', 'roc_auc_at_most_50', 'accuracy_at_budget', 'train_accuracy_at_budget',
    `labels_to_accuracy_${t.accuracy}`, `labels_to_f1_${t.f1}`, `seeds_reaching_accuracy_${t.accuracy}`,
    'aulc_accuracy', 'aulc_f1',
    'paired_accuracy_diff_vs_random_mean', 'paired_accuracy_diff_vs_random_min', 'labels_at_min_diff', 'label_counts_below_random', 'label_counts_compared',
    'seconds',
  ];
  return stringify([
    head,
    ...rows.map((r) => [
      r.name, r.studies, r.task, r.strategy, r.n0, r.step, r.engine, r.classWeight, r.seeds,
      ...SUMMARY_BUDGETS.map((b) => f3(r.acc[b])),
      f3(r.balAccAt50), f3(r.f1At50), f3(r.aucAt50), f3(r.accAtBudget), f3(r.trainAccAtBudget),
      r.labelsToAcc ?? '', r.labelsToF1 ?? '', f3(r.seedsReachingAcc), f3(r.aulcAcc), f3(r.aulcF1),
      f3(r.vsRandom?.meanDiff ?? NaN), f3(r.vsRandom?.minDiff ?? NaN), r.vsRandom?.atMinLabels ?? '', r.vsRandom?.below ?? '', r.vsRandom?.budgets ?? '',
      r.seconds.toFixed(1),
    ]),
  ]);
}

function variantOf(cell: Cell, grid: Grid, study: string): string {
  const s = grid.studies.find((x) => x.name === study)!;
  // With several test-set draws, the split names every variant even when the study does not vary it.
  const axes = (grid.splits ?? ['object']).length > 1 && !s.vary.includes('split') ? (['split', ...s.vary] as const) : s.vary;
  return axes.map((a) => axisValue(cell.config, a)).join(' ');
}

/** How the grid's held-out sets are drawn. */
function splitText(g: Grid): string {
  const object = `${Math.round(g.testFraction * 100)}% of the objects of each class (by object), a new split per seed`;
  const text = (g.splits ?? ['object']).map((s) =>
    s === 'object' ? `${object} ("split by object": same nights, optimistic)` : `one whole ${s} per seed, in turn ("leave one ${s} out")`,
  );
  return `Held-out set: ${text.join('; or ')}`;
}

/** Markdown: one table per study (its curves' variants as rows). */
export function summaryMarkdown(inp: ReportInput, rowsByKey: Map<string, SummaryRow>): string {
  const t = inp.targets;
  const out: string[] = [`# Simulation report: grid '${inp.grid.name}'`, ''];
  out.push(
    `Labels: ${inp.source}. ${splitText(inp.grid)}; ${inp.grid.seeds} seeds. Metrics are held-out, mean over seeds ` +
      `(leave one night / file out: of the predictions pooled over the seeds); "≤B" = the model trained ` +
      `on the largest evaluated label count ≤ B. AULC = mean accuracy over label counts N0..budget (step curve). ` +
      `Δacc vs random: paired per-seed accuracy difference to the same configuration with random sampling (same ` +
      `splits and start batches), mean over the evaluated label counts, the smallest (at that label count), and at how ` +
      `many label counts the mean difference is negative.`,
    '',
  );
  for (const n of inp.notes ?? []) out.push(`${n}  `);
  out.push('', '## Data per task', '', '| task | class 0 alerts (objects) | class 1 alerts (objects) | status |', '|---|---|---|---|');
  for (const ti of inp.tasks) {
    out.push(`| ${ti.task} | ${ti.alerts[0]} (${ti.objects[0]}) | ${ti.alerts[1]} (${ti.objects[1]}) | ${ti.skipReason ? `SKIPPED: ${ti.skipReason}` : 'simulated'} |`);
  }
  for (const s of inp.grid.studies) {
    const cells = inp.cells.filter((c) => c.studies.includes(s.name));
    const done = cells.filter((c) => rowsByKey.has(c.key));
    out.push('', `## ${s.title}`, '');
    if (done.length === 0) {
      out.push('No results (task skipped or not run).');
      continue;
    }
    if (done.length < cells.length) out.push(`${cells.length - done.length} cell(s) without results (skipped task or not run yet).`, '');
    out.push(`![${s.name}](${s.name}.png)`, '');
    out.push(
      `| variant | acc ≤20 | acc ≤30 | acc ≤50 | acc ≤70 | bal. acc ≤50 | F1 ≤50 | AUC ≤50 | labels to acc ≥ ${t.accuracy} | labels to F1 ≥ ${t.f1} | seeds reaching acc ${t.accuracy} | AULC acc | train acc at budget | Δacc vs random: mean / min (at) / counts below |`,
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const c of done) {
      const r = rowsByKey.get(c.key)!;
      out.push(
        `| ${variantOf(c, inp.grid, s.name)} | ${f2(r.acc[20])} | ${f2(r.acc[30])} | ${f2(r.acc[50])} | ${f2(r.acc[70])} | ${f2(r.balAccAt50)} | ${f2(r.f1At50)} | ${f2(r.aucAt50)} | ${r.labelsToAcc ?? 'not reached'} | ${r.labelsToF1 ?? 'not reached'} | ${f2(r.seedsReachingAcc)} | ${f2(r.aulcAcc)} | ${f2(r.trainAccAtBudget)} | ${vs(r.vsRandom)} |`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

export interface ImportanceRow {
  feature: string;
  mean: number;
  std: number;
  n: number;
}

/** Mean ± std over the seeds (and cells) that computed importance, sorted by decreasing mean. */
export function pooledImportance(lines: readonly ResultLine[], names: readonly string[]): ImportanceRow[] {
  const vals: number[][] = names.map(() => []);
  for (const l of lines) for (const s of l.result.seeds) s.importance?.forEach((v, f) => Number.isFinite(v) && vals[f]?.push(v));
  return names
    .map((feature, f) => {
      const v = vals[f];
      const mean = v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
      const std = v.length ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) : NaN;
      return { feature, mean, std, n: v.length };
    })
    .filter((r) => r.n > 0)
    .sort((a, b) => b.mean - a.mean);
}

/** Write every report file; returns the paths written. */
export async function writeReport(inp: ReportInput): Promise<string[]> {
  mkdirSync(inp.outDir, { recursive: true });
  const files: string[] = [];
  const put = (name: string, content: string | Buffer) => {
    const p = join(inp.outDir, name);
    writeFileSync(p, content);
    files.push(p);
  };
  const rowsByKey = new Map<string, SummaryRow>();
  const curveRows: (string | number)[][] = [];
  // A set, not a scan of the cells per cell: the full grid has thousands.
  const cellKeys = new Set(inp.cells.map((c) => c.key));
  for (const cell of inp.cells) {
    const line = inp.results.get(cell.key);
    if (!line) continue;
    const twin = randomTwinKey(cell, cellKeys);
    rowsByKey.set(cell.key, summaryRow(cell, line, inp.targets, twin ? inp.results.get(twin) : undefined));
    const c = cell.config;
    for (const m of CURVE_METRICS) {
      for (const p of meanCurve(line.result, m)) {
        curveRows.push([cellName(c), cell.studies.join(' '), c.task, c.strategy, c.n0, c.step, engineLabel(c.engine, c.params), c.classWeight, m, p.labels, f3(p.mean), f3(p.std), p.n]);
      }
    }
  }
  put(
    'curves.csv',
    stringify([['name', 'studies', 'task', 'strategy', 'n0', 'step', 'engine', 'class_weight', 'metric', 'labels', 'mean', 'std', 'n_seeds'], ...curveRows]),
  );
  put('summary.csv', summaryCsv([...rowsByKey.values()], inp.targets));
  put('summary.md', summaryMarkdown(inp, rowsByKey));

  for (const s of inp.grid.studies) {
    const data: CurveDatum[] = [];
    for (const cell of inp.cells) {
      if (!cell.studies.includes(s.name)) continue;
      const line = inp.results.get(cell.key);
      if (!line) continue;
      const variant = variantOf(cell, inp.grid, s.name);
      const test = cell.config.split === 'night' || cell.config.split === 'file' ? `leave one ${cell.config.split} out` : 'by object';
      for (const m of PLOTTED) for (const p of meanCurve(line.result, m)) data.push({ variant, test, metric: METRIC_LABELS[m], labels: p.labels, mean: p.mean, std: p.std });
    }
    if (data.length === 0) continue;
    const svg = await specToSvg(learningCurveSpec(s.title, data, PLOTTED.map((m) => METRIC_LABELS[m])));
    put(`${s.name}.svg`, svg);
    put(`${s.name}.png`, await svgToPng(svg));
  }

  // Importance per engine configuration (each engine ranks features its own way); pooled over strategies and seeds.
  const withImp = [...inp.results.values()].filter((l) => l.result.seeds.some((s) => s.importance));
  const byEngine = new Map<string, ResultLine[]>();
  for (const l of withImp) {
    const e = engineLabel(l.config.engine, l.config.params);
    byEngine.set(e, [...(byEngine.get(e) ?? []), l]);
  }
  const impRows: (string | number)[][] = [];
  for (const [engine, lines] of byEngine) {
    const rows = pooledImportance(lines, inp.featureNames);
    impRows.push(...rows.map((r) => [engine, r.feature, f3(r.mean), f3(r.std), r.n]));
    const svg = await specToSvg(
      importanceSpec(`Permutation importance, held-out sets (${engine}; final models of ${rows[0]?.n ?? 0} runs)`, rows),
    );
    const slug = engine.replace(/[^\w.-]+/g, '_');
    put(`importance_${slug}.svg`, svg);
    put(`importance_${slug}.png`, await svgToPng(svg));
  }
  if (impRows.length > 0) {
    put('importance.csv', stringify([['engine', 'feature', 'importance_mean_roc_auc_drop', 'std', 'n_values'], ...impRows]));
  }
  return files;
}
