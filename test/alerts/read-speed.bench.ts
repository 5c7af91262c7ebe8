/**
 * Reader speed: all shared Fink files (with and without cutouts) and a generated 100k-alert night.
 * Run: node --import tsx test/alerts/read-speed.bench.ts [alerts=100000] [history=30]
 * The generated night goes to the OS temp dir and is deleted afterwards.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Table } from 'apache-arrow';
import { listAlertFiles, readAlertBatches } from '../../core/alerts/reader.js';
import { alertTable, sampleRows, toParquet } from './fixtures.js';

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

async function timeRead(files: string[], withCutouts: boolean): Promise<{ alerts: number; points: number; ms: number }> {
  const t0 = performance.now();
  let alerts = 0;
  let points = 0;
  for (const f of files) {
    for await (const b of readAlertBatches(f, { withCutouts })) {
      alerts += b.alerts.length;
      points += b.history.jd.length;
    }
  }
  return { alerts, points, ms: performance.now() - t0 };
}

const fmt = (r: { alerts: number; points: number; ms: number }) =>
  `${r.alerts} alerts, ${r.points} history points in ${r.ms.toFixed(0)} ms = ${Math.round((r.alerts / r.ms) * 1000)} alerts/s`;

const dataDir = fileURLToPath(new URL('../../../shared/data/fink-ztf', import.meta.url));
if (existsSync(dataDir)) {
  const files = await listAlertFiles([dataDir]);
  await timeRead(files, false); // warm-up (wasm instantiation, JIT)
  for (const withCutouts of [false, true]) {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await timeRead(files, withCutouts));
    const best = runs.reduce((a, b) => (a.ms < b.ms ? a : b));
    console.log(`shared files (${files.length}), ${withCutouts ? 'with' : 'without'} cutouts, best of 3: ${fmt(best)}`);
  }
} else {
  console.log(`shared files: skipped, ${dataDir} is absent`);
}

const n = Number(process.argv[2] ?? 100_000);
const historyLength = Number(process.argv[3] ?? 30);
const dir = mkdtempSync(path.join(tmpdir(), 'finkvra-bench-'));
try {
  const file = path.join(dir, 'night.parquet');
  const t0 = performance.now();
  // Building Arrow rows in JS is slow: make one 10k chunk and repeat it (the reader does not care that ids repeat).
  const chunk = 10_000;
  const one = alertTable(sampleRows(Math.min(chunk, n), 1, historyLength)).batches;
  const batches = [];
  for (let start = 0; start < n; start += chunk) {
    batches.push(...(n - start >= chunk ? one : alertTable(sampleRows(n - start, 2, historyLength)).batches));
  }
  writeFileSync(file, toParquet(new Table(batches), chunk));
  const mb = statSync(file).size / 1e6;
  console.log(`generated night: ${n} alerts, ${historyLength} history points each, ${mb.toFixed(0)} MB, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  peakRss = 0;
  const rssBefore = process.memoryUsage().rss;
  const r = await timeRead([file], false);
  console.log(`night without cutouts: ${fmt(r)}, ${((mb / r.ms) * 1000).toFixed(0)} MB/s of file, peak RSS ${(peakRss / 1e6).toFixed(0)} MB (before ${(rssBefore / 1e6).toFixed(0)} MB)`);
  const c = await timeRead([file], true);
  console.log(`night with (small fake) cutouts: ${fmt(c)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  clearInterval(sampler);
}
