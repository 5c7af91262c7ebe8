/**
 * Ingest benchmark: `node --import tsx test/bench/ingest.bench.ts [--alerts N] [--seed S] [--cutouts small|realistic]
 * [--row-group N[,N…]] [--survey ztf|lsst]`
 *
 * `--survey lsst` runs the same comparison on a seeded LSST night (Fink's LSST 10.0 layout): see ingest-lsst.ts.
 *
 * 1. Generates a night with the project's generator (cached in the OS temp folder, keyed by seed/size/mode/row group)
 *    for each row-group size (default 10,000; with realistic cutouts 10,000 and 20,000 over 20,000 alerts, where
 *    peak memory is the question).
 * 2. Our ingest + features into a fresh store, in a child process (alerts/s, MB/s, peak RSS of that process): once
 *    without the cutouts (the like-for-like run: DuckDB reads no cutouts either) and once with them (the default
 *    ingest, which also writes the three stamps of every alert, most of the file's bytes).
 * 3. DuckDB computing the same ndets / nnondets / dets_median / dets_std / drb per candid with SQL over the same
 *    file, also in a child process.
 * 4. Checks all runs agree on a sample of candids, prints a table and the ratios ours / DuckDB.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchLsst, childDuckdbLsst, childOursLsst, type LsstChildReport } from './ingest-lsst.js';
import { timedIngest } from './ingest-child.js';

interface Stats {
  ndets: number;
  nnondets: number;
  dets_median: number | null;
  dets_std: number | null;
  drb: number | null;
}

interface ChildReport {
  seconds: number;
  alerts: number;
  maxRssMb: number;
  sample: Record<string, Stats>;
  note?: string;
}

/** Part of the cache key: bump whenever the generator's output for a given seed changes. */
const GENERATOR_VERSION = 1;
const SELF = fileURLToPath(import.meta.url);

function cachePath(seed: number, n: number, cutouts: string, rowGroup: number): string {
  const dir = join(tmpdir(), 'finkvra-bench');
  mkdirSync(dir, { recursive: true });
  const rg = rowGroup === 10_000 ? '' : `_rg${rowGroup}`;
  return join(dir, `night_s${seed}_n${n}_${cutouts}${rg}_g${GENERATOR_VERSION}.parquet`);
}


// ---------------------------------------------------------------------------------------------------- children

async function childOurs(file: string, dbPath: string, sampleFile: string, withCutouts: boolean): Promise<ChildReport> {
  const names = ['ndets', 'nnondets', 'dets_median', 'dets_std', 'drb'];
  const r = await timedIngest(file, dbPath, { sampleFile, withCutouts, featureSet: 'seed', names });
  return { ...r, sample: r.sample as unknown as Record<string, Stats> };
}

/** The same statistics in SQL: positive detections (current + history), history upper limits, drb. */
const DUCKDB_SQL = (file: string): string => `
CREATE TABLE res AS
WITH a AS (
  SELECT candid::VARCHAR AS candid, candidate.drb::DOUBLE AS drb,
    list_concat(
      CASE WHEN candidate.isdiffpos = 't' THEN [candidate.magpsf::DOUBLE] ELSE []::DOUBLE[] END,
      [x.magpsf::DOUBLE FOR x IN coalesce(prv_candidates, []) IF x.isdiffpos = 't']
    ) AS dets,
    len([x FOR x IN coalesce(prv_candidates, []) IF x.magpsf IS NULL]) AS nnondets
  FROM read_parquet('${file.replace(/'/g, "''")}')
)
SELECT candid, drb, len(dets) AS ndets, nnondets,
  list_aggregate(dets, 'median') AS dets_median, list_aggregate(dets, 'stddev_pop') AS dets_std
FROM a`;

async function childDuckdb(file: string, sampleFile: string): Promise<ChildReport> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  const t0 = performance.now();
  await con.run(DUCKDB_SQL(file));
  const seconds = (performance.now() - t0) / 1000;
  const n = Number((await con.runAndReadAll('SELECT count(*) AS n FROM res')).getRowObjects()[0]!.n);
  const candids = JSON.parse(readFileSync(sampleFile, 'utf8')) as string[];
  await con.run('CREATE TABLE pick (candid VARCHAR)');
  const app = await con.createAppender('pick');
  for (const c of candids) {
    app.appendVarchar(c);
    app.endRow();
  }
  app.closeSync();
  const rows = (await con.runAndReadAll('SELECT r.* FROM res r JOIN pick USING (candid)')).getRowObjects();
  const sample: Record<string, Stats> = {};
  for (const r of rows) {
    const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
    sample[String(r.candid)] = {
      ndets: Number(r.ndets),
      nnondets: Number(r.nnondets),
      dets_median: num(r.dets_median),
      dets_std: num(r.dets_std),
      drb: num(r.drb),
    };
  }
  con.closeSync();
  return { seconds, alerts: n, maxRssMb: process.resourceUsage().maxRSS / 1024, sample };
}

