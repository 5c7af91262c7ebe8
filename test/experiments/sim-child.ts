/** Child process for the kill-and-resume test: runs a synthetic grid inline until killed. Args: outDir. */
import { runSimulation } from '../../core/loop/simulate/run.js';
import { KILL_GRID } from './kill-grid.js';
import { separableDataset } from './synthetic.js';

await runSimulation({
  db: null,
  datasets: { gal: separableDataset({ n: 160 }) },
  grid: KILL_GRID,
  source: 'weak',
  outDir: process.argv[2],
  workers: 0,
  track: null,
});
