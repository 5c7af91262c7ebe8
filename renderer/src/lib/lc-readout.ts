/** The light curve's hover readout, date axis and marker colours (pure: tested without a browser). */
import type { LcSeries } from './lightcurve.js';

const JD_UNIX_EPOCH = 2440587.5;

/** UTC date (YYYY-MM-DD) of a Julian date. */
export function jdDate(jd: number): string {
  return new Date((jd - JD_UNIX_EPOCH) * 86_400_000).toISOString().slice(0, 10);
}

/** UTC date and time to the minute of a Julian date. */
export function jdDateTime(jd: number): string {
  return new Date((jd - JD_UNIX_EPOCH) * 86_400_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** A date-axis tick: the day, or day and time when the plot spans under two days (else the ticks repeat one day). */
export function jdTick(jd: number, spanDays: number): string {
  const t = jdDateTime(jd);
  return spanDays < 2 ? t.slice(5) : t.slice(0, 10);
}

export interface LcPointInfo {
  jd: number;
  fid: 1 | 2;
  mag: number;
  err: number | null;
  kind: 'detection' | 'negative' | 'limit';
}

/** Point i of the series (the band that has a value there), or null. */
export function pointAt(s: LcSeries, i: number): LcPointInfo | null {
  for (const fid of [1, 2] as const) {
    const det = s.det[fid][i];
    if (det !== null && det !== undefined) {
      return { jd: s.t0 + s.x[i], fid, mag: det, err: s.err[fid][i] ?? null, kind: s.negative[i] ? 'negative' : 'detection' };
    }
    const lim = s.ul[fid][i];
    if (lim !== null && lim !== undefined) return { jd: s.t0 + s.x[i], fid, mag: lim, err: null, kind: 'limit' };
  }
  return null;
}

/**
 * Index of the point nearest to a cursor position, by distance in pixels; `posOf(i)` gives point i's pixel position
 * (null when there is no point at i). Null when no point is within `maxPx`.
 */
export function nearestIndex(
  n: number,
  posOf: (i: number) => { x: number; y: number } | null,
  cursor: { x: number; y: number },
  maxPx = 30,
): number | null {
  let best: number | null = null;
  let bestD = maxPx * maxPx;
  for (let i = 0; i < n; i++) {
    const q = posOf(i);
    if (!q) continue;
    const d = (q.x - cursor.x) ** 2 + (q.y - cursor.y) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/**
 * Keyboard stepping through the points in time: the next index after `from` in direction `d` that has a point, or
 * null at the end. With no point chosen yet (`from` undefined), → starts at the first and ← at the last.
 */
export function stepIndex(n: number, from: number | undefined, d: 1 | -1, has: (i: number) => boolean): number | null {
  const start = from !== undefined ? from : d > 0 ? -1 : n;
  for (let i = start + d; i >= 0 && i < n; i += d) if (has(i)) return i;
  return null;
}

/**
 * The point nearest to a cursor position, by distance in pixels; `toPx` maps (x, mag) to pixels. Null when no
 * point is within `maxPx`.
 */
export function nearestPoint(
  s: LcSeries,
  cursor: { x: number; y: number },
  toPx: (x: number, mag: number) => { x: number; y: number },
  maxPx = 30,
): LcPointInfo | null {
  const posOf = (i: number) => {
    const p = pointAt(s, i);
    return p ? toPx(s.x[i], p.mag) : null;
  };
  const i = nearestIndex(s.x.length, posOf, cursor, maxPx);
  return i === null ? null : pointAt(s, i);
}

const BAND = { 1: 'g', 2: 'r' } as const;

/** "2025-06-12 04:33 UTC · r 18.42 ± 0.05 mag" (or "… g upper limit: fainter than 20.31 mag"). */
export function readoutText(p: LcPointInfo): string {
  const when = `${jdDateTime(p.jd)} UTC`;
  if (p.kind === 'limit') return `${when} · ${BAND[p.fid]} upper limit: fainter than ${p.mag.toFixed(2)} mag`;
  const err = p.err === null ? '' : ` ± ${p.err.toFixed(2)}`;
  const neg = p.kind === 'negative' ? ' (negative difference: fainter than the template)' : '';
  return `${when} · ${BAND[p.fid]} ${p.mag.toFixed(2)}${err} mag${neg}`;
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const lum = (hex: string): number => {
    const c = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16) / 255);
    const lin = c.map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * Marker colours: dark enough for ≥ 3:1 against the plot's white background (upper limits are drawn opaque in
 * these, not faded), and told apart by shape as well (g circle, r square) for readers who cannot tell red from green.
 */
export const MARKER_COLOURS: Record<1 | 2, string> = { 1: '#1b7a1b', 2: '#c4161c' };
export const PLOT_BACKGROUND = '#ffffff';
