/**
 * Long-lived simulation workers: each receives the datasets once, then runs cells one at a time until closed. One
 * worker per core keeps start-up (seconds under tsx) out of the per-cell cost, unlike core/util/worker.ts's one-shot
 * tasks.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { resolveWorkerEntry } from '../../util/worker.js';
import { runCell, type CellData, type CellResult } from './cell.js';
import type { CellConfig } from './grid.js';

const MARKER = 'finkvra-simulate';

type Request = { type: 'cell'; id: number; dataKey: string; config: CellConfig };
type Reply = { id: number; ok: true; result: CellResult } | { id: number; ok: false; error: string };

if (!isMainThread && parentPort && (workerData as { marker?: string } | undefined)?.marker === MARKER) {
  const port = parentPort;
  const datasets = (workerData as { datasets: Record<string, CellData> }).datasets;
  port.on('message', (req: Request) => {
    try {
      const data = datasets[req.dataKey];
      if (!data) throw new Error(`no dataset '${req.dataKey}' in the worker`);
      port.postMessage({ id: req.id, ok: true, result: runCell(data, req.config) } satisfies Reply);
    } catch (e) {
      port.postMessage({ id: req.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies Reply);
    }
  });
}

/** A fixed set of workers sharing the datasets (keyed, e.g. by task); run() queues a cell on the next free worker. */
export class SimWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { req: Request; resolve: (r: CellResult) => void; reject: (e: Error) => void }[] = [];
  private readonly pending = new Map<number, { worker: Worker; resolve: (r: CellResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private closed = false;

  constructor(size: number, datasets: Record<string, CellData>) {
    const { file } = resolveWorkerEntry(new URL('./worker.js', import.meta.url));
    for (let i = 0; i < size; i++) {
      const w = new Worker(file, { workerData: { marker: MARKER, datasets } });
      w.on('message', (msg: Reply) => this.onReply(w, msg));
      w.on('error', (err) => this.onFailure(w, err));
      w.on('exit', (code) => {
        if (!this.closed) this.onFailure(w, new Error(`simulation worker exited with code ${code}`));
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  run(dataKey: string, config: CellConfig): Promise<CellResult> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ req: { type: 'cell', id: this.nextId++, dataKey, config }, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.pending.set(job.req.id, { worker: w, resolve: job.resolve, reject: job.reject });
      w.postMessage(job.req);
    }
  }

  private onReply(w: Worker, msg: Reply): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    this.idle.push(w);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(msg.error));
    this.pump();
  }

  private onFailure(w: Worker, err: Error): void {
    for (const [id, p] of this.pending) {
      if (p.worker !== w) continue;
      this.pending.delete(id);
      p.reject(err);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queue.splice(0)) q.reject(new Error('worker pool closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
