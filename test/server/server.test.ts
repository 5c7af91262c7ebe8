import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../../core/api/contract.js';
import { ApiError } from '../../core/api/define.js';
import { startWebServer, type WebServer } from '../../core/server/server.js';
import { raw } from './raw.js';

/** Only the methods these tests call; the others throw so an unexpected call is visible. */
const calls: { name: string; input: unknown }[] = [];
const fake = new Proxy({} as Handlers, {
  get(_t, name: string) {
    return (input: unknown) => {
      calls.push({ name, input });
      if (name === 'settings.get') return { task: 'gal', n0: 30 };
      if (name === 'alerts.card') throw new ApiError('not_found', 'no such alert');
      if (name === 'runs.list') throw new Error('boom');
      if (name === 'labels.set') return { eventId: 1, candid: (input as { candid: string }).candid };
      throw new Error(`unexpected ${name}`);
    };
  },
});

describe('web server', () => {
  let srv: WebServer;
  let auth: Record<string, string>;
  const staticDir = mkdtempSync(join(tmpdir(), 'vra-static-'));
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>vra</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'vra-secret.txt'), 'secret');

  beforeAll(async () => {
    srv = await startWebServer({ handlers: fake, staticDir, maxBodyBytes: 1000 });
    auth = { authorization: `Bearer ${srv.token}`, 'content-type': 'application/json' };
  });
  afterAll(() => srv.close());

  it('refuses to listen anywhere but loopback', async () => {
    await expect(startWebServer({ handlers: fake, host: '0.0.0.0' })).rejects.toThrow(/127\.0\.0\.1 only/);
  });

  it('listens on loopback only', async () => {
    expect(srv.origin).toBe(`http://127.0.0.1:${srv.port}`);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) {
      console.warn('no external IPv4 interface: the non-loopback connection check is skipped');
      return;
    }
    await expect(raw(srv.port, '/', { host: external.address })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('has a long random token per launch', async () => {
    const other = await startWebServer({ handlers: fake });
    expect(srv.token.length).toBeGreaterThanOrEqual(40);
    expect(other.token).not.toBe(srv.token);
    await other.close();
  });

  it('refuses requests without the token', async () => {
    const r = await raw(srv.port, '/api/settings.get', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(401);
    expect((await raw(srv.port, '/')).status).toBe(401);
    const bad = await raw(srv.port, '/api/settings.get', {
      method: 'POST',
      body: '{}',
      headers: { authorization: `Bearer ${'x'.repeat(srv.token.length)}`, 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(401);
    expect((await raw(srv.port, '/?token=nope')).status).toBe(401);
  });

  it('trades the query token for an HttpOnly SameSite=Strict cookie', async () => {
    const r = await raw(srv.port, `/?token=${srv.token}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0];
    const page = await raw(srv.port, '/', { headers: { cookie: pair } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>vra</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    const api = await raw(srv.port, '/api/settings.get', {
      method: 'POST',
      body: '{}',
      headers: { cookie: pair, 'content-type': 'application/json' },
    });
    expect(api.status).toBe(200);
  });

  it('refuses other origins, even with the token, and sends no CORS headers', async () => {
    const r = await raw(srv.port, '/api/settings.get', {
      method: 'POST',
      body: '{}',
      headers: { ...auth, origin: 'http://evil.example' },
    });
    expect(r.status).toBe(403);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await raw(srv.port, '/api/settings.get', {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(403);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const same = await raw(srv.port, '/api/settings.get', {
      method: 'POST',
      body: '{}',
      headers: { ...auth, origin: `http://localhost:${srv.port}` },
    });
    expect(same.status).toBe(200);
  });

  it('refuses a bad Host header (DNS rebinding)', async () => {
    const r = await raw(srv.port, '/api/settings.get', {
      method: 'POST',
      body: '{}',
      headers: { ...auth, host: `evil.example:${srv.port}` },
    });
    expect(r.status).toBe(403);
    const wrongPort = await raw(srv.port, '/', { headers: { ...auth, host: `127.0.0.1:${srv.port + 1}` } });
    expect(wrongPort.status).toBe(403);
  });

  it('dispatches a method with its validated input', async () => {
    calls.length = 0;
    const r = await raw(srv.port, '/api/labels.set', {
      method: 'POST',
      body: JSON.stringify({ candid: '2917465151615015005', label: 'gal' }),
      headers: auth,
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ result: { eventId: 1, candid: '2917465151615015005' } });
    expect(calls).toEqual([{ name: 'labels.set', input: { candid: '2917465151615015005', label: 'gal' } }]);
  });

  it('maps errors to 400 / 404 / 500 with an error body', async () => {
    calls.length = 0;
    const invalid = await raw(srv.port, '/api/labels.set', {
      method: 'POST',
      body: JSON.stringify({ candid: '12', label: 'martian' }),
      headers: auth,
    });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body).error.code).toBe('invalid_input');
    const extra = await raw(srv.port, '/api/settings.get', { method: 'POST', body: '{"x":1}', headers: auth });
    expect(extra.status).toBe(400);
    expect(calls).toEqual([]); // validation happens before any handler runs
    const unknown = await raw(srv.port, '/api/nope.nope', { method: 'POST', body: '{}', headers: auth });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe('unknown_method');
    const missing = await raw(srv.port, '/api/alerts.card', { method: 'POST', body: '{"candid":"1"}', headers: auth });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error).toEqual({ code: 'not_found', message: 'no such alert' });
    const boom = await raw(srv.port, '/api/runs.list', { method: 'POST', body: '{}', headers: auth });
    expect(boom.status).toBe(500);
    expect(JSON.parse(boom.body).error).toEqual({ code: 'internal', message: 'boom' });
    const badJson = await raw(srv.port, '/api/settings.get', { method: 'POST', body: '{', headers: auth });
    expect(badJson.status).toBe(400);
  });

  it('limits the body size and requires JSON', async () => {
    const big = await raw(srv.port, '/api/settings.get', {
      method: 'POST',
      body: JSON.stringify({ pad: 'x'.repeat(2000) }),
      headers: auth,
    });
    expect(big.status).toBe(413);
    const form = await raw(srv.port, '/api/settings.get', {
      method: 'POST',
      body: '{}',
      headers: { authorization: auth.authorization, 'content-type': 'text/plain' },
    });
    expect(form.status).toBe(415);
    const get = await raw(srv.port, '/api/settings.get', { headers: auth });
    expect(get.status).toBe(405);
  });

  it('serves the build and nothing outside it', async () => {
    const js = await raw(srv.port, '/assets/app.js', { headers: auth });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect((await raw(srv.port, '/assets/missing.js', { headers: auth })).status).toBe(404);
    const route = await raw(srv.port, '/label', { headers: auth });
    expect(route.body).toContain('<title>vra</title>');
    for (const p of ['/../vra-secret.txt', '/%2e%2e/vra-secret.txt', '/assets/..%2f..%2fvra-secret.txt']) {
      const r = await raw(srv.port, p, { headers: auth });
      expect(r.body).not.toContain('secret');
    }
  });
});
