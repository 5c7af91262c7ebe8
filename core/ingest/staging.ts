import Database from 'better-sqlite3';
import type { Alert, LcFeatures } from '../alerts/alert.js';
import { FINK_LC_FEATURE_NAMES } from '../features/names.js';
import { vectorToBlob } from '../store/features.js';
import { sqliteOptions } from '../store/native.js';
import type { CutoutWriter } from '../store/cutouts.js';
import { jdToNight } from '../util/time.js';

/**
 * A file is parsed into a private staging database first, then merged into the store in one short transaction
 * (merge.ts). Why: a file's ingest must be all-or-nothing, but holding the store's write transaction open across a
 * long parse would either block label writes or sweep them into a transaction that may roll back.
 * The staging file needs no durability: journal and sync are off.
 */
const STAGING_SCHEMA = `
  PRAGMA journal_mode = OFF;
  PRAGMA synchronous = OFF;
  PRAGMA temp_store = MEMORY;
  -- A large page cache keeps the B-trees in memory instead of spilling a page at a time (about 64 MB).
  PRAGMA cache_size = -65536;
  CREATE TABLE alerts (
    candid TEXT PRIMARY KEY, object_id TEXT NOT NULL, jd REAL NOT NULL, night TEXT NOT NULL, fid INTEGER NOT NULL,
    ra REAL NOT NULL, dec REAL NOT NULL, magpsf REAL, sigmapsf REAL, diffmaglim REAL, isdiffpos TEXT, drb REAL, rb REAL,
    nbad INTEGER, ndethist INTEGER, sgscore1 REAL, distpsnr1 REAL, ssdistnr REAL, ssnamenr TEXT, cdsxmatch TEXT,
    roid INTEGER, finkclass TEXT, tnsclass TEXT, scores_json TEXT NOT NULL, lc_features_g BLOB,
    lc_features_r BLOB, sherlock_sep_arcsec REAL, sherlock_class TEXT
  );
  CREATE TABLE alert_lc (candid TEXT PRIMARY KEY, data BLOB NOT NULL);
  CREATE TABLE features (candid TEXT PRIMARY KEY, ndets INTEGER NOT NULL, vector BLOB NOT NULL);
`;

/** Fink's light-curve feature struct as a compact Float64 blob in FINK_LC_FEATURE_NAMES order. */
export function packLcFeatures(lc: LcFeatures | null): Buffer | null {
  if (!lc) return null;
  const v = new Float64Array(FINK_LC_FEATURE_NAMES.length);
  for (let k = 0; k < v.length; k++) {
    const x = lc[FINK_LC_FEATURE_NAMES[k]];
    v[k] = typeof x === 'number' ? x : NaN;
  }
  return vectorToBlob(v);
}

const finite = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

export class StagingWriter {
  readonly db: Database.Database;
  private readonly insAlert: Database.Statement;
  private readonly insLc: Database.Statement;
  private readonly insFeature: Database.Statement;
  rows = 0;
  duplicatesInFile = 0;

  /** `cutouts`: where this file's cutouts go (written once, kept after the merge), or null to drop them. */
  constructor(
    readonly path: string,
    readonly cutouts: CutoutWriter | null = null,
  ) {
    this.db = new Database(path, sqliteOptions());
    this.db.exec(STAGING_SCHEMA);
    this.insAlert = this.db.prepare(
      `INSERT OR IGNORE INTO alerts VALUES (@candid, @objectId, @jd, @night, @fid, @ra, @dec, @magpsf, @sigmapsf,
       @diffmaglim, @isdiffpos, @drb, @rb, @nbad, @ndethist, @sgscore1, @distpsnr1, @ssdistnr, @ssnamenr, @cdsxmatch,
       @roid, @finkclass, @tnsclass, @scores, @lcg, @lcr, @sep, @sherlClass)`,
    );
    this.insLc = this.db.prepare('INSERT OR IGNORE INTO alert_lc VALUES (?, ?)');
    this.insFeature = this.db.prepare('INSERT OR IGNORE INTO features VALUES (?, ?, ?)');
  }

  /**
   * Write one batch in one (staging) transaction. Row i of `features` (n × d, row-major) and `lcs[i]` (the packed
   * light curve) belong to alerts[i].
   */
  writeBatch(alerts: readonly Alert[], features: Float64Array, d: number, ndets: ArrayLike<number>, lcs: readonly Float64Array[]): void {
    const cut = this.cutouts;
    if (cut) {
      cut.transaction(() => {
        for (const a of alerts) if (a.cutouts) cut.add(a.candid, a.cutouts.science, a.cutouts.template, a.cutouts.difference);
      });
    }
    this.db.transaction(() => {
      for (let i = 0; i < alerts.length; i++) {
        const a = alerts[i];
        const r = this.insAlert.run({
          candid: a.candid,
          objectId: a.objectId,
          jd: a.jd,
          night: jdToNight(a.jd),
          fid: a.fid,
          ra: a.ra,
          dec: a.dec,
          magpsf: finite(a.magpsf),
          sigmapsf: finite(a.sigmapsf),
          diffmaglim: finite(a.diffmaglim),
          isdiffpos: a.isdiffpos,
          drb: finite(a.drb),
          rb: finite(a.rb),
          nbad: finite(a.nbad),
          ndethist: finite(a.ndethist),
          sgscore1: finite(a.sgscore1),
          distpsnr1: finite(a.distpsnr1),
          ssdistnr: finite(a.ssdistnr),
          ssnamenr: a.ssnamenr,
          cdsxmatch: a.cdsxmatch,
          roid: finite(a.roid),
          finkclass: a.finkclass,
          tnsclass: a.tnsclass,
          scores: JSON.stringify(a.scores),
          lcg: packLcFeatures(a.lcFeaturesG),
          lcr: packLcFeatures(a.lcFeaturesR),
          sep: finite(a.sherlockSepArcsec),
          sherlClass: a.sherlockClass,
        });
        this.rows++;
        if (r.changes === 0) {
          this.duplicatesInFile++;
          continue;
        }
        this.insLc.run(a.candid, vectorToBlob(lcs[i]));
        this.insFeature.run(a.candid, ndets[i], vectorToBlob(features.subarray(i * d, (i + 1) * d)));
      }
    })();
  }

  close(): void {
    this.db.close();
    this.cutouts?.close();
  }
}
