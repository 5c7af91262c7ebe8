/**
 * The simulation grid: studies (each a cartesian product over a few axes, the rest held at a baseline) expanded into
 * cells. A cell is one configuration run over all its seeds; its key excludes the study, so a configuration shared by
 * two studies (the baseline) runs once.
 */
import { z } from 'zod';
import { TASKS, type Task } from '../../labels.js';
import { ENGINE_NAMES, type EngineName } from '../../learn/engines.js';
import { STRATEGIES } from '../../learn/strategies.js';
import type { LoopStrategy } from '../select.js';

export const CLASS_WEIGHTS = ['none', 'balanced'] as const;
/**
 * How a seed's test set is drawn: `object` = 30 % of the objects, from every night (optimistic: the model can learn
 * which night an alert came from); `night` / `file` = one whole night / source file per seed, in turn (seed s holds
 * out the (s mod G)-th of the G groups): leave-one-night-out, a forecast of a night never seen.
 */
export const SIM_SPLITS = ['object', 'night', 'file'] as const;
export type SimSplit = (typeof SIM_SPLITS)[number];
export type ClassWeightChoice = (typeof CLASS_WEIGHTS)[number];

const ParamValue = z.union([z.number(), z.string(), z.null()]);
export const EngineChoiceSchema = z.object({
  engine: z.enum(ENGINE_NAMES),
  params: z.record(z.string(), ParamValue).default({}),
});
export type EngineChoice = z.output<typeof EngineChoiceSchema>;

export const StudySchema = z.object({
  name: z.string().regex(/^[\w-]+$/),
  title: z.string(),
  /** Axes whose values name a curve in the study's figure (e.g. ['strategy']). */
  vary: z.array(z.enum(['task', 'strategy', 'n0', 'step', 'engine', 'classWeight', 'split', 'drop'])).min(1),
  tasks: z.array(z.enum(TASKS)).min(1),
  strategies: z.array(z.enum(STRATEGIES)).min(1),
  n0: z.array(z.number().int().min(1)).min(1),
  step: z.array(z.number().int().min(1)).min(1),
  engines: z.array(EngineChoiceSchema).min(1),
  classWeights: z.array(z.enum(CLASS_WEIGHTS)).min(1),
  budget: z.number().int().min(2),
  /** Feature sets to compare: each entry a list of features left out ([] = all features). */
  drop: z.array(z.array(z.string())).min(1).default([[]]),
  /** Permutation importance of each seed's final model on its held-out set. */
  importance: z.boolean().default(false),
});
export type Study = z.output<typeof StudySchema>;

export const GridSchema = z.object({
  name: z.string().regex(/^[\w-]+$/),
  seeds: z.number().int().min(1).default(10),
  /** Fraction of OBJECTS held out (stratified by class). */
  testFraction: z.number().gt(0).lt(1).default(0.3),
  /** Test-set draws every cell runs with (SIM_SPLITS). */
  splits: z.array(z.enum(SIM_SPLITS)).min(1).default(['object']),
  studies: z.array(StudySchema).min(1),
});
export type Grid = z.output<typeof GridSchema>;
export type GridInput = z.input<typeof GridSchema>;

/** One configuration (all seeds); everything that changes a result is in here and in its key. */
export interface CellConfig {
  task: Task;
  strategy: LoopStrategy;
  n0: number;
  step: number;
  budget: number;
  engine: EngineName;
  params: Record<string, number | string | null>;
  classWeight: ClassWeightChoice;
  seeds: number[];
  testFraction: number;
  /** Default object. */
  split?: SimSplit;
  /** Features left out (default none). */
  drop?: string[];
  importance: boolean;
}

export interface Cell {
  key: string;
  config: CellConfig;
  /** Studies this cell belongs to. */
  studies: string[];
}

const sortedObject = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

/**
 * Stable key of a configuration (field order fixed, params sorted). `importance` is not part of it: it adds an
 * output, not a different experiment; a cell asked for importance by any of its studies computes it.
 */
export function cellKey(c: CellConfig): string {
  return JSON.stringify([
    c.task,
    c.strategy,
    c.n0,
    c.step,
    c.budget,
    c.engine,
    sortedObject(c.params),
    c.classWeight,
    c.seeds,
    c.testFraction,
    // Not in the key of an object split: results files written before splits existed resume as they are.
    ...(!c.split || c.split === 'object' ? [] : [c.split]),
    ...(c.drop?.length ? [{ drop: c.drop }] : []),
  ]);
}

/** A short human name, e.g. "gal least_confidence n0=10 step=5 hgb learningRate=0.1 cw=none". */
export function cellName(c: CellConfig): string {
  const split = !c.split || c.split === 'object' ? '' : ` split=${c.split}`;
  const drop = c.drop?.length ? ` without ${c.drop.join(',')}` : '';
  return `${c.task} ${c.strategy} n0=${c.n0} step=${c.step} ${engineLabel(c.engine, c.params)} cw=${c.classWeight}${split}${drop}`;
}

