/**
 * The staging database of one ZTF file: the SQL side of core/ingest/staging.ts (the LSST side is lsst-staging.ts).
 */
import Database from 'better-sqlite3';
import { lcFeatureIndex, lcFeaturesInto, scoresAt, type AlertColumns, type LcFeatureColumns } from '../alerts/columns.js';
import { diffposFromCode, finiteOrNull } from '../alerts/arrow-columns.js';
import { FINK_LC_FEATURE_NAMES } from '../features/names.js';
import { vectorToBlob } from './features.js';
import { sqliteOptions } from './native.js';
import { jdToNight } from '../util/time.js';

/**
 * A file is parsed into a private staging database first, then merged into the store in one short transaction
 * (merge.ts). Why: a file's ingest must be all-or-nothing, but holding the store's write transaction open across a
 * long parse would either block label writes or sweep them into a transaction that may roll back.
 *
 * The staging file is an append-only log: one table, no index, journal and sync off, large pages. Everything the
 * merge needs per alert is in one row, in file order; duplicates are resolved by the merge (the first row wins).
 */
const STAGING_SCHEMA = `
  PRAGMA page_size = 65536;
  PRAGMA journal_mode = OFF;
  PRAGMA synchronous = OFF;
  CREATE TABLE staged (
    candid TEXT NOT NULL, object_id TEXT NOT NULL, jd REAL NOT NULL, night TEXT NOT NULL, fid INTEGER NOT NULL,
    ra REAL NOT NULL, dec REAL NOT NULL, magpsf REAL, sigmapsf REAL, diffmaglim REAL, isdiffpos TEXT, drb REAL, rb REAL,
    nbad INTEGER, ndethist INTEGER, sgscore1 REAL, distpsnr1 REAL, ssdistnr REAL, ssnamenr TEXT, cdsxmatch TEXT,
    roid INTEGER, finkclass TEXT, tnsclass TEXT, scores_json TEXT NOT NULL, lc_features_g BLOB,
    lc_features_r BLOB, sherlock_sep_arcsec REAL, sherlock_class TEXT, distnr REAL, magnr REAL, neargaia REAL, maggaia REAL,
    lc BLOB NOT NULL, ndets INTEGER NOT NULL, vector BLOB NOT NULL
  );
`;

/**
 * Fink's light-curve feature struct of every row as Float64 blobs in FINK_LC_FEATURE_NAMES order (null where a row
 * has none), views into one array for the batch.
 */
function lcFeatureBlobs(lc: LcFeatureColumns | null, n: number): (Buffer | null)[] {
  const out = new Array<Buffer | null>(n).fill(null);
  if (!lc) return out;
  const index = lcFeatureIndex(lc, FINK_LC_FEATURE_NAMES);
  const k = index.length;
  const all = new Float64Array(n * k);
  for (let r = 0; r < n; r++) if (lcFeaturesInto(lc, r, index, all, r * k)) out[r] = vectorToBlob(all.subarray(r * k, (r + 1) * k));
  return out;
}

/** jdToNight, remembered for the last day seen: a night file's alerts nearly all share one. */
let lastDay = NaN;
let lastNight = '';
function night(jd: number): string {
  const day = Math.floor(jd - 0.5);
  if (day !== lastDay) {
    lastDay = day;
    lastNight = jdToNight(day + 0.5);
  }
  return lastNight;
}


export class StagingWriter {
  readonly db: Database.Database;
  private readonly ins: Database.Statement;
  private readonly seen = new Set<string>();
  rows = 0;
  duplicatesInFile = 0;

  /** Cutouts do not pass through here: the reader writes them to their sidecar (source.ts). */
  constructor(readonly path: string) {
    this.db = new Database(path, sqliteOptions());
    this.db.exec(STAGING_SCHEMA);
    this.ins = this.db.prepare(`INSERT INTO staged VALUES (${Array(35).fill('?').join(', ')})`);
  }

  /**
   * Write one batch in one (staging) transaction. Row r of `features` (n × d, row-major), ndets[r] and lcBlobs[r]
   * (the light curve as stored: packed-lc.ts encodeLc) belong to alert r of the columns.
   */
  writeBatch(c: AlertColumns, features: Float64Array, d: number, ndets: ArrayLike<number>, lcBlobs: readonly Uint8Array[]): void {
    const first = new Uint8Array(c.n);
    for (let r = 0; r < c.n; r++) {
      if (this.seen.has(c.candid[r])) this.duplicatesInFile++;
      else {
        this.seen.add(c.candid[r]);
        first[r] = 1;
      }
    }
    this.rows += c.n;
    const lcg = lcFeatureBlobs(c.lcFeaturesG, c.n);
    const lcr = lcFeatureBlobs(c.lcFeaturesR, c.n);
    this.db.transaction(() => {
      for (let r = 0; r < c.n; r++) {
        if (!first[r]) continue;
        this.ins.run(
          c.candid[r],
          c.objectId[r],
          c.jd[r],
          night(c.jd[r]),
          c.fid[r],
          c.ra[r],
          c.dec[r],
          finiteOrNull(c.magpsf[r]),
          finiteOrNull(c.sigmapsf[r]),
          finiteOrNull(c.diffmaglim[r]),
          diffposFromCode(c.isdiffpos[r]),
          finiteOrNull(c.drb[r]),
          finiteOrNull(c.rb[r]),
          finiteOrNull(c.nbad[r]),
          finiteOrNull(c.ndethist[r]),
          finiteOrNull(c.sgscore1[r]),
          finiteOrNull(c.distpsnr1[r]),
          finiteOrNull(c.ssdistnr[r]),
          c.ssnamenr[r],
          c.cdsxmatch[r],
          finiteOrNull(c.roid[r]),
          c.finkclass[r],
          c.tnsclass[r],
          JSON.stringify(scoresAt(c.scores, r)),
          lcg[r],
          lcr[r],
          finiteOrNull(c.sherlockSepArcsec[r]),
          c.sherlockClass[r],
          finiteOrNull(c.distnr[r]),
          finiteOrNull(c.magnr[r]),
          finiteOrNull(c.neargaia[r]),
          finiteOrNull(c.maggaia[r]),
          lcBlobs[r],
          ndets[r],
          vectorToBlob(features.subarray(r * d, (r + 1) * d)),
        );
      }
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
