/** The brokers' object-page URLs of both surveys, as strings (core/urls.ts, core/surveys/lsst/links.ts). */
import { describe, expect, it } from 'vitest';
import { finkObjectUrl, lasairObjectUrl, PANE_ALLOWED_HOSTS } from '../../core/urls.js';
import { LSST_SURVEY } from '../../core/surveys/lsst/survey.js';
import { isPaneHost } from '../../electron/policy.js';

describe('broker object pages', () => {
  it('links a ZTF object to Lasair-ZTF and to the Fink ZTF portal', () => {
    expect(lasairObjectUrl('ZTF21abcdefg')).toBe('https://lasair-ztf.lsst.ac.uk/objects/ZTF21abcdefg/');
    expect(finkObjectUrl('ZTF21abcdefg')).toBe('https://ztf.fink-portal.org/ZTF21abcdefg');
    expect(finkObjectUrl('a/../b')).toBe('https://ztf.fink-portal.org/a%2F..%2Fb');
  });

  it('links an LSST diaObject to Lasair-LSST and the Fink LSST portal, a solar-system source to Fink only', () => {
    const s = { objectId: '169813006111211570' };
    expect(LSST_SURVEY.links.lasair(s)).toBe('https://lasair.lsst.ac.uk/objects/169813006111211570/');
    expect(LSST_SURVEY.links.fink(s)).toBe('https://lsst.fink-portal.org/169813006111211570');
    const ss = { objectId: null, solarSystemDesignation: 'K17SA9A' };
    expect(LSST_SURVEY.links.lasair(ss)).toBeNull();
    expect(LSST_SURVEY.links.fink(ss)).toBe('https://lsst.fink-portal.org/K17SA9A');
  });

  it('lets the side pane show every page the cards link to', () => {
    for (const url of [
      lasairObjectUrl('ZTF21abcdefg'),
      finkObjectUrl('ZTF21abcdefg'),
      LSST_SURVEY.links.lasair({ objectId: '169813006111211570' })!,
      LSST_SURVEY.links.fink({ objectId: '169813006111211570' })!,
    ]) {
      expect(isPaneHost(new URL(url).hostname), url).toBe(true);
    }
    expect(PANE_ALLOWED_HOSTS).toContain('lasair.lsst.ac.uk');
  });
});
