/**
 * The LSST label card (core/store/lsst-card.ts) on the 25 real LSSTCam alerts: every field checked against the file
 * as read (the batch), with the light curve rebuilt here from the alerts' diaSources by id, not by the card's rule.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertCard } from '../../core/store/alert-card.js';
import type { Db } from '../../core/store/database.js';
import { setLabel } from '../../core/store/labels.js';
import { mergeLsstCurves } from '../../core/store/lsst-card.js';
import { LSST_FEATURE_NAMES } from '../../core/surveys/lsst/features.js';
import type { LsstBatch } from '../../core/surveys/lsst/batch.js';
import { HealpixDustMap } from '../../core/features/dust.js';
import { openStore } from '../../core/store/database.js';
import { addRealLsst, lsstDataOrSkipReason, lsstStore } from '../helpers/lsst-store.js';

const HAS = lsstDataOrSkipReason('lsst-card');
const abMag = (f: number): number => 31.4 - 2.5 * Math.log10(f);

/** Every detection of the object known at alert i (its own and earlier alerts' diaSources and prvDiaSources), by id. */
function expectedCurve(b: LsstBatch, i: number): { mjd: number; flux: number; id: string }[] {
  const obj = b.diaObjectId[i];
  const mjd = b.source.midpointMjdTai[i];
  const byId = new Map<string, { mjd: number; flux: number; id: string }>();
  for (let k = 0; k < b.length; k++) {
    const same = obj === null ? k === i : b.diaObjectId[k] === obj;
    if (!same || b.source.midpointMjdTai[k] > mjd) continue;
    byId.set(b.diaSourceId[k], { mjd: b.source.midpointMjdTai[k], flux: b.source.psfFlux[k], id: b.diaSourceId[k] });
    const p = b.prvDiaSources;
    for (let j = p.offsets[k]; j < p.offsets[k + 1]; j++) byId.set(p.id[j]!, { mjd: p.midpointMjdTai[j], flux: p.psfFlux[j], id: p.id[j]! });
  }
  return [...byId.values()].sort((x, y) => x.mjd - y.mjd);
}

function shareObject(x: LsstBatch): void {
  const dia = x.diaObjectId.flatMap((id, k) => (id === null ? [] : [k]));
  x.diaObjectId[dia[1]] = x.diaObjectId[dia[0]];
  x.diaObjectId[dia[3]] = x.diaObjectId[dia[0]];
}

