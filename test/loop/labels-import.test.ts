/** Importing the seed's labeled.csv through the contract (the Data screen's "Import labels") and app.store. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseStore } from '../../core/api/store-choice.js';
import { appHandlers } from '../../core/api/handlers/app.js';
import { loopHandlers } from '../../core/api/handlers/loop.js';
import { advanceLoop } from '../../core/api/loop-advance.js';
import type { ServiceContext } from '../../core/api/context.js';
import { JobRegistry } from '../../core/api/jobs.js';
import { dispatch } from '../../core/api/dispatch.js';
import type { Handlers } from '../../core/api/contract.js';
import { importLabelsCsv, LabelsCsvError } from '../../core/store/labels.js';
import { openStore } from '../../core/store/database.js';
import { updateSettings } from '../../core/store/settings.js';
import { cid, makeStore, separableAlerts, tempDir } from './fixture.js';

let ctx: ServiceContext | null = null;
afterEach(async () => {
  await ctx?.jobs.idle();
  ctx?.db.close();
  ctx = null;
});

function service(n: number) {
  const s = makeStore(separableAlerts(n));
  updateSettings(s.db, s.dbPath, { n0: 30, n: 5 });
  ctx = { db: s.db, dbPath: s.dbPath, jobs: new JobRegistry(), homeDir: s.dir, artifactsDir: join(s.dir, 'artifacts') };
  return ctx;
}

const objectOf = (i: number) => (i < 20 ? `ZTF21obj${Math.floor(i / 2)}` : `ZTF21obj${i}`);
const csvOf = (idx: number[]) =>
  ['candid,objectId,label,timestamp', ...idx.map((i) => `${cid(i)},${objectOf(i)},${i % 2 === 0 ? 'gal' : 'extragal'},2024-01-01T00:00:00Z`)].join('\n');

describe('importLabelsCsv: bad input names the field and the reason, never the content', () => {
  it('refuses a file without a label column', () => {
    const c = service(5);
    const csv = `candid,objectId,klass\n${cid(1)},ZTF21obj0,secretvalue\n`;
    expect(() => importLabelsCsv(c.db, csv)).toThrow(LabelsCsvError);
    expect(() => importLabelsCsv(c.db, csv)).toThrow(/no 'label' column/);
  });

  it('refuses an unreadable CSV with its line, not its text', () => {
    const c = service(5);
    let msg = '';
    try {
      importLabelsCsv(c.db, `candid,objectId,label\n${cid(1)},"secret"x,gal\n`);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/line 2/);
    expect(msg).not.toContain('secret');
  });

  it('row problems say which field and why, without quoting it', () => {
    const c = service(5);
    const r = importLabelsCsv(c.db, `candid,objectId,label\nsecretid,ZTF1,gal\n${cid(1)},ZTF21obj0,secretlabel\n9999123,,gal\n`);
    expect(r.invalid).toHaveLength(3);
    expect(r.invalid[0]).toMatchObject({ row: 2 });
    expect(r.invalid[0].reason).toMatch(/candid/);
    expect(r.invalid[1].reason).toMatch(/label/);
    expect(r.invalid[2]).toEqual({ row: 4, reason: 'objectId: empty, and the candid is not ingested' });
    for (const x of r.invalid) expect(x.reason).not.toMatch(/secret|9999123/);
  });
});

describe('labels.import (the contract)', () => {
  it('imports uploaded text, names the file, and the first round then trains on the labels', async () => {
    const c = service(150);
    const h = { ...loopHandlers(c, { inline: true, cvFolds: 3, importanceRepeats: 1 }), ...appHandlers({ path: c.dbPath, isSample: false }) } as unknown as Handlers;
    const idx = Array.from({ length: 40 }, (_, k) => 20 + k);
    const r = (await dispatch(h, 'labels.import', { name: 'labeled.csv', text: csvOf(idx) })) as { file: string; imported: number };
    expect(r.file).toBe('labeled.csv');
    expect(r.imported).toBe(40);
    const s0 = await h['loop.state']({});
    expect(s0.pendingJob?.kind).toBe('round');
    await c.jobs.idle();
    const s1 = await h['loop.state']({});
    expect(s1.round).toBe(0);
    expect(s1.nTrainCounted).toBe(40);
    expect(s1.batch).toHaveLength(5);
    expect(s1.batch.every((b) => b.prob !== null && b.label === null)).toBe(true);
  });

  it('reads a file chosen in the app by path; bad files are named in the error', async () => {
    const c = service(10);
    const h = loopHandlers(c, { autoAdvance: false }) as unknown as Handlers;
    const file = join(c.homeDir, 'mine.csv');
    writeFileSync(file, csvOf([1, 2, 3]));
    const r = (await dispatch(h, 'labels.import', { path: file })) as { file: string; imported: number };
    expect(r).toMatchObject({ file: 'mine.csv', imported: 3 });
    writeFileSync(file, 'candid,objectId\n1,2\n');
    await expect(dispatch(h, 'labels.import', { path: file })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/^mine\.csv: no 'label' column/),
    });
    await expect(dispatch(h, 'labels.import', { path: join(c.homeDir, 'none.csv') })).rejects.toMatchObject({ code: 'not_found' });
    await expect(dispatch(h, 'labels.import', { name: 'x.csv' })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('app.store', () => {
  it('says which store is open and whether it is the sample night under the app home', async () => {
    const home = tempDir();
    for (const [db, isSample] of [
      [join(home, 'sample', 'sample.sqlite'), true],
      [join(home, 'finkvra.sqlite'), false],
    ] as const) {
      const choice = chooseStore({ db, home, env: {}, allowSample: false });
      const r = await dispatch(appHandlers(choice) as unknown as Handlers, 'app.store', {});
      expect(r).toEqual({ path: db, isSample });
    }
  });
});

describe('finkvra labels import', () => {
  it('names the file in the error when it is not a labels file', async () => {
    const { Command } = await import('commander');
    const { registerLabels } = await import('../../core/cli/commands/labels.js');
    const dir = tempDir();
    const file = join(dir, 'notes.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    openStore(join(dir, 's.sqlite')).close();
    const p = new Command('finkvra').exitOverride().option('--db <file>').option('--home <dir>');
    registerLabels(p);
    await expect(p.parseAsync(['--db', join(dir, 's.sqlite'), '--home', dir, 'labels', 'import', file], { from: 'user' })).rejects.toThrow(
      `${file}: no 'candid' column`,
    );
  });
});

describe('an import after round 0 was proposed', () => {
  it('supersedes the untouched random pick: the next round trains on the imported labels without force', async () => {
    const c = service(150);
    updateSettings(c.db, c.dbPath, { n0: 10, n: 5 });
    const h = loopHandlers(c, { inline: true, cvFolds: 3, importanceRepeats: 1 });
    advanceLoop(c); // as opening the service does: round 0 of a store with alerts
    await c.jobs.idle();
    const s0 = await h['loop.state']({});
    expect(s0.round).toBe(0);
    expect(s0.batch.every((b) => b.prob === null)).toBe(true);
    const inBatch = new Set(s0.batch.map((b) => b.candid));
    const idx = Array.from({ length: 60 }, (_, k) => 20 + k).filter((i) => !inBatch.has(cid(i))).slice(0, 30);
    await dispatch(h as unknown as Handlers, 'labels.import', { name: 'labeled.csv', text: csvOf(idx) });
    const s1 = await h['loop.state']({});
    expect(s1.pendingJob?.kind).toBe('round');
    await c.jobs.idle();
    const s2 = await h['loop.state']({});
    expect(s2.round).toBe(1);
    expect(s2.nTrainCounted).toBe(30);
    expect(s2.batch.every((b) => b.prob !== null)).toBe(true);
  });

  it('leaves a round 0 alone once the person has labelled in it', async () => {
    const c = service(150);
    updateSettings(c.db, c.dbPath, { n0: 10, n: 5 });
    const h = loopHandlers(c, { inline: true });
    advanceLoop(c);
    await c.jobs.idle();
    const s0 = await h['loop.state']({});
    await h['labels.set']({ candid: s0.batch[0].candid, label: 'gal' });
    const inBatch = new Set(s0.batch.map((b) => b.candid));
    const idx = Array.from({ length: 60 }, (_, k) => 20 + k).filter((i) => !inBatch.has(cid(i))).slice(0, 30);
    await dispatch(h as unknown as Handlers, 'labels.import', { name: 'labeled.csv', text: csvOf(idx) });
    const s1 = await h['loop.state']({});
    expect(s1.pendingJob).toBeNull();
    expect(s1.round).toBe(0);
    expect(() => h['loop.startRound']({})).toThrow(/neither labelled nor skipped/);
  });
});

describe('finkvra round after an import', () => {
  it('trains without --force when round 0 was a random pick nobody labelled', async () => {
    const { Command } = await import('commander');
    const { registerLabels } = await import('../../core/cli/commands/labels.js');
    const { registerRound } = await import('../../core/cli/commands/round.js');
    const s = makeStore(separableAlerts(150));
    updateSettings(s.db, s.dbPath, { n0: 10, n: 5 });
    s.db.close();
    const file = join(s.dir, 'labeled.csv');
    writeFileSync(file, csvOf(Array.from({ length: 30 }, (_, k) => 100 + k)));
    const out: string[] = [];
    const log = console.log;
    const err = console.error;
    console.log = (...a: unknown[]) => void out.push(a.join(' '));
    console.error = () => undefined;
    try {
      const run = async (...args: string[]) => {
        const p = new Command('finkvra').exitOverride().option('--db <file>').option('--home <dir>');
        registerLabels(p);
        registerRound(p);
        await p.parseAsync(['--db', s.dbPath, '--home', s.dir, ...args], { from: 'user' });
      };
      await run('round', '--n0', '10');
      expect(out.join('\n')).toMatch(/^round 0 \(random\)/m);
      // The import supersedes the untouched random pick: it starts round 1 itself, as labels.import does in the app.
      await run('labels', 'import', file);
      expect(out.join('\n')).toContain('these labels start a round (as in the app):');
      expect(out.join('\n')).toMatch(/^round 1 \(least_confidence\) run [0-9a-f]{32}: 30 counted labels/m);
    } finally {
      console.log = log;
      console.error = err;
    }
  });
});
