/**
 * Held-out nights in a store where ZTF and LSST alerts share a night: `labels.holdout --nights` (its handler) marks
 * only the current survey's alerts, each survey keeps its own part of the set, and a night of another survey only is
 * refused with the reason.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../core/api/context.js';
import { dataHandlers } from '../../core/api/handlers/data.js';
import { loopHandlers } from '../../core/api/handlers/loop.js';
import { JobRegistry } from '../../core/api/jobs.js';
import { setLabel } from '../../core/store/labels.js';
import { cid, makeStore, type FakeAlert } from './fixture.js';
import { addRealLsst, mixedOrSkipReason } from './mixed-store.js';

const HAS = mixedOrSkipReason('mixed-holdout');
const LSST_NIGHT = '2025-12-31';

let ctx: ServiceContext | null = null;
afterEach(async () => {
  await ctx?.jobs.idle();
  ctx?.db.close();
  ctx = null;
});

/** 12 ZTF alerts on the LSST night (6 objects), 5 on another night, then the 25 real LSST alerts. */
async function sharedNightStore() {
  const ztf: FakeAlert[] = Array.from({ length: 17 }, (_, i) => ({
    candid: cid(i),
    objectId: `ZTF25obj${Math.floor(i / 2)}`,
    night: i < 12 ? LSST_NIGHT : '2025-12-30',
    ndets: 2,
  }));
  const s = makeStore(ztf);
  const lsst = await addRealLsst(s.db);
  ctx = { db: s.db, dbPath: s.dbPath, jobs: new JobRegistry(), homeDir: s.dir, artifactsDir: join(s.dir, 'artifacts') };
  const h = { ...loopHandlers(ctx, { autoAdvance: false }), ...dataHandlers(ctx) };
  return { db: s.db, h, ztf: ztf.map((a) => a.candid), lsst };
}

const marked = (c: ServiceContext): Set<string> => new Set(c.db.prepare('SELECT candid FROM holdout').pluck().all() as string[]);

describe.skipIf(!HAS)('held-out nights in a mixed store', () => {
  it('marks only the current survey’s alerts of the night, and each survey keeps its own set', async () => {
    const { db, h, ztf, lsst } = await sharedNightStore();
    // Labels on both sides of the night: the summary counts the current survey's only.
    setLabel(db, lsst[0], 'gal');
    setLabel(db, lsst[1], 'extragal');
    setLabel(db, ztf[0], 'gal');

    await h['settings.set']({ featureSet: 'lsst' });
    const l = await h['labels.holdout']({ action: 'mark', nights: [LSST_NIGHT] });
    expect(marked(ctx!)).toEqual(new Set(lsst));
    expect(l).toMatchObject({ survey: 'lsst', marked: 25, perClass: { 'not galactic': 1, galactic: 1, 'not counted': 0 } });

    // ZTF's part is empty, so marking the same night for ZTF is not refused, and adds ZTF's 12 alerts of it.
    await h['settings.set']({ featureSet: 'extended' });
    expect(await h['labels.holdout']({ action: 'show' })).toMatchObject({ survey: 'ztf', marked: 0 });
    const z = await h['labels.holdout']({ action: 'mark', nights: [LSST_NIGHT] });
    expect(z).toMatchObject({ survey: 'ztf', marked: 12, objects: 6, perClass: { galactic: 1 } });
    expect(marked(ctx!)).toEqual(new Set([...lsst, ...ztf.slice(0, 12)]));

    // Clearing ZTF's part leaves LSST's.
    await h['labels.holdout']({ action: 'clear' });
    expect(marked(ctx!)).toEqual(new Set(lsst));
  });

  it('refuses a night that has only another survey’s alerts, naming it', async () => {
    const { h } = await sharedNightStore();
    await h['settings.set']({ featureSet: 'lsst' });
    expect(() => h['labels.holdout']({ action: 'mark', nights: ['2025-12-30'] })).toThrow(
      'nights: no Rubin/LSST alert on 2025-12-30 (only ZTF)',
    );
    expect(marked(ctx!).size).toBe(0);
  });
});
