/** `finkvra web`: the app in a browser on this machine (loopback + per-launch token). */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { WebServer } from '../../server/server.js';
import { intArg } from '../options.js';
import Database from 'better-sqlite3';
import { ingestSampleIfEmpty, sampleDbPath } from '../../api/sample-start.js';
import { sqliteOptions } from '../../store/native.js';
import { defaultDbPath, finkvraHome } from '../../util/paths.js';
import { removeStaleUploads, uploadsDirOf } from '../../api/uploads.js';
import { IngestAllowList, withIngestAllowList } from '../../api/ingest-allow.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDERER_DIST = join(REPO_ROOT, 'dist', 'renderer');

export interface WebOptions {
  dbPath?: string;
  port?: number;
  open?: boolean;
  /** Where to print the URL (default stdout). */
  log?: (line: string) => void;
  /** Opens a browser on a URL (default: the system's opener; tests pass their own). */
  opener?: (url: string) => void;
  /** The built UI to serve (default: the repository's, built on first use). */
  staticDir?: string;
}

export interface RunningWeb {
  server: WebServer;
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

/** Open the service, serve it with the UI, print the URL. Used by `finkvra web` and by `npm start` without Electron. */
export async function runWeb(opts: WebOptions = {}): Promise<RunningWeb> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const staticDir = opts.staticDir ?? (await ensureRendererBuild(log));
  // The service and server (and through them the parquet reader) load only when web mode starts.
  const [{ openService }, { startWebServer }] = await Promise.all([
    import('../../api/service.js'),
    import('../../server/server.js'),
  ]);
  // No store named and none with alerts yet: open on the embedded sample night, in its own store (as the desktop app).
  let dbPath = opts.dbPath ?? defaultDbPath();
  let sampleFiles: string[] = [];
  if (!opts.dbPath && !hasAlerts(dbPath)) {
    const sampleDir = join(finkvraHome(), 'sample');
    const { ensureSampleNight } = await import('../../sample/sample-night.js');
    sampleFiles = [await ensureSampleNight(sampleDir)];
    dbPath = sampleDbPath(sampleDir);
    log('no store with alerts yet: opening on the embedded sample night (add your own files on the Data screen, or use --db)');
  }
  const service = openService({ dbPath });
  await ingestSampleIfEmpty(service.handlers, sampleFiles);
  let server: WebServer;
  try {
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
  log(`Fink VRA web mode on ${server.origin} (database ${dbPath})`);
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
  return { server, close };
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

export function registerWeb(program: Command): void {
  program
    .command('web')
    .description('Serve the labelling app on 127.0.0.1 for a local browser (prints the URL with its token)')
    .option('--port <n>', 'port (default: any free port)', intArg(0, 65535))
    .option('--db <file>', 'database file (default: ~/.finkvra/finkvra.sqlite or FINKVRA_HOME)')
    .option('--no-open', 'do not open a browser')
    .action(async (o: { port?: number; db?: string; open: boolean }) => {
      const web = await runWeb({ dbPath: o.db ? resolve(o.db) : undefined, port: o.port, open: o.open });
      const stop = () => {
        void web.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

/** Whether a store file exists and holds alerts (read-only peek; never creates it). */
function hasAlerts(dbPath: string): boolean {
  if (!existsSync(dbPath)) return false;
  try {
    const db = new Database(dbPath, { ...sqliteOptions(), readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n > 0;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}
