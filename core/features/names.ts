/**
 * The feature vector (the seed's list, with the r band really holding r).
 * Mapping to the seed's column names: `amplitude` -> amplitude_g, `amplituder_` -> amplitude_r, and likewise
 * for the other five light-curve features; the seed's r columns were copies of g (it joined lc_features_g twice).
 */
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
