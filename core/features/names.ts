/**
 * The feature vector (the seed's list, with the r band really holding r).
 * Mapping to the seed's column names: `amplitude` -> amplitude_g, `amplituder_` -> amplitude_r, and likewise
 * for the other five light-curve features; the seed's r columns were copies of g (it joined lc_features_g twice).
 */
import { LSST_FEATURE_NAMES } from '../surveys/lsst/features.js';
import type { SurveyId } from '../surveys/survey.js';
export const LC_FEATURES = [
  'amplitude',
  'linear_fit_reduced_chi2',
  'linear_fit_slope',
  'linear_fit_slope_sigma',
  'median',
  'median_absolute_deviation',
] as const;

export const FEATURE_NAMES = [
  'ra',
  'dec',
  'drb',
  'ndets',
  'nnondets',
  'dets_median',
  'dets_std',
  'sep_arcsec',
  ...LC_FEATURES.map((f) => `${f}_g`),
  ...LC_FEATURES.map((f) => `${f}_r`),
  'ebv',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** Bump when a definition changes: features are stored per feature-set version. */
export const FEATURE_SET_VERSION = 'fs1';

/**
 * The extended set (extended.ts): the seed's features plus what carries across nights — Galactic latitude, the PS1
 * star–galaxy score and distance, the nearest reference-image source, the nearest Gaia source, the g−r colour and
 * the rise and fade rates per band (mag/day).
 */
export const EXTENDED_EXTRA_NAMES = [
  'gal_b',
  'sgscore1',
  'distpsnr1',
  'distnr',
  'magnr',
  'neargaia',
  'maggaia',
  'g_minus_r',
  'rise_rate_g',
  'fade_rate_g',
  'rise_rate_r',
  'fade_rate_r',
] as const;
export const EXTENDED_FEATURE_NAMES = [...FEATURE_NAMES, ...EXTENDED_EXTRA_NAMES] as const;
export const EXTENDED_SET_VERSION = 'fx1';

/** The LSST feature set (core/surveys/lsst/features.ts): its own columns, stored only for LSST alerts. */
export const LSST_SET_VERSION = 'ls1';

/** The selectable feature sets (settings, --features, --set), the stored version of each and the survey it is of. */
export const FEATURE_SETS = ['seed', 'extended', 'lsst'] as const;
export type FeatureSetName = (typeof FEATURE_SETS)[number];
export const FEATURE_SET_VERSIONS: Record<FeatureSetName, string> = {
  seed: FEATURE_SET_VERSION,
  extended: EXTENDED_SET_VERSION,
  lsst: LSST_SET_VERSION,
};
export const FEATURE_SET_NAMES: Record<FeatureSetName, readonly string[]> = {
  seed: FEATURE_NAMES,
  extended: EXTENDED_FEATURE_NAMES,
  lsst: LSST_FEATURE_NAMES,
};
/** A round, a model and a held-out evaluation use one feature set, hence one survey's alerts. */
export const FEATURE_SET_SURVEY: Record<FeatureSetName, SurveyId> = { seed: 'ztf', extended: 'ztf', lsst: 'lsst' };

/** The feature sets of a survey, in FEATURE_SETS order (the Settings screen offers only these for the survey). */
export function featureSetsOf(survey: SurveyId): FeatureSetName[] {
  return FEATURE_SETS.filter((f) => FEATURE_SET_SURVEY[f] === survey);
}

/** A survey's feature sets with their columns (the Survey interface's `featureSets`). */
export function featureSetColumnsOf(survey: SurveyId): Record<string, readonly string[]> {
  return Object.fromEntries(featureSetsOf(survey).map((f) => [f, FEATURE_SET_NAMES[f]]));
}

/** A --features / --set value checked, with an error naming the option and the valid sets. */
export function parseFeatureSet(value: string, option: string): FeatureSetName {
  if ((FEATURE_SETS as readonly string[]).includes(value)) return value as FeatureSetName;
  throw new Error(`${option} must be one of ${FEATURE_SETS.join(', ')} (got '${value}')`);
}

/** The seed's column name for each of ours (for the seed-compatible export). */
export const SEED_COLUMN_NAMES: Record<string, string> = Object.fromEntries([
  ...LC_FEATURES.map((f) => [`${f}_g`, f]),
  ...LC_FEATURES.map((f) => [`${f}_r`, `${f}r_`]),
]);

/** The 26 light-curve features of Fink's lc_features_g / lc_features_r structs (stored packed in this order). */
export const FINK_LC_FEATURE_NAMES = [
  'mean',
  'weighted_mean',
  'standard_deviation',
  'median',
  'amplitude',
  'beyond_1_std',
  'cusum',
  'inter_percentile_range_10',
  'kurtosis',
  'linear_trend',
  'linear_trend_sigma',
  'linear_trend_noise',
  'linear_fit_slope',
  'linear_fit_slope_sigma',
  'linear_fit_reduced_chi2',
  'magnitude_percentage_ratio_40_5',
  'magnitude_percentage_ratio_20_10',
  'maximum_slope',
  'median_absolute_deviation',
  'median_buffer_range_percentage_10',
  'percent_amplitude',
  'mean_variance',
  'anderson_darling_normal',
  'chi2',
  'skew',
  'stetson_K',
] as const;
