import type { Migration } from '../migration.js';

/** Active-learning rounds and the batch each one proposed. */
export const migration: Migration = {
  version: 2,
  name: 'rounds',
  up: `
    -- One row per proposed batch. run_id = the tracked run whose model proposed it (NULL for a model-free pick).
    CREATE TABLE rounds (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      task TEXT NOT NULL,
      round INTEGER NOT NULL,
      strategy TEXT NOT NULL,
      run_id TEXT,
      night TEXT,
      n_train INTEGER NOT NULL DEFAULT 0,
      warnings_json TEXT NOT NULL DEFAULT '[]',
      created_at TEXT NOT NULL,
      UNIQUE (task, round)
    );

    CREATE TABLE proposals (
      round_id INTEGER NOT NULL REFERENCES rounds(id),
      candid TEXT NOT NULL,
      rank INTEGER NOT NULL,
      prob REAL,
      score REAL,
      reason TEXT NOT NULL,
      PRIMARY KEY (round_id, candid),
      UNIQUE (round_id, rank)
    ) WITHOUT ROWID;
    CREATE INDEX proposals_candid ON proposals(candid);
  `,
};
