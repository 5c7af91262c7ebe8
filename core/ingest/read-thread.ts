/**
 * Reading source files on a worker thread, so parquet decoding (wasm) and the cutout writes overlap with what
 * ingest does with each batch (features and the staging writes). Batches cross as columns with their typed arrays
 * transferred, not copied; at most two are in flight, so memory stays bounded by the batch size.
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
      const error: WireError = {
        alertFile: !!a,
        file: a?.file ?? file,
        field: a?.field ?? null,
        reason: a?.reason ?? err.message,
        message: err.message,
      };
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

if (!isMainThread && parentPort && (workerData as { marker?: string } | undefined)?.marker === MARKER) {
  serveReads(parentPort);
  parentPort.postMessage({ type: 'ready' } satisfies Ready);
}

/** Sent once the worker has loaded its modules. */
type Ready = { type: 'ready' };

/**
 * The thread could not start (e.g. a packaged app that cannot load the worker script) or has stopped: the caller
 * reads in process instead (readSource), and a file the thread was half-way through fails with this message.
 */
export class ReaderThreadUnavailable extends Error {
  /** True when the thread had started and then stopped (it died), false when it never started. */
  readonly started: boolean;

  constructor(cause: unknown, started: boolean) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`the alert reader thread ${started ? 'stopped' : 'could not start'}: ${why}`);
    this.name = 'ReaderThreadUnavailable';
    this.started = started;
  }
}

/** One worker thread reading one file at a time. Start it early: it takes about half a second to load. */
export class ReaderThread {
  private readonly worker: Worker | null = null;
  private readonly inbox: Reply[] = [];
  private waiting: (() => void) | null = null;
  private failure: Error | null = null;
  private busy = false;
  private ready = false;
  /** The file a prefetch() started, until read() takes it over. */
  private prefetched: string | null = null;
  /** Set once the thread failed or stopped: read() then throws it, and readSource reads in process. */
  unavailable: ReaderThreadUnavailable | null = null;

  /** `moduleUrl`: for tests, another worker module (e.g. one that cannot load). */
  constructor(moduleUrl = new URL('./read-thread.js', import.meta.url)) {
    try {
      const { file } = resolveWorkerEntry(moduleUrl, { bundle: true });
      const worker = new Worker(file, { workerData: { marker: MARKER } });
      worker.on('message', (m: Reply | Ready) => this.deliver(m));
      worker.on('error', (e) => this.fail(e));
      worker.on('exit', (code) => this.fail(new Error(`alert reader thread exited with code ${code}`)));
      this.worker = worker;
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private deliver(m: Reply | Ready): void {
    if (m.type === 'ready') {
      this.ready = true;
      return;
    }
    this.inbox.push(m);
    this.waiting?.();
    this.waiting = null;
  }

  private fail(e: Error): void {
    this.unavailable ??= new ReaderThreadUnavailable(e, this.ready);
    this.failure ??= e;
    this.waiting?.();
    this.waiting = null;
  }

  private async next(): Promise<Reply> {
    for (;;) {
      const m = this.inbox.shift();
      if (m) return m;
      if (this.unavailable) throw this.unavailable;
      if (this.failure) throw this.failure;
      await new Promise<void>((r) => (this.waiting = r));
    }
  }

  /**
   * Start reading `file` now, for a read(file) to come: while the caller still works on the previous file (ingest
   * merges it), the thread opens and decodes the next one. At most two batches are read ahead. False when the thread
   * is busy or not available (read() then starts from scratch, as without this call).
   */
  prefetch(file: string, opts: SourceReadOptions): boolean {
    if (this.busy || this.prefetched !== null || !this.worker || this.unavailable) return false;
    this.worker.postMessage({ type: 'read', file, opts } satisfies Request);
    this.prefetched = file;
    return true;
  }

  /** Stops a prefetched read that will not be consumed, and drains what it sent. */
  private async dropPrefetch(worker: Worker): Promise<void> {
    this.prefetched = null;
    worker.postMessage({ type: 'cancel' } satisfies Request);
    for (let m = await this.next(); m.type === 'batch'; m = await this.next());
  }

  /** Like readSourceBatches, on the thread (which also writes the cutouts). */
  async *read(file: string, opts: SourceReadOptions): AsyncGenerator<AlertBatch> {
    if (this.busy) throw new Error('ReaderThread reads one file at a time');
    const worker = this.worker;
    if (!worker || this.unavailable) throw this.unavailable ?? new ReaderThreadUnavailable('no worker', false);
    this.busy = true;
    let ended = false;
    try {
      if (this.prefetched === file) this.prefetched = null;
      else {
        if (this.prefetched !== null) await this.dropPrefetch(worker);
        worker.postMessage({ type: 'read', file, opts } satisfies Request);
      }
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
        worker.postMessage({ type: 'more' } satisfies Request);
      }
    } finally {
      if (!ended && !this.failure) {
        // The caller stopped early: stop the worker's read and drain what it already sent.
        worker.postMessage({ type: 'cancel' } satisfies Request);
        for (let m = await this.next(); m.type === 'batch'; m = await this.next());
      }
      this.busy = false;
    }
  }

  async close(): Promise<void> {
    this.failure ??= new Error('alert reader thread closed');
    await this.worker?.terminate();
  }
}

/**
 * A source file read on `thread` when there is one, else (or when the thread could not start) here. Either way the
 * same batches come out, and the cutouts go to the same sidecar.
 */
export async function* readSource(file: string, opts: SourceReadOptions, thread: ReaderThread | null): AsyncGenerator<AlertBatch> {
  if (thread && !thread.unavailable) {
    let yielded = false;
    try {
      for await (const b of thread.read(file, opts)) {
        yielded = true;
        yield b;
      }
      return;
    } catch (e) {
      if (!(e instanceof ReaderThreadUnavailable) || yielded) throw e;
    }
  }
  yield* readSourceBatches(file, opts);
}
