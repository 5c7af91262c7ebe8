import { mkdirSync } from 'node:fs';
/** The Lasair token comes from the environment or the store, and `lasair-token set` reads it from stdin, not argv. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../core/api/dispatch.js';
import { openService } from '../../core/api/service.js';
import { openStore } from '../../core/store/database.js';
import { lasairTokenFor, storedLasairToken, storeLasairToken } from '../../core/store/secrets.js';
import { tempDir } from '../loop/fixture.js';

const TOKEN = 'abcdef0123456789abcdef0123456789';

function finkvra(home: string, args: string[], input = '') {
  const env = { ...process.env };
  delete env.LASAIR_TOKEN;
  return spawnSync(process.execPath, ['bin/finkvra.js', '--home', home, ...args], { input, encoding: 'utf8', env, timeout: 60_000 });
}

describe('Lasair token', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('explicit, then LASAIR_TOKEN, then the stored one', () => {
    const db = openStore(':memory:');
    vi.stubEnv('LASAIR_TOKEN', '');
    expect(lasairTokenFor(db)).toBeNull();
    storeLasairToken(db, 'stored-token');
    expect(lasairTokenFor(db)).toBe('stored-token');
    vi.stubEnv('LASAIR_TOKEN', 'env-token');
    expect(lasairTokenFor(db)).toBe('env-token');
    expect(lasairTokenFor(db, 'arg-token')).toBe('arg-token');
    storeLasairToken(db, null);
    expect(storedLasairToken(db)).toBeNull();
  });

  it('`lasair-token set` stores what stdin gives; status never prints it', () => {
    const home = join(tempDir(), 'home');
    mkdirSync(home, { mode: 0o700 });
    openStore(join(home, 'finkvra.sqlite')).close(); // only ingest creates a store
    const set = finkvra(home, ['lasair-token', 'set'], `${TOKEN}\n`);
    expect(set.status, set.stderr).toBe(0);
    const status = finkvra(home, ['lasair-token', 'status']);
    expect(status.stdout.trim()).toBe('Lasair token: stored');
    expect(status.stdout + status.stderr).not.toContain(TOKEN);
    const db = openStore(join(home, 'finkvra.sqlite'));
    expect(storedLasairToken(db)).toBe(TOKEN);
    db.close();
    const bad = finkvra(home, ['lasair-token', 'set'], 'not a token!\n');
    expect(bad.status).toBe(1);
    expect(bad.stderr).not.toContain('not a token!');
    expect(finkvra(home, ['lasair-token', 'clear']).status).toBe(0);
    expect(finkvra(home, ['lasair-token', 'status']).stdout.trim()).toBe('Lasair token: none');
  }, 60_000);
});

describe('settings.lasairToken (the app)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('stores, reports and clears the token, and never returns it', async () => {
    vi.stubEnv('LASAIR_TOKEN', '');
    const svc = openService({ dbPath: ':memory:', homeDir: join(tempDir(), 'home') });
    const call = (input: unknown) => dispatch(svc.handlers, 'settings.lasairToken', input);
    expect(await call({ action: 'show' })).toEqual({ stored: false, fromEnvironment: false });
    const set = await call({ action: 'set', token: TOKEN });
    expect(set).toEqual({ stored: true, fromEnvironment: false });
    expect(JSON.stringify(set)).not.toContain(TOKEN);
    expect(lasairTokenFor(svc.ctx.db)).toBe(TOKEN);
    await expect(call({ action: 'set', token: 'no spaces allowed' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await call({ action: 'clear' })).toEqual({ stored: false, fromEnvironment: false });
    await svc.close();
  });
});
