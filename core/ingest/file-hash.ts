/**
 * The content hash that identifies a source file (re-ingesting the same bytes changes nothing), computed in process
 * or on a short-lived worker thread. Why a thread: for a large file the hash is a second pass over hundreds of MB,
 * and on the main thread it competed with the staging writes.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { runWorkerTask, serveWorkerTasks } from '../util/worker.js';

const MARKER = 'finkvra-file-hash';

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  // 1 MiB reads: with the 64 KiB default, hashing a 500 MB file took ~40% longer.
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** sha256File on a worker thread. */
export function sha256FileInThread(path: string): Promise<string> {
  return runWorkerTask<string, string>(new URL('./file-hash.js', import.meta.url), path, {
    workerData: { marker: MARKER },
    bundle: true,
  });
}

serveWorkerTasks<string, string>(MARKER, async (path) => ({ result: await sha256File(path) }));