function runChild(args: string[]): Promise<ChildReport> {
  // Each run starts with no dirty pages of the previous one still being written back (they took the disk and a core
  // during the next run and made the figures swing by ±20%).
  if (process.platform !== 'win32') spawnSync('sync');
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', SELF, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`child ${args[0]} exited with ${code}`));
      const line = out.trim().split('\n').pop() ?? '';
      resolve(JSON.parse(line) as ChildReport);
    });
  });
}

// ---------------------------------------------------------------------------------------------------- parent

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      alerts: { type: 'string' },
      'row-group': { type: 'string' },
      seed: { type: 'string', default: '42' },
      cutouts: { type: 'string', default: 'small' },
      'no-cutouts': { type: 'boolean', default: false },
      'child-ours': { type: 'string' },
      'child-duckdb': { type: 'string' },
      db: { type: 'string' },
      sample: { type: 'string' },
      survey: { type: 'string', default: 'ztf' },
      'child-ours-lsst': { type: 'string' },
      'child-duckdb-lsst': { type: 'string' },
    },
  });
  if (values['child-ours-lsst']) {
    console.log(JSON.stringify(await childOursLsst(values['child-ours-lsst'], values.db!, values.sample!, !values['no-cutouts'])));
    return;
  }
  if (values['child-duckdb-lsst']) {
    console.log(JSON.stringify(await childDuckdbLsst(values['child-duckdb-lsst'], values.sample!)));
    return;
  }
  if (values['child-ours']) {
    const r = await childOurs(values['child-ours'], values.db!, values.sample!, !values['no-cutouts']);
    console.log(JSON.stringify(r));
    return;
  }
  if (values['child-duckdb']) {
    console.log(JSON.stringify(await childDuckdb(values['child-duckdb'], values.sample!)));
    return;
  }

  if (values.survey !== 'ztf' && values.survey !== 'lsst') throw new Error(`--survey must be ztf or lsst, got '${values.survey}'`);
  if (values.survey === 'lsst') {
    const n = Number(values.alerts ?? 20_000);
    const rowGroup = Number(values['row-group'] ?? 10_000);
    const ok = await benchLsst(n, Number(values.seed), rowGroup, !values['no-cutouts'], (args) => runChild(args) as unknown as Promise<LsstChildReport>);
    if (!ok) process.exitCode = 1;
    return;
  }
  const cutouts = values.cutouts === 'realistic' ? 'realistic' : 'small';
  const nAlerts = Number(values.alerts ?? (cutouts === 'realistic' ? 20_000 : 100_000));
  const seed = Number(values.seed);
  const rowGroups = (values['row-group'] ?? (cutouts === 'realistic' ? '10000,20000' : '10000')).split(',').map(Number);
  let failed = false;
  for (const rowGroup of rowGroups) {
    console.log(`\n== row groups of ${rowGroup} alerts ==`);
    failed = !(await benchOne(nAlerts, seed, cutouts, rowGroup, !values['no-cutouts'])) || failed;
  }
  if (failed) process.exitCode = 1;
}

