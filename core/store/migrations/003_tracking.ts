import type { Migration } from '../migration.js';

/**
 * Run tracking (core/track), modelled on MLflow's tracking store: experiments, runs, params (immutable once logged),
 * metrics (every logged value kept, by step) and tags. Times are Unix milliseconds, as in MLflow.
 * Artifact files live on disk under the run's artifact_uri (a plain filesystem path), not in the database.
 */
export const migration: Migration = {
  version: 3,
  name: 'tracking',
  up: `
    CREATE TABLE experiments (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL UNIQUE,
      created_at INTEGER NOT NULL,
      artifact_location TEXT NOT NULL
    );

    -- run_id: 32 lowercase hex characters (a uuid4 without dashes), as MLflow's.
    CREATE TABLE runs (
      run_id TEXT PRIMARY KEY CHECK (length(run_id) = 32),
      experiment_id INTEGER NOT NULL REFERENCES experiments(id),
      name TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('RUNNING', 'FINISHED', 'FAILED', 'KILLED')),
      start_time INTEGER NOT NULL,
      end_time INTEGER,
      artifact_uri TEXT NOT NULL,
      user_id TEXT NOT NULL DEFAULT ''
    ); -- a rowid table: rowid orders runs started in the same millisecond
    CREATE INDEX runs_experiment ON runs(experiment_id, start_time);

    CREATE TABLE params (
      run_id TEXT NOT NULL REFERENCES runs(run_id),
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (run_id, key)
    ) WITHOUT ROWID;

    -- History kept: one row per logged value. value NULL stands for NaN (SQLite stores NaN as NULL).
    CREATE TABLE metrics (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      run_id TEXT NOT NULL REFERENCES runs(run_id),
      key TEXT NOT NULL,
      value REAL,
      step INTEGER NOT NULL DEFAULT 0,
      timestamp INTEGER NOT NULL
    );
    CREATE INDEX metrics_run_key ON metrics(run_id, key, step);

    CREATE TABLE tags (
      run_id TEXT NOT NULL REFERENCES runs(run_id),
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (run_id, key)
    ) WITHOUT ROWID;
  `,
};
