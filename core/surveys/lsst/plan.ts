/** Which parquet leaf columns of an LSST file are read: only the fields the batch keeps, by name. */
import {
  DESIGNATION_PATHS,
  HISTORY_FIELDS,
  LIMIT_FIELDS,
  LSST_CUTOUTS,
  OBJECT_SUMMARY_FIELDS,
  REQUIRED_SOURCE_FIELDS,
  SOURCE_FIELD_ALIASES,
  SOURCE_NUMBER_FIELDS,
} from './schema.js';

const TOP = new Set(['lsst_schema_version']);
const SOURCE = new Set<string>([
  ...REQUIRED_SOURCE_FIELDS,
  ...SOURCE_NUMBER_FIELDS,
  ...Object.values(SOURCE_FIELD_ALIASES),
  'diaObjectId',
  'ssObjectId',
]);
const HISTORY = new Set<string>(HISTORY_FIELDS);
const LIMITS = new Set<string>(LIMIT_FIELDS);
const OBJECT = new Set<string>(OBJECT_SUMMARY_FIELDS);
const DESIGNATIONS = new Set(DESIGNATION_PATHS.map(([s, f]) => `${s}.${f}`));
const CUTOUTS = new Set<string>(Object.values(LSST_CUTOUTS));
const LISTS: Record<string, Set<string>> = {
  prvDiaSources: HISTORY,
  prvDiaForcedSources: HISTORY,
  prvDiaNondetectionLimits: LIMITS,
};

/** A leaf path (`diaSource.psfFlux`, `prvDiaSources.list.element.band`) the batch needs, cutouts excepted. */
export function wantedLeaf(path: string[]): boolean {
  const [head] = path;
  const leaf = path[path.length - 1];
  if (path.length === 1) return TOP.has(head);
  if (path.length === 2) {
    if (head === 'diaSource') return SOURCE.has(leaf);
    if (head === 'diaObject') return OBJECT.has(leaf);
    return DESIGNATIONS.has(path.join('.'));
  }
  // A list of structs: name.list.element.field (exactly one level below the element).
  return path.length === 4 && (LISTS[head]?.has(leaf) ?? false);
}

export function isCutoutLeaf(path: string[]): boolean {
  return path.length === 1 && CUTOUTS.has(path[0]);
}
