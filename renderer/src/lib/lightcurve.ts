/** Turns an alert's photometry into plot columns: days since first detection, per band, detections and limits. */
import type { LcPointDto } from '@core/api/types.js';

export const BAND_COLOURS: Record<number, string> = { 1: '#2ca02c', 2: '#d62728', 3: '#8c564b' };

export interface LcSeries {
  /** Days since the first detection, ascending. */
  x: number[];
  /** Per band (fid 1, 2): magnitude of detections or null. */
  det: Record<1 | 2, (number | null)[]>;
  err: Record<1 | 2, (number | null)[]>;
  /** Per band: upper limit (diffmaglim) of non-detections or null. */
  ul: Record<1 | 2, (number | null)[]>;
  /** Negative-difference detections (isdiffpos 'f') are drawn hollow. */
  negative: boolean[];
  /** The current alert: x and magnitude (null when it has none). */
  current: { x: number; mag: number | null; fid: number } | null;
  t0: number;
  yRange: [number, number];
}

export function lightCurveSeries(points: LcPointDto[], current: { jd: number; magpsf: number | null; fid: number }): LcSeries {
  const pts = [...points].sort((a, b) => a.jd - b.jd);
  const dets = pts.filter((p) => p.magpsf !== null);
  const t0 = dets.length ? dets[0].jd : current.jd;
  const s: LcSeries = {
    x: [],
    det: { 1: [], 2: [] },
    err: { 1: [], 2: [] },
    ul: { 1: [], 2: [] },
    negative: [],
    current: null,
    t0,
    yRange: [18, 21],
  };
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of pts) {
    if (p.fid !== 1 && p.fid !== 2) continue;
    const other = p.fid === 1 ? 2 : 1;
    const isDet = p.magpsf !== null;
    if (!isDet && p.diffmaglim === null) continue;
    s.x.push(p.jd - t0);
    s.det[p.fid].push(isDet ? p.magpsf : null);
    s.err[p.fid].push(isDet ? p.sigmapsf : null);
    s.ul[p.fid].push(isDet ? null : p.diffmaglim);
    s.det[other].push(null);
    s.err[other].push(null);
    s.ul[other].push(null);
    s.negative.push(p.isdiffpos === 'f');
    const m = isDet ? (p.magpsf as number) : (p.diffmaglim as number);
    const e = isDet ? (p.sigmapsf ?? 0) : 0;
    lo = Math.min(lo, m - e);
    hi = Math.max(hi, m + e);
  }
  s.current = { x: current.jd - t0, mag: current.magpsf, fid: current.fid };
  if (current.magpsf !== null) {
    lo = Math.min(lo, current.magpsf);
    hi = Math.max(hi, current.magpsf);
  }
  if (Number.isFinite(lo)) {
    const pad = Math.max(0.15, (hi - lo) * 0.08);
    s.yRange = [lo - pad, hi + pad];
  }
  return s;
}