/** One night (one row-group size): generate or reuse it, run the three children, print the table. */
async function benchOne(nAlerts: number, seed: number, cutouts: 'small' | 'realistic', rowGroup: number, withCutouts: boolean): Promise<boolean> {
  const file = cachePath(seed, nAlerts, cutouts, rowGroup);
  if (!existsSync(file) || !existsSync(`${file}.truth.json`)) {
    const { writeSampleNight } = await import('../../core/sample/write.js');
    console.log(`generating ${nAlerts} alerts (seed ${seed}, ${cutouts} cutouts) into ${file} ...`);
    const t0 = performance.now();
    await writeSampleNight(file, {
      seed,
      nAlerts,
      night: '2025-06-14',
      rowGroupSize: rowGroup,
      cutouts,
      onProgress: (n) => process.stdout.write(`\r  ${n}/${nAlerts}`),
    });
    console.log(`\n  generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else console.log(`using cached night ${file}`);
  const mb = statSync(file).size / 1e6;
  if (cutouts === 'small')
    console.log(
      `note: 'small' cutouts (smooth stamps from a small pool, a few kB per alert with its history): realistic noisy stamps (~13 kB each, like ZTF's) would make ` +
        `this file ~${((nAlerts * 45e3) / 1e9).toFixed(1)} GB. Pass --cutouts realistic to measure that.`,
    );

  // A deterministic sample of candids to compare.
  const truth = JSON.parse(readFileSync(`${file}.truth.json`, 'utf8')) as { alerts: { candid: string }[] };
  const step = Math.max(1, Math.floor(truth.alerts.length / 1000));
  const sampleCandids = truth.alerts.filter((_, i) => i % step === 0).map((a) => a.candid);
  const work = mkdtempSync(join(tmpdir(), 'finkvra-bench-run-'));
  const sampleFile = join(work, 'sample.json');
  writeFileSync(sampleFile, JSON.stringify(sampleCandids));

  console.log('running our ingest + features without cutouts (child process) ...');
  const ours = await runChild(['--child-ours', file, '--db', join(work, 'bench.sqlite'), '--sample', sampleFile, '--no-cutouts']);
  let oursCut: ChildReport | null = null;
  if (withCutouts) {
    console.log('running our ingest + features + cutouts (child process) ...');
    oursCut = await runChild(['--child-ours', file, '--db', join(work, 'bench-cut.sqlite'), '--sample', sampleFile]);
  }
  console.log('running DuckDB (child process) ...');
  const duck = await runChild(['--child-duckdb', file, '--sample', sampleFile]);

  // Agreement on the sample.
  let compared = 0;
  const mismatches: string[] = [];
  const close = (a: number | null, b: number | null): boolean =>
    a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  for (const [name, run] of [['ours', ours], ['ours+cutouts', oursCut]] as const) {
    if (!run) continue;
    for (const c of sampleCandids) {
      const o = run.sample[c];
      const d = duck.sample[c];
      if (!o || !d) {
        mismatches.push(`${c}: missing in ${o ? 'duckdb' : name}`);
        continue;
      }
      compared++;
      for (const k of ['ndets', 'nnondets', 'dets_median', 'dets_std', 'drb'] as const)
        if (!close(o[k], d[k])) mismatches.push(`${c}.${k}: ${name} ${o[k]} duckdb ${d[k]}`);
    }
  }

  const row = (name: string, r: ChildReport): string =>
    `| ${name.padEnd(30)} | ${r.alerts.toString().padStart(7)} | ${r.seconds.toFixed(2).padStart(7)} | ` +
    `${Math.round(r.alerts / r.seconds).toString().padStart(9)} | ${(mb / r.seconds).toFixed(1).padStart(6)} | ${r.maxRssMb.toFixed(0).padStart(12)} |`;
  console.log('');
  console.log(`file: ${file} (${mb.toFixed(1)} MB, ${nAlerts} alerts, row groups of ${rowGroup})`);
  console.log('| run                            |  alerts |       s |  alerts/s |   MB/s | peak RSS MB  |');
  console.log('|--------------------------------|---------|---------|-----------|--------|--------------|');
  console.log(row('ours: ingest+features', ours));
  if (oursCut) console.log(row('ours: ingest+features+cutouts', oursCut));
  console.log(row('DuckDB: same stats in SQL', duck));
  const rate = (r: ChildReport): number => r.alerts / r.seconds;
  const ratio = rate(ours) / rate(duck);
  console.log('');
  console.log(`throughput ratio ours/DuckDB, ingest + features: ${ratio.toFixed(2)}× (goal ≥ 0.5×) ${ratio >= 0.5 ? 'OK' : 'BELOW GOAL'}`);
  if (oursCut) {
    const r = rate(oursCut) / rate(duck);
    console.log(`throughput ratio ours/DuckDB, also storing the cutouts (which DuckDB does not read): ${r.toFixed(2)}×`);
  }
  const rss = Math.max(ours.maxRssMb, oursCut?.maxRssMb ?? 0);
  console.log(`peak RSS ours: ${rss.toFixed(0)} MB (goal < 1024 MB) ${rss < 1024 ? 'OK' : 'ABOVE GOAL'}`);
  console.log(`agreement: ${compared} candids compared, ${mismatches.length} mismatches`);
  for (const m of mismatches.slice(0, 10)) console.log(`  ${m}`);
  rmSync(work, { recursive: true, force: true });
  return mismatches.length === 0;
}

await main();
