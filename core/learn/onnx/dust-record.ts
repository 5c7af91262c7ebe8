/**
 * Which dust map a store's ebv came from, told from the values themselves (the store does not record the map): every
 * alert's ebv missing → 'none'; every alert's ebv equal to the bundled map's at its (ra, dec) → that file's sha256;
 * anything else (the fetched SFD pair, another map, a store ingested with several) → undefined, and the export then
 * says nothing rather than something wrong.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadDustMap } from '../../features/dust.js';
import { bundledDustMapPath } from '../../ingest/dust-choice.js';
import type { Db } from '../../store/database.js';
import { featureColumns } from '../../store/features.js';

export function storeDustRecord(db: Db): string | undefined {
  const [ra, dec, ebv] = featureColumns(db, ['ra', 'dec', 'ebv']);
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
