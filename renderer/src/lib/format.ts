/** Number formatting and units for the card's stats table. */

export const FEATURE_UNITS: Record<string, string> = {
  ra: 'deg',
  dec: 'deg',
  drb: '',
  ndets: '',
  nnondets: '',
  dets_median: 'mag',
  dets_std: 'mag',
  sep_arcsec: 'arcsec',
  amplitude_g: 'mag',
  amplitude_r: 'mag',
  linear_fit_reduced_chi2_g: '',
  linear_fit_reduced_chi2_r: '',
  linear_fit_slope_g: 'mag/day',
  linear_fit_slope_r: 'mag/day',
  linear_fit_slope_sigma_g: 'mag/day',
  linear_fit_slope_sigma_r: 'mag/day',
  median_g: 'mag',
  median_r: 'mag',
  median_absolute_deviation_g: 'mag',
  median_absolute_deviation_r: 'mag',
  ebv: 'mag',
};

export function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return v.toFixed(digits);
}

export function fmtPct(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)} %`;
}

/** Sexagesimal, for people who read coordinates that way. */
export function raHms(deg: number): string {
  const h = deg / 15;
  const hh = Math.floor(h);
  const mm = Math.floor((h - hh) * 60);
  const ss = ((h - hh) * 60 - mm) * 60;
  return `${pad(hh)}:${pad(mm)}:${ss.toFixed(2).padStart(5, '0')}`;
}

export function decDms(deg: number): string {
  const sign = deg < 0 ? '−' : '+';
  const a = Math.abs(deg);
  const dd = Math.floor(a);
  const mm = Math.floor((a - dd) * 60);
  const ss = ((a - dd) * 60 - mm) * 60;
  return `${sign}${pad(dd)}:${pad(mm)}:${ss.toFixed(1).padStart(4, '0')}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

export const BAND_NAME: Record<number, string> = { 1: 'g', 2: 'r', 3: 'i' };
