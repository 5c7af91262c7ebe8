/**
 * An LSST light curve as plot points (pure: tested without a browser): difference flux in nJy, or AB magnitude for the
 * points with flux > 0, per band; detections, forced photometry and (schema 7.x) non-detection limits.
 */
import type { LsstFluxPoint } from '@core/api/types.js';
import { fluxErrToMagErr, fluxToMag } from '@core/surveys/lsst/photometry.js';
import { jdDateTime, jdTick } from './lc-readout.js';
import { LSST_BANDS, lsstBandOf, type LsstBand } from './lsst-bands.js';
import { padRange } from './plot-marks.js';

export type LsstPlotMode = 'flux' | 'mag';

/** A 7.x limit is the difference image's noise at the position; it is drawn at this many sigma. */
export const LIMIT_SIGMA = 5;
const MJD_TO_JD = 2400000.5;
/** Two points within this many days (about 1 s) are the same epoch: how the card's own source is found. */
const SAME_EPOCH_DAYS = 1e-5;
/** The time axis is padded by at least this (days, ~15 min): one night's points span minutes. */
const MIN_TIME_PAD_DAYS = 0.01;

export interface LsstPlotPoint {
  mjd: number;
  band: LsstBand;
  kind: LsstFluxPoint['kind'];
  /** Flux (nJy) or magnitude, as the mode plots it; for a limit, the LIMIT_SIGMA level. */
  y: number;
  err: number | null;
  /** A detection or forced point with flux < 0 (below the zero line). */
  negative: boolean;
}

export interface LsstPlot {
  mode: LsstPlotMode;
  /** Points in time order (all bands together). */
  points: LsstPlotPoint[];
  /** Bands with at least one plotted point, in u g r i z y order. */
  bands: LsstBand[];
  /** Index in `points` of the card's own source, or null. */
  current: number | null;
  yRange: [number, number];
  /** MJD range of the time axis (from the points themselves: uPlot widens a single point's range by its value). */
  xRange: [number, number];
  /** Points not plotted: flux ≤ 0 (or no flux) in magnitude mode, and points of no known band. */
  leftOut: { notPositive: number; noBand: number };
}

/** The y value and error of a point in the mode, or null when it has none there (magnitudes need flux > 0). */
function valueOf(p: LsstFluxPoint, mode: LsstPlotMode): { y: number; err: number | null } | null {
  if (p.kind === 'limit') {
    if (p.fluxErr === null || !(p.fluxErr > 0)) return null;
    const level = LIMIT_SIGMA * p.fluxErr;
    return { y: mode === 'flux' ? level : fluxToMag(level), err: null };
  }
  if (p.flux === null) return null;
  if (mode === 'flux') return { y: p.flux, err: p.fluxErr };
  if (!(p.flux > 0)) return null;
  return { y: fluxToMag(p.flux), err: p.fluxErr === null ? null : fluxErrToMagErr(p.flux, p.fluxErr) };
}

function rangeOf(points: LsstPlotPoint[], mode: LsstPlotMode): [number, number] {
  // Flux: the zero line is always in view, so a negative difference is seen against it.
  let lo = mode === 'flux' ? 0 : Infinity;
  let hi = mode === 'flux' ? 0 : -Infinity;
  for (const p of points) {
    const e = p.err ?? 0;
    lo = Math.min(lo, p.y - e);
    hi = Math.max(hi, p.y + e);
  }
  if (!Number.isFinite(lo)) return mode === 'flux' ? [-1, 1] : [20, 25];
  const minPad = mode === 'flux' ? 1 : 0.15;
  const pad = Math.max(minPad, (hi - lo) * 0.08);
  return [lo - pad, hi + pad];
}

/** The card's own source: its epoch, band and flux (nJy). */
export interface CurrentSource {
  mjd: number;
  band: string | null;
  flux: number | null;
  fluxErr: number | null;
}

const isSource = (p: LsstFluxPoint, c: CurrentSource): boolean =>
  p.kind === 'detection' && p.band === c.band && Math.abs(p.mjd - c.mjd) < SAME_EPOCH_DAYS;

