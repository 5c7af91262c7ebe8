/** The card's context fields and the labels of an object's other alerts (core/store/alert-card.ts). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { columnsFromAlerts } from '../../core/alerts/columns.js';
import { computeFeatures } from '../../core/features/build.js';
import { HealpixDustMap } from '../../core/features/dust.js';
import { FEATURE_NAMES } from '../../core/features/names.js';
import { encodeLc, packAlert } from '../../core/features/packed-lc.js';
import { mergeStaging } from '../../core/ingest/merge.js';
import { StagingWriter } from '../../core/ingest/staging.js';
import { alertCard } from '../../core/store/alert-card.js';
import { openStore } from '../../core/store/database.js';
import { setLabel, undoLast } from '../../core/store/labels.js';
import { makeAlert } from '../helpers/alerts.js';

describe('alert card context', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vra-card-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const db = openStore(join(dir, 's.sqlite'));
  // A constant map: every position has E(B-V) 0.25.
  const dust = new HealpixDustMap(new Float64Array(12).fill(0.25), 1, 'const');
  // Three alerts of one object on three nights, one of another object.
  const a1 = makeAlert({ candid: '1000000000000000001', objectId: 'ZTF21obj', jd: 2459000.7 });
  const a2 = makeAlert({ candid: '1000000000000000002', objectId: 'ZTF21obj', jd: 2459001.7, isdiffpos: 'f' });
  const a3 = makeAlert({
    candid: '1000000000000000003',
    objectId: 'ZTF21obj',
    jd: 2459002.7,
    // The north Galactic pole (Hipparcos: RA 192.85948, Dec 27.12825) is at b = +90.
    ra: 192.85948,
    dec: 27.12825,
    sgscore1: 0.97,
    distpsnr1: 0.35,
    distnr: 0.5,
    magnr: 14.25,
    neargaia: 0.4,
    maggaia: 14.5,
    ssnamenr: '12345',
    ssdistnr: 2.5,
  });
  const other = makeAlert({ candid: '1000000000000000004', objectId: 'ZTF21other', sgscore1: -999, distpsnr1: -999 });
  const all = [a1, a2, a3, other];
  const w = new StagingWriter(join(dir, 'st.sqlite'));
  const X = new Float64Array(all.length * FEATURE_NAMES.length);
  all.forEach((al, i) => X.set(computeFeatures(al, dust), i * FEATURE_NAMES.length));
  w.writeBatch(columnsFromAlerts(all), X, FEATURE_NAMES.length, all.map(() => 2), all.map((al) => encodeLc(packAlert(al))));
  w.close();
  mergeStaging(db, w.path, { path: '/x/f.parquet', sha256: 'x', sizeBytes: 1 }, w.rows);

  it('shows the candidate fields a scanner judges by, with -999 as missing', () => {
    const c = alertCard(db, a3.candid)!.context;
    expect(c.galB).toBeCloseTo(90, 3);
    expect(c.ebv).toBe(0.25);
    expect(c).toMatchObject({ isdiffpos: 't', ssnamenr: '12345', ssdistnr: 2.5, distnr: 0.5, magnr: 14.25, neargaia: 0.4, maggaia: 14.5 });
    expect(c.sgscore1).toBeCloseTo(0.97, 6);
    expect(c.distpsnr1).toBeCloseTo(0.35, 6);
    expect(alertCard(db, a2.candid)!.context.isdiffpos).toBe('f');
    const o = alertCard(db, other.candid)!.context;
    expect(o.sgscore1).toBeNull();
    expect(o.distpsnr1).toBeNull();
    // makeAlert's ssdistnr is ZTF's -999: no solar-system object nearby.
    expect(o.ssdistnr).toBeNull();
    expect(o.neargaia).toBeNull();
  });

  it("another alert of an object labelled before says so; undo and the object's own alert do not count", () => {
    expect(alertCard(db, a3.candid)!.objectLabels).toEqual([]);
    setLabel(db, a1.candid, 'extragal');
    setLabel(db, a2.candid, 'bogus');
    setLabel(db, other.candid, 'gal');
    const seen = alertCard(db, a3.candid)!.objectLabels;
    expect(seen.map((l) => [l.candid, l.label])).toEqual([
      [a1.candid, 'extragal'],
      [a2.candid, 'bogus'],
    ]);
    expect(seen[0].jd).toBeCloseTo(a1.jd, 6);
    expect(alertCard(db, a1.candid)!.objectLabels.map((l) => l.candid)).toEqual([a2.candid]);
    undoLast(db); // other's label
    undoLast(db); // a2's label
    expect(alertCard(db, a3.candid)!.objectLabels.map((l) => l.label)).toEqual(['extragal']);
    db.close();
  });
});
