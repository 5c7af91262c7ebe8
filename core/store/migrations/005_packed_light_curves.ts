import type { Migration } from '../migration.js';

/**
 * One packed light-curve BLOB per alert (history then current epoch, see core/features/packed-lc.ts) replaces the
 * per-point lc_points rows: ~25 rows per alert made ingest write-bound. The card merges the blobs of an object's
 * alerts. Cutouts move to a rowid table. Stores from before this version are re-ingested to get light curves back (nothing else is lost).
 */
export const migration: Migration = {
  version: 5,
  name: 'packed_light_curves',
  up: `
    CREATE TABLE alert_lc (
      candid TEXT PRIMARY KEY REFERENCES alerts(candid),
      data BLOB NOT NULL
    );
    DROP TABLE lc_points;
    -- Cutouts (~40 kB a row) move to a rowid table: SQLite advises against large rows in WITHOUT ROWID tables.
    CREATE TABLE cutouts_v5 (
      candid TEXT PRIMARY KEY REFERENCES alerts(candid),
      science BLOB,
      template BLOB,
      difference BLOB
    );
    INSERT INTO cutouts_v5 SELECT candid, science, template, difference FROM cutouts;
    DROP TABLE cutouts;
    ALTER TABLE cutouts_v5 RENAME TO cutouts;
  `,
};
