/**
 * The column layout of the generated files: the Fink 4.x consumer's layout (as in the Spark-written
 * ztf_20250614_regular.parquet, ZTF avro types: float32 magnitudes, int32 flags, int64 ids), with `mangrove` and
 * `blazar_stats` as structs (the pandas writer's form) and `timestamp` as a string.
 */
import type { ColumnSpec, ScalarKind } from './columns.js';
import { FINK_LC_FEATURE_NAMES } from '../features/names.js';

function fields(compact: string): (readonly [string, ColumnSpec])[] {
  return compact
    .trim()
    .split(/\s+/)
    .map((p) => {
      const [name, kind] = p.split(':') as [string, ScalarKind];
      return [name, { kind }] as const;
    });
}

/** ZTF avro `candidate` (103 fields, schema 3.3/4.02), in file order. */
export const CANDIDATE_FIELDS = fields(`
jd:f64 fid:i32 pid:i64 diffmaglim:f32 pdiffimfilename:str programpi:str programid:i32 candid:i64 isdiffpos:str
tblid:i64 nid:i32 rcid:i32 field:i32 xpos:f32 ypos:f32 ra:f64 dec:f64 magpsf:f32 sigmapsf:f32 chipsf:f32 magap:f32
sigmagap:f32 distnr:f32 magnr:f32 sigmagnr:f32 chinr:f32 sharpnr:f32 sky:f32 magdiff:f32 fwhm:f32 classtar:f32
mindtoedge:f32 magfromlim:f32 seeratio:f32 aimage:f32 bimage:f32 aimagerat:f32 bimagerat:f32 elong:f32 nneg:i32
nbad:i32 rb:f32 ssdistnr:f32 ssmagnr:f32 ssnamenr:str sumrat:f32 magapbig:f32 sigmagapbig:f32 ranr:f64 decnr:f64
sgmag1:f32 srmag1:f32 simag1:f32 szmag1:f32 sgscore1:f32 distpsnr1:f32 ndethist:i32 ncovhist:i32 jdstarthist:f64
jdendhist:f64 scorr:f64 tooflag:i32 objectidps1:i64 objectidps2:i64 sgmag2:f32 srmag2:f32 simag2:f32 szmag2:f32
sgscore2:f32 distpsnr2:f32 objectidps3:i64 sgmag3:f32 srmag3:f32 simag3:f32 szmag3:f32 sgscore3:f32 distpsnr3:f32
nmtchps:i32 rfid:i64 jdstartref:f64 jdendref:f64 nframesref:i32 rbversion:str dsnrms:f32 ssnrms:f32 dsdiff:f32
magzpsci:f32 magzpsciunc:f32 magzpscirms:f32 nmatches:i32 clrcoeff:f32 clrcounc:f32 zpclrcov:f32 zpmed:f32 clrmed:f32
clrrms:f32 neargaia:f32 neargaiabright:f32 maggaia:f32 maggaiabright:f32 exptime:f32 drb:f32 drbversion:str
`);

/** ZTF avro `prv_candidate` (57 fields), in file order. */
export const PRV_FIELDS = fields(`
jd:f64 fid:i32 pid:i64 diffmaglim:f32 pdiffimfilename:str programpi:str programid:i32 candid:i64 isdiffpos:str
tblid:i64 nid:i32 rcid:i32 field:i32 xpos:f32 ypos:f32 ra:f64 dec:f64 magpsf:f32 sigmapsf:f32 chipsf:f32 magap:f32
sigmagap:f32 distnr:f32 magnr:f32 sigmagnr:f32 chinr:f32 sharpnr:f32 sky:f32 magdiff:f32 fwhm:f32 classtar:f32
mindtoedge:f32 magfromlim:f32 seeratio:f32 aimage:f32 bimage:f32 aimagerat:f32 bimagerat:f32 elong:f32 nneg:i32
nbad:i32 rb:f32 ssdistnr:f32 ssmagnr:f32 ssnamenr:str sumrat:f32 magapbig:f32 sigmagapbig:f32 ranr:f64 decnr:f64
scorr:f64 magzpsci:f32 magzpsciunc:f32 magzpscirms:f32 clrcoeff:f32 clrcounc:f32 rbversion:str
`);

/** The 26 light-curve features of Fink's lc_features_* columns, in the Fink 4.x file order. */
export const LC_FEATURE_NAMES = FINK_LC_FEATURE_NAMES;
export type LcFeatureName = (typeof LC_FEATURE_NAMES)[number];

const cutout: ColumnSpec = { kind: 'struct', fields: fields('fileName:str stampData:bin') };
const lcFeatures: ColumnSpec = { kind: 'struct', fields: LC_FEATURE_NAMES.map((n) => [n, { kind: 'f64' }] as const) };

/** Top-level columns, in file order. */
export const ALERT_COLUMNS: readonly (readonly [string, ColumnSpec])[] = [
  ...fields('candid:i64 schemavsn:str publisher:str objectId:str'),
  ['candidate', { kind: 'struct', fields: CANDIDATE_FIELDS }],
  ['prv_candidates', { kind: 'list', item: { kind: 'struct', fields: PRV_FIELDS } }],
  ['cutoutScience', cutout],
  ['cutoutTemplate', cutout],
  ['cutoutDifference', cutout],
  ...fields(`fink_broker_version:str fink_science_version:str cdsxmatch:str tns:str DR3Name:str Plx:f32 e_Plx:f32
    gaiaVarFlag:i32 gaiaClass:str vsx:str spicy_id:i32 spicy_class:str gcvs:str x3hsp:str x4lac:str`),
  ['mangrove', { kind: 'struct', fields: fields('HyperLEDA_name:str 2MASS_name:str lum_dist:str ang_dist:str') }],
  ...fields(`roid:i32 rf_snia_vs_nonia:f64 snn_snia_vs_nonia:f64 snn_sn_vs_all:f64 mulens:f64 nalerthist:i32
    rf_kn_vs_nonkn:f64 anomaly_score:f64`),
  ['lc_features_g', lcFeatures],
  ['lc_features_r', lcFeatures],
  ...fields(`jd_first_real_det:f64 jdstarthist_dt:f64 mag_rate:f64 sigma_rate:f64 lower_rate:f64 upper_rate:f64
    delta_time:f64 from_upper:bool`),
  ['blazar_stats', { kind: 'struct', fields: fields('m0:f64 m1:f64 m2:f64') }],
  ...fields('tracklet:str timestamp:str finkclass:str tnsclass:str'),
];
