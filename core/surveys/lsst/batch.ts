/**
 * A columnar batch of LSST alerts: typed arrays (NaN = null) and string arrays, one entry per alert, so a reader
 * never allocates an object per alert. IDs are exact decimal strings: diaSourceId and diaObjectId exceed 2^53.
 */
import type { LsstSchemaVersion, SourceNumberField } from './schema.js';

/** Per-alert lists of earlier sources, flattened: alert i owns entries offsets[i] .. offsets[i+1]-1. */
export interface LsstSourceList {
  offsets: Int32Array;
  /** diaSourceId (diaForcedSourceId for forced photometry). */
  id: (string | null)[];
  midpointMjdTai: Float64Array;
  band: (string | null)[];
  /** Difference flux and its error, nJy (may be negative). */
  psfFlux: Float64Array;
  psfFluxErr: Float64Array;
}

/** Per-alert 7.x non-detection limits (noise of the difference image at the position), flattened likewise. */
export interface LsstLimitList {
  offsets: Int32Array;
  midpointMjdTai: Float64Array;
  band: (string | null)[];
  diaNoise: Float64Array;
}

export interface LsstCutouts {
  difference: (Uint8Array | null)[];
  science: (Uint8Array | null)[];
  template: (Uint8Array | null)[];
}

export interface LsstBatch {
  file: string;
  /** Index of this batch's first alert in the file. */
  firstRow: number;
  length: number;
  /**
   * From the fields present; `declaredVersion` is what the file says: Fink's `lsst_schema_version` column, or the
   * avro schema's namespace (`lsst.v10_0`); null when it says nothing.
   */
  version: LsstSchemaVersion;
  declaredVersion: (string | null)[];
  diaSourceId: string[];
  diaObjectId: (string | null)[];
  ssObjectId: (string | null)[];
  band: (string | null)[];
  /** The triggering diaSource's numeric fields; flags are 1/0, NaN when null. */
  source: Record<SourceNumberField, Float64Array>;
  prvDiaSources: LsstSourceList;
  prvDiaForcedSources: LsstSourceList;
  /** Only 7.x alerts carry them; empty lists otherwise. */
  prvDiaNondetectionLimits: LsstLimitList;
  /** diaObject per-band summaries (`g_psfFluxMean`, …) and nDiaSources, by field name; NaN when absent. */
  diaObject: Record<string, Float64Array>;
  /** Solar-system designation when the alert matched a known object (ssSource / mpc_orbits / MPCORB). */
  ssDesignation: (string | null)[];
  /** Stamps as stored (uncompressed FITS in Fink's LSST files); null when not asked for. */
  cutouts: LsstCutouts | null;
}

export interface LsstReadOptions {
  batchSize?: number;
  withCutouts?: boolean;
}

export const DEFAULT_LSST_BATCH_SIZE = 10_000;
