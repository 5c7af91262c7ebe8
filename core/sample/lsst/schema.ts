/**
 * The column layout of generated LSST files: Fink's LSST schema 10.0 as in the real Fink file
 * (lsstcam_ddf_20260105_v10_0.parquet: pandas-written, so every float is float64, every int int64, struct fields in
 * alphabetical order). Only part of Rubin's fields are written (every field core/surveys/lsst reads, and the ones a
 * reader of Fink files commonly looks at); the top-level columns are all there, in the real file's order.
 *
 * Where the real file's column is Arrow `null` (no value in its 25 rows) the type comes from Fink's 10.0 template,
 * widened the pandas way (float → double). Ids are int64 everywhere (the real file's diaObject.diaObjectId and
 * ssSource.ssObjectId are float64, which cannot hold ids above 2^53 exactly).
 */
import type { ColumnSpec, ScalarKind } from '../columns.js';

type FieldList = (readonly [string, ColumnSpec])[];

function fields(compact: string): FieldList {
  return compact
    .trim()
    .split(/\s+/)
    .map((p) => {
      const [name, kind] = p.split(':') as [string, ScalarKind];
      return [name, { kind }] as const;
    });
}

const byName = (list: FieldList): FieldList => [...list].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** diaSource (and each prvDiaSources entry). */
export const DIA_SOURCE_FIELDS = byName(
  fields(`
apFlux:f64 apFluxErr:f64 band:str bboxSize:i64 centroid_flag:bool dec:f64 decErr:f64 detector:i64 diaObjectId:i64
diaSourceId:i64 extendedness:f64 glint_trail:bool isDipole:bool isNegative:bool midpointMjdTai:f64
parentDiaSourceId:i64 pixelFlags:bool pixelFlags_bad:bool pixelFlags_cr:bool pixelFlags_saturated:bool
pixelFlags_streak:bool psfChi2:f64 psfFlux:f64 psfFluxErr:f64 psfFlux_flag:bool psfNdata:i64 ra:f64 raErr:f64
reliability:f64 scienceFlux:f64 scienceFluxErr:f64 snr:f64 ssObjectId:i64 templateFlux:f64 templateFluxErr:f64
timeProcessedMjdTai:f64 trailLength:f64 trail_flag_edge:bool visit:i64 x:f64 y:f64
`),
);

/** prvDiaForcedSources entries (the template's fields; the real file's list is empty). */
export const FORCED_SOURCE_FIELDS = byName(
  fields(`
diaForcedSourceId:i64 diaObjectId:i64 ra:f64 dec:f64 visit:i64 detector:i64 psfFlux:f64 psfFluxErr:f64
midpointMjdTai:f64 scienceFlux:f64 scienceFluxErr:f64 band:str timeProcessedMjdTai:f64
`),
);

export const LSST_SAMPLE_BANDS = ['u', 'g', 'r', 'i', 'z', 'y'] as const;

/** Per-band diaObject summaries written for every band. */
export const OBJECT_BAND_FIELDS = [
  'fpFluxMean',
  'fpFluxMeanErr',
  'psfFluxErrMean',
  'psfFluxMax',
  'psfFluxMean',
  'psfFluxMeanErr',
  'psfFluxMin',
  'psfFluxNdata',
  'psfFluxSigma',
  'scienceFluxMean',
  'scienceFluxMeanErr',
] as const;

export const DIA_OBJECT_FIELDS = byName([
  ...fields('dec:f64 decErr:f64 diaObjectId:i64 firstDiaSourceMjdTai:f64 lastDiaSourceMjdTai:f64 nDiaSources:f64'),
  ...fields('ra:f64 raErr:f64 validityStartMjdTai:f64'),
  ...LSST_SAMPLE_BANDS.flatMap((b) => OBJECT_BAND_FIELDS.map((f) => [`${b}_${f}`, { kind: 'f64' }] as const)),
]);

export const SS_SOURCE_FIELDS = byName(
  fields(`
designation:str diaDistanceRank:f64 diaSourceId:i64 eclBeta:f64 eclLambda:f64 elongation:f64 ephDec:f64 ephRa:f64
ephRate:f64 ephVmag:f64 galLat:f64 galLon:f64 helioRange:f64 phaseAngle:f64 ssObjectId:i64 topoRange:f64
`),
);

export const MPC_ORBIT_FIELDS = byName(
  fields(`
a:f64 designation:str e:f64 h:f64 i:f64 id:f64 node:f64 packed_primary_provisional_designation:str q:f64
unpacked_primary_provisional_designation:str
`),
);

/** Top-level columns, in the real file's order. */
export const LSST_COLUMNS: readonly (readonly [string, ColumnSpec])[] = [
  ...fields('diaSourceId:i64 observation_reason:str target_name:str'),
  ['diaSource', { kind: 'struct', fields: DIA_SOURCE_FIELDS }],
  ['prvDiaSources', { kind: 'list', item: { kind: 'struct', fields: DIA_SOURCE_FIELDS } }],
  ['prvDiaForcedSources', { kind: 'list', item: { kind: 'struct', fields: FORCED_SOURCE_FIELDS } }],
  ['diaObject', { kind: 'struct', fields: DIA_OBJECT_FIELDS }],
  ['ssSource', { kind: 'struct', fields: SS_SOURCE_FIELDS }],
  ['mpc_orbits', { kind: 'struct', fields: MPC_ORBIT_FIELDS }],
  ...fields('cutoutDifference:bin cutoutScience:bin cutoutTemplate:bin brokerIngestMjd:f64 lsst_schema_version:str'),
];

/** What Fink writes in lsst_schema_version for this layout. */
export const LSST_SCHEMA_VERSION = 'lsst.v10_0';
