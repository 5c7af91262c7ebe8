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
import { loadFeatureMatrix } from '../../store/features.js';

export function storeDustRecord(db: Db): string | undefined {
  const m = loadFeatureMatrix(db);
  if (m.n === 0) return undefined;
  const [ra, dec, ebv] = ['ra', 'dec', 'ebv'].map((n) => m.names.indexOf(n));
  const at = (i: number, j: number) => m.X[i * m.d + j];
  let missing = 0;
  for (let i = 0; i < m.n; i++) if (Number.isNaN(at(i, ebv))) missing++;
  if (missing === m.n) return 'none';
  if (missing > 0) return undefined;
  const path = bundledDustMapPath();
  const map = loadDustMap(path);
  for (let i = 0; i < m.n; i++) if (map.ebv(at(i, ra), at(i, dec)) !== at(i, ebv)) return undefined;
  return `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
}
