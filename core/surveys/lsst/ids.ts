/** LSST 64-bit ids as exact decimal strings, with an error that names the field when they cannot be exact. */
import type { Data } from 'apache-arrow';
import { InexactIdError, toDecimalStrings } from '../../alerts/arrow-columns.js';

/** Raised with the field path; the reader adds the file. */
export class LsstIdError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'LsstIdError';
  }
}

export function exactIds(data: Data | undefined, length: number, field: string): (string | null)[] {
  try {
    return toDecimalStrings(data, length);
  } catch (e) {
    // The reason names the column type only: the rule is never to quote file content.
    if (e instanceof InexactIdError) throw new LsstIdError(field, `cannot hold an exact 64-bit id (${String(data?.type)} column)`);
    throw e;
  }
}

/**
 * Association ids (diaObjectId, ssObjectId) with 0 read as "none": Rubin writes 0, not null, in the id a source is
 * not associated with (the 25 real alerts: the 3 solar-system sources have diaObjectId 0, the others ssObjectId 0).
 */
export function zeroAsNull(ids: (string | null)[]): (string | null)[] {
  return ids.map((v) => (v === '0' ? null : v));
}
