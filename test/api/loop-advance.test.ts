/**
 * Reads are pure: loop.state never starts a round; the writes that complete a batch (labels.set, labels.skip) or
 * change what the loop needs (a finished ingest, settings.set) start it.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dataHandlers } from '../../core/api/handlers/data.js';
import { loopHandlers, ROUND_JOB } from '../../core/api/handlers/loop.js';
import type { ServiceContext } from '../../core/api/context.js';
import { JobRegistry } from '../../core/api/jobs.js';
import { openService, type Service } from '../../core/api/service.js';
import type { LoopState } from '../../core/api/types.js';
import type { Label } from '../../core/labels.js';
import { runRound } from '../../core/loop/round.js';
import { loopState } from '../../core/loop/state.js';
import { setLabel } from '../../core/store/labels.js';
import { updateSettings } from '../../core/store/settings.js';
import { sampleNight } from '../e2e/helpers.js';
import { makeStore, separableAlerts, tempDir } from '../loop/fixture.js';

let ctx: ServiceContext | null = null;
let svc: Service | null = null;
afterEach(async () => {
  await ctx?.jobs.idle();
  ctx?.db.close();
  ctx = null;
  await svc?.close();
  svc = null;
});

/** A store of n alerts with features (no round yet), and a spy on every job it starts. */
function fixture(n: number, settings: { n0: number; n: number }) {
  const s = makeStore(separableAlerts(n));
  updateSettings(s.db, s.dbPath, settings);
  ctx = { db: s.db, dbPath: s.dbPath, jobs: new JobRegistry(), homeDir: s.dir, artifactsDir: join(s.dir, 'artifacts') };
  const start = vi.spyOn(ctx.jobs, 'start');
  return { c: ctx, start };
}

const roundJobs = (start: ReturnType<typeof fixture>['start']) => start.mock.calls.filter(([kind]) => kind === ROUND_JOB).length;

describe('loop.state is a read', () => {
  it('starts no job however often it is called, on a fresh store with alerts', async () => {
    const { c, start } = fixture(60, { n0: 10, n: 4 });
    const h = loopHandlers(c, { inline: true, cvFolds: 3, importanceRepeats: 1 });
    for (let i = 0; i < 5; i++) {
      const st = await h['loop.state']({});
      expect(st.round).toBe(-1);
      expect(st.pendingJob).toBeNull();
    }
    await c.jobs.idle();
    expect(start).not.toHaveBeenCalled();
    expect(c.jobs.active(ROUND_JOB)).toBeUndefined();
  });

  it('starts no job on a batch that is complete: the label that completed it did', async () => {
    const { c, start } = fixture(60, { n0: 10, n: 4 });
    const h = loopHandlers(c, { inline: true, cvFolds: 3, importanceRepeats: 1 });
    h['loop.startRound']({});
    await c.jobs.idle();
    const batch = (await h['loop.state']({})).batch;
    expect(batch).toHaveLength(10);
    // Label all but the last by hand-known classes (even index = gal): no round job yet.
    const idx = (cd: string) => Number(BigInt(cd) - 1700000000000000000n);
    const label = (cd: string): Label => (idx(cd) % 2 === 0 ? 'gal' : 'extragal');
    for (const b of batch.slice(0, 9)) {
      const ack = await h['labels.set']({ candid: b.candid, label: label(b.candid) });
      expect(ack.state.pendingJob).toBeNull();
    }
    expect(roundJobs(start)).toBe(1); // round 0, started by hand above
    const ack = await h['labels.set']({ candid: batch[9].candid, label: label(batch[9].candid) });
    expect(ack.state.pendingJob?.kind).toBe(ROUND_JOB);
    expect(roundJobs(start)).toBe(2);
    // Reads while it trains (and after) start nothing more.
    for (let i = 0; i < 3; i++) await h['loop.state']({});
    await c.jobs.idle();
    for (let i = 0; i < 3; i++) await h['loop.state']({});
    expect(roundJobs(start)).toBe(2);
    const st = await h['loop.state']({});
    expect(st.round).toBe(1);
    expect(st.batch).toHaveLength(4);
  });

  it('labels.skip that completes the batch starts the round', async () => {
    const { c, start } = fixture(40, { n0: 3, n: 2 });
    const h = loopHandlers(c, { inline: true, cvFolds: 3, importanceRepeats: 1 });
    h['loop.startRound']({});
    await c.jobs.idle();
    const batch = (await h['loop.state']({})).batch;
    await h['labels.set']({ candid: batch[0].candid, label: 'gal' });
    await h['labels.set']({ candid: batch[1].candid, label: 'extragal' });
    expect(roundJobs(start)).toBe(1);
    const st = await h['labels.skip']({ candid: batch[2].candid });
    expect(st.pendingJob?.kind).toBe(ROUND_JOB);
    expect(roundJobs(start)).toBe(2);
  });

  it('settings.set of another task starts that task\'s round 0', async () => {
    const { c, start } = fixture(40, { n0: 5, n: 2 });
    const h = loopHandlers(c, { inline: true });
    const d = dataHandlers(c);
    h['loop.startRound']({});
    await c.jobs.idle();
    expect(roundJobs(start)).toBe(1);
    d['settings.set']({ task: 'real' });
    expect(roundJobs(start)).toBe(2);
    await c.jobs.idle();
    const st = await h['loop.state']({});
    expect(st.task).toBe('real');
    expect(st.round).toBe(0);
    expect(st.batch).toHaveLength(5);
  });
});

