/**
 * `finkvra simulate` end to end: load the labelled set per task, skip tasks with too few examples of a class, expand
 * the grid, skip cells already in the results file (resume), run the rest in worker threads (or inline), append each
 * finished cell to the results file and track it as a run, then write the report folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Task } from '../../labels.js';
import type { Db } from '../../store/database.js';
import { endRun, logArtifact, logMetrics, logParams, setTags, startRun } from '../../track/tracker.js';
import { CURVE_METRICS, meanCurve } from './aggregate.js';
import { runCell, type CellData, type CellResult } from './cell.js';
import { classSupport, loadSimDataset, type LabelSourceChoice, type SimDataset } from './dataset.js';
import { cellName, expandGrid, GridSchema, type Cell, type GridInput } from './grid.js';
import { writeReport, type TaskInfo, type Targets } from './report.js';
import { appendResult, readResults, type ResultLine } from './results.js';
import { SimWorkerPool } from './worker.js';
import { FEATURE_SET_SURVEY, type FeatureSetName } from '../../features/names.js';
import { SURVEY_LABELS } from '../../surveys/registry.js';

export interface SimulateOptions {
  /** The store: labelled sets are loaded from it (unless given in `datasets`) and cells tracked in it. */
  db: Db | null;
  /** Labelled sets per task, instead of loading them from the store (tests, other data). */
  datasets?: Partial<Record<Task, SimDataset>>;
  grid: GridInput;
  source: LabelSourceChoice;
  outDir: string;
  /** Worker threads (0 = run on the calling thread). */
  workers: number;
  targets?: Targets;
  /** Start over: the old results file is renamed aside. */
  fresh?: boolean;
  /** Track each cell as a run in the store (default true); artifacts go under artifactsRoot. */
  track?: { artifactsRoot: string } | null;
  /** Only these tasks of the grid. */
  tasks?: Task[];
  /** The feature set the labelled sets are loaded with (default seed). */
  featureSet?: FeatureSetName;
  /** Stop after this many new cells (tests of resume). */
  maxCells?: number;
  onCell?: (done: number, total: number, name: string, seconds: number) => void;
  log?: (line: string) => void;
}

export interface SimulateSummary {
  outDir: string;
  resultsFile: string;
  cells: number;
  /** Cells found in the results file (not run again). */
  resumed: number;
  ran: number;
  /** Cells of skipped tasks. */
  skippedCells: number;
  tasks: TaskInfo[];
  seconds: number;
  files: string[];
}

/** Identity of a labelled set: a resumed run must see the same rows, labels and features. */
export function datasetFingerprint(ds: SimDataset): string {
  const h = createHash('sha256');
  h.update(ds.task).update(ds.candids.join(',')).update(ds.y).update(new Uint8Array(ds.X.buffer, ds.X.byteOffset, ds.X.byteLength));
  return h.digest('hex').slice(0, 16);
}

function cellData(ds: SimDataset): CellData {
  return { X: ds.X, n: ds.n, d: ds.d, y: ds.y, objectIds: ds.objectIds, names: ds.names, groups: ds.groups };
}

function trackCell(db: Db, root: string, experiment: string, cell: Cell, r: CellResult, startTime: number, source: string): string {
  const c = cell.config;
  const runId = startRun(db, { experiment, name: cellName(c), artifactsRoot: root, startTime });
  logParams(db, runId, {
    task: c.task,
    strategy: c.strategy,
    engine: c.engine,
    ...Object.fromEntries(Object.entries(c.params).map(([k, v]) => [`engine.${k}`, v === null ? 'none' : v])),
    class_weight: c.classWeight,
    n0: c.n0,
    step: c.step,
    budget: c.budget,
    n_train: c.budget,
    seeds: c.seeds.length,
    test_fraction: c.testFraction,
    split: c.split ?? 'object',
    drop: c.drop?.join(',') || 'none',
    labels_source: source,
  });
  setTags(db, runId, { kind: 'simulation', studies: cell.studies.join(' '), cell_key: cell.key });
  const rows: string[] = ['labels,metric,mean,std,n_seeds'];
  for (const m of CURVE_METRICS) {
    const key = m.replace(/[A-Z]/g, (x) => `_${x.toLowerCase()}`);
    for (const p of meanCurve(r, m)) {
      logMetrics(db, runId, { [`${key}_mean`]: p.mean, [`${key}_std`]: p.std }, p.labels);
      rows.push(`${p.labels},${m},${p.mean},${p.std},${p.n}`);
    }
  }
  logArtifact(db, runId, 'curve.csv', `${rows.join('\n')}\n`);
  endRun(db, runId, 'FINISHED');
  return runId;
}

/** "lsst (Rubin/LSST alerts)": the feature set a simulation used, and so its survey. */
export function featureSetText(set: FeatureSetName): string {
  return `${set} (${SURVEY_LABELS[FEATURE_SET_SURVEY[set]]} alerts)`;
}

