/** Held-out nights: every alert of the chosen nights (and so their objects) is held out — store, CLI and API. */
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServiceContext } from '../../core/api/context.js';
import { ApiError } from '../../core/api/define.js';
import { loopHandlers } from '../../core/api/handlers/loop.js';
import { registerLabels } from '../../core/cli/commands/labels.js';
import { heldOut, HoldoutExistsError, HoldoutNightError, markHoldoutNights } from '../../core/loop/holdout.js';
import { loadPool } from '../../core/loop/pool.js';
import { JobRegistry } from '../../core/api/jobs.js';
import type { Db } from '../../core/store/database.js';
import { cid, makeStore, separableAlerts } from '../loop/fixture.js';

let db: Db | null = null;
afterEach(() => db?.close());

// separableAlerts: alert i is on 2021-11-22 when i % 3 === 0, else 2021-11-23; alerts 2k and 2k+1 (k < 10) share
// an object. Night 22 has 40 of 120 alerts; the pairs (0,1) (2,3) (6,7) (8,9) (12,13) (14,15) (18,19) have exactly
// one alert there, so 7 partners on night 23 come along with their object: 47 alerts held out.
const N22 = Array.from({ length: 120 }, (_, i) => i).filter((i) => i % 3 === 0);
const PARTNERS = [1, 2, 7, 8, 13, 14, 19];

describe('markHoldoutNights', () => {
  it('holds out every alert of the night and the other alerts of their objects', () => {
    const s = makeStore(separableAlerts(120));
    db = s.db;
    const r = markHoldoutNights(db, 'gal', ['2021-11-22']);
    expect(r.marked).toBe(40);
    expect(r.perNight).toEqual({ '2021-11-22': 40 });
    const h = heldOut(db);
    const objectOf = (i: number) => (i < 20 ? `ZTF21obj${Math.floor(i / 2)}` : `ZTF21obj${i}`);
    const held = Array.from({ length: 120 }, (_, i) => i).filter((i) => h.has(cid(i), objectOf(i)));
    expect(held).toEqual([...N22, ...PARTNERS].sort((a, b) => a - b));
    for (const c of loadPool(db).candids) expect(held).not.toContain(Number(BigInt(c) - 1700000000000000000n));
    expect(() => markHoldoutNights(db!, 'gal', ['2021-11-23'])).toThrow(HoldoutExistsError);
  });

  it('names the night that is unknown or malformed', () => {
    const s = makeStore(separableAlerts(30));
    db = s.db;
    expect(() => markHoldoutNights(db!, 'gal', ['2021-11-22', '2021-11-30'])).toThrow(new HoldoutNightError('nights: no ingested alert on 2021-11-30'));
    expect(() => markHoldoutNights(db!, 'gal', ['22/11/2021'])).toThrow("nights: '22/11/2021' is not a night (YYYY-MM-DD)");
    expect(heldOut(db).candids.size).toBe(0);
  });
});

describe('held-out nights from the CLI and the API', () => {
  it('finkvra labels holdout --nights', async () => {
    const s = makeStore(separableAlerts(60));
    s.db.close();
    const out: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    try {
      const p = new Command('finkvra').exitOverride().option('--db <file>').option('--home <dir>');
      registerLabels(p);
      await p.parseAsync(['--db', s.dbPath, '--home', join(s.dir, 'home'), 'labels', 'holdout', '--nights', '2021-11-22'], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    expect(out[0]).toBe('marked 20 alert(s) as held out: every alert of 2021-11-22 20; other alerts of their objects are held out too');
  });

  it("labels.holdout { action: 'mark', nights }", async () => {
    const s = makeStore(separableAlerts(60));
    db = s.db;
    const ctx: ServiceContext = { db, dbPath: s.dbPath, jobs: new JobRegistry(), homeDir: s.dir, artifactsDir: join(s.dir, 'a') };
    const h = loopHandlers(ctx, {});
    const bad = Promise.resolve().then(() => h['labels.holdout']({ action: 'mark', nights: ['2021-12-01'] }));
    await expect(bad).rejects.toThrow(new ApiError('invalid_input', 'nights: no ingested alert on 2021-12-01'));
    const st = await h['labels.holdout']({ action: 'mark', nights: ['2021-11-23'] });
    expect(st.marked).toBe(40);
  });
});
