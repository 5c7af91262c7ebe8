/** The learning engine's public surface (see README.md in this folder). */
export * from './classifier.js';
export * from './metrics.js';
export * from './cv.js';
export * from './importance.js';
export * from './strategies.js';
export * from './committee.js';
export * from './balance.js';
export { autoMinSamplesLeaf, type HgbParams } from './hist-gbm.js';
export { resolveMaxFeatures, type HrfParams } from './hist-forest.js';
export type { MlrfParams } from './mlrf-adapter.js';
export { Rng } from './random.js';
