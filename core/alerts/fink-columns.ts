/**
 * Which columns of a ZTF / Fink alert the reader takes, shared by the parquet and avro readers.
 * Reading only these (and the cutouts when asked) is what keeps parquet decoding fast: a candidate struct has ~103
 * fields and the cutouts are most of a file's bytes.
 */

/** candidate.* fields copied into Alert. candid is taken from the top level when present. */
export const CANDIDATE_FIELDS = [
  'candid',
  'jd',
  'fid',
  'ra',
  'dec',
  'magpsf',
  'sigmapsf',
  'diffmaglim',
  'isdiffpos',
  'drb',
  'rb',
  'nbad',
  'ndethist',
  'sgscore1',
  'distpsnr1',
  'ssdistnr',
  'ssnamenr',
  'distnr',
  'magnr',
  'neargaia',
  'maggaia',
] as const;

/** Without these the file is not a ZTF alert file (e.g. another survey's struct named `candidate`). */
export const REQUIRED_CANDIDATE_FIELDS = ['magpsf', 'fid', 'jd', 'ra', 'dec'] as const;

/** prv_candidates.* fields kept for the light curve. prv candid is deliberately absent: pandas files store it lossy. */
export const HISTORY_FIELDS = ['jd', 'fid', 'magpsf', 'sigmapsf', 'diffmaglim', 'isdiffpos'] as const;

export const CUTOUT_COLUMNS = {
  science: 'cutoutScience',
  template: 'cutoutTemplate',
  difference: 'cutoutDifference',
} as const;

/** Fink string columns, plus Sherlock's class as the seed's poller stored it. */
export const STRING_COLUMNS = ['cdsxmatch', 'finkclass', 'tnsclass', 'sherl_class'] as const;
/** Fink / Sherlock numeric columns (sep_arcsec may be text in the seed's files). */
export const NUMBER_COLUMNS = ['roid', 'sep_arcsec'] as const;
export const LC_FEATURE_COLUMNS = ['lc_features_g', 'lc_features_r'] as const;

/**
 * Fink classifier outputs, across versions (early avro: rfscore, snn, knscore; 2.x+: rf_*, snn_*; t2 map; 4.x:
 * slsn_score, anomaly_score_*; CATS). Struct or map columns contribute `<column>_<key>` entries.
 */
const SCORE_NAMES = new Set([
  'rf_snia_vs_nonia',
  'snn_snia_vs_nonia',
  'snn_sn_vs_all',
  'rf_kn_vs_nonkn',
  'rf_agn_vs_nonagn',
  'mulens',
  'slsn_score',
  'rfscore',
  'snn',
  'knscore',
  'earlysn',
  'cats_broad_max_prob',
  'cats_fine_max_prob',
  't2',
]);
const SCORE_PREFIXES = ['anomaly_score'];

export function isScoreColumn(name: string): boolean {
  return SCORE_NAMES.has(name) || SCORE_PREFIXES.some((p) => name.startsWith(p));
}

/** Top-level columns of another survey's alerts, to say so instead of "no candidate column". */
export const FOREIGN_SURVEY_MARKERS: Record<string, string> = {
  diaSource: 'an LSST/Rubin alert (diaSource)',
  diaObject: 'an LSST/Rubin alert (diaObject)',
  prvDiaSources: 'an LSST/Rubin alert (prvDiaSources)',
  ssObject: 'an LSST/Rubin alert (ssObject)',
  elasticcPublishTimestamp: 'an ELAsTiCC alert',
};

export const ALERT_FILE_EXTENSIONS = ['.parquet', '.avro'] as const;
