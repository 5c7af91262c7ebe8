/**
 * The one normalised alert that every reader (parquet of any writer, avro) produces.
 * candid is a decimal string: it exceeds 2^53 and must never pass through a JS number.
 */

/** One epoch of photometry: a detection (magpsf set) or an upper limit (magpsf null). */
export interface LightCurvePoint {
  jd: number;
  /** ZTF filter: 1 = g, 2 = r, 3 = i. */
  fid: number;
  magpsf: number | null;
  sigmapsf: number | null;
  /** 5-sigma limiting magnitude of the difference image (the upper limit for non-detections). */
  diffmaglim: number | null;
  /** 't' positive difference, 'f' negative, null for upper limits. */
  isdiffpos: 't' | 'f' | null;
}

export interface Cutouts {
  /** gzip-compressed FITS, exactly as in the alert (not decoded at ingest). */
  science: Uint8Array | null;
  template: Uint8Array | null;
  difference: Uint8Array | null;
}

/** Fink light-curve features of one band (26 doubles in the files; we keep whatever is present). */
export type LcFeatures = Record<string, number | null>;

export interface Alert {
  candid: string;
  objectId: string;
  /** The current candidate's epoch. */
  jd: number;
  fid: number;
  ra: number;
  dec: number;
  magpsf: number | null;
  sigmapsf: number | null;
  diffmaglim: number | null;
  isdiffpos: 't' | 'f' | null;
  drb: number | null;
  rb: number | null;
  nbad: number | null;
  ndethist: number | null;
  sgscore1: number | null;
  distpsnr1: number | null;
  ssdistnr: number | null;
  ssnamenr: string | null;
  /** Nearest source in the reference image (distance in pixels, its magnitude) and nearest Gaia source (arcsec, mag); absent in hand-made alerts. */
  distnr?: number | null;
  magnr?: number | null;
  neargaia?: number | null;
  maggaia?: number | null;
  /** prv_candidates in file order (null in the file becomes []). The current candidate is NOT included. */
  history: LightCurvePoint[];
  /** Fink columns; null where the file has no such column or the value is a sentinel-free null. */
  cdsxmatch: string | null;
  roid: number | null;
  finkclass: string | null;
  tnsclass: string | null;
  /** Fink classifier scores present in the file (rf_snia_vs_nonia, snn_*, rf_kn_vs_nonkn, mulens, slsn_score, anomaly_score, ...). */
  scores: Record<string, number>;
  lcFeaturesG: LcFeatures | null;
  lcFeaturesR: LcFeatures | null;
  /** Sherlock crossmatch when the file carries it (the seed's poller stored these). */
  sherlockSepArcsec: number | null;
  sherlockClass: string | null;
  /** Present only when the reader was asked for cutouts. */
  cutouts?: Cutouts;
}

/** Where an alert came from, for error messages and the source_files table. */
export interface AlertSource {
  file: string;
  row: number;
}
