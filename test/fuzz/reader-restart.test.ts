/**
 * A reader thread that dies mid-ingest fails the file it was reading; the files after it are read by a new thread.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../core/ingest/ingest.js';
import { ReaderThread } from '../../core/ingest/read-thread.js';
import { writeSampleNight } from '../../core/sample/write.js';
import { openStore } from '../../core/store/database.js';

describe('a reader thread that dies mid-ingest', () => {
  it('is replaced: its file fails, the next files are read by a new thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vra-restart-'));
    const files: string[] = [];
    for (const [k, seed] of [31, 32, 33].entries()) {
      const f = join(dir, `n${k}.parquet`);
      await writeSampleNight(f, { seed, nAlerts: 200, night: `2024-06-0${k + 1}`, cutouts: 'small', rowGroupSize: 100 });
      files.push(f);
    }
    const threads: ReaderThread[] = [];
    const db = openStore(join(dir, 'store.sqlite'));
    let killed = false;
    /** Per file as it ends: how many threads were made, and whether the newest one still ran. */
    const seen: [number, boolean][] = [];
    try {
      const s = await ingestFiles(db, files, {
        readInThread: true,
        batchSize: 50,
        newReaderThread: () => {
          const t = new ReaderThread();
          threads.push(t);
          return t;
        },
        onFile: () => seen.push([threads.length, threads.at(-1)!.unavailable === null]),
        onProgress: (p) => {
          // After the first batch of the first file, the thread dies (as an out-of-memory kill would end it).
          if (!killed && p.alerts > 0) {
            killed = true;
            void (threads[0] as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
          }
        },
      });
      expect(s.files.map((f) => f.ok)).toEqual([false, true, true]);
      expect(s.files[0].error).toMatch(/n0\.parquet: .*reader thread stopped/);
      expect(seen).toEqual([
        [1, false],
        [2, true],
        [2, true],
      ]);
      expect((db.prepare('SELECT COUNT(*) AS n FROM source_files WHERE error IS NULL').get() as { n: number }).n).toBe(2);
      // No sidecar of the failed file (nor of a prefetch the dead thread had started).
      expect(readdirSync(`${db.name}-cutouts`)).toHaveLength(2);
    } finally {
      db.close();
    }
  });
});
