/**
 * The labelled set a simulation runs on: alerts with features and at least one positive detection (the app's pool
 * rule), whose label (human, or weak by column precedence) maps to a class of the task through its class map
 * (core/loop/pool.ts countedLabels), so the simulation sees exactly what the app would train on.
 */
import { DEFAULT_CLASS_MAPS, TASK_CLASS_NAMES, type ClassMap, type Label, type Task } from '../../labels.js';
import type { Db } from '../../store/database.js';
import type { FeatureSetName } from '../../features/names.js';
import { objectWholeGroups } from '../../learn/group-folds.js';
import { loadFeatureMatrix } from '../../store/features.js';
import { alertOrigins, type AlertOrigin } from '../../store/origins.js';
import { labelMap } from '../../store/labels.js';
import { combinedWeakLabels } from '../../weak/derive.js';
import { countedLabels } from '../pool.js';

export type LabelSourceChoice = 'weak' | 'human';

/** Plain arrays and typed arrays only: it is posted to the workers as is. */
export interface SimDataset {
  task: Task;
  source: LabelSourceChoice;
  X: Float64Array;
  n: number;
  d: number;
  names: string[];
  y: Uint8Array;
  candids: string[];
  objectIds: string[];
  labels: Label[];
  /** The night and the source file of each row, whole per object (night / file splits); absent in synthetic sets. */
  groups?: { night: string[]; file: string[] };
}

export function loadSimDataset(
  db: Db,
  task: Task,
  source: LabelSourceChoice,
  classMap: ClassMap = DEFAULT_CLASS_MAPS[task],
  featureSet: FeatureSetName = 'seed',
): SimDataset {
  const words: Map<string, Label> =
    source === 'human' ? labelMap(db) : new Map([...combinedWeakLabels(db)].map(([c, v]) => [c, v.label]));
  const counted = countedLabels(words, classMap);
  const m = loadFeatureMatrix(db, { candids: [...counted.keys()].sort(), minNdets: 1, featureSet });
  return {
    task,
    source,
    X: m.X,
    n: m.n,
    d: m.d,
    names: m.names,
    y: Uint8Array.from(m.candids, (c) => counted.get(c)!),
    candids: m.candids,
    objectIds: m.objectIds,
    labels: m.candids.map((c) => words.get(c)!),
    groups: originGroups(db, m.candids, m.objectIds),
  };
}

/** Night and file of each alert; every alert of an object takes its earliest alert's (so objects stay whole). */
function originGroups(db: Db, candids: string[], objectIds: string[]): { night: string[]; file: string[] } {
  const o = alertOrigins(db, candids);
  const time = candids.map((c) => o.get(c)?.jd ?? Infinity);
  const of = (f: (x: AlertOrigin) => string) => objectWholeGroups(objectIds, candids.map((c) => (o.has(c) ? f(o.get(c)!) : '(unknown)')), time);
  return { night: of((x) => x.night), file: of((x) => x.file) };
}

export interface ClassSupport {
  /** Alerts per class (0, 1). */
  alerts: [number, number];
  /** Distinct objects per class (an object counted in the class of each of its alerts). */
  objects: [number, number];
  /** Why the task cannot be simulated (null when it can). */
  skipReason: string | null;
}

/** Minimum objects per class: a few for the held-out set, a few for the initial batch, some left to query. */
export const MIN_OBJECTS_PER_CLASS = 8;

export function classSupport(ds: SimDataset, minObjects = MIN_OBJECTS_PER_CLASS): ClassSupport {
  const alerts: [number, number] = [0, 0];
  const objs: [Set<string>, Set<string>] = [new Set(), new Set()];
  for (let i = 0; i < ds.n; i++) {
    alerts[ds.y[i]]++;
    objs[ds.y[i]].add(ds.objectIds[i]);
  }
  const objects: [number, number] = [objs[0].size, objs[1].size];
  const names = TASK_CLASS_NAMES[ds.task];
  const short = [0, 1].filter((c) => objects[c] < minObjects);
  const skipReason =
    short.length === 0
      ? null
      : `task ${ds.task}: too few examples of ${short
          .map((c) => `'${names[c]}' (${alerts[c]} alert(s), ${objects[c]} object(s))`)
          .join(' and ')} among ${ds.n} ${ds.source}-labelled alerts; at least ${minObjects} objects per class are needed ` +
        `for a held-out set and a start batch, so this task is skipped`;
  return { alerts, objects, skipReason };
}
