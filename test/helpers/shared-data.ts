import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** ../shared/data beside the repository: read in place, never copied. */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data', import.meta.url));
export const FINK_ZTF = `${SHARED_DATA}/fink-ztf`;
export const DUST_DIR = `${SHARED_DATA}/dust`;
export const HAS_SHARED = existsSync(FINK_ZTF);

/** Call at module level of a real-data suite: prints why it is skipped. */
export function sharedDataOrSkipReason(suite: string): boolean {
  if (!HAS_SHARED) console.warn(`[${suite}] skipped: ${FINK_ZTF} is absent (real Fink data lives in ../shared/data)`);
  return HAS_SHARED;
}

/** Rows per file, from the table in shared/data/README.md §2. */
export const README_ROWS: Record<string, number> = {
  'ztf_20211122_xmatch_sample_a.parquet': 67,
  'ztf_20211122_xmatch_sample_b.parquet': 57,
  'superluminous_test_alerts.parquet': 74,
  'few_SLSN_alerts.parquet': 55,
  'hostless_detection_202404.parquet': 72,
  'tde_ZTF20abfcszi_202008.parquet': 21,
  'ztf_20250614_regular.parquet': 9,
  'dwarf_agn_20231101.parquet': 1,
  'ztf_20220804_alert_samples.parquet': 11,
  'sso_20250114.parquet': 1,
  'sso_20250116.parquet': 1,
  'sso_20250131.parquet': 1,
  'ztf_20190903_science_fink2.9.parquet': 2,
  'ztf_20190903_raw_alerts.parquet': 51,
  'ztf_20191101_multi_alerts.avro': 11,
};
