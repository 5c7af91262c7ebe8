/** `finkvra simulate`: simulated active-learning experiments on a labelled set (core/loop/simulate). */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { TASKS, type Task } from '../../labels.js';
import { NAMED_GRIDS, SIM_SPLITS, type GridInput, type SimSplit } from '../../loop/simulate/grid.js';
import { runSimulation } from '../../loop/simulate/run.js';
import { artifactsRootFor } from '../../track/tracker.js';
import { withStore } from '../context.js';
import { intArg, numberArg } from '../options.js';
import { FEATURE_SETS, parseFeatureSet } from '../../features/names.js';
import { getSettings } from '../../store/settings.js';

interface SimulateCliOptions {
  labels: string;
  grid: string;
  seeds?: number;
  split?: string;
  tasks?: string;
  workers: number;
  out?: string;
  fresh?: boolean;
  track: boolean;
  targetAccuracy: number;
  targetF1: number;
  features?: string;
}

function loadGrid(name: string): GridInput {
  if (NAMED_GRIDS[name]) return NAMED_GRIDS[name];
  try {
    return JSON.parse(readFileSync(name, 'utf8')) as GridInput;
  } catch (e) {
    throw new Error(`--grid ${name}: not a named grid (${Object.keys(NAMED_GRIDS).join(', ')}) nor a readable JSON grid file: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function splitList(v: string): SimSplit[] {
  const list = v.split(',').map((x) => x.trim());
  for (const x of list) if (!(SIM_SPLITS as readonly string[]).includes(x)) throw new Error(`--split: unknown test set '${x}' (one of ${SIM_SPLITS.join(', ')})`);
  return list as SimSplit[];
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      'simulate active learning on the labelled alerts: held-out set by object or one night / file left out, start batch N0, N per round by each ' +
        'strategy up to a budget; learning curves, summary table and figures in a report folder (resumable)',
    )
    .option('--labels <source>', 'weak (catalogue labels, see `labels weak`) or human', 'weak')
    .option('--grid <name|file>', `grid: ${Object.keys(NAMED_GRIDS).join(' | ')} | a JSON file (core/loop/simulate/grid.ts)`, 'default')
    .option('--seeds <n>', 'seeds per cell (overrides the grid)', intArg(1))
    .option('--split <list>', `test sets (comma-separated: ${SIM_SPLITS.join(', ')}; overrides the grid): object = 30 % of the objects, night / file = leave one night / source file out`)
    .option('--tasks <list>', `only these tasks (comma-separated: ${TASKS.join(', ')})`)
    .option('--workers <n>', 'worker threads (0 = main thread)', intArg(0, 64), 2)
    .option('--out <dir>', 'report folder (default: <store folder>/reports/simulate-<grid>)')
    .option('--fresh', 'start over instead of resuming from the results file in the report folder')
    .option('--no-track', 'do not log each cell as a run in the store')
    .option('--target-accuracy <x>', 'accuracy target for "labels needed"', numberArg(0, 1), 0.9)
    .option('--target-f1 <x>', 'F1 target for "labels needed"', numberArg(0, 1), 0.9)
    .option('--features <set>', `feature set (${FEATURE_SETS.join(', ')}); default from settings`)
    .action(async (opts: SimulateCliOptions, cmd: Command) => {
      if (opts.labels !== 'weak' && opts.labels !== 'human') throw new Error(`--labels must be weak or human, not '${opts.labels}'`);
      const source = opts.labels;
      const grid = { ...loadGrid(opts.grid) };
      if (opts.seeds !== undefined) grid.seeds = opts.seeds;
      if (opts.split !== undefined) grid.splits = splitList(opts.split);
      const tasks = opts.tasks?.split(',').map((t) => t.trim()) as Task[] | undefined;
      for (const t of tasks ?? []) if (!(TASKS as readonly string[]).includes(t)) throw new Error(`--tasks: unknown task '${t}' (one of ${TASKS.join(', ')})`);
      const chosen = opts.features ? parseFeatureSet(opts.features, '--features') : undefined;
      await withStore(cmd, async (db, ctx) => {
        const featureSet = chosen ?? getSettings(db, ctx.dbPath).featureSet;
        // Each feature set reports in its own folder: the two never mix in one results file.
        const folder = `simulate-${grid.name}${featureSet === 'seed' ? '' : `-${featureSet}`}`;
        const outDir = resolve(opts.out ?? join(dirname(resolve(ctx.dbPath)), 'reports', folder));
        const tty = process.stderr.isTTY;
        const bar = new cliProgress.SingleBar({ format: 'simulate [{bar}] {value}/{total} cells | {name}', hideCursor: true }, cliProgress.Presets.shades_classic);
        let started = false;
        const s = await runSimulation({
          db,
          grid,
          source,
          outDir,
          workers: opts.workers,
          fresh: opts.fresh,
          tasks,
          featureSet,
          track: opts.track ? { artifactsRoot: artifactsRootFor(ctx.dbPath) } : null,
          targets: { accuracy: opts.targetAccuracy, f1: opts.targetF1 },
          log: (line) => console.log(line),
          onCell: (done, total, name, secs) => {
            if (!tty) return void console.log(`[${done}/${total}] ${name} (${secs.toFixed(1)} s)`);
            if (!started) {
              bar.start(total, 0, { name });
              started = true;
            }
            bar.update(done, { name });
          },
        });
        if (started) bar.stop();
        console.log(
          `${s.cells} cell(s): ${s.ran} run, ${s.resumed} resumed, ${s.skippedCells} skipped (task with too few examples) in ${s.seconds.toFixed(0)} s`,
        );
        console.log(`report: ${s.outDir} (summary.md, summary.csv, curves.csv, figures)`);
      });
    });
}
