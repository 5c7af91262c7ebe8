/**
 * The content hash that identifies a source file (re-ingesting the same bytes changes nothing), computed in process
 * or on a worker thread kept for a whole ingest. Why a thread: for a large file the hash is a second pass over
 * hundreds of MB, and on the main thread it competed with the staging writes. Why one kept thread rather than one per
 * file: a folder of small files would pay the thread's start-up (~0.2 s) for each of them.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { sha256File } from '../util/sha256.js';
import { resolveWorkerEntry } from '../util/worker.js';

const MARKER = 'finkvra-file-hash';

export { sha256File };

type Request = { id: number; path: string };
type Reply = { id: number; sha: string } | { id: number; error: string };

if (!isMainThread && parentPort && (workerData as { marker?: string } | undefined)?.marker === MARKER) {
  const port = parentPort;
  port.on('message', (req: Request) => {
    sha256File(req.path).then(
      (sha) => port.postMessage({ id: req.id, sha } satisfies Reply),
      (e: unknown) => port.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) } satisfies Reply),
    );
  });
}

/**
 * sha256File on one worker thread, file after file. When the thread cannot start or dies, the hash is computed in
 * process instead (same result, only slower for the caller).
 */
export class HashThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { path: string; resolve: (sha: string) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  /** `moduleUrl`: for tests, another worker module. */
  constructor(moduleUrl = new URL('./file-hash.js', import.meta.url)) {
    try {
      const { file } = resolveWorkerEntry(moduleUrl, { bundle: true });
      const worker = new Worker(file, { workerData: { marker: MARKER } });
      worker.on('message', (m: Reply) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if ('sha' in m) p.resolve(m.sha);
        else p.reject(new Error(m.error));
      });
      const down = (): void => this.fallBack();
      worker.on('error', down);
      worker.on('exit', down);
      this.worker = worker;
    } catch {
      this.worker = null;
    }
  }

  /** The thread is gone: hash what it was asked, and everything after, in process. */
  private fallBack(): void {
    this.worker = null;
    const left = [...this.pending.values()];
    this.pending.clear();
    for (const p of left) sha256File(p.path).then(p.resolve, p.reject);
  }

  sha256(path: string): Promise<string> {
    const worker = this.worker;
    if (!worker) return sha256File(path);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { path, resolve, reject });
      worker.postMessage({ id, path } satisfies Request);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) {
      w.removeAllListeners('exit');
      w.removeAllListeners('error');
      await w.terminate();
    }
    // Anything still asked is answered in process.
    const left = [...this.pending.values()];
    this.pending.clear();
    for (const p of left) sha256File(p.path).then(p.resolve, p.reject);
  }
}