describe.skipIf(!HAS)('the LSST card on the real alerts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vra-lsst-card-'));
  let db: Db;
  let b: LsstBatch;
  beforeAll(async () => {
    // The file has one alert per diaObject: the second and fourth alerts with a diaObject are given the first's
    // object, so that curves of several alerts merge (the fourth is the earliest of the three: none sees it later).
    const s = await lsstStore(dir, { cutouts: true, edit: ([x]) => shareObject(x) });
    db = s.db;
    b = s.batches[0];
    expect(s.batches.length).toBe(1);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the common fields from the alert, ZTF-only fields empty', () => {
    for (let i = 0; i < b.length; i++) {
      const c = alertCard(db, b.diaSourceId[i])!;
      expect(c.survey).toBe('lsst');
      expect(c.candid).toBe(b.diaSourceId[i]);
      expect(c.objectId).toBe(b.diaObjectId[i] ?? `ss:${b.ssObjectId[i]}`);
      expect(c.objectId).not.toBe('');
      expect(c.jd).toBeCloseTo(b.source.midpointMjdTai[i] + 2400000.5, 9);
      expect(c.fid).toBe(0);
      expect(c.night).toBe('2025-12-31');
      const f = b.source.psfFlux[i];
      if (f > 0) expect(c.magpsf).toBeCloseTo(abMag(f), 9);
      else expect(c.magpsf).toBeNull();
      expect(c.fink).toEqual({ cdsxmatch: null, finkclass: null, tnsclass: null, roid: null, scores: {} });
      expect([c.drb, c.rb, c.context.sgscore1, c.context.ssnamenr, c.context.isdiffpos]).toEqual([null, null, null, null, null]);
    }
  });

  it('shows the lsst feature set by name', () => {
    const c = alertCard(db, b.diaSourceId[0])!;
    expect(Object.keys(c.features)).toEqual([...LSST_FEATURE_NAMES]);
    // ndet counts the alert and its earlier diaSources (its own id once).
    const p = b.prvDiaSources;
    const prv = p.id.slice(p.offsets[0], p.offsets[1]).filter((id) => id !== b.diaSourceId[0]).length;
    expect(c.features.ndet).toBe(1 + prv);
    expect(c.context.ebv).toBeNull(); // written without a dust map
  });

  it('carries the diaSource fields, flags as booleans and the diaObject summary', () => {
    for (let i = 0; i < b.length; i++) {
      const l = alertCard(db, b.diaSourceId[i])!.lsst!;
      expect(l.diaSourceId).toBe(b.diaSourceId[i]);
      expect(l.diaObjectId).toBe(b.diaObjectId[i]);
      expect(l.ssDesignation).toBe(b.ssDesignation[i]);
      expect(l.band).toBe('i');
      expect(l.schemaVersion).toBe('10.0');
      expect(l.psfFlux).toBe(b.source.psfFlux[i]);
      expect(l.isDipole).toBe(b.source.isDipole[i] === 1);
      expect(l.flags.trail_flag_edge).toBe(b.source.trail_flag_edge[i] === 1);
      expect(l.isNegative).toBe(b.source.isNegative[i] === 1);
      const n = b.diaObject.nDiaSources[i];
      if (Number.isFinite(n)) expect(l.diaObject.nDiaSources).toBe(n);
      else expect(l.diaObject).not.toHaveProperty('nDiaSources');
      expect(l.diaObject.i_psfFluxMean ?? NaN).toEqual(b.diaObject.i_psfFluxMean[i]);
    }
    expect(b.source.isDipole.some((v) => v === 1)).toBe(true); // the file has dipoles: the flag is really exercised
  });

  it("merges the object's curves up to the alert, one point per measurement, with AB magnitudes", () => {
    let multi = 0;
    for (let i = 0; i < b.length; i++) {
      const got = alertCard(db, b.diaSourceId[i])!.lsst!.lightcurve;
      const want = expectedCurve(b, i);
      if (want.length > 1) multi++;
      expect(got.map((p) => p.mjd)).toEqual(want.map((p) => p.mjd));
      got.forEach((p, k) => {
        expect(p.kind).toBe('detection');
        expect(p.flux).toBeCloseTo(want[k].flux, 2); // stored as float32, as Rubin sends it
        if (want[k].flux > 0) expect(p.mag).toBeCloseTo(abMag(want[k].flux), 5);
        else expect(p.mag).toBeNull();
      });
    }
    expect(multi).toBeGreaterThan(0);
    // The merge across alerts is exercised: one card's curve holds another alert's diaSource.
    const obj = b.diaObjectId.find((id, k) => id !== null && b.diaObjectId.indexOf(id) !== k)!;
    const ks = b.diaObjectId.flatMap((id, k) => (id === obj ? [k] : [])).sort((x, y) => b.source.midpointMjdTai[x] - b.source.midpointMjdTai[y]);
    expect(ks.length).toBe(3);
    const last = alertCard(db, b.diaSourceId[ks[2]])!.lsst!.lightcurve.map((p) => p.mjd);
    for (const k of ks) expect(last).toContain(b.source.midpointMjdTai[k]);
    const first = alertCard(db, b.diaSourceId[ks[0]])!.lsst!.lightcurve.map((p) => p.mjd);
    expect(first).not.toContain(b.source.midpointMjdTai[ks[2]]);
  });

  it('gives the stamps as stored, base64', () => {
    const c = alertCard(db, b.diaSourceId[3])!;
    expect(c.cutouts.science).toBe(Buffer.from(b.cutouts!.science[3]!).toString('base64'));
    expect(c.cutouts.difference).toBe(Buffer.from(b.cutouts!.difference[3]!).toString('base64'));
    expect(Buffer.from(c.cutouts.template!, 'base64').subarray(0, 6).toString('latin1')).toBe('SIMPLE');
  });

  it('links a diaObject to Lasair-LSST and Fink LSST, a solar-system source to Fink only', () => {
    const dia = b.diaObjectId.findIndex((id) => id !== null);
    expect(alertCard(db, b.diaSourceId[dia])!.links).toEqual({
      lasair: `https://lasair.lsst.ac.uk/objects/${b.diaObjectId[dia]}/`,
      fink: `https://lsst.fink-portal.org/${b.diaObjectId[dia]}`,
    });
    const ss = b.diaObjectId.findIndex((id) => id === null);
    expect(b.ssDesignation[ss]).toMatch(/^[A-Z0-9]+$/);
    expect(alertCard(db, b.diaSourceId[ss])!.links).toEqual({ lasair: null, fink: `https://lsst.fink-portal.org/${b.ssDesignation[ss]}` });
  });

  it("shows the alert's label, history and the object's other labels", () => {
    const obj = b.diaObjectId.find((id, k) => id !== null && b.diaObjectId.indexOf(id) !== k)!;
    const [first, second] = b.diaSourceId
      .map((id, k) => ({ id, k }))
      .filter(({ k }) => b.diaObjectId[k] === obj)
      .sort((x, y) => b.source.midpointMjdTai[x.k] - b.source.midpointMjdTai[y.k])
      .map(({ id }) => id);
    setLabel(db, first, 'extragal');
    const c = alertCard(db, second)!;
    expect(c.objectLabels.map((o) => [o.candid, o.label])).toEqual([[first, 'extragal']]);
    const own = alertCard(db, first)!;
    expect(own.label).toBe('extragal');
    expect(own.labelHistory.map((h) => [h.label, h.source, h.action])).toEqual([['extragal', 'human', 'set']]);
  });
});

