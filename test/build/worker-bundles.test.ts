/**
 * Worker threads start from bundles made at build time (build/build-workers.mjs), so a packed app, which has neither
 * esbuild nor the TypeScript sources, starts them from one file each.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildWorkers, WORKER_ENTRIES, workerBundleName } from '../../build/build-workers.mjs';
import { crossValidate } from '../../core/learn/cv.js';
import type { CvResult } from '../../core/learn/cv.js';
import { prebuiltWorker, runWorkerTask } from '../../core/util/worker.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('build-time worker bundles', () => {
  it('name each entry after its path under core/', () => {
    expect(workerBundleName('ingest/read-thread.ts')).toBe('ingest-read-thread.js');
    expect(workerBundleName('loop/simulate/worker.ts')).toBe('loop-simulate-worker.js');
    // learn/worker.ts and loop/simulate/worker.ts share a file name: the bundles must not collide
    expect(new Set(WORKER_ENTRIES.map(workerBundleName)).size).toBe(WORKER_ENTRIES.length);
  });

  it('a compiled worker module starts from its bundle when the build made one, else from itself', () => {
    const dist = mkdtempSync(join(tmpdir(), 'finkvra-dist-'));
    const core = pathToFileURL(join(dist, 'core') + '/');
    const workers = pathToFileURL(join(dist, 'workers') + '/');
    mkdirSync(join(dist, 'workers'));
    const mod = new URL('ingest/read-thread.js', core);
    expect(prebuiltWorker(mod, workers, core)).toBeNull();
    writeFileSync(join(dist, 'workers/ingest-read-thread.js'), '');
    expect(prebuiltWorker(mod, workers, core)?.href).toBe(new URL('ingest-read-thread.js', workers).href);
    expect(prebuiltWorker(new URL('loop/simulate/worker.js', core), workers, core)).toBeNull();
    // a module outside core/ (a test's own worker) is never redirected
    expect(prebuiltWorker(pathToFileURL(join(dist, 'elsewhere/x.js')), workers, core)).toBeNull();
  });

  it('the learn bundle serves a cross-validation equal to the in-process one', async () => {
    // Inside the project: the bundles import their packages from its node_modules.
    const out = mkdtempSync(join(root, '.tmp-workers-'));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    const files = buildWorkers(out);
    expect(files.map((f) => f.slice(out.length + 1)).sort()).toEqual(WORKER_ENTRIES.map(workerBundleName).sort());
    const n = 40;
    const d = 2;
    const X = new Float64Array(n * d);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 2;
      X[i * d] = y[i] * 2 + ((i * 7) % 5) / 5;
      X[i * d + 1] = (i * 13) % 11;
    }
    const spec = { engine: 'hrf' as const, seed: 3 };
    const local = crossValidate(spec, X, n, d, y, { k: 4, seed: 1 });
    const remote = await runWorkerTask<unknown, CvResult>(
      pathToFileURL(join(out, 'learn-worker.js')),
      { kind: 'crossValidate', spec, X, n, d, y, k: 4, seed: 1 },
      { workerData: { marker: 'finkvra-learn' } },
    );
    expect(Array.from(remote.oofProba)).toEqual(Array.from(local.oofProba));
    expect(Array.from(remote.fold)).toEqual(Array.from(local.fold));
  });
});
