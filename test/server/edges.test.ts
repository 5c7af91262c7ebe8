/** Web mode's edges: malformed addresses, the token redirect. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../../core/api/contract.js';
import { startWebServer, type WebServer } from '../../core/server/server.js';
import { raw } from './raw.js';

const handlers = new Proxy({} as Handlers, {
  get: () => () => ({ task: 'gal' }),
});

describe('web server edges', () => {
  let srv: WebServer;
  let auth: Record<string, string>;
  beforeAll(async () => {
    srv = await startWebServer({ handlers });
    auth = { authorization: `Bearer ${srv.token}`, 'content-type': 'application/json' };
  });
  afterAll(() => srv.close());

  it('a malformed percent-encoding in an API path is a 400, not a 500', async () => {
    for (const path of ['/api/%E0%A4%A', '/api/settings%', '/api/%zz']) {
      const r = await raw(srv.port, path, { method: 'POST', body: '{}', headers: auth });
      expect(r.status, path).toBe(400);
      expect(JSON.parse(r.body).error.code).toBe('bad_path');
    }
    const ok = await raw(srv.port, '/api/settings%2Eget', { method: 'POST', body: '{}', headers: auth });
    expect(ok.status).toBe(200);
  });

  it('the token redirect stays on this origin (no //host open redirect)', async () => {
    for (const path of ['/.//evil.example/', '//evil.example/', '/%2F/evil.example/', '/\\evil.example/', '/label']) {
      const r = await raw(srv.port, `${path}?token=${srv.token}`);
      expect(r.status, path).toBe(303);
      expect(r.headers.location, path).toBe('/');
    }
  });
});
