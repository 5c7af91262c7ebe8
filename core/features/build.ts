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
import type { Alert } from '../alerts/alert.js';
import { columnsFromAlerts, lcFeatureIndex, lcFeaturesInto, type AlertColumns } from '../alerts/columns.js';
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

function lookupSep(fileSep: number, objectId: string, sep: SepLookup | number | null | undefined): number {
  if (!Number.isNaN(fileSep)) return fileSep;
  if (sep === null || sep === undefined) return NaN;
  if (typeof sep === 'number') return sep;
  return num(typeof sep === 'function' ? sep(objectId) : sep.get(objectId));
}

const stats: LightCurveStats = { ndets: 0, nnondets: 0, median: NaN, std: NaN };

/** Writes row r of a batch's features into out[offset .. offset + N_FEATURES). */
export type FeatureRowWriter = (
  out: Float64Array,
  offset: number,
  r: number,
  /** Row r's packed light curve (packed-lc.ts). */
  packed: Float64Array,
) => void;

/**
 * The feature writer for one batch of alert columns: the light-curve feature fields are located once per batch.
 * `sep` supplies sep_arcsec when the file has no Sherlock column (the file's value wins).
 */
export function featureWriter(c: AlertColumns, dust: DustMap | null, sep?: SepLookup | number | null): FeatureRowWriter {
  const gIndex = lcFeatureIndex(c.lcFeaturesG, LC_FEATURES);
  const rIndex = lcFeatureIndex(c.lcFeaturesR, LC_FEATURES);
  return (out, offset, r, packed) => {
    const ra = c.ra[r];
    const dec = c.dec[r];
    out[offset + I_RA] = ra;
    out[offset + I_DEC] = dec;
    out[offset + I_DRB] = c.drb[r];
    packedLightCurveStats(packed, stats);
    out[offset + I_NDETS] = stats.ndets;
    out[offset + I_NNONDETS] = stats.nnondets;
    out[offset + I_MEDIAN] = stats.median;
    out[offset + I_STD] = stats.std;
    out[offset + I_SEP] = lookupSep(c.sherlockSepArcsec[r], c.objectId[r], sep);
    lcFeaturesInto(c.lcFeaturesG, r, gIndex, out, offset + I_G);
    lcFeaturesInto(c.lcFeaturesR, r, rIndex, out, offset + I_R);
    out[offset + I_EBV] = dust ? dust.ebv(ra, dec) : NaN;
  };
}

/** The features of a whole batch, row-major (n × N_FEATURES), from its columns and packed light curves. */
function batchFeatures(
  c: AlertColumns,
  packed: readonly Float64Array[],
  dust: DustMap | null,
  sep?: SepLookup | number | null,
): Float64Array {
  const X = new Float64Array(c.n * N_FEATURES);
  const write = featureWriter(c, dust, sep);
  for (let r = 0; r < c.n; r++) write(X, r * N_FEATURES, r, packed[r]);
  return X;
}

/**
 * Write one alert's features into out[offset .. offset + N_FEATURES) (the same code as ingest, through a one-row
 * batch). `sep` supplies sep_arcsec when the file has no Sherlock column (the file's value wins).
 */
export function writeFeatures(
  out: Float64Array,
  offset: number,
  alert: Alert,
  dust: DustMap | null,
  sep?: SepLookup | number | null,
  /** The alert's packed light curve when the caller has it already; else built from alert.history. */
  packed?: Float64Array,
): void {
  featureWriter(columnsFromAlerts([alert]), dust, sep)(out, offset, 0, packed ?? packAlert(alert));
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
  const X = batchFeatures(columnsFromAlerts(alerts), alerts.map(packAlert), dust, sep);
  return { X, n: alerts.length, d: N_FEATURES, names: FEATURE_NAMES };
}
