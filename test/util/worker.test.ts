import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { HashThread, sha256File } from '../../core/ingest/file-hash.js';
import { resolveWorkerEntry, runWorkerTask } from '../../core/util/worker.js';

describe('worker threads from TypeScript sources', () => {
  it('bundles a worker module once, reuses the bundle, and rebuilds it when a source changes', async () => {
    // A throwaway worker module inside the repository (so its bare imports resolve), with a local import.
    const dir = mkdtempSync(join(process.cwd(), 'test', 'util', '.tmp-worker-'));
    mkdirSync(dir, { recursive: true });
    const dep = join(dir, 'dep.ts');
    writeFileSync(dep, 'export const answer = (x: number): number => x * 2;\n');
    writeFileSync(
      join(dir, 'w.ts'),
      `import { serveWorkerTasks } from '../../../core/util/worker.js';\nimport { answer } from './dep.js';\n` +
        `serveWorkerTasks<number, number>('t', (x) => ({ result: answer(x) }));\n`,
    );
    const url = new URL('w.js', pathToFileURL(`${dir}/`));
    const first = resolveWorkerEntry(url, { bundle: true });
    onTestFinished(() => {
      rmSync(dir, { recursive: true, force: true });
      rmSync(fileURLToPath(first.file), { force: true });
      rmSync(`${fileURLToPath(first.file)}.inputs.json`, { force: true });
    });
    expect(first.viaTsx).toBe(false);
    expect(first.file.href).toMatch(/\.cache\/finkvra-workers\/w-[0-9a-f]{16}\.mjs$/);
    expect(await runWorkerTask<number, number>(url, 21, { workerData: { marker: 't' }, bundle: true })).toBe(42);
    const bundle = readFileSync(first.file, 'utf8');
    expect(resolveWorkerEntry(url, { bundle: true }).file.href).toBe(first.file.href);
    expect(readFileSync(first.file, 'utf8')).toBe(bundle);
    // A changed import is picked up (size or mtime differ), not served stale from the cache.
    writeFileSync(dep, 'export const answer = (x: number): number => x * 3 + 1;\n');
    utimesSync(dep, new Date(), new Date(Date.now() + 5000));
    expect(await runWorkerTask<number, number>(url, 21, { workerData: { marker: 't' }, bundle: true })).toBe(64);
    // Without `bundle` the tsx bootstrap still works.
    expect(resolveWorkerEntry(url).viaTsx).toBe(true);
    expect(await runWorkerTask<number, number>(url, 1, { workerData: { marker: 't' } })).toBe(4);
  });

  it('hashes files on one kept thread exactly as in process, and in process when the thread cannot start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vra-hash-'));
    const files = [0, 1, 2].map((k) => {
      const f = join(dir, `x${k}.bin`);
      const bytes = Buffer.alloc(3 * (1 << 20) + 17 + k);
      for (let i = 0; i < bytes.length; i++) bytes[i] = ((i + k) * 2654435761) >>> 24;
      writeFileSync(f, bytes);
      return { f, expected: createHash('sha256').update(bytes).digest('hex') };
    });
    const thread = new HashThread();
    const broken = join(dir, 'broken.mjs');
    writeFileSync(broken, "throw new Error('cannot load');\n");
    const fallback = new HashThread(pathToFileURL(broken));
    try {
      for (const { f, expected } of files) {
        expect(await sha256File(f)).toBe(expected);
        expect(await thread.sha256(f)).toBe(expected);
        expect(await fallback.sha256(f)).toBe(expected);
      }
      // Several at once, answered each with its own file's hash.
      expect(await Promise.all(files.map((x) => thread.sha256(x.f)))).toEqual(files.map((x) => x.expected));
      await expect(thread.sha256(join(dir, 'missing.bin'))).rejects.toThrow(/missing\.bin/);
    } finally {
      await thread.close();
      await fallback.close();
    }
  });
});