/** The curve with the card's own source in it: added from the card when the curve lacks it, so it is always marked. */
function withSource(lc: readonly LsstFluxPoint[], c: CurrentSource | null): LsstFluxPoint[] {
  if (!c || c.flux === null || lc.some((p) => isSource(p, c))) return [...lc];
  return [...lc, { mjd: c.mjd, band: c.band, flux: c.flux, fluxErr: c.fluxErr, mag: null, magErr: null, kind: 'detection' }];
}

/** The plot of an LSST light curve; `current` is the card's own source, ringed. */
export function lsstPlot(lc: readonly LsstFluxPoint[], mode: LsstPlotMode, current: CurrentSource | null): LsstPlot {
  const points: LsstPlotPoint[] = [];
  const leftOut = { notPositive: 0, noBand: 0 };
  let cur: number | null = null;
  const sorted = withSource(lc, current).sort((a, b) => a.mjd - b.mjd);
  for (const p of sorted) {
    const band = lsstBandOf(p.band);
    if (!band) {
      leftOut.noBand++;
      continue;
    }
    const v = valueOf(p, mode);
    if (!v) {
      if (p.kind !== 'limit') leftOut.notPositive++;
      continue;
    }
    if (current !== null && isSource(p, current)) cur = points.length;
    points.push({ mjd: p.mjd, band, kind: p.kind, y: v.y, err: v.err, negative: p.kind !== 'limit' && (p.flux ?? 0) < 0 });
  }
  const present = new Set(points.map((p) => p.band));
  const xRange = points.length ? padRange(points[0].mjd, points[points.length - 1].mjd, MIN_TIME_PAD_DAYS) : padRange(current?.mjd ?? null, current?.mjd ?? null, MIN_TIME_PAD_DAYS);
  return { mode, points, bands: LSST_BANDS.filter((b) => present.has(b)), current: cur, yRange: rangeOf(points, mode), xRange, leftOut };
}

/** MJD of a Julian date (the card carries jd). */
export const jdToMjd = (jd: number): number => jd - MJD_TO_JD;

/** UTC date and time to the minute of an MJD. */
export const mjdDateTime = (mjd: number): string => jdDateTime(mjd + MJD_TO_JD);

/** A date-axis tick of an MJD (see jdTick). */
export const mjdTick = (mjd: number, spanDays: number): string => jdTick(mjd + MJD_TO_JD, spanDays);

const nJy = (v: number): string => `${Math.round(v)}`;

/** "2026-01-05 05:18 UTC (MJD 61041.2210) · i 1234 ± 56 nJy", with what a forced, negative or limit point is. */
export function lsstReadoutText(p: LsstPlotPoint, mode: LsstPlotMode): string {
  const when = `${mjdDateTime(p.mjd)} UTC (MJD ${p.mjd.toFixed(4)})`;
  if (p.kind === 'limit') {
    const level = mode === 'flux' ? `below ${nJy(p.y)} nJy` : `fainter than ${p.y.toFixed(2)} mag`;
    return `${when} · ${p.band} ${LIMIT_SIGMA}σ limit: ${level}`;
  }
  const value = mode === 'flux' ? `${nJy(p.y)}${p.err === null ? '' : ` ± ${nJy(p.err)}`} nJy` : `${p.y.toFixed(2)}${p.err === null ? '' : ` ± ${p.err.toFixed(2)}`} mag`;
  const notes = [p.kind === 'forced' ? 'forced photometry' : null, p.negative ? 'negative difference: fainter than the template' : null].filter(Boolean);
  return `${when} · ${p.band} ${value}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/** What magnitude mode leaves out, in words (empty when nothing is). */
export function leftOutText(plot: LsstPlot): string {
  const parts: string[] = [];
  if (plot.leftOut.notPositive) parts.push(`${plot.leftOut.notPositive} point${plot.leftOut.notPositive === 1 ? '' : 's'} with flux ≤ 0 (no magnitude)`);
  if (plot.leftOut.noBand) parts.push(`${plot.leftOut.noBand} point${plot.leftOut.noBand === 1 ? '' : 's'} of no known band`);
  return parts.length ? `Not shown: ${parts.join(', ')}.` : '';
}
