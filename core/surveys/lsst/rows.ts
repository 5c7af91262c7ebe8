/**
 * What the store keeps of one LSST alert (migration 009): the common `alerts` values, the `lsst_alerts` values, the
 * stored light curve and the `lsst` feature vector. One function per part, so ingest's staging and the direct writer
 * build them the same way.
 */
import { finiteOrNull } from '../../alerts/arrow-columns.js';
import type { DustMap } from '../../features/dust.js';
import type { LsstBatch } from './batch.js';
import { LSST_FEATURE_NAMES, lsstFeaturesOf } from './features.js';
import { lsstNight, mjdToJd } from './night.js';
import { encodeLsstLc, type LsstStoredPoint } from './packed-lc.js';
import { fluxErrToMagErr, fluxToMag } from './photometry.js';

/** The alerts-table values every survey has. */
export interface CommonAlertValues {
  candid: string;
  objectId: string;
  jd: number;
  night: string;
  ra: number;
  dec: number;
  /** AB magnitude of psfFlux and its error, null unless the flux is positive. */
  magpsf: number | null;
  sigmapsf: number | null;
}

/** lsst_alerts values, in the table's column order (see LSST_ALERT_COLUMNS). */
export type LsstAlertValues = (string | number | null)[];

export const LSST_ALERT_COLUMNS = [
  'candid',
  'dia_object_id',
  'ss_object_id',
  'ss_designation',
  'schema_version',
  'declared_version',
  'band',
  'psf_flux',
  'psf_flux_err',
  'science_flux',
  'science_flux_err',
  'snr',
  'reliability',
  'extendedness',
  'is_dipole',
  'is_negative',
  'trail_flag_edge',
  'glint_trail',
  'trail_length',
  'pixel_flags_streak',
  'dia_object_json',
] as const;

const flag = (v: number): number | null => (Number.isNaN(v) ? null : v ? 1 : 0);

/** The store's object of an alert: its diaObject, else its solar-system object, else the source alone. */
export function lsstObjectId(batch: LsstBatch, i: number): string {
  const dia = batch.diaObjectId[i];
  if (dia !== null) return dia;
  const ss = batch.ssObjectId[i];
  return ss !== null ? `ss:${ss}` : `src:${batch.diaSourceId[i]}`;
}

export function commonValues(batch: LsstBatch, i: number): CommonAlertValues {
  const s = batch.source;
  const flux = s.psfFlux[i];
  return {
    candid: batch.diaSourceId[i],
    objectId: lsstObjectId(batch, i),
    jd: mjdToJd(s.midpointMjdTai[i]),
    night: lsstNight(s.midpointMjdTai[i]),
    ra: s.ra[i],
    dec: s.dec[i],
    magpsf: finiteOrNull(fluxToMag(flux)),
    sigmapsf: finiteOrNull(fluxErrToMagErr(flux, s.psfFluxErr[i])),
  };
}

/** The diaObject summary fields present (NaN ones left out), as stored JSON. */
function diaObjectJson(batch: LsstBatch, i: number): string {
  const out: Record<string, number> = {};
  for (const [name, values] of Object.entries(batch.diaObject)) if (Number.isFinite(values[i])) out[name] = values[i];
  return JSON.stringify(out);
}

export function lsstAlertValues(batch: LsstBatch, i: number): LsstAlertValues {
  const s = batch.source;
  return [
    batch.diaSourceId[i],
    batch.diaObjectId[i],
    batch.ssObjectId[i],
    batch.ssDesignation[i],
    batch.version,
    batch.declaredVersion[i],
    batch.band[i],
    finiteOrNull(s.psfFlux[i]),
    finiteOrNull(s.psfFluxErr[i]),
    finiteOrNull(s.scienceFlux[i]),
    finiteOrNull(s.scienceFluxErr[i]),
    finiteOrNull(s.snr[i]),
    finiteOrNull(s.reliability[i]),
    finiteOrNull(s.extendedness[i]),
    flag(s.isDipole[i]),
    flag(s.isNegative[i]),
    flag(s.trail_flag_edge[i]),
    flag(s.glint_trail[i]),
    finiteOrNull(s.trailLength[i]),
    flag(s.pixelFlags_streak[i]),
    diaObjectJson(batch, i),
  ];
}

/**
 * Alert i's light curve as stored: previous diaSources (the alert's own id counted once), the diaSource, forced
 * photometry and 7.x non-detection limits, oldest first.
 */
export function lsstStoredPoints(batch: LsstBatch, i: number): LsstStoredPoint[] {
  const points: LsstStoredPoint[] = [];
  const prv = batch.prvDiaSources;
  for (let k = prv.offsets[i]; k < prv.offsets[i + 1]; k++) {
    if (prv.id[k] === batch.diaSourceId[i]) continue;
    points.push({ mjd: prv.midpointMjdTai[k], band: prv.band[k], flux: prv.psfFlux[k], fluxErr: prv.psfFluxErr[k], kind: 'detection' });
  }
  const s = batch.source;
  points.push({ mjd: s.midpointMjdTai[i], band: batch.band[i], flux: s.psfFlux[i], fluxErr: s.psfFluxErr[i], kind: 'detection' });
  const fp = batch.prvDiaForcedSources;
  for (let k = fp.offsets[i]; k < fp.offsets[i + 1]; k++) {
    points.push({ mjd: fp.midpointMjdTai[k], band: fp.band[k], flux: fp.psfFlux[k], fluxErr: fp.psfFluxErr[k], kind: 'forced' });
  }
  const lim = batch.prvDiaNondetectionLimits;
  for (let k = lim.offsets[i]; k < lim.offsets[i + 1]; k++) {
    points.push({ mjd: lim.midpointMjdTai[k], band: lim.band[k], flux: NaN, fluxErr: lim.diaNoise[k], kind: 'limit' });
  }
  return points.sort((a, b) => a.mjd - b.mjd);
}

export const lsstLcBlob = (batch: LsstBatch, i: number): Buffer => encodeLsstLc(lsstStoredPoints(batch, i));

const NDET = LSST_FEATURE_NAMES.indexOf('ndet');

/** The `lsst` feature vector and its detection count (the features table's ndets: the pool needs at least one). */
export function lsstFeatureRow(batch: LsstBatch, i: number, dust: DustMap | null): { vector: Float64Array; ndets: number } {
  const { ra, dec } = batch.source;
  const ebv = dust && Number.isFinite(ra[i]) && Number.isFinite(dec[i]) ? dust.ebv(ra[i], dec[i]) : NaN;
  const vector = lsstFeaturesOf(batch, i, new Float64Array(LSST_FEATURE_NAMES.length), ebv);
  return { vector, ndets: vector[NDET] };
}
