/** The LSST panel's pure helpers: which flags are set, the diaObject's per-band rows. */
import type { LsstCard } from '@core/api/types.js';
import { LSST_BANDS, type LsstBand } from './lsst-bands.js';

export function yesNo(v: boolean | null): string {
  return v === null ? '—' : v ? 'yes' : 'no';
}

/** The flags that are set, and those the alert's schema version does not have (null). */
export function setFlags(flags: LsstCard['flags']): { set: string[]; unknown: string[] } {
  const entries = Object.entries(flags) as [string, boolean | null][];
  return { set: entries.filter(([, v]) => v === true).map(([k]) => k), unknown: entries.filter(([, v]) => v === null).map(([k]) => k) };
}

export interface DiaObjectRow {
  band: LsstBand;
  mean: number | null;
  sigma: number | null;
  ndata: number | null;
}

const field = (o: Record<string, number>, k: string): number | null => (Number.isFinite(o[k]) ? o[k] : null);

/** One row per band the diaObject has a measurement in (psfFluxNdata > 0, or a mean), in u g r i z y order. */
export function diaObjectRows(o: Record<string, number>): { rows: DiaObjectRow[]; nDiaSources: number | null } {
  const rows: DiaObjectRow[] = [];
  for (const band of LSST_BANDS) {
    const row = { band, mean: field(o, `${band}_psfFluxMean`), sigma: field(o, `${band}_psfFluxSigma`), ndata: field(o, `${band}_psfFluxNdata`) };
    if ((row.ndata ?? 0) > 0 || row.mean !== null) rows.push(row);
  }
  return { rows, nDiaSources: field(o, 'nDiaSources') };
}