describe.skipIf(!HAS)('the LSST card context', () => {
  it('gives E(B-V) of the dust map used at writing, and the Galactic latitude of the alert', async () => {
    const db = openStore(':memory:');
    const [x] = await addRealLsst(db, { dust: new HealpixDustMap(new Float64Array(12).fill(0.25), 1, 'const') });
    const c = alertCard(db, x.diaSourceId[0])!;
    expect(c.context.ebv).toBe(0.25);
    expect(c.features.ebv).toBe(0.25);
    // COSMOS, EDFS, ECDFS: deep fields far from the Galactic plane.
    expect(Math.abs(c.context.galB)).toBeGreaterThan(30);
    // b from the north Galactic pole (α 192.85948°, δ 27.12825°): sin b = sin δ sin δG + cos δ cos δG cos(α − αG).
    const rad = Math.PI / 180;
    const [a, d] = [x.source.ra[0] * rad, x.source.dec[0] * rad];
    const [aG, dG] = [192.85948 * rad, 27.12825 * rad];
    const b = Math.asin(Math.sin(d) * Math.sin(dG) + Math.cos(d) * Math.cos(dG) * Math.cos(a - aG)) / rad;
    expect(c.context.galB).toBeCloseTo(b, 3);
    db.close();
  });
});

describe('mergeLsstCurves', () => {
  const p = (mjd: number, band: string | null, kind: 'detection' | 'forced' | 'limit', flux = 100) => ({ mjd, band, flux, fluxErr: 10, kind });
  it('keeps one point per (mjd, band, kind), drops later points, sorts oldest first', () => {
    const got = mergeLsstCurves(
      [
        [p(2, 'g', 'detection'), p(1, 'r', 'detection')],
        [p(1, 'r', 'detection'), p(1, 'r', 'forced', -50), p(5, 'g', 'detection')],
      ],
      2,
    );
    expect(got.map((x) => [x.mjd, x.band, x.kind])).toEqual([
      [1, 'r', 'detection'],
      [1, 'r', 'forced'],
      [2, 'g', 'detection'],
    ]);
    // 100 nJy is AB 31.4 − 5 = 26.4; σm = 1.0857 · 10 / 100.
    expect(got[0].mag).toBeCloseTo(26.4, 12);
    expect(got[0].magErr).toBeCloseTo((2.5 / Math.LN10) * 0.1, 12);
    expect(got[1].mag).toBeNull();
    expect(got[1].flux).toBe(-50);
  });

  it('gives a limit no flux and no magnitude', () => {
    const [l] = mergeLsstCurves([[{ mjd: 1, band: 'u', flux: NaN, fluxErr: 3, kind: 'limit' }]], 1);
    expect(l).toEqual({ mjd: 1, band: 'u', flux: null, fluxErr: 3, mag: null, magErr: null, kind: 'limit' });
  });
});
