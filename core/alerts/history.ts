/**
 * The per-alert history (prv_candidates) of one batch, kept columnar.
 *
 * History is the hot path of ingest and features (tens of points per alert, millions per night), so the reader
 * produces it first as flat typed arrays; `Alert.history` objects are made from these. Consumers that only need
 * numbers (ndets, nnondets, dets_median ...) can use the arrays directly and skip the objects.
 */
import type { LightCurvePoint } from './alert.js';
import { diffposFromCode, orNull } from './arrow-columns.js';

export interface HistoryColumns {
  /** Alert r of the batch owns entries [offsets[r], offsets[r + 1]). Length = alerts + 1. */
  offsets: Int32Array;
  jd: Float64Array;
  /** ZTF filter id (1 g, 2 r, 3 i). */
  fid: Uint8Array;
  /** NaN = null (an upper limit has magpsf NaN). */
  magpsf: Float64Array;
  sigmapsf: Float64Array;
  diffmaglim: Float64Array;
  /** 1 = 't', -1 = 'f', 0 = null. */
  isdiffpos: Int8Array;
}

/** Growable column builder, so history can be filled without knowing its final length. */
export class HistoryBuilder {
  private n = 0;
  private readonly offsets: Int32Array;
  private row = 0;
  private jd: Float64Array;
  private fid: Uint8Array;
  private magpsf: Float64Array;
  private sigmapsf: Float64Array;
  private diffmaglim: Float64Array;
  private isdiffpos: Int8Array;

  constructor(rows: number, capacity = 16) {
    this.offsets = new Int32Array(rows + 1);
    const cap = Math.max(capacity, 16);
    this.jd = new Float64Array(cap);
    this.fid = new Uint8Array(cap);
    this.magpsf = new Float64Array(cap);
    this.sigmapsf = new Float64Array(cap);
    this.diffmaglim = new Float64Array(cap);
    this.isdiffpos = new Int8Array(cap);
  }

  private grow(): void {
    const cap = this.jd.length * 2;
    const g = <T extends Float64Array | Uint8Array | Int8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.jd = g(this.jd, (n) => new Float64Array(n));
    this.fid = g(this.fid, (n) => new Uint8Array(n));
    this.magpsf = g(this.magpsf, (n) => new Float64Array(n));
    this.sigmapsf = g(this.sigmapsf, (n) => new Float64Array(n));
    this.diffmaglim = g(this.diffmaglim, (n) => new Float64Array(n));
    this.isdiffpos = g(this.isdiffpos, (n) => new Int8Array(n));
  }

  push(jd: number, fid: number, magpsf: number, sigmapsf: number, diffmaglim: number, isdiffpos: number): void {
    if (this.n === this.jd.length) this.grow();
    const k = this.n++;
    this.jd[k] = jd;
    this.fid[k] = fid;
    this.magpsf[k] = magpsf;
    this.sigmapsf[k] = sigmapsf;
    this.diffmaglim[k] = diffmaglim;
    this.isdiffpos[k] = isdiffpos;
  }

  /** Closes the current alert's entries. Call once per alert, in order. */
  endRow(): void {
    this.offsets[++this.row] = this.n;
  }

  finish(): HistoryColumns {
    const n = this.n;
    return {
      offsets: this.offsets,
      jd: this.jd.subarray(0, n),
      fid: this.fid.subarray(0, n),
      magpsf: this.magpsf.subarray(0, n),
      sigmapsf: this.sigmapsf.subarray(0, n),
      diffmaglim: this.diffmaglim.subarray(0, n),
      isdiffpos: this.isdiffpos.subarray(0, n),
    };
  }
}

/** Alert r's history as the objects of the Alert type. */
export function historyPoints(h: HistoryColumns, r: number): LightCurvePoint[] {
  const start = h.offsets[r];
  const end = h.offsets[r + 1];
  const out = new Array<LightCurvePoint>(end - start);
  for (let k = start; k < end; k++) {
    out[k - start] = {
      jd: h.jd[k],
      fid: h.fid[k],
      magpsf: orNull(h.magpsf[k]),
      sigmapsf: orNull(h.sigmapsf[k]),
      diffmaglim: orNull(h.diffmaglim[k]),
      isdiffpos: diffposFromCode(h.isdiffpos[k]),
    };
  }
  return out;
}

/**
 * Makes `alert.history` a lazily built array: the objects are made from the batch's columns on first read (then
 * cached as a plain data property), so a consumer that works from HistoryColumns never pays for them. The property
 * is own and enumerable, so spread, JSON, structuredClone and deep equality all see the points.
 */
export function defineLazyHistory(alert: { history: LightCurvePoint[] }, h: HistoryColumns, r: number): void {
  const settle = (target: object, value: LightCurvePoint[]): void => {
    Object.defineProperty(target, 'history', { value, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(alert, 'history', {
    enumerable: true,
    configurable: true,
    get(this: object) {
      const points = historyPoints(h, r);
      settle(this, points);
      return points;
    },
    set(this: object, value: LightCurvePoint[]) {
      settle(this, value);
    },
  });
}

/** Number of alerts in a HistoryColumns. */
export function historyRows(h: HistoryColumns): number {
  return h.offsets.length - 1;
}
