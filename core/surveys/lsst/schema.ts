/**
 * The LSST alert schema as Fink writes it (parquet) and as Rubin sends it (avro, lsst/alert_packet): which top-level
 * fields say "this is an LSST alert", which schema version a file is, and the field names read from it.
 *
 * Versions differ (checked on Fink's parquet templates for 7.4, 9.0 and 10.0): 7.x has `alertId` at the top, an
 * `ssObject` and `prvDiaNondetectionLimits`; 8.0 and 9.0 have `MPCORB` beside `ssSource`; 10.0 has `mpc_orbits`
 * and `ssSource`. The fields read below exist in every version unless noted; a missing one reads as null.
 */

import type { SchemaShape } from '../survey.js';

export const LSST_BANDS = ['u', 'g', 'r', 'i', 'z', 'y'] as const;
export type LsstBand = (typeof LSST_BANDS)[number];

/** 8.0 and 9.0 share their top-level fields (lsst/alert_packet schema/8/0 and 9/0), so the fields cannot tell them apart. */
export type LsstSchemaVersion = '7.x' | '8.0/9.0' | '10.0' | 'unknown';

/** Fields of the triggering `diaSource` read as numbers (NaN when null or absent in the version). */
export const SOURCE_NUMBER_FIELDS = [
  'midpointMjdTai',
  'ra',
  'dec',
  'psfFlux',
  'psfFluxErr',
  'scienceFlux', // absent in 7.x
  'scienceFluxErr', // absent in 7.x
  'snr',
  'reliability',
  'extendedness',
  'isDipole', // absent in 7.x
  'isNegative', // 7.x spells it is_negative, read in its place
  'trail_flag_edge',
  'glint_trail', // absent in 7.x
  'trailLength',
  'pixelFlags_streak',
] as const;
export type SourceNumberField = (typeof SOURCE_NUMBER_FIELDS)[number];

/** Older spellings read when the current name is absent. */
export const SOURCE_FIELD_ALIASES: Partial<Record<SourceNumberField, string>> = { isNegative: 'is_negative' };

/** Fields kept per previous (or forced) source; forced sources use diaForcedSourceId as their id. */
export const HISTORY_FIELDS = ['diaSourceId', 'diaForcedSourceId', 'midpointMjdTai', 'band', 'psfFlux', 'psfFluxErr'] as const;

/** Fields of a 7.x non-detection limit. */
export const LIMIT_FIELDS = ['midpointMjdTai', 'band', 'diaNoise'] as const;

/** Per-band diaObject summaries read for every band (`<band>_<suffix>`); absent ones read as NaN. */
export const OBJECT_BAND_SUFFIXES = [
  'psfFluxMean',
  'psfFluxMeanErr',
  'psfFluxSigma',
  'psfFluxNdata',
  'fpFluxMean',
  'fpFluxMeanErr',
  'scienceFluxMean', // absent in 7.x
] as const;

/** Per-object fields without a band (absent in 7.x). */
export const OBJECT_FIELDS = ['nDiaSources', 'firstDiaSourceMjdTai', 'lastDiaSourceMjdTai'] as const;

export const OBJECT_SUMMARY_FIELDS: readonly string[] = [
  ...LSST_BANDS.flatMap((b) => OBJECT_BAND_SUFFIXES.map((s) => `${b}_${s}`)),
  ...OBJECT_FIELDS,
];

/** The solar-system designation: where each version keeps it. */
export const DESIGNATION_PATHS: ReadonlyArray<readonly [string, string]> = [
  ['ssSource', 'designation'], // 10.0
  ['mpc_orbits', 'designation'], // 10.0
  ['MPCORB', 'mpcDesignation'], // 8.0, 9.0
];

export const LSST_CUTOUTS = {
  difference: 'cutoutDifference',
  science: 'cutoutScience',
  template: 'cutoutTemplate',
} as const;

/** A top-level field and the child fields a file must have for it to be read as LSST alerts. */
export const REQUIRED_SOURCE_FIELDS = ['diaSourceId', 'midpointMjdTai', 'ra', 'dec', 'band', 'psfFlux'] as const;

export type { SchemaShape } from '../survey.js';

/** True when the schema is an LSST alert: a `diaSource` struct with the identifying fields. */
export function isLsstSchema(shape: SchemaShape): boolean {
  const source = shape.children.diaSource;
  return source !== undefined && REQUIRED_SOURCE_FIELDS.every((f) => source.includes(f));
}

/** The missing required fields (as dotted paths), for an error that names them. */
export function missingLsstFields(shape: SchemaShape): string[] {
  if (!shape.fields.includes('diaSource')) return ['diaSource'];
  const source = shape.children.diaSource ?? [];
  return REQUIRED_SOURCE_FIELDS.filter((f) => !source.includes(f)).map((f) => `diaSource.${f}`);
}

/** The schema version from the fields that changed between versions (the file may also declare it). */
export function lsstSchemaVersion(shape: SchemaShape): LsstSchemaVersion {
  const has = (f: string): boolean => shape.fields.includes(f);
  if (has('mpc_orbits')) return '10.0';
  if (has('MPCORB')) return '8.0/9.0';
  if (has('alertId') || has('ssObject') || has('prvDiaNondetectionLimits')) return '7.x';
  return 'unknown';
}
