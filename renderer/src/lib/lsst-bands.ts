/**
 * LSST bands u g r i z y: one colour and one marker shape each, so a band is told by shape as well as colour.
 *
 * Colours: six of Paul Tol's "muted" qualitative scheme (a set chosen to stay distinct under the common colour-vision
 * deficiencies), keeping only those with at least 3:1 contrast on the white plot (teal, cyan and sand are below it),
 * in a rough blue → red order with wavelength.
 */
import type { MarkerShape } from './plot-marks.js';

export const LSST_BANDS = ['u', 'g', 'r', 'i', 'z', 'y'] as const;
export type LsstBand = (typeof LSST_BANDS)[number];

export interface BandStyle {
  colour: string;
  marker: MarkerShape;
}

export const LSST_BAND_STYLE: Record<LsstBand, BandStyle> = {
  u: { colour: '#332288', marker: 'circle' },
  g: { colour: '#117733', marker: 'square' },
  r: { colour: '#999933', marker: 'triangle-up' },
  i: { colour: '#CC6677', marker: 'diamond' },
  z: { colour: '#882255', marker: 'triangle-down' },
  y: { colour: '#AA4499', marker: 'star' },
};

/** The band of a point, or null for a band name LSST does not have (or none). */
export function lsstBandOf(band: string | null): LsstBand | null {
  return (LSST_BANDS as readonly string[]).includes(band ?? '') ? (band as LsstBand) : null;
}
