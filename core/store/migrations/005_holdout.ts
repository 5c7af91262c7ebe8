import type { Migration } from '../migration.js';

/**
 * The held-out labelled set the user marks (`finkvra labels holdout`). ONE set for the store, not one per task: labels
 * are shared by the tasks, so a per-task set would let a task train on alerts another task evaluates on. `task` records
 * the task whose classes stratified the marking (informational); `object_id` keeps whole objects out of training (a
 * held-out alert's object is held out with it). Held-out alerts are never trained on and never proposed.
 */
export const migration: Migration = {
  version: 5,
  name: 'holdout',
  up: `
    CREATE TABLE holdout (
      candid TEXT PRIMARY KEY,
      object_id TEXT,
      task TEXT,
      source TEXT NOT NULL,
      marked_at TEXT NOT NULL
    );
    CREATE INDEX holdout_object ON holdout (object_id);
  `,
};
