/**
 * The CLI takes the app's path (core/api): a label from `finkvra label` that completes a batch starts the next round
 * exactly as labels.set does in the app (compared on a copy of the store), its errors are the contract's, its
 * exports are the API's bytes, and each command says which survey and feature set it works on.
 * Real processes (test/cli/finkvra-loop.ts), so this file runs against any version of the commands.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../core/api/define.js';
import { dispatch } from '../../core/api/dispatch.js';
import { openService } from '../../core/api/service.js';
import { loopState } from '../../core/loop/state.js';
import { openStore } from '../../core/store/database.js';
import { getSettings, updateSettings } from '../../core/store/settings.js';
import { listRuns } from '../../core/track/tracker.js';
import { makeStore, separableAlerts } from '../loop/fixture.js';

const loopCli = fileURLToPath(new URL('./finkvra-loop.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** `finkvra --db <db> --home <home> <args>` in a real process, keys on stdin. */
function finkvra(db: string, home: string, args: string[], input = '') {
  return spawnSync(process.execPath, ['--import', 'tsx', loopCli, '--db', db, '--home', home, ...args], {
    input,
    encoding: 'utf8',
    cwd: repoRoot,
    timeout: 120_000,
  });
}

/** Copy a closed store (and a WAL file, were one left). */
function copyStore(from: string, to: string): string {
  copyFileSync(from, to);
  if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
  return to;
}

/** The loop of a store as its rows say: round, and the batch's candids, probabilities and reasons. */
function loopOf(dbPath: string) {
  const db = openStore(dbPath);
  try {
    const s = getSettings(db, dbPath);
    const st = loopState(db, s.task, s.strategy, null);
    return {
      round: st.round,
      batch: st.batch.map((b) => ({ candid: b.candid, prob: b.prob, reason: b.reason })),
      runs: listRuns(db).map((r) => r.name).sort(),
    };
  } finally {
    db.close();
  }
}

/** What the API says for one call on a store (a service opened and closed around it). */
async function api(dbPath: string, home: string, method: string, input: unknown): Promise<unknown> {
  const svc = openService({ dbPath, homeDir: home, mustExist: true });
  try {
    return await dispatch(svc.handlers, method, input);
  } finally {
    await svc.close();
  }
}

/** The candid's index in separableAlerts: even ones are galactic (g), odd ones extragalactic (x). */
const keyOf = (candid: string) => ((BigInt(candid) - 1700000000000000000n) % 2n === 0n ? 'g' : 'x');

