/**
 * The extended feature set (EXTENDED_FEATURE_NAMES): the seed's vector, then features that describe the source
 * rather than one night's photometry, so a model trained on some nights carries to others.
 *
 * - gal_b: Galactic latitude (degrees) of (ra, dec).
 * - sgscore1, distpsnr1, distnr, magnr, neargaia, maggaia: the alert's candidate fields; ZTF's −999 sentinel
 *   ("no such source") is missing.
 * - g_minus_r: magpsf of the latest positive g detection minus that of the latest positive r detection, when the
 *   two are at most COLOUR_MAX_GAP_DAYS apart (else missing).
 * - rise_rate_<band>, fade_rate_<band> (mag/day, ≥ 0): over the band's positive detections known at the alert
 *   (history + current), (first mag − peak mag) / (peak jd − first jd) and (last mag − peak mag) / (last jd − peak
 *   jd), the peak being the brightest detection; missing when that baseline is under RATE_MIN_BASELINE_DAYS.
 */
import { NEARBY_SOURCE_FIELDS, type NearbySources } from '../alerts/nearby-sources.js';
import { icrsToGalactic } from './coords.js';
import { EXTENDED_FEATURE_NAMES, FEATURE_NAMES } from './names.js';
import { LC_DIFFPOS, LC_FID, LC_JD, LC_MAG, LC_STRIDE } from './packed-lc.js';

export const COLOUR_MAX_GAP_DAYS = 1;
/** Two epochs of one night (ZTF revisits a field within hours) give rates dominated by noise: they are left out. */
export const RATE_MIN_BASELINE_DAYS = 0.5;

/** ZTF writes −999 (sometimes −99) where a field has no value. */
export function ztfValue(v: number | null | undefined): number {
  if (v === null || v === undefined || !Number.isFinite(v) || v <= -99) return NaN;
  return v;
}

export interface ContextFields extends NearbySources {
  ra: number;
  dec: number;
}

/** Positive detections of one band, sorted by jd: [jd, mag] pairs. */
function detections(lc: Float64Array, fid: number): [number, number][] {
  const out: [number, number][] = [];
  for (let at = 0; at + LC_STRIDE <= lc.length; at += LC_STRIDE) {
    if (lc[at + LC_FID] !== fid || lc[at + LC_DIFFPOS] !== 1 || Number.isNaN(lc[at + LC_MAG])) continue;
    out.push([lc[at + LC_JD], lc[at + LC_MAG]]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Rise and fade rates (mag/day) of one band's sorted detections. */
export function riseFade(dets: readonly [number, number][]): { rise: number; fade: number } {
  if (dets.length < 2) return { rise: NaN, fade: NaN };
  let peak = 0;
  for (let i = 1; i < dets.length; i++) if (dets[i][1] < dets[peak][1]) peak = i;
  const [jdPeak, magPeak] = dets[peak];
  const [jdFirst, magFirst] = dets[0];
  const [jdLast, magLast] = dets[dets.length - 1];
  const rise = jdPeak - jdFirst >= RATE_MIN_BASELINE_DAYS ? (magFirst - magPeak) / (jdPeak - jdFirst) : NaN;
  const fade = jdLast - jdPeak >= RATE_MIN_BASELINE_DAYS ? (magLast - magPeak) / (jdLast - jdPeak) : NaN;
  return { rise, fade };
}

/** g − r of the latest detections of each band, when they are close enough in time. */
export function colourGR(g: readonly [number, number][], r: readonly [number, number][]): number {
  if (g.length === 0 || r.length === 0) return NaN;
  const [jdG, magG] = g[g.length - 1];
  const [jdR, magR] = r[r.length - 1];
  return Math.abs(jdG - jdR) <= COLOUR_MAX_GAP_DAYS ? magG - magR : NaN;
}

/**
 * The extended vector of one alert from its seed vector (FEATURE_NAMES order), its candidate fields and its packed
 * light curve (packed-lc.ts: what was known at the alert).
 */
export function extendedVector(seed: Float64Array, f: ContextFields, lc: Float64Array): Float64Array {
  const out = new Float64Array(EXTENDED_FEATURE_NAMES.length);
  out.set(seed.subarray(0, FEATURE_NAMES.length));
  const g = detections(lc, 1);
  const r = detections(lc, 2);
  const rfG = riseFade(g);
  const rfR = riseFade(r);
  out.set(
    [
      icrsToGalactic(f.ra, f.dec).b,
      // EXTENDED_EXTRA_NAMES lists these in NEARBY_SOURCE_FIELDS order (test/alerts/nearby-sources.test.ts).
      ...NEARBY_SOURCE_FIELDS.map((field) => ztfValue(f[field])),
      colourGR(g, r),
      rfG.rise,
      rfG.fade,
      rfR.rise,
      rfR.fade,
    ],
    FEATURE_NAMES.length,
  );
  return out;
}
