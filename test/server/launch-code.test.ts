/** Web mode gives a browser it starts a one-time launch code, never the token (a command line is public). */
import { openStore } from '../../core/store/database.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Handlers } from '../../core/api/contract.js';
import { runWeb, type RunningWeb } from '../../core/cli/commands/web.js';
import { LaunchCodes } from '../../core/server/launch-codes.js';
import { startWebServer, type WebServer } from '../../core/server/server.js';
import { raw } from './raw.js';

const handlers = new Proxy({} as Handlers, { get: () => () => ({ task: 'gal' }) });

describe('launch codes', () => {
  let srv: WebServer;
  beforeAll(async () => {
    srv = await startWebServer({ handlers });
  });
  afterAll(() => srv.close());

  const pathOf = (url: string) => url.slice(srv.origin.length);

  it('a launch URL holds no token, works once and gives the session cookie', async () => {
    const url = srv.launchUrl();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?launch=[\w-]{32}$/);
    expect(url).not.toContain(srv.token);
    const first = await raw(srv.port, pathOf(url));
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']).split(';')[0];
    const api = await raw(srv.port, '/api/settings.get', {
      method: 'POST',
      body: '{}',
      headers: { cookie, 'content-type': 'application/json' },
    });
    expect(api.status).toBe(200);
    const again = await raw(srv.port, pathOf(url));
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect((await raw(srv.port, '/?launch=made-up')).status).toBe(401);
  });

  it('each launch URL is different', () => {
    expect(srv.launchUrl()).not.toBe(srv.launchUrl());
  });

  it('a code dies after its lifetime', () => {
    let t = 1000;
    const codes = new LaunchCodes(60_000, () => t);
    const late = codes.issue();
    const fresh = codes.issue();
    t += 60_001;
    expect(codes.take(late)).toBe(false);
    const now = codes.issue();
    expect(codes.take(now)).toBe(true);
    expect(codes.take(now)).toBe(false);
    expect(codes.take(fresh)).toBe(false);
  });
});

describe('finkvra web opening a browser', () => {
  let web: RunningWeb;
  const opened: string[] = [];
  const printed: string[] = [];
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finkvra-web-'));
    // runWeb's service creates the app folder: a temporary one, not the user's.
    vi.stubEnv('FINKVRA_HOME', join(dir, 'home'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>vra</title>');
    // web mode opens a store the user names only when it exists (only ingest creates one).
    openStore(join(dir, 'store.sqlite')).close();
    web = await runWeb({
      dbPath: join(dir, 'store.sqlite'),
      staticDir: dir,
      open: true,
      opener: (url) => opened.push(url),
      log: (l) => printed.push(l),
    });
  });
  afterAll(async () => {
    await web.close();
    vi.unstubAllEnvs();
  });

  it("passes a launch code, not the token, to the browser's command line", async () => {
    expect(opened).toHaveLength(1);
    expect(opened[0]).not.toContain(web.server.token);
    expect(opened[0]).toMatch(/\?launch=/);
    const r = await raw(web.server.port, opened[0].slice(web.server.origin.length));
    expect(r.status).toBe(303);
  });

  it('web mode ingests typed file paths only under allowed folders', async () => {
    const r = await raw(web.server.port, '/api/data.ingest', {
      method: 'POST',
      body: JSON.stringify({ paths: ['/etc/passwd'] }),
      headers: { authorization: `Bearer ${web.server.token}`, 'content-type': 'application/json' },
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.message).toMatch(/only under the uploads folder/);
  });
});
