/**
 * Reading source files on a worker thread, so parquet decoding (wasm) and the cutout writes overlap with what
 * ingest does with each batch (features and the staging writes). Batches cross as columns with their typed arrays transferred, not
 * copied; at most two are in flight, so memory stays bounded by the batch size.
 *
 * The same module is the worker (when started with the marker) and the caller's side (ReaderThread).
 */
import { isMainThread, parentPort, Worker, workerData, type MessagePort, type TransferListItem } from 'node:worker_threads';
import { resolveWorkerEntry } from '../util/worker.js';
import { makeBatch, type AlertBatch } from '../alerts/batch.js';
import type { AlertColumns } from '../alerts/columns.js';
import { AlertFileError } from '../alerts/errors.js';
import type { HistoryColumns } from '../alerts/history.js';
import { readSourceBatches, type SourceReadOptions } from './source.js';

const MARKER = 'finkvra-read-thread';
/** Batches the worker may read ahead of the caller. */
const IN_FLIGHT = 2;

type Request = { type: 'read'; file: string; opts: SourceReadOptions } | { type: 'more' } | { type: 'cancel' };
type WireError = { alertFile: boolean; file: string; field: string | null; reason: string; message: string };
type Reply =
  | { type: 'batch'; firstRow: number; columns: AlertColumns; history: HistoryColumns }
  | { type: 'end' }
  | { type: 'error'; error: WireError };

/** Every ArrayBuffer behind the batch's typed arrays, once each (a buffer listed twice cannot be transferred). */
function buffersOf(value: unknown, out = new Set<ArrayBuffer>()): Set<ArrayBuffer> {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const v of value) if (v !== null && typeof v === 'object') buffersOf(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) if (v !== null && typeof v === 'object') buffersOf(v, out);
  }
  return out;
}

function serveReads(port: MessagePort): void {
  let credits = 0;
  let cancelled = false;
  let wake: (() => void) | null = null;
  const nudge = (): void => {
    wake?.();
    wake = null;
  };
  const read = async (file: string, opts: SourceReadOptions): Promise<void> => {
    try {
      for await (const b of readSourceBatches(file, opts)) {
        while (credits <= 0 && !cancelled) await new Promise<void>((r) => (wake = r));
        if (cancelled) break;
        credits--;
        const reply: Reply = { type: 'batch', firstRow: b.firstRow, columns: b.columns, history: b.history };
        port.postMessage(reply, [...buffersOf([b.columns, b.history])] as TransferListItem[]);
      }
      port.postMessage({ type: 'end' } satisfies Reply);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      const a = e instanceof AlertFileError ? e : null;
      const error: WireError = { alertFile: !!a, file: a?.file ?? file, field: a?.field ?? null, reason: a?.reason ?? err.message, message: err.message };
      port.postMessage({ type: 'error', error } satisfies Reply);
    }
  };
  port.on('message', (req: Request) => {
    if (req.type === 'read') {
      credits = IN_FLIGHT;
      cancelled = false;
      void read(req.file, req.opts);
    } else if (req.type === 'more') {
      credits++;
      nudge();
    } else {
      cancelled = true;
      nudge();
    }
  });
}

if (!isMainThread && parentPort && (workerData as { marker?: string } | undefined)?.marker === MARKER) serveReads(parentPort);

/** One worker thread reading one file at a time. Start it early: under tsx it takes about a second to load. */
export class ReaderThread {
  private readonly worker: Worker;
  private readonly inbox: Reply[] = [];
  private waiting: (() => void) | null = null;
  private failure: Error | null = null;
  private busy = false;

  constructor() {
    const { file } = resolveWorkerEntry(new URL('./read-thread.js', import.meta.url), { bundle: true });
    this.worker = new Worker(file, { workerData: { marker: MARKER } });
    this.worker.on('message', (m: Reply) => this.deliver(m));
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`alert reader thread exited with code ${code}`)));
  }

  private deliver(m: Reply): void {
    this.inbox.push(m);
    this.waiting?.();
    this.waiting = null;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.waiting?.();
    this.waiting = null;
  }

  private async next(): Promise<Reply> {
    for (;;) {
      const m = this.inbox.shift();
      if (m) return m;
      if (this.failure) throw this.failure;
      await new Promise<void>((r) => (this.waiting = r));
    }
  }

  /** Like readSourceBatches, on the thread (which also writes the cutouts). */
  async *read(file: string, opts: SourceReadOptions): AsyncGenerator<AlertBatch> {
    if (this.busy) throw new Error('ReaderThread reads one file at a time');
    this.busy = true;
    let ended = false;
    try {
      this.worker.postMessage({ type: 'read', file, opts } satisfies Request);
      for (;;) {
        const m = await this.next();
        if (m.type === 'end') {
          ended = true;
          return;
        }
        if (m.type === 'error') {
          ended = true;
          const e = m.error;
          throw e.alertFile ? new AlertFileError(e.file, e.field, e.reason) : new Error(e.message);
        }
        yield makeBatch(file, m.firstRow, m.columns, m.history);
        this.worker.postMessage({ type: 'more' } satisfies Request);
      }
    } finally {
      if (!ended && !this.failure) {
        // The caller stopped early: stop the worker's read and drain what it already sent.
        this.worker.postMessage({ type: 'cancel' } satisfies Request);
        for (let m = await this.next(); m.type === 'batch'; m = await this.next());
      }
      this.busy = false;
    }
  }

  async close(): Promise<void> {
    this.failure ??= new Error('alert reader thread closed');
    await this.worker.terminate();
  }
}
