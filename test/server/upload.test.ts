/** Web-mode uploads through the real service: colliding names all kept and ingested, refusals leave nothing. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openService, type Service } from '../../core/api/service.js';
import { removeStaleUploads } from '../../core/api/uploads.js';
import type { IngestSummary, JobStatus, SourceFileRow } from '../../core/api/types.js';
import { safeUploadName } from '../../core/server/upload.js';
import { startWebServer, type WebServer } from '../../core/server/server.js';
import { alertTable, sampleRows, toParquet } from '../alerts/fixtures.js';
import { raw } from './raw.js';

/** A small parquet night whose candids start at `offset` (so every file brings new alerts). */
function night(n: number, offset: number): Buffer {
  const rows = sampleRows(n, offset + 1).map((r) => ({ ...r, candid: (r.candid ?? 0n) + BigInt(offset) }));
  return Buffer.from(toParquet(alertTable(rows)));
}

describe('uploads', () => {
  const home = mkdtempSync(join(tmpdir(), 'finkvra-upload-'));
  const uploadsDir = join(home, 'uploads');
  let svc: Service;
  let srv: WebServer;
  let auth: Record<string, string>;
  beforeAll(async () => {
    svc = openService({ dbPath: join(home, 'store.sqlite'), homeDir: home });
    srv = await startWebServer({ handlers: svc.handlers, uploadsDir, maxUploadBytes: 1_000_000 });
    auth = { authorization: `Bearer ${srv.token}` };
  });
  afterAll(async () => {
    await srv.close();
    await svc.close();
  });

  const upload = (name: string, body: Buffer | string, type = 'application/octet-stream') =>
    raw(srv.port, `/upload?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      body,
      headers: { ...auth, 'content-type': type },
    });
  const api = async (method: string, input: unknown) => {
    const r = await raw(srv.port, `/api/${method}`, {
      method: 'POST',
      body: JSON.stringify(input),
      headers: { ...auth, 'content-type': 'application/json' },
    });
    return { status: r.status, body: JSON.parse(r.body) as { result?: unknown; error?: { code: string; message: string } } };
  };
  const waitJob = async (id: string): Promise<JobStatus> => {
    for (;;) {
      const j = (await api('jobs.get', { id })).body.result as JobStatus;
      if (j.state !== 'running') return j;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const leftovers = () => (existsSync(uploadsDir) ? readdirSync(uploadsDir) : []);

  it('keeps and ingests files whose names collide (twice the same, é and è), then cleans uploads/', async () => {
    const names = ['same.parquet', 'same.parquet', 'é.parquet', 'è.parquet'];
    const ids: string[] = [];
    for (const [i, name] of names.entries()) {
      const r = await upload(name, night(5, (i + 1) * 100_000));
      expect(r.status, r.body).toBe(200);
      ids.push((JSON.parse(r.body) as { result: { id: string } }).result.id);
    }
    expect(new Set(ids).size).toBe(4);
    const started = await api('data.ingestUpload', { uploads: ids });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const job = await waitJob((started.body.result as { jobId: string }).jobId);
    expect(job.state, job.error ?? '').toBe('done');
    const s = job.result as IngestSummary;
    expect(s.failed).toBe(0);
    expect(s.newAlerts).toBe(20);
    const files = (await api('data.files', {})).body.result as SourceFileRow[];
    expect(files.filter((f) => f.error === null && f.newAlerts === 5)).toHaveLength(4);
    expect(leftovers()).toEqual([]);
  });

  it('keeps distinct names distinct on disk', () => {
    expect(safeUploadName('é.parquet')).not.toBe(safeUploadName('è.parquet'));
    expect(safeUploadName('../../etc/x.parquet')).toBe('x.parquet');
    expect(safeUploadName('..\\..\\x.parquet')).toBe('x.parquet');
    expect(safeUploadName('.hidden.parquet')).toBe('_hidden.parquet');
  });

  it('refused uploads and refused ingests leave nothing behind', async () => {
    const txt = await upload('notes.txt', 'hello');
    expect(txt.status).toBe(400);
    expect(txt.body).toContain('notes.txt');
    expect((await upload('a.parquet', '{}', 'application/json')).status).toBe(415);
    const big = await upload('big.parquet', Buffer.alloc(1_200_000));
    expect(big.status).toBe(413);
    expect(big.body).toContain('big.parquet');
    expect(leftovers()).toEqual([]);
    const ok = JSON.parse((await upload('x.parquet', night(3, 900_000))).body) as { result: { id: string } };
    expect(leftovers()).toEqual([ok.result.id]);
    const refused = await api('data.ingestUpload', { uploads: [ok.result.id, 'f'.repeat(32)] });
    expect(refused.status).toBe(404);
    expect(leftovers()).toEqual([]);
    expect((await api('data.ingestUpload', { uploads: ['../../etc'] })).status).toBe(400);
  });

  it('an upload cut off half-way leaves nothing, and the server carries on', async () => {
    await new Promise<void>((resolve) => {
      const req = request({
        host: '127.0.0.1',
        port: srv.port,
        path: '/upload?name=cut.parquet',
        method: 'POST',
        headers: { ...auth, host: `127.0.0.1:${srv.port}`, 'content-type': 'application/octet-stream', 'content-length': 100_000 },
      });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(50_000));
      setTimeout(() => req.destroy(), 100);
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(leftovers()).toEqual([]);
    expect((await api('settings.get', {})).status).toBe(200);
  });
});

describe('stale uploads', () => {
  it('folders older than the limit go, recent ones stay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finkvra-stale-'));
    const old = join(dir, 'a'.repeat(32));
    const recent = join(dir, 'b'.repeat(32));
    mkdirSync(old);
    mkdirSync(recent);
    writeFileSync(join(old, 'x.parquet'), 'x');
    const now = Date.now();
    utimesSync(old, new Date(now - 25 * 3600_000), new Date(now - 25 * 3600_000));
    expect(await removeStaleUploads(dir, 24 * 3600_000, now)).toBe(1);
    expect(readdirSync(dir)).toEqual(['b'.repeat(32)]);
  });
});
