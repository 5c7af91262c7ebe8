/**
 * The first round after importing a labelled set trains on it at once; run names match the round they log; the
 * full export has one column per name.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labelsCsv, META_COLUMNS } from '../../core/loop/export.js';
import { runRound } from '../../core/loop/round.js';
import { FEATURE_NAMES } from '../../core/features/names.js';
import type { Db } from '../../core/store/database.js';
import { importLabelsCsv, setLabel } from '../../core/store/labels.js';
import { updateSettings } from '../../core/store/settings.js';
import { getRun } from '../../core/track/tracker.js';
import { cid, makeStore, separableAlerts } from './fixture.js';

let db: Db | null = null;
afterEach(() => db?.close());

const isGal = (i: number) => i % 2 === 0;

/** The seed's labeled.csv for alerts first..first+n-1 of separableAlerts (gal / extragal by parity). */
function labeledCsv(first: number, n: number): string {
  const rows = Array.from({ length: n }, (_, k) => {
    const i = first + k;
    const objectId = i < 20 ? `ZTF21obj${Math.floor(i / 2)}` : `ZTF21obj${i}`;
    return `${cid(i)},${objectId},${isGal(i) ? 'gal' : 'extragal'},2024-01-01T00:00:00Z`;
  });
  return ['candid,objectId,label,timestamp', ...rows].join('\n');
}

describe('the first round after an import', () => {
  it('trains on the imported labels at once when at least n0 of them count', async () => {
    const s = makeStore(separableAlerts(150));
    db = s.db;
    updateSettings(db, s.dbPath, { n0: 30, n: 6 });
    const report = importLabelsCsv(db, labeledCsv(20, 40));
    expect(report.imported).toBe(40);
    const r = await runRound(db, s.dbPath, { artifactsRoot: join(s.dir, 'artifacts'), inline: true, cvFolds: 3, importanceRepeats: 1 });
    expect(r.round.round).toBe(0);
    expect(r.fallback).toBeNull();
    expect(r.nTrain).toBe(40);
    expect(r.runId).not.toBeNull();
    expect(r.proposals).toHaveLength(6);
    expect(r.proposals.every((p) => p.prob !== null)).toBe(true);
    // The reason names the class, as the card does.
    expect(r.proposals.every((p) => /P\(galactic\) \d\.\d{3}/.test(p.reason) && !p.reason.includes('class 1'))).toBe(true);
    // The whole pool, not one night: no imported alert is proposed again, no object twice.
    expect(new Set(r.proposals.map((p) => p.objectId)).size).toBe(6);
    expect(r.proposals.some((p) => p.reason.includes('pool ran short'))).toBe(false);
    const run = getRun(db, r.runId!);
    expect(run.name).toBe('round_0_least_confidence');
    expect(run.params.round).toBe('0');
    expect(run.params.n_train).toBe('40');
  });

  it('is a random pick of one night when fewer than n0 labels count', async () => {
    const s = makeStore(separableAlerts(150));
    db = s.db;
    updateSettings(db, s.dbPath, { n0: 30, n: 6 });
    importLabelsCsv(db, labeledCsv(20, 29));
    // A bogus label is stored but does not count for the gal task: 29 counted, under n0.
    setLabel(db, cid(100), 'bogus');
    const r = await runRound(db, s.dbPath, { artifactsRoot: join(s.dir, 'artifacts'), inline: true });
    expect(r.round.round).toBe(0);
    expect(r.runId).toBeNull();
    expect(r.proposals).toHaveLength(30);
    expect(r.proposals.every((p) => p.prob === null)).toBe(true);
  });
});

describe('run names match the round they log', () => {
  it('round 1 is logged as round_1_<strategy> with round param 1', async () => {
    const s = makeStore(separableAlerts(150));
    db = s.db;
    updateSettings(db, s.dbPath, { n0: 20, n: 6 });
    const artifactsRoot = join(s.dir, 'artifacts');
    const r0 = await runRound(db, s.dbPath, { artifactsRoot, inline: true });
    for (const p of r0.proposals) {
      const i = Number(BigInt(p.candid) - 1700000000000000000n);
      setLabel(db, p.candid, isGal(i) ? 'gal' : 'extragal');
    }
    const r1 = await runRound(db, s.dbPath, { artifactsRoot, inline: true, cvFolds: 3, importanceRepeats: 1 });
    expect(r1.round.round).toBe(1);
    const run = getRun(db, r1.runId!);
    expect(run.name).toBe('round_1_least_confidence');
    expect(run.params.round).toBe('1');
    expect(run.round).toBe(1);
  });
});

describe('full export', () => {
  it('has one column per name: ra, dec and drb once, with the alert values', () => {
    const s = makeStore(separableAlerts(10));
    db = s.db;
    setLabel(db, cid(3), 'gal');
    const out = labelsCsv(db, { format: 'full', task: 'gal' });
    const header = out.csv.split('\n')[0].split(',');
    expect(new Set(header).size).toBe(header.length);
    const expected = new Set([...META_COLUMNS, ...FEATURE_NAMES]);
    expect(header).toHaveLength(expected.size);
    expect(out.columns).toEqual(header);
    const row = out.csv.split('\n')[1].split(',');
    // Alert 3 of the fixture: ra = 21, dec = 39 - 90 = -51, drb = 0.9.
    expect(Number(row[header.indexOf('ra')])).toBe(21);
    expect(Number(row[header.indexOf('dec')])).toBe(-51);
    expect(Number(row[header.indexOf('drb')])).toBe(0.9);
  });
});