export function engineLabel(engine: EngineName, params: Record<string, unknown>): string {
  const p = Object.entries(sortedObject(params)).map(([k, v]) => `${k}=${v === null ? 'none' : String(v)}`);
  return [engine, ...p].join(' ');
}

/** Expand a grid into cells, de-duplicated by key, in study order. */
export function expandGrid(input: GridInput): Cell[] {
  const g = GridSchema.parse(input);
  const seeds = Array.from({ length: g.seeds }, (_, i) => i);
  const cells = new Map<string, Cell>();
  for (const s of g.studies) {
    for (const split of g.splits)
    for (const drop of s.drop)
    for (const task of s.tasks)
      for (const engine of s.engines)
        for (const classWeight of s.classWeights)
          for (const n0 of s.n0)
            for (const step of s.step)
              for (const strategy of s.strategies) {
                if (n0 >= s.budget) continue;
                const config: CellConfig = {
                  task,
                  strategy,
                  n0,
                  step,
                  budget: s.budget,
                  engine: engine.engine,
                  params: engine.params,
                  classWeight,
                  seeds,
                  testFraction: g.testFraction,
                  split,
                  ...(drop.length ? { drop } : {}),
                  importance: s.importance,
                };
                const key = cellKey(config);
                const had = cells.get(key);
                if (had) {
                  if (!had.studies.includes(s.name)) had.studies.push(s.name);
                  had.config.importance ||= s.importance;
                } else cells.set(key, { key, config, studies: [s.name] });
              }
  }
  return [...cells.values()];
}

/** The value of an axis of a cell, as a legend label. */
export function axisValue(c: CellConfig, axis: Study['vary'][number]): string {
  switch (axis) {
    case 'engine':
      return engineLabel(c.engine, c.params);
    case 'classWeight':
      return `cw=${c.classWeight}`;
    case 'n0':
      return `N0=${c.n0}`;
    case 'step':
      return `N=${c.step}`;
    case 'drop':
      return c.drop?.length ? `without ${c.drop.join(', ')}` : 'all features';
    case 'split':
      return !c.split || c.split === 'object' ? 'split by object (same nights)' : `leave one ${c.split} out`;
    default:
      return String(c[axis]);
  }
}

const HGB = (learningRate: number): EngineChoice => ({ engine: 'hgb', params: { learningRate } });
const HRF50: EngineChoice = { engine: 'hrf', params: { nEstimators: 50, maxDepth: null } };

/**
 * The default grid (mostly the galactic task; a few minutes on 2 cores for the real alerts). Baseline: hgb learning
 * rate 0.1 (the app's default engine), no class weights, N0 = 10, N = 5, budget 70 labels, 20 seeds. Each study varies
 * one question of the seed's list around it; the random forest (hrf, 50 trees) gets its own strategy and class-weight
 * studies because it learns faster from few labels.
 */
export const DEFAULT_GRID: GridInput = {
  name: 'default',
  seeds: 20,
  testFraction: 0.3,
  studies: [
    {
      name: 'strategies',
      title: 'Query strategy (gal, hgb lr 0.1, N0 = 10, N = 5)',
      vary: ['strategy'],
      tasks: ['gal'],
      strategies: [...STRATEGIES],
      n0: [10],
      step: [5],
      engines: [HGB(0.1)],
      classWeights: ['none'],
      budget: 70,
      importance: true,
    },
    {
      name: 'strategies_hrf',
      title: 'Query strategy with a random forest (gal, hrf 50 trees, N0 = 10, N = 5)',
      vary: ['strategy'],
      tasks: ['gal'],
      strategies: [...STRATEGIES],
      n0: [10],
      step: [5],
      engines: [HRF50],
      classWeights: ['none'],
      budget: 70,
      importance: true,
    },
    {
      name: 'initial_batch',
      title: 'Initial batch N0 (gal, hgb lr 0.1, N = 5)',
      vary: ['strategy', 'n0'],
      tasks: ['gal'],
      strategies: ['random', 'least_confidence'],
      n0: [5, 10, 20, 30, 50],
      step: [5],
      engines: [HGB(0.1)],
      classWeights: ['none'],
      budget: 70,
    },
    {
      name: 'step_size',
      title: 'Step size N (gal, hgb lr 0.1, N0 = 10)',
      vary: ['strategy', 'step'],
      tasks: ['gal'],
      strategies: ['random', 'least_confidence'],
      n0: [10],
      step: [1, 5, 10, 20],
      engines: [HGB(0.1)],
      classWeights: ['none'],
      budget: 70,
    },
    {
      name: 'seed_setup',
      title: "The seed's setup: N0 = 30, N = 10 (gal, hgb lr 0.1)",
      vary: ['strategy'],
      tasks: ['gal'],
      strategies: ['random', 'least_confidence'],
      n0: [30],
      step: [10],
      engines: [HGB(0.1)],
      classWeights: ['none'],
      budget: 70,
    },
    {
      name: 'learning_rate',
      title: 'Learning rate and class weights (gal, least confidence, N0 = 10, N = 5)',
      vary: ['engine', 'classWeight'],
      tasks: ['gal'],
      strategies: ['least_confidence'],
      n0: [10],
      step: [5],
      engines: [HGB(0.05), HGB(0.1), HGB(0.2)],
      classWeights: ['none', 'balanced'],
      budget: 70,
    },
    {
      name: 'class_weights_hrf',
      title: 'Class weights with a random forest (gal, hrf 50 trees, N0 = 10, N = 5)',
      vary: ['strategy', 'classWeight'],
      tasks: ['gal'],
      strategies: ['random', 'least_confidence'],
      n0: [10],
      step: [5],
      engines: [HRF50],
      classWeights: ['none', 'balanced'],
      budget: 70,
    },
    {
      name: 'forest',
      title: 'Random forest (hrf) trees and depth vs hgb (gal, least confidence, N0 = 10, N = 5)',
      vary: ['engine'],
      tasks: ['gal'],
      strategies: ['least_confidence'],
      n0: [10],
      step: [5],
      engines: [
        HGB(0.1),
        HRF50,
        { engine: 'hrf', params: { nEstimators: 100, maxDepth: null } },
        { engine: 'hrf', params: { nEstimators: 100, maxDepth: 4 } },
      ],
      classWeights: ['none'],
      budget: 70,
    },
    {
      name: 'tasks',
      title: 'Other tasks (hgb lr 0.1, N0 = 10, N = 5)',
      vary: ['task', 'strategy'],
      tasks: ['trans', 'real'],
      strategies: ['random', 'least_confidence'],
      n0: [10],
      step: [5],
      engines: [HGB(0.1)],
      classWeights: ['none'],
      budget: 70,
    },
  ],
};

