/**
 * The feature builder: one Float64Array per alert in FEATURE_NAMES order, NaN = missing.
 *
 * | ours (FEATURE_NAMES)            | seed's column                  | from                                        |
 * |---------------------------------|--------------------------------|---------------------------------------------|
 * | ra, dec, drb                    | ra, dec, drb                   | candidate                                   |
 * | ndets, nnondets                 | ndets, nnondets                | candidate + prv_candidates (lightcurve.ts)  |
 * | dets_median, dets_std           | dets_median, dets_std          | magpsf of positive detections, g+r pooled   |
 * | sep_arcsec                      | sep_arcsec (was text)          | file's Sherlock column, else Lasair cache   |
 * | amplitude_g … median_absolute_deviation_g | amplitude … median_absolute_deviation | lc_features_g           |
 * | amplitude_r … median_absolute_deviation_r | amplituder_ … median_absolute_deviationr_ | lc_features_r (the seed's were copies of g) |
 * | ebv                             | ebv                            | SFD dust map at (ra, dec), raw (not × 0.86)  |
 *
 * The six light-curve features per band are LC_FEATURES: amplitude, linear_fit_reduced_chi2, linear_fit_slope,
 * linear_fit_slope_sigma, median, median_absolute_deviation. SEED_COLUMN_NAMES (names.ts) holds the renaming.
 */
import type { Alert, LcFeatures } from '../alerts/alert.js';
import type { DustMap } from './dust.js';
import { packedLightCurveStats } from './lightcurve.js';
import { packAlert } from './packed-lc.js';
import type { LightCurveStats } from './lightcurve.js';
import { FEATURE_NAMES, LC_FEATURES } from './names.js';
import type { FeatureName } from './names.js';

export const N_FEATURES = FEATURE_NAMES.length;

/** Column index of each feature. */
export const FEATURE_INDEX = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i])) as Record<FeatureName, number>;

const I_RA = FEATURE_INDEX.ra;
const I_DEC = FEATURE_INDEX.dec;
const I_DRB = FEATURE_INDEX.drb;
const I_NDETS = FEATURE_INDEX.ndets;
const I_NNONDETS = FEATURE_INDEX.nnondets;
const I_MEDIAN = FEATURE_INDEX.dets_median;
const I_STD = FEATURE_INDEX.dets_std;
const I_SEP = FEATURE_INDEX.sep_arcsec;
const I_G = FEATURE_INDEX[`${LC_FEATURES[0]}_g` as FeatureName];
const I_R = FEATURE_INDEX[`${LC_FEATURES[0]}_r` as FeatureName];
const I_EBV = FEATURE_INDEX.ebv;

/** A Sherlock separation per objectId (e.g. from the sherlock_cache table): a map or a function. */
export type SepLookup = ReadonlyMap<string, number | null> | ((objectId: string) => number | null | undefined);

function num(v: number | null | undefined): number {
  return v === null || v === undefined ? NaN : v;
}

function lookupSep(alert: Alert, sep: SepLookup | number | null | undefined): number {
  if (alert.sherlockSepArcsec !== null && alert.sherlockSepArcsec !== undefined) return alert.sherlockSepArcsec;
  if (sep === null || sep === undefined) return NaN;
  if (typeof sep === 'number') return sep;
  return num(typeof sep === 'function' ? sep(alert.objectId) : sep.get(alert.objectId));
}

function writeLc(out: Float64Array, at: number, lc: LcFeatures | null): void {
  for (let k = 0; k < LC_FEATURES.length; k++) {
    const v = lc ? lc[LC_FEATURES[k]] : null;
    out[at + k] = typeof v === 'number' ? v : NaN;
  }
}

const stats: LightCurveStats = { ndets: 0, nnondets: 0, median: NaN, std: NaN };

/**
 * Write one alert's features into out[offset .. offset + N_FEATURES). `sep` supplies sep_arcsec when the file has
 * no Sherlock column (the file's value wins).
 */
export function writeFeatures(
  out: Float64Array,
  offset: number,
  alert: Alert,
  dust: DustMap | null,
  sep?: SepLookup | number | null,
  /** The alert's packed light curve when the caller has it already (ingest); else built from alert.history. */
  packed?: Float64Array,
): void {
  out[offset + I_RA] = alert.ra;
  out[offset + I_DEC] = alert.dec;
  out[offset + I_DRB] = num(alert.drb);
  packedLightCurveStats(packed ?? packAlert(alert), stats);
  out[offset + I_NDETS] = stats.ndets;
  out[offset + I_NNONDETS] = stats.nnondets;
  out[offset + I_MEDIAN] = stats.median;
  out[offset + I_STD] = stats.std;
  out[offset + I_SEP] = lookupSep(alert, sep);
  writeLc(out, offset + I_G, alert.lcFeaturesG);
  writeLc(out, offset + I_R, alert.lcFeaturesR);
  out[offset + I_EBV] = dust ? dust.ebv(alert.ra, alert.dec) : NaN;
}

/** The feature vector of one alert, in FEATURE_NAMES order (NaN = missing). */
export function computeFeatures(
  alert: Alert,
  dust: DustMap | null,
  sep?: SepLookup | number | null,
  packed?: Float64Array,
): Float64Array {
  const out = new Float64Array(N_FEATURES);
  writeFeatures(out, 0, alert, dust, sep, packed);
  return out;
}

export interface FeatureMatrix {
  /** Row-major n × d. */
  X: Float64Array;
  n: number;
  d: number;
  names: readonly FeatureName[];
}

/** Features of many alerts in one row-major buffer (the only allocation). */
export function featureMatrix(alerts: readonly Alert[], dust: DustMap | null, sep?: SepLookup): FeatureMatrix {
  const n = alerts.length;
  const X = new Float64Array(n * N_FEATURES);
  for (let i = 0; i < n; i++) writeFeatures(X, i * N_FEATURES, alerts[i], dust, sep);
  return { X, n, d: N_FEATURES, names: FEATURE_NAMES };
}
