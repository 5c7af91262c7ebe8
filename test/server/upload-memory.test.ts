/** A 200 MiB upload is streamed to disk: the server's RSS stays well under twice the body (it was ~7× as JSON). */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const MiB = 1024 * 1024;
const BODY = 200 * MiB;

/** Sends `size` bytes as one upload, from one reused 1 MiB chunk (the sender holds no copy of the body). */
function sendUpload(port: number, token: string, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/upload?name=big.parquet',
        method: 'POST',
        headers: {
          host: `127.0.0.1:${port}`,
          authorization: `Bearer ${token}`,
          'content-type': 'application/octet-stream',
          'content-length': size,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(MiB, 7);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('upload memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finkvra-upmem-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a 200 MiB body keeps the server under 2× the body', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'upload-child.ts'), join(dir, 'uploads')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async () => JSON.parse((await lines.next()).value as string) as Record<string, number>;
    try {
      const { port, token } = (await next()) as { port: number; token: number };
      const t0 = performance.now();
      expect(await sendUpload(port, String(token), BODY)).toBe(200);
      const seconds = (performance.now() - t0) / 1000;
      child.stdin.write('rss\n');
      const { baseRss, peakRss } = await next();
      const [id] = readdirSync(join(dir, 'uploads'));
      expect(statSync(join(dir, 'uploads', id, 'big.parquet')).size).toBe(BODY);
      console.log(
        `upload of ${BODY / MiB} MiB in ${seconds.toFixed(1)} s: server RSS ${(baseRss / MiB).toFixed(0)} MiB at rest, ` +
          `peak ${(peakRss / MiB).toFixed(0)} MiB`,
      );
      expect(peakRss).toBeLessThan(2 * BODY);
    } finally {
      child.stdin.end();
      child.kill();
    }
  }, 20_000);
});
