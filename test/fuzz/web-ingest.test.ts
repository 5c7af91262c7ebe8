/**
 * Web mode: a file that makes the parquet decoder trap is ingested through the API of a server in a child process.
 * The server stays up: the job reports that file failed (named, with the reason), the other file ingested, and the
 * server still answers.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IngestSummary } from '../../core/api/types.js';
import { writeSampleNight } from '../../core/sample/write.js';
import { api, startChild, type Child } from '../e2e/server-child.js';

describe('web mode survives a file that makes the decoder trap', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vra-web-trap-'));
  let child: Child | null = null;
  afterAll(() => {
    if (child && child.proc.exitCode === null) child.proc.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  });

  it('reports the file failed and keeps serving', async () => {
    const good = join(tmp, 'good.parquet');
    await writeSampleNight(good, { seed: 8, nAlerts: 30, night: '2024-05-04', cutouts: 'small', rowGroupSize: 30 });
    const bytes = readFileSync(good);
    bytes.fill(0, 4, 20); // the first page header zeroed: parquet-wasm panics on it (test/fuzz/trap.test.ts)
    const bad = join(tmp, 'bad.parquet');
    writeFileSync(bad, bytes);
    const ui = join(tmp, 'ui');
    mkdirSync(ui);
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>t</title>');
    child = await startChild(join(tmp, 'vra.sqlite'), join(tmp, 'home'), ui);
    const { jobId } = await api<{ jobId: string }>(child, 'data.ingest', { paths: [bad, good] });
    let job: { state: string; result?: IngestSummary; error?: string };
    for (;;) {
      job = await api(child, 'jobs.get', { id: jobId });
      if (job.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job.state).toBe('done');
    const files = job.result!.files;
    expect(files.find((f) => f.file === bad)).toMatchObject({ ok: false });
    expect(files.find((f) => f.file === bad)!.error).toMatch(/bad\.parquet: .*invalid data/);
    expect(files.find((f) => f.file === good)).toMatchObject({ ok: true, rows: 30 });
    expect(child.proc.exitCode).toBeNull();
    const summary = await api<{ alerts: number }>(child, 'data.summary', {});
    expect(summary).toBeTruthy();
  });
});
