/**
 * The packed app's main process, run under Node with the electron mock: `npm run pack:check` extracts the app.asar it
 * packed into a folder and runs this file with FINKVRA_PACKED_APP set to it. The main entry is the packed
 * dist/electron/main.js (what Electron would load), so a module, package or file the package lacks fails here.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as WorkerThreads from 'node:worker_threads';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../electron/electron-mock.js'));

/** Every worker thread the packed code starts, by its script (recorded, then started for real). */
const started = vi.hoisted(() => [] as string[]);
vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof WorkerThreads>();
  class RecordingWorker extends real.Worker {
    constructor(file: string | URL, options?: WorkerThreads.WorkerOptions) {
      super(file, options);
      started.push(String(file));
    }
  }
  return { ...real, Worker: RecordingWorker, default: { ...real, Worker: RecordingWorker } };
});

import * as E from '../electron/electron-mock.js';
import type { AlertCard, DataSummary, LoopState } from '../../core/api/types.js';
import type * as FileHash from '../../core/ingest/file-hash.js';
import type * as ReadThread from '../../core/ingest/read-thread.js';
import type { IpcResult } from '../../electron/bridge.js';
import { SAMPLE_LSST_NIGHT, SAMPLE_NIGHT, sampleLsstNightFileName, sampleNightFileName } from '../../core/sample/sample-night.js';

const APP = process.env.FINKVRA_PACKED_APP;
if (!APP) console.log('packed main skipped: FINKVRA_PACKED_APP is not set (npm run pack:check sets it)');

const SAMPLE_ALERTS = SAMPLE_NIGHT.nAlerts + SAMPLE_LSST_NIGHT.alerts;

async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 90_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!APP)('the packed main process under Node', () => {
  const userData = mkdtempSync(join(tmpdir(), 'finkvra-packed-'));
  afterAll(async () => {
    // The app's quit path: background jobs finish and the store closes, then it quits (the mock records it).
    E.app.emit('before-quit', { preventDefault() {} });
    await until('the store closed', async () => (E.app.quit.mock.calls.length > 0 ? true : null));
    rmSync(userData, { recursive: true, force: true });
  });

  /** A contract call through the registered IPC handler, from the app window's main frame. */
  async function call<T>(method: string, input: unknown = {}): Promise<T> {
    const win = E.BrowserWindow.instances[0];
    const handler = E.ipcMain.handlers.get('vra:call')!;
    const event = { sender: win.webContents, senderFrame: { url: win.webContents.url, parent: null } };
    const r = (await handler(event, { method, input })) as IpcResult<T>;
    if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
    return r.result;
  }

  it('starts on the sample night, answers data.summary, alerts.card and a round trained on a worker thread', async () => {
    E.app.paths = { userData, downloads: userData };
    await import(pathToFileURL(join(APP!, 'dist/electron/main.js')).href);
    await until('the IPC handlers', async () => (E.ipcMain.handlers.has('vra:call') ? true : null));
    const win = E.BrowserWindow.instances[0];
    expect(win.webContents.url).toBe(pathToFileURL(join(APP!, 'dist/renderer/index.html')).href);
    expect((win.options.webPreferences as { preload: string }).preload).toBe(join(APP!, 'dist/electron/preload.cjs'));
    expect(E.dialog.showErrorBox).not.toHaveBeenCalled();

    const summary = await until('the sample night ingested', async () => {
      const s = await call<DataSummary>('data.summary');
      return s.withFeatures === SAMPLE_ALERTS ? s : null;
    });
    expect(summary.alerts).toBe(SAMPLE_ALERTS);
    expect(summary.failedFiles).toBe(0);

    // Round 0 (no labels yet) proposes a batch by itself; label it with both classes of the gal task.
    const s0 = await until('round 0', async () => {
      const s = await call<LoopState>('loop.state');
      return s.round === 0 && !s.pendingJob ? s : null;
    });
    const card = await call<AlertCard>('alerts.card', { candid: s0.batch[0].candid });
    expect(card.candid).toBe(s0.batch[0].candid);
    expect(card.objectId).toMatch(/^ZTF/);
    for (const [i, b] of s0.batch.entries()) await call('labels.set', { candid: b.candid, label: i % 2 ? 'gal' : 'extragal' });

    const s1 = await until('round 1 trained', async () => {
      const s = await call<LoopState>('loop.state');
      return s.round === 1 && !s.pendingJob ? s : null;
    });
    expect(s1.batch.length).toBeGreaterThan(0);
    expect(s1.batch.every((b) => typeof b.prob === 'number')).toBe(true);
    const after = await call<DataSummary>('data.summary');
    expect(after.labelled).toBe(s0.batch.length);

    // The sample night is too small for ingest's threads: start the packed reader and hash threads on its file.
    const sampleDir = join(userData, 'sample');
    // The ZTF file (the reader thread reads ZTF's columns; the sample's LSST file is read in process).
    const night = join(sampleDir, sampleNightFileName());
    expect(readdirSync(sampleDir)).toEqual(expect.arrayContaining([sampleNightFileName(), sampleLsstNightFileName()]));
    const { HashThread } = (await import(pathToFileURL(join(APP!, 'dist/core/ingest/file-hash.js')).href)) as typeof FileHash;
    const hasher = new HashThread();
    expect(await hasher.sha256(night)).toBe(createHash('sha256').update(readFileSync(night)).digest('hex'));
    await hasher.close();
    const { ReaderThread } = (await import(pathToFileURL(join(APP!, 'dist/core/ingest/read-thread.js')).href)) as typeof ReadThread;
    const reader = new ReaderThread();
    let rows = 0;
    for await (const b of reader.read(night, { batchSize: 100, cutoutsPath: null })) rows += b.columns.candid.length;
    expect(reader.unavailable).toBeNull();
    expect(rows).toBe(SAMPLE_NIGHT.nAlerts);
    await reader.close();

    // The threads started from the build-time bundles inside the package, not in process nor from the sources.
    const bundles = started.map((f) => f.replace(pathToFileURL(APP!).href, '')).filter((f) => f.startsWith('/dist/workers/'));
    expect(bundles).toEqual(expect.arrayContaining(['/dist/workers/loop-round-worker.js', '/dist/workers/ingest-read-thread.js', '/dist/workers/ingest-file-hash.js']));
    expect(started.every((f) => f.startsWith(pathToFileURL(APP!).href))).toBe(true);
  });
});
