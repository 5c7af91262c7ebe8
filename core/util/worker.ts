/**
 * One-shot worker_threads tasks that work both from TypeScript sources (dev, tests: the .ts file is run through tsx)
 * and from compiled JavaScript (dist/). A caller passes the URL of the worker module as `.js`; when only the `.ts`
 * exists next to it, the worker runs a tiny data: URL bootstrap that registers tsx's ESM loader and then imports the
 * .ts. (Node 20 ignores `--import tsx` in a Worker's execArgv: "Unknown file extension .ts".)
 */
import type * as Esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, threadId, workerData, type TransferListItem } from 'node:worker_threads';

/** URL of tsx's ESM API entry (the .mjs build; require.resolve gives the .cjs one). */
function tsxEsmApi(): string {
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const mjs = cjs.replace(/\.cjs$/, '.mjs');
  return pathToFileURL(existsSync(mjs) ? mjs : cjs).href;
}

/**
 * The worker module and its imports bundled into one plain ESM file (packages left as imports), cached under
 * node_modules/.cache and rebuilt when a source changes. Why: a worker booting tsx's loader spends ~0.5 s registering
 * it and ~0.5 s more compiling its imports through the loader thread; the bundle starts like compiled JavaScript.
 * Only for worker modules whose code does not use import.meta.url inside the worker (it would name the bundle).
 */
function bundledWorker(tsPath: string): URL | null {
  try {
    const req = createRequire(import.meta.url);
    const cacheDir = join(dirname(dirname(req.resolve('tsx/package.json'))), '.cache', 'finkvra-workers');
    const key = createHash('sha256').update(tsPath).digest('hex').slice(0, 16);
    const out = join(cacheDir, `${basename(tsPath, '.ts')}-${key}.mjs`);
    const manifest = `${out}.inputs.json`;
    const stamp = (f: string): string => {
      const st = statSync(f);
      return `${st.size}:${st.mtimeMs}`;
    };
    if (existsSync(out) && existsSync(manifest)) {
      const inputs = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string>;
      if (Object.entries(inputs).every(([f, v]) => existsSync(f) && stamp(f) === v)) return pathToFileURL(out);
    }
    const esbuild = req('esbuild') as typeof Esbuild;
    const r = esbuild.buildSync({
      entryPoints: [tsPath],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile: out,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.fromEntries(
      Object.keys(r.metafile.inputs).map((f) => {
        const abs = resolvePath(f);
        return [abs, stamp(abs)];
      }),
    );
    // Written aside then renamed: another process (parallel test files) may be loading the previous bundle.
    mkdirSync(cacheDir, { recursive: true });
    const atomic = (path: string, data: string | Uint8Array): void => {
      const tmp = `${path}.${process.pid}.${threadId}.tmp`;
      writeFileSync(tmp, data);
      renameSync(tmp, path);
    };
    atomic(out, r.outputFiles[0].contents);
    atomic(manifest, JSON.stringify(inputs));
    return pathToFileURL(out);
  } catch {
    // No esbuild, or a read-only install: the tsx bootstrap below still works, only slower to start.
    return null;
  }
}

/** Where `npm run build` puts the worker bundles (build/build-workers.mjs): dist/workers beside dist/core. */
const PREBUILT_DIR = new URL('../../workers/', import.meta.url);
const CORE_DIR = new URL('../', import.meta.url);

/**
 * The build-time bundle of a compiled worker module (dist/core/ingest/read-thread.js →
 * dist/workers/ingest-read-thread.js, the naming of build/build-workers.mjs), or null when there is none.
 */
export function prebuiltWorker(moduleUrl: URL, dir: URL = PREBUILT_DIR, coreDir: URL = CORE_DIR): URL | null {
  if (!moduleUrl.href.startsWith(coreDir.href)) return null;
  const name = moduleUrl.href.slice(coreDir.href.length).split('/').join('-');
  const bundle = new URL(name, dir);
  return existsSync(fileURLToPath(bundle)) ? bundle : null;
}

/**
 * What to start for a worker module given as `new URL('./x.js', import.meta.url)`: compiled (dist/), its build-time
 * bundle, else the .js; from the sources, a .ts bootstrap (or, with `bundle`, a cached bundle of the .ts and its
 * imports; see bundledWorker).
 */
export function resolveWorkerEntry(moduleUrl: URL, opts: { bundle?: boolean } = {}): { file: URL; viaTsx: boolean } {
  const jsPath = fileURLToPath(moduleUrl);
  if (existsSync(jsPath)) return { file: prebuiltWorker(moduleUrl) ?? moduleUrl, viaTsx: false };
  const tsUrl = new URL(moduleUrl.href.replace(/\.js$/, '.ts'));
  if (!existsSync(fileURLToPath(tsUrl))) throw new Error(`worker module not found: ${jsPath} (nor its .ts source)`);
  const bundled = opts.bundle ? bundledWorker(fileURLToPath(tsUrl)) : null;
  if (bundled) return { file: bundled, viaTsx: false };
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
  /** Start the worker from a cached bundle when running from TypeScript sources (resolveWorkerEntry). */
  bundle?: boolean;
}

/** Start the worker, send one request, resolve with its reply, and terminate it. */
export function runWorkerTask<Req, Res>(moduleUrl: URL, request: Req, opts: WorkerTaskOptions = {}): Promise<Res> {
  const { file } = resolveWorkerEntry(moduleUrl, { bundle: opts.bundle });
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
