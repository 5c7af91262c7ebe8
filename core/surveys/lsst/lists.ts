/** Flattened per-alert lists (previous sources, forced sources, limits) from Arrow list<struct> columns. */
import { Type, type Data } from 'apache-arrow';
import { childOf, toFloat64, toStrings, validityOf } from '../../alerts/arrow-columns.js';
import { exactIds } from './ids.js';
import type { LsstLimitList, LsstSourceList } from './batch.js';

export function emptySourceList(length: number): LsstSourceList {
  return {
    offsets: new Int32Array(length + 1),
    id: [],
    midpointMjdTai: new Float64Array(0),
    band: [],
    psfFlux: new Float64Array(0),
    psfFluxErr: new Float64Array(0),
  };
}

export function emptyLimitList(length: number): LsstLimitList {
  return { offsets: new Int32Array(length + 1), midpointMjdTai: new Float64Array(0), band: [], diaNoise: new Float64Array(0) };
}

/**
 * Positions in the list's child of every entry, alert by alert, and the per-alert offsets into that order. Null
 * lists count as empty, whatever span their offsets have.
 */
function gatherPlan(data: Data, length: number): { offsets: Int32Array; take: Int32Array } {
  const offs = data.valueOffsets as ArrayLike<number | bigint>;
  const valid = validityOf(data);
  const offsets = new Int32Array(length + 1);
  for (let i = 0; i < length; i++) {
    const span = !valid || valid[i] ? Number(offs[i + 1]) - Number(offs[i]) : 0;
    offsets[i + 1] = offsets[i] + span;
  }
  const take = new Int32Array(offsets[length]);
  let k = 0;
  for (let i = 0; i < length; i++) {
    if (valid && !valid[i]) continue;
    for (let j = Number(offs[i]); j < Number(offs[i + 1]); j++) take[k++] = j;
  }
  return { offsets, take };
}

function isStructList(data: Data | undefined): data is Data {
  return data !== undefined && (data.typeId === Type.List || data.typeId === Type.LargeList) && data.children[0]?.typeId === Type.Struct;
}

function childExtent(data: Data, length: number): number {
  const offs = data.valueOffsets as ArrayLike<number | bigint>;
  return Number(offs[length]);
}

function gatherNumbers(child: Data | undefined, extent: number, take: Int32Array): Float64Array {
  const all = toFloat64(child, extent);
  const out = new Float64Array(take.length);
  for (let k = 0; k < take.length; k++) out[k] = all[take[k]];
  return out;
}

function gatherStrings(values: (string | null)[], take: Int32Array): (string | null)[] {
  return Array.from(take, (j) => values[j] ?? null);
}

/** Previous (or forced) sources of every alert; `idField` is diaSourceId or diaForcedSourceId. */
export function sourceListFrom(data: Data | undefined, length: number, idField: string, where: string): LsstSourceList {
  if (!isStructList(data)) return emptySourceList(length);
  const { offsets, take } = gatherPlan(data, length);
  const entry = data.children[0];
  const extent = childExtent(data, length);
  return {
    offsets,
    id: gatherStrings(exactIds(childOf(entry, idField), extent, `${where}.${idField}`), take),
    midpointMjdTai: gatherNumbers(childOf(entry, 'midpointMjdTai'), extent, take),
    band: gatherStrings(toStrings(childOf(entry, 'band'), extent), take),
    psfFlux: gatherNumbers(childOf(entry, 'psfFlux'), extent, take),
    psfFluxErr: gatherNumbers(childOf(entry, 'psfFluxErr'), extent, take),
  };
}

export function limitListFrom(data: Data | undefined, length: number): LsstLimitList {
  if (!isStructList(data)) return emptyLimitList(length);
  const { offsets, take } = gatherPlan(data, length);
  const entry = data.children[0];
  const extent = childExtent(data, length);
  return {
    offsets,
    midpointMjdTai: gatherNumbers(childOf(entry, 'midpointMjdTai'), extent, take),
    band: gatherStrings(toStrings(childOf(entry, 'band'), extent), take),
    diaNoise: gatherNumbers(childOf(entry, 'diaNoise'), extent, take),
  };
}