describe('a finished ingest starts round 0', () => {
  it('on a fresh store, with no loop.state call at all', async () => {
    const { file } = await sampleNight();
    const dir = tempDir('finkvra-advance-');
    svc = openService({ dbPath: join(dir, 'vra.sqlite'), homeDir: join(dir, 'home') });
    svc.handlers['settings.set']({ n0: 7, n: 3 });
    expect(svc.ctx.jobs.active(ROUND_JOB)).toBeUndefined(); // nothing to draw from yet
    const start = vi.spyOn(svc.ctx.jobs, 'start');
    const { jobId } = await svc.handlers['data.ingest']({ paths: [file] });
    await svc.ctx.jobs.idle();
    expect(svc.ctx.jobs.get(jobId)?.state).toBe('done');
    expect(start.mock.calls.map(([kind]) => kind)).toEqual(['ingest', ROUND_JOB]);
    const st = (await svc.handlers['loop.state']({})) as LoopState;
    expect(st.round).toBe(0);
    expect(st.batch).toHaveLength(7);
    expect(st.batch.every((b) => b.prob === null)).toBe(true);
  }, 120_000);
});

describe('JobRegistry.onSettled', () => {
  it('runs for its kind only, once per job, and idle() waits for a job it starts', async () => {
    const jobs = new JobRegistry();
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    jobs.onSettled('a', (j) => {
      seen.push(`${j.kind}:${j.state}`);
      jobs.start('b', () => gate);
    });
    jobs.start('a', () => Promise.resolve(1));
    jobs.start('c', () => Promise.resolve(2));
    jobs.start('a', () => Promise.reject(new Error('boom')));
    let idle = false;
    const waiting = jobs.idle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.sort()).toEqual(['a:done', 'a:failed']);
    expect(idle).toBe(false); // the 'b' jobs are still running
    release();
    await waiting;
    expect(jobs.active('b')).toBeUndefined();
  });
});

describe('opening the service', () => {
  /** A store on disk with round 0 proposed (inline) and the first `labelled` of its batch labelled. */
  async function storeWithRound0(labelled: number): Promise<{ dbPath: string; dir: string }> {
    const s = makeStore(separableAlerts(60));
    updateSettings(s.db, s.dbPath, { n0: 6, n: 3 });
    await runRound(s.db, s.dbPath, { artifactsRoot: join(s.dir, 'artifacts'), inline: true });
    const st = loopState(s.db, 'gal', 'least_confidence', null);
    expect(st.batch).toHaveLength(6);
    st.batch.slice(0, labelled).forEach((b, i) => setLabel(s.db, b.candid, i % 2 ? 'gal' : 'extragal'));
    s.db.close();
    return { dbPath: s.dbPath, dir: s.dir };
  }

  it('starts round 0 of a store that has alerts and no round', async () => {
    const s = makeStore(separableAlerts(30));
    s.db.close();
    svc = openService({ dbPath: s.dbPath, homeDir: join(s.dir, 'home') });
    expect(svc.ctx.jobs.active(ROUND_JOB)).toBeDefined();
    await svc.ctx.jobs.idle();
    expect(((await svc.handlers['loop.state']({})) as LoopState).round).toBe(0);
  });

  it('starts the round a completed batch was waiting for when the app stopped, and nothing for an open batch', async () => {
    const done = await storeWithRound0(6);
    svc = openService({ dbPath: done.dbPath, homeDir: join(done.dir, 'home') });
    expect(svc.ctx.jobs.active(ROUND_JOB)).toBeDefined();
    await svc.ctx.jobs.idle();
    expect(((await svc.handlers['loop.state']({})) as LoopState).round).toBe(1);
    await svc.close();

    const open = await storeWithRound0(5);
    svc = openService({ dbPath: open.dbPath, homeDir: join(open.dir, 'home') });
    expect(svc.ctx.jobs.active(ROUND_JOB)).toBeUndefined();
    const st = (await svc.handlers['loop.state']({})) as LoopState;
    expect(st.round).toBe(0);
    expect(st.cursor).toBe(5);
  });
});
