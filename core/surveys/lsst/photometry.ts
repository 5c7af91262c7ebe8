/**
 * LSST photometry helpers. Fluxes are difference fluxes in nJy and may be negative; a magnitude exists only for a
 * positive flux. AB: m = −2.5 log10(f / 3631 Jy) = 31.4 − 2.5 log10(f / nJy) (3631 Jy = 10^(31.4/2.5) nJy to
 * 4 digits; the constant Rubin and Lasair use).
 */
export const AB_ZEROPOINT_NJY_MAG = 31.4;

/** AB magnitude of a flux in nJy; NaN when the flux is not positive (a negative difference has no magnitude). */
export function fluxToMag(fluxNJy: number): number {
  return fluxNJy > 0 ? AB_ZEROPOINT_NJY_MAG - 2.5 * Math.log10(fluxNJy) : NaN;
}

/** First-order magnitude error of a flux error: 2.5 / ln 10 · σf / f; NaN when the flux is not positive. */
export function fluxErrToMagErr(fluxNJy: number, fluxErrNJy: number): number {
  return fluxNJy > 0 ? ((2.5 / Math.LN10) * fluxErrNJy) / fluxNJy : NaN;
}

/** One point of an alert's light curve: a detection (diaSource) or forced photometry (diaForcedSource). */
export interface LsstLightCurvePoint {
  mjd: number;
  band: string | null;
  flux: number;
  fluxErr: number;
  /** NaN when flux ≤ 0. */
  mag: number;
  magErr: number;
  forced: boolean;
}