export async function runSimulation(o: SimulateOptions): Promise<SimulateSummary> {
  const t0 = performance.now();
  const log = o.log ?? (() => {});
  const grid = GridSchema.parse(o.grid);
  const targets = o.targets ?? { accuracy: 0.9, f1: 0.9 };
  let cells = expandGrid(grid);
  if (o.tasks) cells = cells.filter((c) => o.tasks!.includes(c.config.task));
  mkdirSync(o.outDir, { recursive: true });
  const resultsFile = join(o.outDir, 'results.jsonl');
  const metaFile = join(o.outDir, 'data.json');

  const taskList = [...new Set(cells.map((c) => c.config.task))];
  const datasets = new Map<Task, SimDataset>();
  const tasks: TaskInfo[] = [];
  const fingerprints: Record<string, string> = {};
  for (const task of taskList) {
    const given = o.datasets?.[task];
    if (!given && !o.db) throw new Error(`no store and no dataset for task ${task}`);
    const ds = given ?? loadSimDataset(o.db!, task, o.source, undefined, o.featureSet);
    const sup = classSupport(ds);
    tasks.push({ task, alerts: sup.alerts, objects: sup.objects, skipReason: sup.skipReason });
    if (sup.skipReason) {
      log(`skipped: ${sup.skipReason}`);
      continue;
    }
    datasets.set(task, ds);
    fingerprints[task] = datasetFingerprint(ds);
  }

  if (o.fresh && existsSync(resultsFile)) renameSync(resultsFile, `${resultsFile}.${Date.now()}.old`);
  if (existsSync(metaFile) && existsSync(resultsFile)) {
    const old = JSON.parse(readFileSync(metaFile, 'utf8')) as { fingerprints?: Record<string, string> };
    for (const [task, fp] of Object.entries(fingerprints)) {
      if (old.fingerprints?.[task] && old.fingerprints[task] !== fp) {
        throw new Error(
          `the ${task} labelled set changed since ${resultsFile} was written (labels or features differ): ` +
            'rerun with --fresh, or choose another --out folder',
        );
      }
    }
  }
  writeFileSync(metaFile, JSON.stringify({ source: o.source, fingerprints, grid }, null, 2));

  const results = readResults(resultsFile);
  const runnable = cells.filter((c) => datasets.has(c.config.task));
  const todo = runnable.filter((c) => !results.has(c.key)).slice(0, o.maxCells ?? Infinity);
  const resumed = runnable.length - runnable.filter((c) => !results.has(c.key)).length;
  if (resumed > 0) log(`resuming: ${resumed} of ${runnable.length} cell(s) already in ${resultsFile}`);

  const experiment = `simulate-${grid.name}`;
  let done = 0;
  const finish = (cell: Cell, r: CellResult, started: number) => {
    const line: ResultLine = { key: cell.key, config: cell.config, result: r, at: new Date().toISOString() };
    if (o.track && o.db) line.runId = trackCell(o.db, o.track.artifactsRoot, experiment, cell, r, started, o.source);
    appendResult(resultsFile, line);
    results.set(cell.key, line);
    o.onCell?.(++done, todo.length, cellName(cell.config), r.seconds);
  };

  // Longest cells first (many rounds, committee) so the two workers end together.
  const cost = (c: Cell) => ((c.config.budget - c.config.n0) / c.config.step + 1) * (c.config.strategy === 'committee' ? 6 : 1);
  const queue = [...todo].sort((a, b) => cost(b) - cost(a));
  if (o.workers > 0 && queue.length > 0) {
    const data: Record<string, CellData> = {};
    for (const [task, ds] of datasets) data[task] = cellData(ds);
    const pool = new SimWorkerPool(Math.min(o.workers, queue.length), data);
    try {
      await Promise.all(
        queue.map((cell) => {
          const started = Date.now();
          return pool.run(cell.config.task, cell.config).then((r) => finish(cell, r, started));
        }),
      );
    } finally {
      await pool.close();
    }
  } else {
    for (const cell of queue) {
      const started = Date.now();
      finish(cell, runCell(cellData(datasets.get(cell.config.task)!), cell.config), started);
      await new Promise((r) => setImmediate(r));
    }
  }

  const anyDs = [...datasets.values()][0];
  const seconds = (performance.now() - t0) / 1000;
  const files = await writeReport({
    grid,
    cells,
    results,
    tasks,
    featureNames: anyDs?.names ?? [],
    targets,
    source: o.source,
    outDir: o.outDir,
    notes: [
      `Features: ${featureSetText(o.featureSet ?? 'seed')}.`,
      `Cells: ${cells.length} (${resumed} from an earlier run, ${todo.length} run now, ${cells.length - runnable.length} of skipped tasks).`,
      `This run took ${seconds.toFixed(0)} s with ${o.workers} worker thread(s).`,
    ],
  });
  return {
    outDir: o.outDir,
    resultsFile,
    cells: cells.length,
    resumed,
    ran: todo.length,
    skippedCells: cells.length - runnable.length,
    tasks,
    seconds,
    files,
  };
}
