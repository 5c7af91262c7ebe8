import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DUST_MISSING_WARNING, loadDustMap, type DustMap } from '../features/dust.js';

export interface DustChoice {
  map: DustMap | null;
  /** Where the map came from, for the summary. */
  source: string | null;
  /** Set when there is no map: said once per ingest, not per alert. */
  warning: string | null;
}

/**
 * Which dust map to use: an explicit path, else FINKVRA_DUST, else what `finkvra dust fetch` put in <home>/dust.
 * An explicit path that cannot be read is an error (the user asked for it); a missing default is only a warning.
 */
export function resolveDustMap(explicit: string | undefined, homeDir: string): DustChoice {
  const chosen = explicit ?? process.env.FINKVRA_DUST;
  if (chosen) return { map: loadDustMap(chosen), source: chosen, warning: null };
  const dir = join(homeDir, 'dust');
  if (existsSync(dir) && readdirSync(dir).some((f) => f.toLowerCase().endsWith('.fits'))) {
    return { map: loadDustMap(dir), source: dir, warning: null };
  }
  return { map: null, source: null, warning: DUST_MISSING_WARNING };
}
