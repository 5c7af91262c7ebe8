import type { Migration } from '../migration.js';

/** Alerts, light curves, cutouts, features and source files: the ingest core. */
export const migration: Migration = {
  version: 1,
  name: 'initial',
  up: `
    CREATE TABLE source_files (
      id INTEGER PRIMARY KEY,
      path TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      size_bytes INTEGER NOT NULL,
      rows INTEGER,
      new_alerts INTEGER,
      ingested_at TEXT NOT NULL,
      error TEXT,
      -- The sidecar file (in <store>-cutouts/) holding this file's cutouts; NULL when ingested without them.
      cutouts_file TEXT
    );
    -- A file ingested successfully once is never ingested again; failed attempts are kept as history.
    CREATE UNIQUE INDEX source_files_ok ON source_files(sha256) WHERE error IS NULL;

    CREATE TABLE alerts (
      candid TEXT PRIMARY KEY,
      object_id TEXT NOT NULL,
      jd REAL NOT NULL,
      night TEXT NOT NULL,
      fid INTEGER NOT NULL,
      ra REAL NOT NULL,
      dec REAL NOT NULL,
      magpsf REAL,
      sigmapsf REAL,
      diffmaglim REAL,
      isdiffpos TEXT,
      drb REAL,
      rb REAL,
      nbad INTEGER,
      ndethist INTEGER,
      sgscore1 REAL,
      distpsnr1 REAL,
      ssdistnr REAL,
      ssnamenr TEXT,
      cdsxmatch TEXT,
      roid INTEGER,
      finkclass TEXT,
      tnsclass TEXT,
      scores_json TEXT NOT NULL DEFAULT '{}',
      -- Fink's lc_features_g / _r packed as Float64Array in FINK_LC_FEATURE_NAMES order (NaN = missing).
      lc_features_g BLOB,
      lc_features_r BLOB,
      sherlock_sep_arcsec REAL,
      sherlock_class TEXT,
      source_file_id INTEGER NOT NULL REFERENCES source_files(id)
    );
    CREATE INDEX alerts_object ON alerts(object_id);
    CREATE INDEX alerts_night ON alerts(night);

    -- One packed light curve per alert (history then current epoch; core/features/packed-lc.ts): one row instead of
    -- ~25 point rows keeps ingest from being write-bound. The card merges the blobs of an object's alerts.
    CREATE TABLE alert_lc (
      candid TEXT PRIMARY KEY REFERENCES alerts(candid),
      data BLOB NOT NULL
    );

    -- Cutouts are not here: one sidecar file per source file (core/store/cutouts.ts).

    CREATE TABLE feature_sets (
      version TEXT PRIMARY KEY,
      names_json TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    -- One row per alert and feature-set version; vector is a little-endian Float64Array (NaN = missing).
    CREATE TABLE features (
      candid TEXT NOT NULL REFERENCES alerts(candid),
      feature_set TEXT NOT NULL REFERENCES feature_sets(version),
      ndets INTEGER NOT NULL,
      vector BLOB NOT NULL,
      PRIMARY KEY (candid, feature_set)
    ) WITHOUT ROWID;

    -- Append-only label events: a label change or an undo is a new row, so history is kept.
    -- label NULL means "no label" (a cleared label, e.g. undo of the first label).
    CREATE TABLE label_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      candid TEXT NOT NULL,
      object_id TEXT NOT NULL,
      label TEXT,
      source TEXT NOT NULL DEFAULT 'human',
      action TEXT NOT NULL DEFAULT 'set',
      undoes INTEGER REFERENCES label_events(id),
      created_at TEXT NOT NULL
    );
    CREATE INDEX label_events_candid ON label_events(candid, id);

    CREATE TABLE sherlock_cache (
      object_id TEXT PRIMARY KEY,
      sep_arcsec REAL,
      class TEXT,
      raw_json TEXT,
      fetched_at TEXT NOT NULL
    );

    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value_json TEXT NOT NULL
    );
  `,
};
