/** `finkvra web`: the app in a browser on this machine (loopback + per-launch token). */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { WebServer } from '../../server/server.js';
import { intArg } from '../options.js';
import { ingestSampleIfEmpty } from '../../api/sample-start.js';
import { chooseStore, type StoreChoice } from '../../api/store-choice.js';
import { removeStaleUploads, uploadsDirOf } from '../../api/uploads.js';
import { IngestAllowList, withIngestAllowList } from '../../api/ingest-allow.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDERER_DIST = join(REPO_ROOT, 'dist', 'renderer');

export interface WebOptions {
  /** --db (else FINKVRA_DB, the default store, the sample night: core/api/store-choice.ts). */
  dbPath?: string;
  /** --home (else FINKVRA_HOME or ~/.finkvra). */
  homeDir?: string;
  /** The built UI to serve (tests); default: dist/renderer, built on first use. */
  staticDir?: string;
  port?: number;
  open?: boolean;
  /** Where to print the URL (default stdout). */
  log?: (line: string) => void;
  /** Opens a browser on a URL (default: the system's opener; tests pass their own). */
  opener?: (url: string) => void;
}

export interface RunningWeb {
  server: WebServer;
  store: StoreChoice;
  close(): Promise<void>;
}

/** Build the renderer with Vite when no build is there yet (a fresh checkout). */
export async function ensureRendererBuild(log: (line: string) => void = console.log): Promise<string> {
  if (existsSync(join(RENDERER_DIST, 'index.html'))) return RENDERER_DIST;
  log('Building the UI (first run)…');
  await new Promise<void>((ok, fail) => {
    const child = spawn('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: REPO_ROOT, stdio: 'inherit' });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`vite build failed (exit ${code})`))));
  });
  return RENDERER_DIST;
}

/**
 * Open the chosen store (core/api/store-choice.ts), serve it with the UI, print the URL. Used by `finkvra web` and
 * by `npm start` without Electron. The sample night opens only when asked for or when there is no store at all.
 */
export async function runWeb(opts: WebOptions = {}): Promise<RunningWeb> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const store = chooseStore({ db: opts.dbPath, home: opts.homeDir, allowSample: true });
  // The service and server (and through them the parquet reader) load only when web mode starts.
  const [{ openService }, { startWebServer }] = await Promise.all([
    import('../../api/service.js'),
    import('../../server/server.js'),
  ]);
  let sampleFiles: string[] = [];
  if (store.source === 'sample') {
    const { ensureSampleNights } = await import('../../sample/sample-night.js');
    sampleFiles = await ensureSampleNights(store.sampleDir);
    log('no store yet: opening on the embedded sample night (add your own files on the Data screen, or use --db)');
  }
  // A store the user chose must exist and be a store: refused (untouched) otherwise, before any UI is built.
  const service = openService({
    dbPath: store.path,
    homeDir: store.homeDir,
    mustExist: store.source !== 'sample',
    isSample: store.isSample,
  });
  let server: WebServer;
  try {
    await ingestSampleIfEmpty(service.handlers, sampleFiles);
    const staticDir = opts.staticDir ?? (await ensureRendererBuild(log));
    const uploadsDir = uploadsDirOf(service.ctx.homeDir);
    await removeStaleUploads(uploadsDir);
    server = await startWebServer({
      handlers: withIngestAllowList(service.handlers, new IngestAllowList(uploadsDir)),
      port: opts.port ?? 0,
      staticDir,
      uploadsDir,
    });
  } catch (err) {
    await service.close();
    throw err;
  }
  log(`Fink VRA web mode on ${server.origin} (database ${store.path}${store.isSample ? ', the sample night' : ''})`);
  log(`Open: ${server.url}`);
  // A browser's command line is visible to every user of the machine: it gets a one-time launch code, not the token.
  if (opts.open) (opts.opener ?? openBrowser)(server.launchUrl());
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await server.close();
    await service.close();
  };
  return { server, store, close };
}

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined); // no browser: the printed URL is enough
    child.unref();
  } catch {
    // same: the URL is printed
  }
}

/** `run` is replaceable so a test can check which store the parsed options choose without serving. */
export function registerWeb(program: Command, run: (o: WebOptions) => Promise<RunningWeb> = runWeb): void {
  program
    .command('web')
    .description('Serve the labelling app on 127.0.0.1 for a local browser (prints the URL with its token); the global --db and --home choose the store')
    .option('--port <n>', 'port (default: any free port)', intArg(0, 65535))
    .option('--no-open', 'do not open a browser')
    .action(async (o: { port?: number; open: boolean }, cmd: Command) => {
      // --db / --home are the root program's options, before or after `web` (optsWithGlobals sees both).
      const g = cmd.optsWithGlobals<{ db?: string; home?: string }>();
      const web = await run({ dbPath: g.db, homeDir: g.home, port: o.port, open: o.open });
      const stop = () => {
        void web.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
