/**
 * Web mode's model.score reads its model and files under the same allow-list as data.ingest (the uploads folder and
 * folders typed in this session): a path outside is refused with 400 before anything is read.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../../core/api/contract.js';
import { IngestAllowList, withIngestAllowList } from '../../core/api/ingest-allow.js';
import { startWebServer, type WebServer } from '../../core/server/server.js';
import { tempDir } from '../loop/fixture.js';

describe('web mode: model.score obeys the ingest allow-list', () => {
  const root = tempDir('finkvra-score-allow-');
  const uploads = join(root, 'home', 'uploads');
  const data = join(root, 'data');
  const secret = join(root, 'secret');
  mkdirSync(join(uploads, 'u1'), { recursive: true });
  mkdirSync(data);
  mkdirSync(secret);
  for (const f of [join(uploads, 'u1', 'm.onnx'), join(data, 'a.parquet'), join(secret, 'm.onnx'), join(secret, 'b.parquet')]) {
    writeFileSync(f, 'x');
  }
  // Records what reaches the real handlers: a refused call must reach nothing (so nothing is read).
  const seen: { name: string; input: unknown }[] = [];
  const record = (name: string) => (input: unknown) => (seen.push({ name, input }), { jobId: 'j' });
  const base = { 'model.score': record('model.score'), 'data.ingest': record('data.ingest') } as unknown as Handlers;
  let srv: WebServer;
  const call = async (method: string, input: unknown) => {
    const r = await fetch(`${srv.origin}/api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${srv.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    return { status: r.status, body: (await r.json()) as { error?: { message: string } } };
  };

  beforeAll(async () => {
    srv = await startWebServer({ handlers: withIngestAllowList(base, new IngestAllowList(uploads)) });
  });
  afterAll(() => srv.close());

  it('refuses a model or a file outside the allowed folders with 400, naming the method and path, reading nothing', async () => {
    const outside = await call('model.score', { model: join(secret, 'm.onnx') });
    expect(outside.status).toBe(400);
    expect(outside.body.error?.message).toContain(`model.score: ${join(secret, 'm.onnx')}: web mode reads files only under`);
    const file = await call('model.score', { model: join(uploads, 'u1', 'm.onnx'), files: [join(secret, 'b.parquet')] });
    expect(file.status).toBe(400);
    expect(file.body.error?.message).toContain(`model.score: ${join(secret, 'b.parquet')}`);
    expect((await call('model.score', { model: '/etc/passwd' })).status).toBe(400);
    expect((await call('model.score', { model: 'secret/m.onnx' })).status).toBe(400);
    // A folder typed as the model is refused, and is not allowed from then on.
    expect((await call('model.score', { model: secret })).status).toBe(400);
    expect((await call('model.score', { model: join(secret, 'm.onnx') })).status).toBe(400);
    expect(seen).toEqual([]);
  });

  it('passes a model under the uploads folder and files under a typed folder, as real paths', async () => {
    const ok = await call('model.score', { model: join(uploads, 'u1', 'm.onnx'), files: [data] });
    expect(ok.status).toBe(200);
    expect(seen).toEqual([{ name: 'model.score', input: { model: join(uploads, 'u1', 'm.onnx'), files: [data] } }]);
  });
});
