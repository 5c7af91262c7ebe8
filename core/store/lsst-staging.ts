/**
 * The staging database of one LSST file (the LSST side of core/ingest/staging.ts): an append-only table, one row
 * per alert in file order, holding every value the merge copies into alerts, lsst_alerts, alert_lc and features.
 * Rows are built by core/surveys/lsst/rows.ts, as the direct writer (lsst-alerts.ts) builds them. The first row of a
 * diaSourceId wins; later ones are counted, not staged.
 */
import Database from 'better-sqlite3';
import type { DustMap } from '../features/dust.js';
import type { LsstBatch } from '../surveys/lsst/batch.js';
import { LSST_ALERT_COLUMNS, commonValues, lsstAlertValues, lsstFeatureRow, lsstLcBlob } from '../surveys/lsst/rows.js';
import { vectorToBlob } from './features.js';
import { sqliteOptions } from './native.js';

export const LSST_STAGED_TABLE = 'staged_lsst';

/** The common alert columns staged (fid, scores_json and survey are constants of an LSST alert, set by the merge). */
export const LSST_COMMON_COLUMNS = ['candid', 'object_id', 'jd', 'night', 'ra', 'dec', 'magpsf', 'sigmapsf'] as const;
/** lsst_alerts columns besides candid, which the common columns hold. */
export const LSST_ONLY_COLUMNS = LSST_ALERT_COLUMNS.filter((c) => c !== 'candid');

const COLUMNS = [...LSST_COMMON_COLUMNS, ...LSST_ONLY_COLUMNS, 'lc', 'ndets', 'vector'];

const SCHEMA = `
  PRAGMA page_size = 65536;
  PRAGMA journal_mode = OFF;
  PRAGMA synchronous = OFF;
  CREATE TABLE ${LSST_STAGED_TABLE} (${COLUMNS.join(', ')});
`;

export class LsstStagingWriter {
  private readonly db: Database.Database;
  private readonly ins: Database.Statement;
  private readonly seen = new Set<string>();
  rows = 0;
  duplicatesInFile = 0;

  constructor(readonly path: string, private readonly dust: DustMap | null) {
    this.db = new Database(path, sqliteOptions());
    this.db.exec(SCHEMA);
    this.ins = this.db.prepare(`INSERT INTO ${LSST_STAGED_TABLE} VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  }

  /** One batch in one (staging) transaction. */
  writeBatch(b: LsstBatch): void {
    this.rows += b.length;
    this.db.transaction(() => {
      for (let i = 0; i < b.length; i++) {
        const id = b.diaSourceId[i];
        if (this.seen.has(id)) {
          this.duplicatesInFile++;
          continue;
        }
        this.seen.add(id);
        const c = commonValues(b, i);
        const f = lsstFeatureRow(b, i, this.dust);
        this.ins.run(
          c.candid,
          c.objectId,
          c.jd,
          c.night,
          c.ra,
          c.dec,
          c.magpsf,
          c.sigmapsf,
          ...lsstAlertValues(b, i).slice(1),
          lsstLcBlob(b, i),
          f.ndets,
          vectorToBlob(f.vector),
        );
      }
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
