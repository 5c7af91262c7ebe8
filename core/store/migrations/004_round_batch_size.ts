import type { Migration } from '../migration.js';

/**
 * A round's nominal batch size. Its proposals hold the batch plus a ranked reserve: a label of one of the task's NaN
 * classes (e.g. bogus for the gal task) is stored but does not count towards the batch, so the next reserve alert
 * joins the batch, as in the seed. NULL (older rounds) = every proposal is in the batch.
 */
export const migration: Migration = {
  version: 4,
  name: 'round_batch_size',
  up: `ALTER TABLE rounds ADD COLUMN batch_size INTEGER;`,
};
