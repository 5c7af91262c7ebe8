import { describe, expect, it } from 'vitest';
import {
  finkLsstObjectUrl,
  finkLsstSolarSystemUrl,
  lasairLsstObjectUrl,
  lsstLinks,
} from '../../core/surveys/lsst/links.js';

describe('LSST broker links', () => {
  it('builds the Lasair-LSST and Fink LSST object pages from an exact diaObjectId', () => {
    expect(lasairLsstObjectUrl('169813006680588318')).toBe('https://lasair.lsst.ac.uk/objects/169813006680588318/');
    expect(finkLsstObjectUrl('169813006680588318')).toBe('https://lsst.fink-portal.org/169813006680588318');
  });

  it('has no page for a missing, zero or non-decimal id (no injection into the path)', () => {
    for (const bad of [null, undefined, '', '0', '12a', '1/../x', '-5', '1.5e17']) {
      expect(lasairLsstObjectUrl(bad), String(bad)).toBeNull();
      expect(finkLsstObjectUrl(bad), String(bad)).toBeNull();
    }
  });

  it("links a solar-system source to Fink's page of its packed designation, not to Lasair", () => {
    expect(finkLsstSolarSystemUrl('K01S97B')).toBe('https://lsst.fink-portal.org/K01S97B');
    expect(finkLsstSolarSystemUrl('2015 BC557')).toBeNull();
    expect(lsstLinks({ diaObjectId: null, ssDesignation: 'K17SA9A' })).toEqual({
      lasair: null,
      fink: 'https://lsst.fink-portal.org/K17SA9A',
    });
    expect(lsstLinks({ diaObjectId: '169747015154532428', ssDesignation: null })).toEqual({
      lasair: 'https://lasair.lsst.ac.uk/objects/169747015154532428/',
      fink: 'https://lsst.fink-portal.org/169747015154532428',
    });
  });
});
