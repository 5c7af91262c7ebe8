/**
 * The label card of an LSST alert: the common fields from `alerts` (migration 009's rules), the `lsst` features,
 * what only LSST alerts carry (lsst_alerts) and the object's light curve as known at this alert, in nJy and AB mag.
 */
import { finiteOrNull } from '../alerts/arrow-columns.js';
import type { AlertCard, LsstCard, LsstFluxPoint } from '../api/types.js';
import { nearbySources } from '../alerts/nearby-sources.js';
import { icrsToGalactic } from '../features/coords.js';
import { LSST_SET_VERSION } from '../features/names.js';
import { LSST_FEATURE_NAMES } from '../surveys/lsst/features.js';
import { mjdToJd } from '../surveys/lsst/night.js';
import { decodeLsstLc, type LsstStoredPoint } from '../surveys/lsst/packed-lc.js';
import { fluxErrToMagErr, fluxToMag } from '../surveys/lsst/photometry.js';
import { surveyLinks } from '../surveys/registry.js';
import { cardFeatures, commonCard, type CommonAlertRow } from './card-parts.js';
import type { Db } from './database.js';

interface LsstRow {
  dia_object_id: string | null;
  ss_object_id: string | null;
  ss_designation: string | null;
  schema_version: string;
  declared_version: string | null;
  band: string | null;
  psf_flux: number | null;
  psf_flux_err: number | null;
  science_flux: number | null;
  snr: number | null;
  reliability: number | null;
  extendedness: number | null;
  is_dipole: number | null;
  is_negative: number | null;
  trail_flag_edge: number | null;
  glint_trail: number | null;
  trail_length: number | null;
  pixel_flags_streak: number | null;
  dia_object_json: string;
}

const MJD_TO_JD = mjdToJd(0);
const bool = (v: number | null): boolean | null => (v === null ? null : v !== 0);

function fluxPoint(p: LsstStoredPoint): LsstFluxPoint {
  const flux = finiteOrNull(p.flux);
  return {
    mjd: p.mjd,
    band: p.band,
    flux,
    fluxErr: finiteOrNull(p.fluxErr),
    mag: flux === null ? null : finiteOrNull(fluxToMag(flux)),
    magErr: flux === null ? null : finiteOrNull(fluxErrToMagErr(flux, p.fluxErr)),
    kind: p.kind,
  };
}

/**
 * The stored curves merged: one point per (mjd, band, kind) — the same measurement sits in the curve of every later
 * alert of the object — none after `maxMjd` (nothing from the future), oldest first.
 */
export function mergeLsstCurves(curves: readonly LsstStoredPoint[][], maxMjd: number): LsstFluxPoint[] {
  const byKey = new Map<string, LsstStoredPoint>();
  for (const c of curves) {
    for (const p of c) {
      if (p.mjd > maxMjd + 1e-9) continue;
      const key = `${p.mjd.toFixed(6)}:${p.band ?? '-'}:${p.kind}`;
      if (!byKey.has(key)) byKey.set(key, p);
    }
  }
  return [...byKey.values()].sort((a, b) => a.mjd - b.mjd || (a.band ?? '').localeCompare(b.band ?? '') || a.kind.localeCompare(b.kind)).map(fluxPoint);
}

/** The object's curve as known at the alert: the stored curves of its alerts up to the alert's jd. */
function objectCurve(db: Db, a: CommonAlertRow): LsstFluxPoint[] {
  const blobs = db
    .prepare(
      `SELECT l.candid, l.data FROM alert_lc l JOIN alerts o ON o.candid = l.candid
       WHERE o.object_id = ? AND o.survey = 'lsst' AND o.jd <= ? + 1e-6`,
    )
    .all(a.object_id, a.jd) as { candid: string; data: Buffer }[];
  return mergeLsstCurves(
    blobs.map((b) => decodeLsstLc(b.data, `alert_lc of diaSourceId ${b.candid}`)),
    a.jd - MJD_TO_JD,
  );
}

function diaObjectOf(json: string, candid: string): Record<string, number> {
  try {
    const v = JSON.parse(json) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).filter((e): e is [string, number] => typeof e[1] === 'number'));
    }
  } catch {
    // Reported below: the stored row is not what migration 009 writes.
  }
  throw new Error(`lsst_alerts of diaSourceId ${candid}: field dia_object_json: not a JSON object`);
}

function lsstCard(candid: string, r: LsstRow, lightcurve: LsstFluxPoint[]): LsstCard {
  return {
    diaSourceId: candid,
    diaObjectId: r.dia_object_id,
    ssObjectId: r.ss_object_id,
    ssDesignation: r.ss_designation,
    schemaVersion: r.schema_version,
    declaredVersion: r.declared_version,
    band: r.band,
    psfFlux: r.psf_flux,
    psfFluxErr: r.psf_flux_err,
    scienceFlux: r.science_flux,
    snr: r.snr,
    reliability: r.reliability,
    extendedness: r.extendedness,
    isDipole: bool(r.is_dipole),
    isNegative: bool(r.is_negative),
    flags: { trail_flag_edge: bool(r.trail_flag_edge), glint_trail: bool(r.glint_trail), pixelFlags_streak: bool(r.pixel_flags_streak) },
    trailLength: r.trail_length,
    diaObject: diaObjectOf(r.dia_object_json, candid),
    lightcurve,
  };
}

/** The `lsst` set's names as stored with the vectors (the set's own list when the store has none yet). */
function lsstFeatureNames(db: Db): readonly string[] {
  const row = db.prepare('SELECT names_json FROM feature_sets WHERE version = ?').get(LSST_SET_VERSION) as { names_json: string } | undefined;
  return row ? (JSON.parse(row.names_json) as string[]) : LSST_FEATURE_NAMES;
}

function lsstRow(db: Db, candid: string): LsstRow {
  const r = db.prepare('SELECT * FROM lsst_alerts WHERE candid = ?').get(candid) as LsstRow | undefined;
  // Migration 009 writes one lsst_alerts row with every LSST alert: its absence is a damaged store.
  if (!r) throw new Error(`alert ${candid}: survey lsst but no lsst_alerts row`);
  return r;
}

export function lsstAlertCard(db: Db, a: CommonAlertRow): Omit<AlertCard, 'proposal'> {
  const r = lsstRow(db, a.candid);
  const features = cardFeatures(db, a.candid, LSST_SET_VERSION, lsstFeatureNames(db));
  const subject = { objectId: r.dia_object_id, solarSystemDesignation: r.ss_designation };
  return {
    ...commonCard(db, a),
    fid: 0,
    drb: null,
    rb: null,
    features,
    // ZTF's magnitude points do not apply: the LSST curve is in lsst.lightcurve.
    lightcurve: [],
    fink: { cdsxmatch: null, finkclass: null, tnsclass: null, roid: null, scores: {} },
    context: {
      ...nearbySources(() => null),
      ssnamenr: null,
      ssdistnr: null,
      isdiffpos: null,
      galB: icrsToGalactic(a.ra, a.dec).b,
      ebv: features.ebv ?? null,
    },
    links: surveyLinks('lsst', subject),
    survey: 'lsst',
    lsst: lsstCard(a.candid, r, objectCurve(db, a)),
  };
}
