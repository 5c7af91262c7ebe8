/**
 * The card's cutout decoder on the 25 real LSSTCam alerts (../shared/data/fink-lsst, read in place): their stamps are
 * plain multi-extension FITS (image, variance, PSF), and the card draws the image at the size its header declares.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readLsstAlerts } from '../../core/surveys/lsst/read.js';
import { decodeCutout } from '../../renderer/src/lib/fits.js';
import { SHARED_DATA } from '../helpers/shared-data.js';

const REAL = `${SHARED_DATA}/fink-lsst/lsstcam_ddf_20260105_v10_0.parquet`;
const HAS_LSST = existsSync(REAL);
if (!HAS_LSST) console.warn(`[lsst-real-cutouts] skipped: ${REAL} is absent (real Fink LSST data lives in ../shared/data)`);

/** NAXISn of the primary header, read from its 80-character cards (independently of the FITS reader). */
function primaryAxis(bytes: Uint8Array, n: 1 | 2): number {
  const text = Buffer.from(bytes.subarray(0, 2880)).toString('latin1');
  for (let o = 0; o < text.length; o += 80) {
    const m = new RegExp(`^NAXIS${n}\\s*=\\s*(\\d+)`).exec(text.slice(o, o + 80));
    if (m) return Number(m[1]);
  }
  throw new Error(`no NAXIS${n}`);
}

describe.skipIf(!HAS_LSST)('real LSST stamps on the card', () => {
  it('decodes every stamp of the 25 alerts at its declared size, with an image (not one grey)', async () => {
    let n = 0;
    for await (const b of readLsstAlerts(REAL, { withCutouts: true })) {
      for (const kind of ['science', 'template', 'difference'] as const) {
        for (const bytes of b.cutouts![kind]) {
          if (!bytes) continue;
          expect(Buffer.from(bytes.subarray(0, 6)).toString('latin1')).toBe('SIMPLE');
          const d = decodeCutout(Buffer.from(bytes).toString('base64'));
          if (!d || 'error' in d) throw new Error(`stamp ${n} not decoded: ${d && 'error' in d ? d.error : 'null'}`);
          expect([d.width, d.height]).toEqual([primaryAxis(bytes, 1), primaryAxis(bytes, 2)]);
          const greys = new Set<number>();
          for (let o = 0; o < d.rgba.length; o += 4) greys.add(d.rgba[o]);
          expect(greys.size).toBeGreaterThan(10);
          n++;
        }
      }
    }
    expect(n).toBe(75);
  }, 60_000);
});
