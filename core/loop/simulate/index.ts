/** Simulated active-learning experiments (finkvra simulate): the public surface. */
export { runSimulation, datasetFingerprint, type SimulateOptions, type SimulateSummary } from './run.js';
export {
  DEFAULT_GRID,
  TINY_GRID,
  FULL_GRID,
  NAMED_GRIDS,
  SIM_STRATEGIES,
  expandGrid,
  cellKey,
  cellName,
  type Cell,
  type CellConfig,
  type Grid,
  type GridInput,
  type Study,
} from './grid.js';
export { loadSimDataset, classSupport, MIN_OBJECTS_PER_CLASS, type SimDataset, type ClassSupport, type LabelSourceChoice } from './dataset.js';
export { runCell, runSeed, type CellData, type CellResult, type SeedResult, type CurvePoint } from './cell.js';
export { meanCurve, atMost, labelsToReach, aulc, pairedDiff, CURVE_METRICS, type CurveMetric, type MeanPoint } from './aggregate.js';
export { readResults, type ResultLine } from './results.js';
export { writeReport, type Targets } from './report.js';