/** A grid for tests and the benchmark: two strategies, one configuration, few seeds. */
export const TINY_GRID: GridInput = {
  name: 'tiny',
  seeds: 3,
  testFraction: 0.3,
  studies: [
    {
      name: 'strategies',
      title: 'Tiny grid',
      vary: ['strategy'],
      tasks: ['gal'],
      strategies: ['random', 'least_confidence'],
      n0: [6],
      step: [4],
      engines: [{ engine: 'hrf', params: { nEstimators: 20, maxDepth: 4 } }],
      classWeights: ['none'],
      budget: 22,
    },
  ],
};

/** Every axis of the issue crossed (thousands of cells: hours on 2 cores; for a bigger machine). */
export const FULL_GRID: GridInput = {
  name: 'full',
  seeds: 10,
  testFraction: 0.3,
  studies: [
    {
      name: 'full',
      title: 'Full factorial grid',
      vary: ['strategy'],
      tasks: [...TASKS],
      strategies: [...STRATEGIES],
      n0: [5, 10, 20, 30, 50],
      step: [1, 5, 10, 20],
      engines: [
        HGB(0.05),
        HGB(0.1),
        HGB(0.2),
        { engine: 'hrf', params: { nEstimators: 50, maxDepth: null } },
        { engine: 'hrf', params: { nEstimators: 100, maxDepth: 4 } },
      ],
      classWeights: [...CLASS_WEIGHTS],
      budget: 70,
    },
  ],
};

/**
 * Does the model forecast a night it never saw? Each engine with random and least-confidence sampling, evaluated
 * leave-one-file-out (the shared data's files are its nights: several writers and dates) and by object within the
 * same files. 16 seeds: each of the 8 files holding gal-task labels is held out twice (two start batches).
 */
export const NIGHTS_GRID: GridInput = {
  name: 'nights',
  seeds: 16,
  testFraction: 0.3,
  splits: ['file', 'object'],
  studies: [HGB(0.1), HRF50].map((engine) => ({
    name: `split_${engine.engine}`,
    title: `Leave one file out vs split by object (gal, ${engine.engine}, N0 = 10, N = 5)`,
    vary: ['split', 'strategy'],
    tasks: ['gal'],
    strategies: ['random', 'least_confidence'],
    n0: [10],
    step: [5],
    engines: [engine],
    classWeights: ['none'],
    budget: 70,
    importance: true,
  })),
};
NIGHTS_GRID.studies.push({
  name: 'without_position',
  title: 'Without ra and dec (gal, least confidence, N0 = 10, N = 5)',
  vary: ['split', 'drop', 'engine'],
  tasks: ['gal'],
  strategies: ['least_confidence'],
  n0: [10],
  step: [5],
  engines: [HGB(0.1), HRF50],
  classWeights: ['none'],
  budget: 70,
  drop: [[], ['ra', 'dec']],
});

export const NAMED_GRIDS: Record<string, GridInput> = { default: DEFAULT_GRID, tiny: TINY_GRID, full: FULL_GRID, nights: NIGHTS_GRID };
