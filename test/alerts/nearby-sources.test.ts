import { describe, expect, it } from 'vitest';
import { NEARBY_SOURCE_FIELDS, nearbySources } from '../../core/alerts/nearby-sources.js';
import { extendedVector } from '../../core/features/extended.js';
import { EXTENDED_FEATURE_NAMES, FEATURE_NAMES } from '../../core/features/names.js';

describe('nearby-source fields', () => {
  it('reads each field once, by name', () => {
    expect(nearbySources((f) => f.length)).toEqual({ sgscore1: 8, distpsnr1: 9, distnr: 6, magnr: 5, neargaia: 8, maggaia: 7 });
  });

  it('land in the extended vector under their own names (distinct values, so an order slip shows)', () => {
    const values = { sgscore1: 0.1, distpsnr1: 0.2, distnr: 0.3, magnr: 0.4, neargaia: 0.5, maggaia: 0.6 };
    const v = extendedVector(new Float64Array(FEATURE_NAMES.length), { ra: 10, dec: 20, ...values }, new Float64Array(0));
    for (const field of NEARBY_SOURCE_FIELDS) expect(v[EXTENDED_FEATURE_NAMES.indexOf(field)]).toBe(values[field]);
  });
});
