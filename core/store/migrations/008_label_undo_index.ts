import type { Migration } from '../migration.js';

/**
 * Whether an event was undone is asked per event (`undoes = e.id`) by the skip and undo queries on every label: without
 * an index each asks a scan of the whole history. Partial: only undo events carry `undoes`.
 */
export const migration: Migration = {
  version: 8,
  name: 'label_undo_index',
  up: `
    CREATE INDEX label_events_undoes ON label_events (undoes) WHERE undoes IS NOT NULL;
  `,
};
