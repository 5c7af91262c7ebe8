/**
 * One-shot worker_threads tasks that work both from TypeScript sources (dev, tests: the .ts file is run through tsx)
 * and from compiled JavaScript (dist/). A caller passes the URL of the worker module as `.js`; when only the `.ts`
 * exists next to it, the worker runs a tiny data: URL bootstrap that registers tsx's ESM loader and then imports the
 * .ts. (Node 20 ignores `--import tsx` in a Worker's execArgv: "Unknown file extension .ts".)
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData, type TransferListItem } from 'node:worker_threads';

/** URL of tsx's ESM API entry (the .mjs build; require.resolve gives the .cjs one). */
function tsxEsmApi(): string {
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const mjs = cjs.replace(/\.cjs$/, '.mjs');
  return pathToFileURL(existsSync(mjs) ? mjs : cjs).href;
}

/** What to start for a worker module given as `new URL('./x.js', import.meta.url)`: the .js, else a .ts bootstrap. */
export function resolveWorkerEntry(moduleUrl: URL): { file: URL; viaTsx: boolean } {
  const jsPath = fileURLToPath(moduleUrl);
  if (existsSync(jsPath)) return { file: moduleUrl, viaTsx: false };
  const tsUrl = new URL(moduleUrl.href.replace(/\.js$/, '.ts'));
  if (!existsSync(fileURLToPath(tsUrl))) throw new Error(`worker module not found: ${jsPath} (nor its .ts source)`);
  const code =
    `import { register } from ${JSON.stringify(tsxEsmApi())};\n` +
    `register();\n` +
    `await import(${JSON.stringify(tsUrl.href)});\n`;
  return { file: new URL(`data:text/javascript,${encodeURIComponent(code)}`), viaTsx: true };
}

type Reply<T> = { ok: true; result: T } | { ok: false; error: { message: string; stack?: string } };

export interface WorkerTaskOptions {
  /** Data the worker module sees as `workerData` (e.g. a marker telling it to serve). */
  workerData?: unknown;
  /** Inputs to move instead of copy (they become unusable in the caller). */
  transfer?: TransferListItem[];
  signal?: AbortSignal;
}

/** Start the worker, send one request, resolve with its reply, and terminate it. */
export function runWorkerTask<Req, Res>(moduleUrl: URL, request: Req, opts: WorkerTaskOptions = {}): Promise<Res> {
  const { file } = resolveWorkerEntry(moduleUrl);
  return new Promise<Res>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new Error('worker task aborted'));
      return;
    }
    const worker = new Worker(file, { workerData: opts.workerData });
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = (): void => finish(() => reject(new Error('worker task aborted')));
    opts.signal?.addEventListener('abort', onAbort);
    worker.once('message', (msg: Reply<Res>) => {
      finish(() => {
        if (msg.ok) resolve(msg.result);
        else {
          const e = new Error(msg.error.message);
          if (msg.error.stack) e.stack = msg.error.stack;
          reject(e);
        }
      });
    });
    worker.once('error', (err) => finish(() => reject(err)));
    worker.once('exit', (code) => finish(() => reject(new Error(`worker exited with code ${code} before replying`))));
    worker.postMessage(request, opts.transfer ?? []);
  });
}

/**
 * In a worker module: answer requests with `handler` when this thread was started with workerData.marker === marker.
 * The handler returns the result and the buffers to transfer back.
 */
export function serveWorkerTasks<Req, Res>(
  marker: string,
  handler: (req: Req) => Promise<{ result: Res; transfer?: TransferListItem[] }> | { result: Res; transfer?: TransferListItem[] },
): boolean {
  if (isMainThread || !parentPort) return false;
  const data = workerData as { marker?: string } | undefined;
  if (data?.marker !== marker) return false;
  const port = parentPort;
  port.on('message', async (req: Req) => {
    try {
      const { result, transfer } = await handler(req);
      port.postMessage({ ok: true, result } satisfies Reply<Res>, transfer ?? []);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      port.postMessage({ ok: false, error: { message: err.message, stack: err.stack } } satisfies Reply<Res>);
    }
  });
  return true;
}
