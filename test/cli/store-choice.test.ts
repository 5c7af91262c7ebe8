/**
 * Which store each entry point opens (core/api/store-choice.ts): the CLI, web mode (both spellings of --db, and
 * --home), the desktop app's choice, and what `app.store` reports.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseStore } from '../../core/api/store-choice.js';
import { registerWeb, runWeb, type RunningWeb, type WebOptions } from '../../core/cli/commands/web.js';
import { openStore } from '../../core/store/database.js';
import { coreBackendFactory, openDatabase, type BackendFactory, type OpenOptions } from '../../electron/backend.js';
import { planStart } from '../../electron/launch.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'finkvra-choice-'));

describe('chooseStore', () => {
  const home = '/h';
  const sample = '/h/sample/sample.sqlite';
  const only = (...paths: string[]) => (p: string) => paths.includes(p);

  it('takes --db first, then FINKVRA_DB, then the remembered store, then the default store', () => {
    const env = { FINKVRA_DB: '/env.sqlite', FINKVRA_HOME: home };
    const all = () => true;
    expect(chooseStore({ db: '/opt.sqlite', env, lastDbPath: '/last.sqlite', allowSample: true, exists: all })).toMatchObject({ path: '/opt.sqlite', source: 'option', isSample: false });
    expect(chooseStore({ env, lastDbPath: '/last.sqlite', allowSample: true, exists: all })).toMatchObject({ path: '/env.sqlite', source: 'env' });
    expect(chooseStore({ env: { FINKVRA_HOME: home }, lastDbPath: '/last.sqlite', allowSample: true, exists: all })).toMatchObject({ path: '/last.sqlite', source: 'last' });
    expect(chooseStore({ env: { FINKVRA_HOME: home }, lastDbPath: '/gone.sqlite', allowSample: true, exists: only('/h/finkvra.sqlite') })).toMatchObject({ path: '/h/finkvra.sqlite', source: 'default', isSample: false });
  });

  it('opens the sample night only where allowed and when there is no store at all', () => {
    const env = { FINKVRA_HOME: home };
    expect(chooseStore({ env, allowSample: true, exists: only() })).toEqual({ path: sample, isSample: true, source: 'sample', homeDir: home, sampleDir: '/h/sample' });
    // The CLI never falls back to the sample: its commands name the default store (ingest creates it; others refuse).
    expect(chooseStore({ env, allowSample: false, exists: only() })).toMatchObject({ path: '/h/finkvra.sqlite', isSample: false });
    // --home wins over FINKVRA_HOME.
    expect(chooseStore({ home: '/other', env, allowSample: true, exists: only() }).path).toBe('/other/sample/sample.sqlite');
  });

  it('says when the chosen store is the sample night, and lets a remembered sample give way to a real store', () => {
    const env = { FINKVRA_HOME: home };
    expect(chooseStore({ db: sample, env, allowSample: false, exists: only() })).toMatchObject({ path: sample, isSample: true, source: 'option' });
    expect(chooseStore({ env, lastDbPath: sample, allowSample: true, exists: only(sample) })).toMatchObject({ path: sample, isSample: true, source: 'last' });
    expect(chooseStore({ env, lastDbPath: sample, allowSample: true, exists: only(sample, '/h/finkvra.sqlite') })).toMatchObject({ path: '/h/finkvra.sqlite', source: 'default' });
  });
});

describe('finkvra web: which store', () => {
  async function parsed(args: string[]): Promise<WebOptions> {
    const seen: WebOptions[] = [];
    const p = new Command('finkvra').exitOverride().option('--db <file>').option('--home <dir>');
    registerWeb(p, async (o) => {
      seen.push(o);
      return { close: async () => {} } as unknown as RunningWeb;
    });
    await p.parseAsync(args, { from: 'user' });
    expect(seen).toHaveLength(1);
    return seen[0];
  }

  it('honours --db and --home before or after `web`', async () => {
    const a = await parsed(['--db', '/x/a.sqlite', '--home', '/x/home', 'web', '--no-open']);
    const b = await parsed(['web', '--db', '/x/a.sqlite', '--home', '/x/home', '--no-open']);
    for (const o of [a, b]) expect(o).toMatchObject({ dbPath: '/x/a.sqlite', homeDir: '/x/home', open: false });
  });

  it("npm start's web fallback passes --db and --home on to web mode", async () => {
    const plan = planStart({ root: '/repo', electronPath: null, stale: () => false, extraArgs: ['--db', '/x/a.sqlite', '--home', '/x/home'] });
    expect(plan.mode).toBe('web');
    if (plan.mode !== 'web') return;
    expect(await parsed(plan.args.slice(1))).toMatchObject({ dbPath: '/x/a.sqlite', homeDir: '/x/home' });
  });

  let running: RunningWeb | null = null;
  afterEach(async () => {
    await running?.close();
    running = null;
  });

  const appStore = async (web: RunningWeb): Promise<unknown> => {
    const r = await fetch(`${web.server.origin}/api/app.store`, {
      method: 'POST',
      headers: { authorization: `Bearer ${web.server.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(200);
    return ((await r.json()) as { result: unknown }).result;
  };

  it('serves the store it was given, not the sample night, and app.store says so', async () => {
    const dir = tmp();
    const staticDir = tmp();
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
    const mine = join(dir, 'mine.sqlite');
    openStore(mine).close();
    running = await runWeb({ dbPath: mine, homeDir: join(dir, 'home'), staticDir, log: () => {} });
    expect(running.store).toMatchObject({ path: mine, isSample: false, source: 'option' });
    expect(await appStore(running)).toEqual({ path: mine, isSample: false });
  });

  it('opens FINKVRA_DB when no --db is given (as `npm start` does)', async () => {
    const dir = tmp();
    const staticDir = tmp();
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
    const mine = join(dir, 'env.sqlite');
    openStore(mine).close();
    const before = process.env.FINKVRA_DB;
    process.env.FINKVRA_DB = mine;
    try {
      running = await runWeb({ homeDir: join(dir, 'home'), staticDir, log: () => {} });
    } finally {
      if (before === undefined) delete process.env.FINKVRA_DB;
      else process.env.FINKVRA_DB = before;
    }
    expect(await appStore(running)).toEqual({ path: mine, isSample: false });
  });

  it('opens the default store of --home when it exists (even with no alerts yet)', async () => {
    const home = tmp();
    const staticDir = tmp();
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
    openStore(join(home, 'finkvra.sqlite')).close();
    running = await runWeb({ homeDir: home, staticDir, log: () => {} });
    expect(await appStore(running)).toEqual({ path: join(home, 'finkvra.sqlite'), isSample: false });
  });
});

describe('desktop app: which store', () => {
  function factory() {
    const opened: [string, OpenOptions | undefined][] = [];
    const f: BackendFactory = {
      open: async (dbPath, o) => {
        opened.push([dbPath, o]);
        return { handlers: { 'data.summary': () => ({ alerts: 1 }) } as never, dbPath, close: () => {} };
      },
      sampleNight: async (dir) => ({ dbPath: join(dir, 'sample.sqlite'), files: [] }),
    };
    return { f, opened };
  }

  it("opens $FINKVRA_HOME's store when there is no remembered one, and the sample night only when there is none", async () => {
    const home = tmp();
    const userDataDir = tmp();
    const a = factory();
    writeFileSync(join(home, 'finkvra.sqlite'), '');
    const r = await openDatabase(a.f, { userDataDir, home, exists: (p) => p === join(home, 'finkvra.sqlite') });
    expect(r.source).toBe('default');
    expect(a.opened).toEqual([[join(home, 'finkvra.sqlite'), { mustExist: true, isSample: false }]]);
    const b = factory();
    await openDatabase(b.f, { userDataDir, home, exists: () => false });
    expect(b.opened).toEqual([[join(userDataDir, 'sample', 'sample.sqlite'), { isSample: true }]]);
  });

  it('refuses a FINKVRA_DB that is not a store, naming it, without creating it', async () => {
    const missing = join(tmp(), 'nope.sqlite');
    await expect(openDatabase(coreBackendFactory(), { userDataDir: tmp(), envDb: missing, exists: () => false })).rejects.toThrow(missing);
    expect(existsSync(missing)).toBe(false);
  });
});
