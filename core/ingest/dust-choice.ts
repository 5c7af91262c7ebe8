import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDustMap, type DustMap } from '../features/dust.js';

/**
 * The dust-map setting: `auto` = the full-resolution SFD pair from `finkvra dust fetch` when present, else the
 * bundled low-resolution map; `sfd` = that pair only; `lowres` = the bundled map only; `none` = no E(B-V).
 */
export const DUST_CHOICES = ['auto', 'sfd', 'lowres', 'none'] as const;
export type DustSetting = (typeof DUST_CHOICES)[number];

export const BUNDLED_DUST_FILE = 'dust_ebv_SFD_healpix_lowres.fits';

export interface DustChoice {
  map: DustMap | null;
  /** Where the map came from, for the summary. */
  source: string | null;
  /** Set when there is no map: said once per ingest, not per alert. */
  warning: string | null;
}

/**
 * The bundled SFD HEALPix map (NSIDE 64, resources/dust): found by walking up from this module, so the same code
 * works from the sources (core/ingest) and from the build (dist/core/ingest, with resources/ packed beside dist/).
 */
export function bundledDustMapPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'resources', 'dust', BUNDLED_DUST_FILE);
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new Error(`the bundled dust map resources/dust/${BUNDLED_DUST_FILE} is missing from this installation`);
}

let bundled: DustMap | null = null;
/** Loaded once per process: every ingest of a session uses the same 200 kB map. */
function bundledMap(): DustChoice {
  bundled ??= loadDustMap(bundledDustMapPath());
  return { map: bundled, source: `${bundled.source} (bundled SFD HEALPix map, NSIDE 64)`, warning: null };
}

function fetchedDir(homeDir: string): string | null {
  const dir = join(homeDir, 'dust');
  return existsSync(dir) && readdirSync(dir).some((f) => f.toLowerCase().endsWith('.fits')) ? dir : null;
}

/**
 * Which dust map to use: an explicit path, else FINKVRA_DUST, else the setting (default `auto`). An explicit path
 * that cannot be read is an error (the user asked for it), and so is `sfd` without the fetched pair.
 */
export function resolveDustMap(explicit: string | undefined, homeDir: string, setting: DustSetting = 'auto'): DustChoice {
  const chosen = explicit ?? process.env.FINKVRA_DUST;
  if (chosen) return { map: loadDustMap(chosen), source: chosen, warning: null };
  if (setting === 'none') {
    return { map: null, source: null, warning: 'the dust map is set to none in Settings, so ebv is missing for every alert' };
  }
  const dir = setting === 'lowres' ? null : fetchedDir(homeDir);
  if (dir) return { map: loadDustMap(dir), source: dir, warning: null };
  if (setting === 'sfd') {
    throw new Error(
      `settings.dust is 'sfd' but ${join(homeDir, 'dust')} holds no SFD maps: run \`finkvra dust fetch\`, or choose 'auto' or 'lowres'`,
    );
  }
  return bundledMap();
}
