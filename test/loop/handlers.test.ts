import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { loopHandlers } from '../../core/api/handlers/loop.js';
import { advanceLoop } from '../../core/api/loop-advance.js';
import type { ServiceContext } from '../../core/api/context.js';
import { JobRegistry } from '../../core/api/jobs.js';
import { ApiError } from '../../core/api/define.js';
import { updateSettings } from '../../core/store/settings.js';
import { FEATURE_NAMES } from '../../core/features/names.js';
import { makeStore, separableAlerts } from './fixture.js';

let ctx: ServiceContext | null = null;
afterEach(async () => {
  await ctx?.jobs.idle();
  ctx?.db.close();
  ctx = null;
});

function service(n: number, settings: { n0: number; n: number }) {
  const s = makeStore(separableAlerts(n));
  updateSettings(s.db, s.dbPath, settings);
  ctx = { db: s.db, dbPath: s.dbPath, jobs: new JobRegistry(), homeDir: s.dir, artifactsDir: join(s.dir, 'artifacts') };
  return ctx;
}

const idx = (c: string) => Number(BigInt(c) - 1700000000000000000n);

describe('loop handlers: the batch flow', () => {
  it('starts round 0 by itself, advances when the batch is done (in a worker), keeps labels across undo', async () => {
    const c = service(120, { n0: 20, n: 5 });
    const h = loopHandlers(c, { cvFolds: 3, importanceRepeats: 1 });
    // Reads start nothing; opening the service (advanceLoop) starts round 0 of a store with alerts.
    expect((await h['loop.state']({})).pendingJob).toBeNull();
    advanceLoop(c);
    const s0 = await h['loop.state']({});
    expect(s0.round).toBe(-1);
    expect(s0.pendingJob?.kind).toBe('round');
    await c.jobs.idle();
    const s1 = await h['loop.state']({});
    expect(s1.round).toBe(0);
    expect(s1.batch).toHaveLength(20);
    expect(s1.cursor).toBe(0);
    expect(s1.pendingJob).toBeNull();

    // Label all but the last; skip one; the cursor follows.
    const batch = s1.batch;
    for (const b of batch.slice(0, 18)) await h['labels.set']({ candid: b.candid, label: idx(b.candid) % 2 === 0 ? 'gal' : 'extragal' });
    let st = await h['labels.skip']({ candid: batch[18].candid });
    expect(st.cursor).toBe(19);
    expect(st.labelledInBatch).toBe(18);
    expect(st.batch[18].skipped).toBe(true);
    expect(st.pendingJob).toBeNull();

    // Undo the skip, then finish the batch: the next round starts in the background.
    const u = await h['labels.undo']({});
    expect(u?.candid).toBe(batch[18].candid);
    expect(u?.state.cursor).toBe(18);
    await h['labels.set']({ candid: batch[18].candid, label: 'agn' });
    // bogus is stored but does not count for the gal task: the next reserve alert joins the batch (the seed's rule).
    const ack = await h['labels.set']({ candid: batch[19].candid, label: 'bogus' });
    expect(ack.label).toBe('bogus');
    expect(ack.state.batch).toHaveLength(21);
    expect(ack.state.cursor).toBe(20);
    expect(ack.state.pendingJob).toBeNull();
    expect(ack.state.nTrainCounted).toBe(19);
    const extra = ack.state.batch[20];
    expect(batch.map((b) => b.candid)).not.toContain(extra.candid);
    const ack2 = await h['labels.set']({ candid: extra.candid, label: idx(extra.candid) % 2 === 0 ? 'gal' : 'extragal' });
    expect(ack2.state.cursor).toBe(21);
    expect(ack2.state.pendingJob?.state).toBe('running');
    expect(ack2.state.nTrainCounted).toBe(20);

    // Relabelling while the round trains is fine.
    await h['labels.set']({ candid: batch[0].candid, label: idx(batch[0].candid) % 2 === 0 ? 'gal' : 'extragal' });
    await c.jobs.idle();
    st = await h['loop.state']({});
    expect(st.round).toBe(1);
    expect(st.batch).toHaveLength(5);
    expect(st.batch.every((b) => b.label === null && b.prob !== null)).toBe(true);
    expect(st.strategy).toBe('least_confidence');

    const runs = await h['runs.list']({});
    expect(runs.map((r) => r.name)).toEqual(['round_1_least_confidence']);
    const run = await h['runs.get']({ runId: runs[0].runId });
    expect(run.nTrain).toBe(20);
    const exp = await h['runs.export']({ runId: runs[0].runId });
    expect(JSON.parse(exp.json).runs[0].name).toBe('round_1_least_confidence');
    await expect(async () => h['runs.get']({ runId: 'nope' })).rejects.toThrow(ApiError);

    // startRound refuses an unfinished batch unless forced.
    expect(() => h['loop.startRound']({})).toThrow(/neither labelled nor skipped/);

    // Export: seed format and full format.
    const seed = await h['labels.exportCsv']({ format: 'seed' });
    expect(seed.rows).toBe(21);
    const seedRows = parse(seed.csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(seedRows[0])).toEqual(['candid', 'objectId', 'label', 'timestamp']);
    expect(seedRows.find((r) => r.candid === batch[18].candid)?.label).toBe('agn');
    const full = await h['labels.exportCsv']({ format: 'full' });
    const fullRows = parse(full.csv, { columns: true }) as Record<string, string>[];
    expect(fullRows).toHaveLength(21);
    for (const n of FEATURE_NAMES) expect(Object.keys(fullRows[0])).toContain(n);
    const r19 = fullRows.find((r) => r.candid === batch[19].candid)!;
    expect(r19.label).toBe('bogus');
    expect(r19.class).toBe(''); // NaN class for the gal task
    expect(Number(r19.dets_median)).toBeCloseTo(idx(batch[19].candid) % 2 === 0 ? 17 + ((idx(batch[19].candid) * 37) % 10) / 10 : 21 + ((idx(batch[19].candid) * 37) % 10) / 10, 10);
    expect(r19.sep_arcsec).toBe(''); // missing stays empty
  });

  it('rejects labels of unknown alerts with not_found', async () => {
    const c = service(10, { n0: 3, n: 2 });
    const h = loopHandlers(c, { autoAdvance: false });
    expect(() => h['labels.set']({ candid: '42', label: 'gal' })).toThrow(/no alert with candid 42/);
    expect(await h['labels.undo']({})).toBeNull();
  });
});
