/**
 * Simulation benchmark (npm run bench:simulate; or node --import tsx test/bench/simulate.bench.ts [--db store.sqlite]
 * [--seeds 5] [--workers 2]).
 * A small grid (random, least confidence, committee, diversity × hgb and hrf 50 trees; N0 = 10, N = 5, budget 50) on a
 * synthetic labelled set shaped like the real weak-labelled galactic set (200 alerts, 21 features), or on the gal task
 * of a store given with --db (weak labels from `finkvra labels weak`). Runs the grid on the main thread and in worker
 * threads and prints cells/s, seed runs/s and model fits/s. Wall time on a shared machine includes the neighbours.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSimDataset, type SimDataset } from '../../core/loop/simulate/dataset.js';
import { expandGrid, type GridInput } from '../../core/loop/simulate/grid.js';
import { runSimulation } from '../../core/loop/simulate/run.js';
import { openStore } from '../../core/store/database.js';
import { separableDataset } from '../experiments/synthetic.js';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}
const SEEDS = Number(arg('seeds', '5'));
const WORKERS = Number(arg('workers', '2'));
const DB = arg('db', '');

const GRID: GridInput = {
  name: 'bench',
  seeds: SEEDS,
  testFraction: 0.3,
  studies: [
    {
      name: 'bench',
      title: 'bench',
      vary: ['strategy', 'engine'],
      tasks: ['gal'],
      strategies: ['random', 'least_confidence', 'committee', 'diversity'],
      n0: [10],
      step: [5],
      engines: [
        { engine: 'hgb', params: { learningRate: 0.1 } },
        { engine: 'hrf', params: { nEstimators: 50, maxDepth: null } },
      ],
      classWeights: ['none'],
      budget: 50,
    },
  ],
};

/** Model fits per seed run: one per round, plus 5 committee members per round but the last. */
function fitsOf(grid: GridInput): number {
  let fits = 0;
  for (const c of expandGrid(grid)) {
    const rounds = Math.ceil((c.config.budget - c.config.n0) / c.config.step) + 1;
    fits += c.config.seeds.length * (rounds + (c.config.strategy === 'committee' ? 5 * (rounds - 1) : 0));
  }
  return fits;
}

async function main(): Promise<void> {
  let ds: SimDataset;
  if (DB) {
    const db = openStore(DB);
    ds = loadSimDataset(db, 'gal', 'weak');
    db.close();
  } else ds = separableDataset({ n: 200, d: 21, perObject: 2, noise: 0.08, seed: 3 });
  const cells = expandGrid(GRID).length;
  const seedRuns = cells * SEEDS;
  const fits = fitsOf(GRID);
  console.log(`data: ${DB ? `${DB} (gal, weak labels)` : 'synthetic'} ${ds.n} × ${ds.d}; grid: ${cells} cells × ${SEEDS} seeds; ~${fits} model fits`);
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const rows: string[] = ['| mode | wall s | cells/s | seed runs/s | fits/s |', '|---|---|---|---|---|'];
  for (const workers of [0, WORKERS]) {
    const dir = mkdtempSync(join(tmpdir(), 'finkvra-simbench-'));
    const t0 = performance.now();
    const s = await runSimulation({ db: null, datasets: { gal: ds }, grid: GRID, source: 'weak', outDir: dir, workers, track: null });
    const wall = (performance.now() - t0) / 1000;
    rmSync(dir, { recursive: true, force: true });
    if (s.ran !== cells) throw new Error(`ran ${s.ran} of ${cells} cells`);
    const mode = workers === 0 ? 'main thread' : `${workers} worker threads`;
    rows.push(`| ${mode} | ${wall.toFixed(1)} | ${(cells / wall).toFixed(2)} | ${(seedRuns / wall).toFixed(1)} | ${(fits / wall).toFixed(0)} |`);
  }
  console.log('(wall time includes writing the report: figures through vega and resvg, ~1 s)');
  console.log(rows.join('\n'));
}

await main();
