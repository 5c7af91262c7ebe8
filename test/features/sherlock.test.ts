/** Lasair Sherlock lookups against a loopback server, cached in the store's sherlock_cache table. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeFeatures, FEATURE_INDEX } from '../../core/features/build.js';
import { lookupSherlock, parseSherlockRecord } from '../../core/features/sherlock.js';
import { cachedSep, memorySherlockCache, sqliteSherlockCache } from '../../core/features/sherlock-cache.js';
import { openStore } from '../../core/store/database.js';
import { deadUrl, localServer, makeAlert } from './helpers.js';
import type { LocalServer } from './helpers.js';

// What Lasair's /api/sherlock/object/?lite=true answers (shape from the Lasair API docs), keyed by objectId.
const RECORDS: Record<string, unknown> = {
  ZTF20acpwljl: {
    classifications: { ZTF20acpwljl: ['SN', 'The transient is possibly associated with SDSS J081931-060114.9 …'] },
    crossmatches: [
      { rank: 2, catalogue_object_id: 'far', separationArcsec: 12.5, association_type: 'SN' },
      { rank: 1, catalogue_object_id: '1237673709862061782', separationArcsec: 1.56, association_type: 'SN' },
    ],
  },
  ZTF18abcdefg: {
    classifications: { ZTF18abcdefg: ['VS', 'A variable star'] },
    crossmatches: [{ rank: 1, separationArcsec: '0.21', association_type: 'VS' }],
  },
  ZTF19orphan: { classifications: { ZTF19orphan: ['ORPHAN', 'no match'] }, crossmatches: [] },
};

let server: LocalServer;
let status = 200;
beforeAll(async () => {
  server = await localServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api/sherlock/object/') {
      res.writeHead(404).end();
      return;
    }
    if (status !== 200) {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end('{"error":"no"}');
      return;
    }
    if (req.headers.authorization !== 'Token secret-token') {
      res.writeHead(401).end('{"detail":"Invalid token."}');
      return;
    }
    const ids = (url.searchParams.get('objectId') ?? '').split(',');
    const body: Record<string, unknown> = {};
    for (const id of ids) if (RECORDS[id]) body[id] = RECORDS[id];
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
});
afterAll(() => server.close());

describe('parseSherlockRecord', () => {
  it('takes the rank-1 crossmatch separation and the classification', () => {
    expect(parseSherlockRecord('ZTF20acpwljl', RECORDS.ZTF20acpwljl)).toEqual({ sepArcsec: 1.56, sherlockClass: 'SN' });
    expect(parseSherlockRecord('ZTF18abcdefg', RECORDS.ZTF18abcdefg)).toEqual({ sepArcsec: 0.21, sherlockClass: 'VS' });
    expect(parseSherlockRecord('ZTF19orphan', RECORDS.ZTF19orphan)).toEqual({ sepArcsec: null, sherlockClass: 'ORPHAN' });
    expect(parseSherlockRecord('x', undefined)).toEqual({ sepArcsec: null, sherlockClass: null });
  });
});

describe('lookupSherlock', () => {
  it('asks Lasair in batches of ≤ 10 with the token header, caches every answer, and asks each object once', async () => {
    const db = openStore(':memory:');
    try {
      const cache = sqliteSherlockCache(db);
      const ids = ['ZTF20acpwljl', 'ZTF18abcdefg', 'ZTF19orphan', 'ZTF17unknown', ...Array.from({ length: 9 }, (_, i) => `ZTFx${i}`)];
      const before = server.requests.length;
      const r = await lookupSherlock([...ids, 'ZTF20acpwljl'], { token: 'secret-token', baseUrl: server.url }, cache);
      const reqs = server.requests.slice(before);
      expect(reqs).toHaveLength(2); // 13 distinct objects → 10 + 3
      expect(reqs[0].headers.authorization).toBe('Token secret-token');
      expect(reqs[0].url).toContain('lite=true');
      expect(reqs[0].url).not.toContain('secret-token'); // the token stays out of URLs (and logs)
      expect(r.fetched).toBe(13);
      expect(r.stopped).toBeNull();
      expect(r.sep.get('ZTF20acpwljl')).toBe(1.56);
      expect(r.sep.get('ZTF18abcdefg')).toBe(0.21);
      expect(r.sep.get('ZTF19orphan')).toBeNull();
      expect(r.sherlockClass.get('ZTF19orphan')).toBe('ORPHAN');
      expect(r.sep.get('ZTF17unknown')).toBeNull();
      expect(cache.size()).toBe(13);
      const row = db.prepare('SELECT sep_arcsec, class, raw_json FROM sherlock_cache WHERE object_id = ?').get('ZTF20acpwljl') as {
        sep_arcsec: number;
        class: string;
        raw_json: string;
      };
      expect(row.sep_arcsec).toBe(1.56);
      expect(row.class).toBe('SN');
      expect(JSON.parse(row.raw_json).crossmatches).toHaveLength(2);

      // Second time: all from the cache, no request at all.
      const n = server.requests.length;
      const again = await lookupSherlock(ids, { token: 'secret-token', baseUrl: server.url }, cache);
      expect(server.requests.length).toBe(n);
      expect(again.fromCache).toBe(13);
      expect(again.sep.get('ZTF18abcdefg')).toBe(0.21);

      // The cache feeds sep_arcsec of alerts whose file has no Sherlock column.
      const v = computeFeatures(makeAlert({ objectId: 'ZTF20acpwljl' }), null, again.sep);
      expect(v[FEATURE_INDEX.sep_arcsec]).toBe(1.56);
      // …also straight from the table, offline.
      expect(computeFeatures(makeAlert({ objectId: 'ZTF18abcdefg' }), null, cachedSep(cache))[FEATURE_INDEX.sep_arcsec]).toBe(0.21);
      expect(computeFeatures(makeAlert({ objectId: 'nope' }), null, cachedSep(cache))[FEATURE_INDEX.sep_arcsec]).toBeNaN();
    } finally {
      db.close();
    }
  });

  it('no token: nothing is fetched, values missing, no message', async () => {
    const cache = memorySherlockCache();
    cache.put({ objectId: 'A', sepArcsec: 2, sherlockClass: 'NT' });
    const n = server.requests.length;
    const r = await lookupSherlock(['A', 'B'], { token: null, baseUrl: server.url }, cache);
    expect(server.requests.length).toBe(n);
    expect(r.sep.get('A')).toBe(2);
    expect(r.sep.get('B')).toBeNull();
    expect(r.stopped).toBe('no-token');
    expect(r.message).toBeNull();
  });

  it('offline: one message, nothing cached, no throw', async () => {
    const cache = memorySherlockCache();
    const ids = Array.from({ length: 25 }, (_, i) => `ZTFoff${i}`);
    const r = await lookupSherlock(ids, { token: 't', baseUrl: await deadUrl() }, cache);
    expect(r.stopped).toBe('offline');
    expect(r.message).toMatch(/unreachable \(ECONNREFUSED\).*25 object/);
    expect(cache.entries.size).toBe(0);
    expect([...r.sep.values()].every((v) => v === null)).toBe(true);
  });

  it('a refused token or throttling stops after the first call, with one message', async () => {
    const cache = memorySherlockCache();
    const n = server.requests.length;
    const bad = await lookupSherlock(['ZTF20acpwljl', 'ZTF18abcdefg'], { token: 'wrong', baseUrl: server.url, batchSize: 1 }, cache);
    expect(server.requests.length - n).toBe(1);
    expect(bad.stopped).toBe('auth');
    expect(bad.message).toMatch(/token was refused/);
    status = 429;
    try {
      const slow = await lookupSherlock(['ZTF20acpwljl'], { token: 'secret-token', baseUrl: server.url }, cache);
      expect(slow.stopped).toBe('throttled');
    } finally {
      status = 200;
    }
    expect(cache.entries.size).toBe(0);
  });
});
