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
