/**
 * Synthetic Rubin/LSST cards for the fake service: difference fluxes in nJy over several bands (some negative),
 * forced photometry, 7.x non-detection limits on one schema, a solar-system source without a diaObject, and stamps as
 * Fink's LSST files carry them (uncompressed FITS: the sample's gzipped stamps, gunzipped).
 */
import { gunzipSync } from 'node:zlib';
import type { AlertCard, LsstCard, LsstFluxPoint } from '../../core/api/types.js';
import { LSST_FEATURE_NAMES } from '../../core/surveys/lsst/features.js';
import { lsstLinks } from '../../core/surveys/lsst/links.js';
import { fluxErrToMagErr, fluxToMag } from '../../core/surveys/lsst/photometry.js';
import { renderCutouts } from '../../core/sample/cutouts.js';
import type { Rng } from '../../core/sample/rng.js';

const MJD_TO_JD = 2400000.5;
const BANDS = ['g', 'r', 'i', 'z', 'y'] as const;

export interface FakeLsstOptions {
  /** A source matched to a known asteroid, with no diaObject (so Lasair has no page). */
  solarSystem: boolean;
  /** Schema 7.x (carries non-detection limits) instead of 10.0; its alert is a negative difference. */
  v7: boolean;
}

function point(mjd: number, band: string, flux: number | null, fluxErr: number, kind: LsstFluxPoint['kind']): LsstFluxPoint {
  const positive = flux !== null && flux > 0;
  return { mjd, band, flux, fluxErr, mag: positive ? fluxToMag(flux) : null, magErr: positive ? fluxErrToMagErr(flux, fluxErr) : null, kind };
}

/** A variable source: detections in five bands over ~3 weeks (two negative), forced points before, the alert last. */
function lightCurve(rng: Rng, mjd0: number, v7: boolean): LsstFluxPoint[] {
  const lc: LsstFluxPoint[] = [];
  // Forced photometry before the first detection: near zero (no source yet).
  for (let k = 0; k < 4; k++) lc.push(point(mjd0 - 30 + k * 2.2, BANDS[k % 5], (rng.next() - 0.5) * 120, 40 + 20 * rng.next(), 'forced'));
  if (v7) for (let k = 0; k < 3; k++) lc.push(point(mjd0 - 22 + k * 1.1, BANDS[(k + 1) % 5], null, 150 + 40 * rng.next(), 'limit'));
  for (let k = 0; k < 11; k++) {
    const band = BANDS[k % 5];
    // Rises, then fades below the template: the last detections before the alert are negative differences.
    const flux = k === 7 || k === 8 ? -(900 + 300 * rng.next()) : 1500 + 4000 * Math.sin((k + 1) / 4) + 300 * rng.next();
    lc.push(point(mjd0 - 18 + k * 1.6 + 0.01 * rng.next(), band, flux, 90 + 60 * rng.next(), 'detection'));
  }
  // The 7.x card's alert is itself a negative difference (as 3 of the 25 real LSSTCam alerts are).
  lc.push(point(mjd0, 'i', v7 ? -1830.2 : 2650.4, 121.7, 'detection'));
  return lc.sort((a, b) => a.mjd - b.mjd);
}

function diaObjectOf(lc: LsstFluxPoint[]): Record<string, number> {
  const o: Record<string, number> = {};
  const det = lc.filter((p) => p.kind === 'detection' && p.flux !== null);
  for (const b of BANDS) {
    const f = det.filter((p) => p.band === b).map((p) => p.flux as number);
    if (!f.length) continue;
    const mean = f.reduce((s, x) => s + x, 0) / f.length;
    o[`${b}_psfFluxMean`] = mean;
    o[`${b}_psfFluxSigma`] = Math.sqrt(f.reduce((s, x) => s + (x - mean) ** 2, 0) / f.length);
    o[`${b}_psfFluxNdata`] = f.length;
  }
  o.nDiaSources = det.length;
  return o;
}

/** Uncompressed FITS stamps, base64. */
function stamps(rng: Rng): AlertCard['cutouts'] {
  const cut = renderCutouts({ fwhmPix: 2.4, diffCounts: 3000, starCounts: 0, hostCounts: 20000, hostDx: 3, hostDy: 2, hostScale: 3, artefact: 'none' }, rng);
  const plain = (gz: Uint8Array) => Buffer.from(gunzipSync(gz)).toString('base64');
  return { science: plain(cut.science), template: plain(cut.template), difference: plain(cut.difference) };
}

/** The LSST part and the common fields of one fake LSST card (the fake fills label, proposal and the like). */
export function fakeLsstCard(i: number, rng: Rng, opts: FakeLsstOptions): AlertCard {
  const mjd = 61041.2213 + i * 0.0007;
  const diaSourceId = String(170028055519215627n + BigInt(i) * 65537n);
  const diaObjectId = opts.solarSystem ? null : String(169867325563650123n + BigInt(i) * 4099n);
  const lc = lightCurve(rng, mjd, opts.v7);
  const last = lc[lc.length - 1];
  const lsst: LsstCard = {
    diaSourceId,
    diaObjectId,
    ssObjectId: opts.solarSystem ? '21163611723' : null,
    ssDesignation: opts.solarSystem ? 'K24A00B' : null,
    schemaVersion: opts.v7 ? '7.x' : '10.0',
    declaredVersion: opts.v7 ? 'lsst.v7_4' : 'lsst.v10_0',
    band: 'i',
    psfFlux: last.flux,
    psfFluxErr: last.fluxErr,
    scienceFlux: 15234.2,
    snr: 21.8,
    reliability: 0.874,
    extendedness: 0.12,
    isDipole: false,
    isNegative: (last.flux ?? 0) < 0,
    flags: { trail_flag_edge: opts.solarSystem, glint_trail: false, pixelFlags_streak: opts.v7 ? null : false },
    trailLength: opts.solarSystem ? 4.25 : null,
    diaObject: opts.solarSystem ? {} : diaObjectOf(lc),
    lightcurve: opts.solarSystem ? [last] : lc,
  };
  const objectId = diaObjectId ?? (lsst.ssDesignation as string);
  const jd = mjd + MJD_TO_JD;
  return {
    candid: diaSourceId,
    objectId,
    jd,
    date: new Date((jd - 2440587.5) * 86_400_000).toISOString(),
    night: '20260101',
    ra: 150.1 + 0.01 * i,
    dec: 2.2 - 0.01 * i,
    fid: 0,
    magpsf: last.mag,
    sigmapsf: last.magErr,
    drb: null,
    rb: null,
    features: Object.fromEntries(LSST_FEATURE_NAMES.slice(0, 8).map((f) => [f, Math.round(rng.next() * 1e4) / 1e3])),
    lightcurve: [],
    cutouts: stamps(rng),
    fink: { cdsxmatch: 'Unknown', finkclass: null, tnsclass: null, roid: null, scores: {} },
    label: null,
    labelHistory: [],
    objectLabels: [],
    proposal: null,
    context: { sgscore1: null, distpsnr1: null, distnr: null, magnr: null, neargaia: null, maggaia: null, ssnamenr: null, ssdistnr: null, isdiffpos: null, galB: 42.1, ebv: 0.018 },
    links: lsstLinks({ diaObjectId, ssDesignation: lsst.ssDesignation }),
    survey: 'lsst',
    lsst,
  };
}
