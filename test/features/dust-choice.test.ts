/** Which dust map an ingest uses: the bundled low-resolution SFD map whenever no full-resolution pair is configured. */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledDustMapPath, resolveDustMap } from '../../core/ingest/dust-choice.js';

let home: string;
let withBroken: string;
const savedEnv = process.env.FINKVRA_DUST;
beforeAll(() => {
  delete process.env.FINKVRA_DUST;
  home = mkdtempSync(join(tmpdir(), 'finkvra-dustchoice-'));
  withBroken = mkdtempSync(join(tmpdir(), 'finkvra-dustchoice-'));
  mkdirSync(join(withBroken, 'dust'));
  // A "fetched" map that is not FITS: proves which map a setting tries first.
  writeFileSync(join(withBroken, 'dust', 'SFD_dust_4096_ngp.fits'), 'not a fits file');
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(withBroken, { recursive: true, force: true });
  if (savedEnv !== undefined) process.env.FINKVRA_DUST = savedEnv;
});

// healpy.get_interp_val on the SFD NSIDE-64 map at astropy's (l, b) of (ra 180, dec 45): see dust-real.test.ts.
const HEALPY_180_45 = 0.0133546022;

describe('resolveDustMap', () => {
  it('with nothing configured, uses the bundled SFD map: ebv is never missing by default', () => {
    const c = resolveDustMap(undefined, home);
    expect(c.warning).toBeNull();
    expect(c.map).not.toBeNull();
    expect(c.map!.ebv(180, 45)).toBeCloseTo(HEALPY_180_45, 8);
    expect(c.source).toMatch(/bundled/);
  });

  it('the bundled file is byte for byte the data README’s SFD map (sha256)', () => {
    const sha = createHash('sha256').update(readFileSync(bundledDustMapPath())).digest('hex');
    expect(sha).toBe('3da57e8acca9a66db0c5ee12754fed6eab4fe6a45184a9a0d35d21ee00b5bf06');
  });

  it('auto prefers the fetched full-resolution maps (a broken one is reported, naming the file)', () => {
    expect(() => resolveDustMap(undefined, withBroken, 'auto')).toThrow(/SFD_dust_4096_ngp\.fits/);
  });

  it('lowres ignores the fetched maps', () => {
    expect(resolveDustMap(undefined, withBroken, 'lowres').map!.ebv(180, 45)).toBeCloseTo(HEALPY_180_45, 8);
  });

  it('sfd without fetched maps is an error naming the setting and the folder', () => {
    expect(() => resolveDustMap(undefined, home, 'sfd')).toThrow(/settings\.dust is 'sfd'.*finkvra dust fetch/);
  });

  it('none gives no map and one warning', () => {
    const c = resolveDustMap(undefined, home, 'none');
    expect(c.map).toBeNull();
    expect(c.warning).toMatch(/ebv is missing/);
  });
});
