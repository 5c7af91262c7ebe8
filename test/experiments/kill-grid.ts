import type { GridInput } from '../../core/loop/simulate/grid.js';

/** Enough cells (~0.2 s each) that a SIGKILL lands in the middle of the run. */
export const KILL_GRID: GridInput = {
  name: 'kill',
  seeds: 3,
  testFraction: 0.3,
  studies: [
    {
      name: 'kill',
      title: 'kill',
      vary: ['strategy', 'n0', 'step'],
      tasks: ['gal'],
      strategies: ['random', 'least_confidence', 'diversity'],
      n0: [4, 6, 8, 10],
      step: [3, 4, 5],
      engines: [{ engine: 'hrf', params: { nEstimators: 10, maxDepth: 3 } }],
      classWeights: ['none'],
      budget: 30,
    },
  ],
};
