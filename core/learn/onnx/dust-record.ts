/**
 * Which dust map a store's ebv (of one feature set's alerts: ZTF's by default) came from, told from the values themselves (the store does not record the map): every
 * alert's ebv missing → 'none'; every alert's ebv equal to the bundled map's at its (ra, dec) → that file's sha256;
 * anything else (the fetched SFD pair, another map, a store ingested with several) → undefined, and the export then
 * says nothing rather than something wrong.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadDustMap } from '../../features/dust.js';
import { bundledDustMapPath } from '../../ingest/dust-choice.js';
import type { Db } from '../../store/database.js';
import { featureWithPositions } from '../../store/features.js';
import { FEATURE_SET_VERSIONS, type FeatureSetName } from '../../features/names.js';

export function storeDustRecord(db: Db, featureSet: FeatureSetName = 'seed'): string | undefined {
  // The ebv of the set's own alerts: a store's surveys may have been ingested with different maps.
  const { ra, dec, values: ebv } = featureWithPositions(db, 'ebv', FEATURE_SET_VERSIONS[featureSet]);
  const n = ebv.length;
  if (n === 0) return undefined;
  let missing = 0;
  for (const e of ebv) if (Number.isNaN(e)) missing++;
  if (missing === n) return 'none';
  if (missing > 0) return undefined;
  const path = bundledDustMapPath();
  const map = loadDustMap(path);
  for (let i = 0; i < n; i++) if (map.ebv(ra[i], dec[i]) !== ebv[i]) return undefined;
  return `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
}
