/**
 * The LSST feature set: one row of numbers per alert, from the alert alone (triggering diaSource, prvDiaSources,
 * prvDiaForcedSources, diaObject). Described for users in FEATURES.md beside this file.
 *
 * | name                          | what                                                                           |
 * |-------------------------------|--------------------------------------------------------------------------------|
 * | ndet_<b>                      | detections in band b: the diaSource plus prvDiaSources (0 when none)           |
 * | flux_median_<b>, flux_std_<b> | median and population std (ddof 0) of psfFlux [nJy] over those detections;     |
 * |                               | NaN when the band has none (std 0 for one), negative fluxes included           |
 * | nforced_<b>                   | prvDiaForcedSources in band b (0 when none)                                    |
 * | obj_flux_mean_<b>             | diaObject.<b>_psfFluxMean [nJy] (NaN when absent)                              |
 * | ndet, nforced                 | the same counts over all bands                                                 |
 * | reliability, extendedness, snr| of the triggering diaSource                                                    |
 * | gal_b                         | Galactic latitude [deg] of the diaSource (core/features/coords.ts)             |
 * | ebv                           | E(B-V) of the dust map chosen at ingest at the diaSource (NaN without one)     |
 *
 * for b in u g r i z y. A previous source with the alert's own diaSourceId is counted once.
 */
import { icrsToGalactic } from '../../features/coords.js';
import type { LsstBatch } from './batch.js';
import { LSST_BANDS } from './schema.js';
import { fluxErrToMagErr, fluxToMag, type LsstLightCurvePoint } from './photometry.js';

const PER_BAND = ['ndet', 'flux_median', 'flux_std', 'nforced', 'obj_flux_mean'] as const;
const PER_ALERT = ['ndet', 'nforced', 'reliability', 'extendedness', 'snr', 'gal_b', 'ebv'] as const;

export const LSST_FEATURE_NAMES: readonly string[] = [
  ...PER_BAND.flatMap((f) => LSST_BANDS.map((b) => `${f}_${b}`)),
  ...PER_ALERT,
];
const INDEX = new Map(LSST_FEATURE_NAMES.map((n, i) => [n, i]));
const at = (name: string): number => INDEX.get(name) ?? -1;
const BAND_INDEX = new Map<string, number>(LSST_BANDS.map((b, i) => [b, i]));

/** Median of a scratch array (sorted in place). */
function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const n = values.length;
  return n % 2 === 1 ? values[(n - 1) >> 1] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

function populationStd(values: number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
}

/** Detection fluxes per band (index into LSST_BANDS) of alert i: its diaSource, then its previous sources. */
function detectionFluxes(batch: LsstBatch, i: number): number[][] {
  const perBand: number[][] = LSST_BANDS.map(() => []);
  const add = (band: string | null, flux: number): void => {
    const b = band === null ? undefined : BAND_INDEX.get(band);
    if (b !== undefined && !Number.isNaN(flux)) perBand[b].push(flux);
  };
  add(batch.band[i], batch.source.psfFlux[i]);
  const prv = batch.prvDiaSources;
  for (let k = prv.offsets[i]; k < prv.offsets[i + 1]; k++) {
    if (prv.id[k] !== batch.diaSourceId[i]) add(prv.band[k], prv.psfFlux[k]);
  }
  return perBand;
}

function forcedCounts(batch: LsstBatch, i: number): number[] {
  const counts = LSST_BANDS.map(() => 0);
  const forced = batch.prvDiaForcedSources;
  for (let k = forced.offsets[i]; k < forced.offsets[i + 1]; k++) {
    const b = forced.band[k] === null ? undefined : BAND_INDEX.get(forced.band[k] as string);
    if (b !== undefined) counts[b]++;
  }
  return counts;
}

/** Features of alert i into `out` (length LSST_FEATURE_NAMES.length); `ebv` from the dust map chosen (NaN: none). */
export function lsstFeaturesOf(
  batch: LsstBatch,
  i: number,
  out = new Float64Array(LSST_FEATURE_NAMES.length),
  ebv = NaN,
): Float64Array {
  const fluxes = detectionFluxes(batch, i);
  const forced = forcedCounts(batch, i);
  LSST_BANDS.forEach((b, k) => {
    const f = fluxes[k];
    out[at(`ndet_${b}`)] = f.length;
    out[at(`flux_std_${b}`)] = f.length > 0 ? populationStd(f) : NaN;
    out[at(`flux_median_${b}`)] = f.length > 0 ? median(f) : NaN;
    out[at(`nforced_${b}`)] = forced[k];
    out[at(`obj_flux_mean_${b}`)] = batch.diaObject[`${b}_psfFluxMean`]?.[i] ?? NaN;
  });
  out[at('ndet')] = fluxes.reduce((s, f) => s + f.length, 0);
  out[at('nforced')] = forced.reduce((s, n) => s + n, 0);
  out[at('reliability')] = batch.source.reliability[i];
  out[at('extendedness')] = batch.source.extendedness[i];
  out[at('snr')] = batch.source.snr[i];
  const { ra, dec } = batch.source;
  out[at('gal_b')] = Number.isNaN(ra[i]) || Number.isNaN(dec[i]) ? NaN : icrsToGalactic(ra[i], dec[i]).b;
  out[at('ebv')] = ebv;
  return out;
}

/** The feature matrix of a batch, row-major (length × LSST_FEATURE_NAMES.length). */
export function lsstFeatureMatrix(batch: LsstBatch): Float64Array {
  const width = LSST_FEATURE_NAMES.length;
  const out = new Float64Array(batch.length * width);
  for (let i = 0; i < batch.length; i++) lsstFeaturesOf(batch, i, out.subarray(i * width, (i + 1) * width));
  return out;
}

/** Alert i's light curve, oldest first: previous sources, the diaSource, and forced photometry (flagged). */
export function lsstLightCurve(batch: LsstBatch, i: number): LsstLightCurvePoint[] {
  const points: LsstLightCurvePoint[] = [];
  const push = (mjd: number, band: string | null, flux: number, fluxErr: number, forced: boolean): void => {
    points.push({ mjd, band, flux, fluxErr, mag: fluxToMag(flux), magErr: fluxErrToMagErr(flux, fluxErr), forced });
  };
  const prv = batch.prvDiaSources;
  for (let k = prv.offsets[i]; k < prv.offsets[i + 1]; k++) {
    if (prv.id[k] !== batch.diaSourceId[i]) push(prv.midpointMjdTai[k], prv.band[k], prv.psfFlux[k], prv.psfFluxErr[k], false);
  }
  const s = batch.source;
  push(s.midpointMjdTai[i], batch.band[i], s.psfFlux[i], s.psfFluxErr[i], false);
  const fp = batch.prvDiaForcedSources;
  for (let k = fp.offsets[i]; k < fp.offsets[i + 1]; k++) push(fp.midpointMjdTai[k], fp.band[k], fp.psfFlux[k], fp.psfFluxErr[k], true);
  return points.sort((a, b) => a.mjd - b.mjd);
}
