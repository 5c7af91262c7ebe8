import type { Migration } from '../migration.js';

/**
 * The candidate fields a scanner judges by and the extended feature set uses: nearest reference-image source
 * (distnr, magnr) and nearest Gaia source (neargaia, maggaia). Alerts ingested before stay NULL (missing).
 */
export const migration: Migration = {
  version: 7,
  name: 'context_fields',
  up: `
    ALTER TABLE alerts ADD COLUMN distnr REAL;
    ALTER TABLE alerts ADD COLUMN magnr REAL;
    ALTER TABLE alerts ADD COLUMN neargaia REAL;
    ALTER TABLE alerts ADD COLUMN maggaia REAL;
  `,
};