describe('the CLI goes through the service and contract', { timeout: 240_000 }, () => {
  const s = makeStore(separableAlerts(120));
  updateSettings(s.db, s.dbPath, { n0: 10, n: 5 });
  s.db.close();
  const home = join(s.dir, 'home');
  const cliStore = join(s.dir, 'cli.sqlite');
  const apiStore = join(s.dir, 'api.sqlite');
  let round0: ReturnType<typeof loopOf>;
  let labelRun: ReturnType<typeof finkvra>;

  beforeAll(async () => {
    // Round 0 through the API: opening the service starts it, closing waits for it.
    await openService({ dbPath: s.dbPath, homeDir: home }).close();
    copyStore(s.dbPath, cliStore);
    copyStore(s.dbPath, apiStore);
    round0 = loopOf(s.dbPath);
    // The CLI labels the whole batch from piped keys...
    labelRun = finkvra(cliStore, home, ['label'], round0.batch.map((b) => keyOf(b.candid)).join(''));
    // ...and the API labels the same alerts the same way on the copy, as the app's label screen does.
    const svc = openService({ dbPath: apiStore, homeDir: home, mustExist: true });
    for (const b of round0.batch) {
      await dispatch(svc.handlers, 'labels.set', { candid: b.candid, label: keyOf(b.candid) === 'g' ? 'gal' : 'extragal' });
    }
    await svc.close();
  }, 240_000);

  it('a CLI label that completes the batch starts the next round, the same round the API starts', () => {
    expect(round0.round).toBe(0);
    expect(round0.batch).toHaveLength(10);
    expect(labelRun.status).toBe(0);
    const cli = loopOf(cliStore);
    const viaApi = loopOf(apiStore);
    expect(viaApi.round).toBe(1);
    expect(cli.round).toBe(1);
    expect(cli.batch).toHaveLength(5);
    expect(cli).toEqual(viaApi);
    // The session printed that round's batch (its candids, in order).
    const printed = labelRun.stdout.split('\n').flatMap((l) => /^\s+\d+\s+(\d{19})\s/.exec(l)?.[1] ?? []);
    expect(printed).toEqual(cli.batch.map((b) => b.candid));
  });

  it('`label <candid> <label>` refuses an unknown candid and an unknown label with the contract’s error', async () => {
    const unknown = '1234567890123456789';
    const errorOf = async (input: unknown) => {
      try {
        await api(apiStore, home, 'labels.set', input);
      } catch (e) {
        if (e instanceof ApiError) return e.message;
      }
      throw new Error('the API accepted it');
    };
    const expected = await errorOf({ candid: unknown, label: 'gal' });
    expect(expected).toBe(`no alert with candid ${unknown} in the store`);
    const r = finkvra(cliStore, home, ['label', unknown, 'gal']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`finkvra: ${expected}\n`);
    const bad = finkvra(cliStore, home, ['label', loopOf(cliStore).batch[0].candid, 'galactic']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`finkvra: ${await errorOf({ candid: round0.batch[0].candid, label: 'galactic' })}\n`);
  });

  it('labels export writes the bytes the API returns (full, a column choice, seed)', async () => {
    for (const [format, columns] of [['full', undefined], ['full', ['candid', 'label', 'ndets']], ['seed', undefined]] as const) {
      const out = join(s.dir, `export-${format}-${columns ? 'some' : 'all'}.csv`);
      const args = ['labels', 'export', '--out', out, '--format', format, ...(columns ? ['--columns', columns.join(',')] : [])];
      const r = finkvra(cliStore, home, args);
      expect(r.status, r.stderr).toBe(0);
      const viaApi = (await api(cliStore, home, 'labels.exportCsv', { format, columns: columns ? [...columns] : undefined })) as { csv: string; rows: number };
      expect(viaApi.rows).toBe(10);
      expect(readFileSync(out, 'utf8')).toBe(viaApi.csv);
    }
  });

  it('says which survey and feature set it works on', () => {
    const ext = finkvra(cliStore, home, ['labels', 'holdout', '--show']);
    expect(ext.stderr).toContain('survey ZTF, feature set extended');
    const seed = finkvra(cliStore, home, ['round', '--force', '--n', '3', '--features', 'seed']);
    expect(seed.status, seed.stderr).toBe(0);
    expect(seed.stderr).toContain('survey ZTF, feature set seed');
    const db = openStore(apiStore);
    updateSettings(db, apiStore, { featureSet: 'lsst' });
    db.close();
    expect(finkvra(apiStore, home, ['labels', 'holdout', '--show']).stderr).toContain('survey Rubin/LSST, feature set lsst');
  });

  it('opening a store starts no round: a read leaves a fresh store without one; `round --n0 4` gets its 4', () => {
    const fresh = makeStore(separableAlerts(60));
    fresh.db.close();
    const h = join(fresh.dir, 'home');
    expect(finkvra(fresh.dbPath, h, ['labels', 'export', '--out', join(fresh.dir, 'none.csv')]).status).toBe(0);
    expect(loopOf(fresh.dbPath).round).toBe(-1);
    const r = finkvra(fresh.dbPath, h, ['round', '--n0', '4']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^round 0 \(random\)/);
    expect(loopOf(fresh.dbPath)).toMatchObject({ round: 0, batch: expect.any(Array) });
    expect(loopOf(fresh.dbPath).batch).toHaveLength(4);
  });
});
