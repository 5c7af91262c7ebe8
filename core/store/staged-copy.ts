/**
 * The SQL that copies a staged file (attached as `staging`) into the store, one rowid range at a time, for each
 * survey: ZTF from `staging.staged` (core/ingest/staging.ts), LSST from `staging.staged_lsst` (lsst-staging.ts).
 * The piecewise merge around it (core/ingest/merge.ts) is the same for both.
 *
 * Alerts already in the store keep their first copy (INSERT OR IGNORE on candid; an alert and its light curve,
 * features and survey row are always inserted together, so they are skipped together). An id held by an alert of
 * another survey is not a duplicate but a clash: the piece refuses it before inserting anything.
 */
import { FEATURE_SET_VERSION, LSST_SET_VERSION } from '../features/names.js';
import { LSST_FEATURE_NAMES } from '../surveys/lsst/features.js';
import { SURVEY_IDS, SURVEY_LABELS } from '../surveys/registry.js';
import type { SurveyId } from '../surveys/survey.js';
import type { Db } from './database.js';
import { ensureFeatureSet } from './features.js';
import { LSST_COMMON_COLUMNS, LSST_ONLY_COLUMNS, LSST_STAGED_TABLE } from './lsst-staging.js';

/** A staged alert whose id an alert of another survey holds. */
export class StagedIdClash extends Error {
  constructor(
    /** The id's field in the file: `candid` (ZTF) or `diaSource.diaSourceId` (LSST). */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'StagedIdClash';
  }
}

export interface PieceCopier {
  /** The highest staged rowid (rows are 1 … last). */
  last: number;
  /** Copies the staged rows lo < rowid ≤ hi (inside the caller's transaction); returns the alerts added. */
  copy(lo: number, hi: number): number;
}

const ZTF_ALERT_COLUMNS = `candid, object_id, jd, night, fid, ra, dec, magpsf, sigmapsf, diffmaglim, isdiffpos, drb, rb, nbad,
  ndethist, sgscore1, distpsnr1, ssdistnr, ssnamenr, cdsxmatch, roid, finkclass, tnsclass, scores_json,
  lc_features_g, lc_features_r, sherlock_sep_arcsec, sherlock_class, distnr, magnr, neargaia, maggaia`;

const STAGED_TABLE: Record<SurveyId, string> = { ztf: 'staged', lsst: LSST_STAGED_TABLE };
const ID_FIELD: Record<SurveyId, string> = { ztf: 'candid', lsst: 'diaSource.diaSourceId' };

/**
 * Throws StagedIdClash when a staged row of the range has the id of another survey's alert. Looked for only while
 * the store holds alerts of another survey (one index probe), so a ZTF-only store pays nothing.
 */
function clashCheck(db: Db, survey: SurveyId): (lo: number, hi: number) => void {
  const others = SURVEY_IDS.filter((s) => s !== survey);
  const held = db.prepare('SELECT 1 FROM main.alerts WHERE survey = ? LIMIT 1').pluck();
  const clash = db
    .prepare(
      `SELECT a.survey FROM staging.${STAGED_TABLE[survey]} s JOIN main.alerts a ON a.candid = s.candid
       WHERE s.rowid > ? AND s.rowid <= ? AND a.survey <> ? LIMIT 1`,
    )
    .pluck();
  return (lo, hi) => {
    if (!others.some((o) => held.get(o))) return;
    const by = clash.get(lo, hi, survey) as SurveyId | undefined;
    if (by === undefined) return;
    const whose = SURVEY_LABELS[by] ?? by;
    throw new StagedIdClash(ID_FIELD[survey], `an alert of ${whose} in the store already has this id; the file was not ingested`);
  };
}

const lastRowid = (db: Db, table: string): number =>
  (db.prepare(`SELECT MAX(rowid) FROM staging.${table}`).pluck().get() as number | null) ?? 0;

function ztfCopier(db: Db, sourceFileId: number): PieceCopier {
  ensureFeatureSet(db);
  const alerts = db.prepare(
    `INSERT OR IGNORE INTO main.alerts (${ZTF_ALERT_COLUMNS}, source_file_id)
     SELECT ${ZTF_ALERT_COLUMNS}, ? FROM staging.staged WHERE rowid > ? AND rowid <= ? ORDER BY rowid`,
  );
  const lcs = db.prepare(
    'INSERT OR IGNORE INTO main.alert_lc (candid, data) SELECT candid, lc FROM staging.staged WHERE rowid > ? AND rowid <= ? ORDER BY rowid',
  );
  const features = db.prepare(
    `INSERT OR IGNORE INTO main.features (candid, feature_set, ndets, vector)
     SELECT candid, ?, ndets, vector FROM staging.staged WHERE rowid > ? AND rowid <= ? ORDER BY rowid`,
  );
  const check = clashCheck(db, 'ztf');
  return {
    last: lastRowid(db, 'staged'),
    copy(lo, hi) {
      check(lo, hi);
      const n = alerts.run(sourceFileId, lo, hi).changes;
      lcs.run(lo, hi);
      features.run(FEATURE_SET_VERSION, lo, hi);
      return n;
    },
  };
}

function lsstCopier(db: Db, sourceFileId: number): PieceCopier {
  ensureFeatureSet(db, LSST_SET_VERSION, LSST_FEATURE_NAMES);
  const t = `staging.${LSST_STAGED_TABLE}`;
  const range = 'WHERE rowid > ? AND rowid <= ? ORDER BY rowid';
  // fid 0 (the band is lsst_alerts.band), no Fink scores: as migration 009 describes an LSST alert.
  const alerts = db.prepare(
    `INSERT OR IGNORE INTO main.alerts (${LSST_COMMON_COLUMNS.join(', ')}, fid, scores_json, source_file_id, survey)
     SELECT ${LSST_COMMON_COLUMNS.join(', ')}, 0, '{}', ?, 'lsst' FROM ${t} ${range}`,
  );
  const only = LSST_ONLY_COLUMNS.join(', ');
  const lsst = db.prepare(`INSERT OR IGNORE INTO main.lsst_alerts (candid, ${only}) SELECT candid, ${only} FROM ${t} ${range}`);
  const lcs = db.prepare(`INSERT OR IGNORE INTO main.alert_lc (candid, data) SELECT candid, lc FROM ${t} ${range}`);
  const features = db.prepare(
    `INSERT OR IGNORE INTO main.features (candid, feature_set, ndets, vector) SELECT candid, ?, ndets, vector FROM ${t} ${range}`,
  );
  const check = clashCheck(db, 'lsst');
  return {
    last: lastRowid(db, LSST_STAGED_TABLE),
    copy(lo, hi) {
      check(lo, hi);
      const n = alerts.run(sourceFileId, lo, hi).changes;
      lsst.run(lo, hi);
      lcs.run(lo, hi);
      features.run(LSST_SET_VERSION, lo, hi);
      return n;
    },
  };
}

/** The copier of a staged file of `survey`, once the staging database is attached. */
export function pieceCopier(db: Db, survey: SurveyId, sourceFileId: number): PieceCopier {
  return survey === 'lsst' ? lsstCopier(db, sourceFileId) : ztfCopier(db, sourceFileId);
}
