/**
 * Weak labels and LSST alerts. Fink's LSST stream adds crossmatch columns once processed (xm.simbad_otype,
 * xm.tns_type, xm.vsx_Type, xm.gaiadr3_*, xm.mangrove_*; doc.lsst.fink-broker.org and fink-filters' rubin filters),
 * but the LSST files read here (Rubin's alert packet as Fink writes it: schemas 7.x, 9.0, 10.0) carry none of them,
 * and the store keeps none: no LSST alert gets a weak label from a catalogue. What the alert itself says is Rubin's
 * association with a known solar-system object (diaSource.ssObjectId, ssSource / mpc_orbits): ZTF's mapping gives
 * known asteroids no label (roid = 3 is left out, "Solar System MPC" is 'none'), so such LSST alerts are left out
 * the same way. The ZTF derivation (derive.ts) runs on the ZTF alerts only.
 */
import type { Db } from '../store/database.js';
import { readLsstWeakRows, type LsstWeakRow } from '../store/lsst-weak.js';
import { readWeakAlertRows, type WeakAlertRow } from './derive.js';
import { EXCLUDED_ROID } from './mapping.js';

/** Fink LSST crossmatch columns the weak step would map (SIMBAD and TNS tables) if a file carried them. */
export const FINK_LSST_XMATCH_COLUMNS = ['xm.simbad_otype', 'xm.tns_type'] as const;

export interface LsstWeakSummary {
  alerts: number;
  /** Matched to a known solar-system object: left out, as ZTF's roid = 3. */
  solarSystem: number;
  /** Labelled from a catalogue column: none, since the files carry no such column. */
  labelled: number;
}

export function summariseLsstWeak(rows: readonly LsstWeakRow[]): LsstWeakSummary {
  const solarSystem = rows.filter((r) => r.ssObjectId !== null || r.ssDesignation !== null).length;
  return { alerts: rows.length, solarSystem, labelled: 0 };
}

/** The ZTF rows of the weak step: every row but the LSST alerts' (whose catalogue columns are empty, not 'Unknown'). */
export function ztfWeakRows(rows: readonly WeakAlertRow[], lsst: readonly LsstWeakRow[]): WeakAlertRow[] {
  const isLsst = new Set(lsst.map((r) => r.candid));
  return rows.filter((r) => !isLsst.has(r.candid));
}

/** Lines for the command's output: what was done with the LSST alerts, and why they get no label. */
export function lsstWeakNotes(s: LsstWeakSummary): string[] {
  if (s.alerts === 0) return [];
  return [
    `${s.alerts} Rubin/LSST alert(s): ${s.solarSystem} matched a known solar-system object (left out, as roid = ${EXCLUDED_ROID} is for ZTF);`,
    `  no weak label for LSST alerts: their files carry no Fink crossmatch or classification column (${FINK_LSST_XMATCH_COLUMNS.join(', ')} are added by Fink's processing, not in these files)`,
  ];
}

/** The store's alerts for the weak step: the ZTF rows to derive labels from, and what the LSST alerts amount to. */
export function weakRowsBySurvey(db: Db): { ztf: WeakAlertRow[]; lsst: LsstWeakSummary } {
  const lsst = readLsstWeakRows(db);
  return { ztf: ztfWeakRows(readWeakAlertRows(db), lsst), lsst: summariseLsstWeak(lsst) };
}
