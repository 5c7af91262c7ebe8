/**
 * Two processes on one store: `finkvra ingest` of a generated 20,000-alert night, and another process writing labels
 * through the API as fast as it can meanwhile. No label write may fail, every one must be stored, and the ingest
 * must still store the whole file. The worst wait of a label is printed. Then the same ingest killed mid-merge: the
 * next open of the store rolls back what it had merged, and ingesting again stores the whole file once.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../core/ingest/ingest.js';
import { writeSampleNight } from '../../core/sample/write.js';
import { alreadyIngested } from '../../core/ingest/merge.js';
import { openExistingStore, openStore } from '../../core/store/database.js';
import { sha256File } from '../../core/util/sha256.js';

const bin = fileURLToPath(new URL('../../bin/finkvra.js', import.meta.url));
const writer = fileURLToPath(new URL('./label-writer.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

function exitOf(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((ok, fail) => {
    child.on('error', fail);
    child.on('exit', (code) => ok(code));
  });
}

describe('a label writer beside an ingest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vra-concurrent-'));
  const small = join(dir, 'small.parquet');
  const night = join(dir, 'night.parquet');
  beforeAll(async () => {
    // What `finkvra generate --cutouts small --no-truth` writes (the same function), in this process.
    await writeSampleNight(small, { nAlerts: 200, seed: 1, night: '2025-06-01', cutouts: 'small', truthSidecar: false });
    const t0 = performance.now();
    await writeSampleNight(night, { nAlerts: 20_000, seed: 3, night: '2025-06-02', cutouts: 'small', truthSidecar: false });
    console.log(`generated the 20,000-alert night in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 300_000);
  // The night is ~100 MB: not left in the temp folder.
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('never fails, while a 20,000-alert night is ingested into the same store', async () => {
    const store = join(dir, 'store.sqlite');
    const db = openStore(store);
    expect((await ingestFiles(db, [small])).newAlerts).toBe(200);
    db.close();

    const stop = join(dir, 'stop');
    const labeller = spawn(process.execPath, ['--import', 'tsx', writer, store, stop], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: labeller.stdout! })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe('ready');
    const ingest = spawn(process.execPath, [bin, '--db', store, 'ingest', night], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let ingestOut = '';
    ingest.stdout!.on('data', (d: Buffer) => (ingestOut += d.toString()));
    const ingestCode = await exitOf(ingest);
    writeFileSync(stop, '');
    const report = JSON.parse((await lines.next()).value as string) as { writes: number; failures: number; errors: string[]; waits: number[] };
    await exitOf(labeller);

    expect(ingestCode, ingestOut).toBe(0);
    expect(ingestOut).toMatch(/20000 alerts, 20000 new/);
    expect(report.failures, report.errors.join('; ')).toBe(0);
    const sorted = [...report.waits].sort((a, b) => a - b);
    const worst = sorted[sorted.length - 1];
    const p99 = sorted[Math.floor(0.99 * (sorted.length - 1))];
    console.log(`label writes during the ingest: ${report.writes}, failed: ${report.failures}, worst wait ${worst.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    const check = openStore(store);
    expect(check.prepare('SELECT COUNT(*) FROM alerts').pluck().get()).toBe(20_200);
    expect(check.prepare("SELECT COUNT(*) FROM label_events WHERE source = 'human'").pluck().get()).toBe(report.writes);
    check.close();
    expect(report.writes).toBeGreaterThan(100);
    // A piece of the merge holds the lock ~50 ms; a second covers a loaded, shared machine.
    expect(worst).toBeLessThan(1000);
  }, 180_000);

  it('killed mid-merge: the next open rolls back what it merged; ingesting again stores the file once', async () => {
    const store = join(dir, 'killed.sqlite');
    openStore(store).close();
    const ingest = spawn(process.execPath, [bin, '--db', store, 'ingest', night, '--no-cutouts'], { cwd: root, stdio: 'ignore' });
    const exited = exitOf(ingest);
    // Watch (read-only) for the merge under way with some alerts in, then kill the process there.
    const watch = new Database(store, { readonly: true });
    let merged = 0;
    let done = false;
    void exited.then(() => (done = true));
    while (!done) {
      const marked = watch.prepare("SELECT COUNT(*) FROM source_files WHERE error LIKE 'merge in progress%'").pluck().get() as number;
      merged = marked ? (watch.prepare('SELECT COUNT(*) FROM alerts').pluck().get() as number) : 0;
      if (merged > 0) break;
      await new Promise((ok) => setTimeout(ok, 2));
    }
    watch.close();
    expect(done, 'the ingest ended before the test caught its merge').toBe(false);
    ingest.kill('SIGKILL');
    await exited;
    expect(merged).toBeGreaterThan(0);
    expect(merged).toBeLessThan(20_000);
    const db = openExistingStore(store);
    expect(db.prepare('SELECT COUNT(*) FROM alerts').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM features').pluck().get()).toBe(0);
    expect(db.prepare('SELECT error FROM source_files').pluck().all()).toEqual([expect.stringMatching(/interrupted/)]);
    const again = await ingestFiles(db, [night], { withCutouts: false });
    expect(again.newAlerts).toBe(20_000);
    expect(alreadyIngested(db, await sha256File(night))).toBeDefined();
    expect(db.prepare('SELECT COUNT(*) FROM alerts').pluck().get()).toBe(20_000);
    db.close();
  }, 120_000);
});
