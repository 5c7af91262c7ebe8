/**
 * The LSST half of the ingest benchmark (`bench:ingest --survey lsst`): a seeded LSST night (core/sample/lsst),
 * our ingest + LSST features into a fresh store, and DuckDB computing the same per-alert numbers with SQL over the
 * same file; both in child processes (see ingest.bench.ts), compared on a sample of diaSourceIds.
 *
 * The numbers compared are LSST features (core/surveys/lsst/features.ts): ndet (the diaSource plus previous
 * sources, the alert's own id counted once), nforced, flux_median_r / flux_std_r (population) over r-band
 * detections, reliability.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timedIngest } from './ingest-child.js';

export type LsstStats = Record<(typeof LSST_STATS)[number], number | null>;
export const LSST_STATS = ['ndet', 'nforced', 'flux_median_r', 'flux_std_r', 'reliability'] as const;

export interface LsstChildReport {
  seconds: number;
  alerts: number;
  maxRssMb: number;
  sample: Record<string, LsstStats>;
}

/** Part of the cache key: bump whenever the LSST generator's output for a given seed changes. */
const LSST_GENERATOR_VERSION = 2;

function cachePath(seed: number, n: number, rowGroup: number, withCutouts: boolean): string {
  const dir = join(tmpdir(), 'finkvra-bench');
  mkdirSync(dir, { recursive: true });
  return join(dir, `lsst_s${seed}_n${n}_rg${rowGroup}${withCutouts ? '' : '_nocut'}_g${LSST_GENERATOR_VERSION}.parquet`);
}

export async function childOursLsst(file: string, dbPath: string, sampleFile: string, withCutouts: boolean): Promise<LsstChildReport> {
  const r = await timedIngest(file, dbPath, { sampleFile, withCutouts, featureSet: 'lsst', names: LSST_STATS });
  return { ...r, sample: r.sample as Record<string, LsstStats> };
}

const BANDS = "('u', 'g', 'r', 'i', 'z', 'y')";

/** The same numbers in SQL over the file (previous sources with the alert's own id left out, as ours does). */
const DUCKDB_LSST_SQL = (file: string): string => `
CREATE TABLE res AS
WITH a AS (
  SELECT diaSourceId AS id, diaSource.reliability::DOUBLE AS reliability,
    (diaSource.psfFlux IS NOT NULL AND diaSource.band IN ${BANDS})::INTEGER
      + len([x FOR x IN coalesce(prvDiaSources, []) IF x.diaSourceId != diaSourceId AND x.psfFlux IS NOT NULL AND x.band IN ${BANDS}]) AS ndet,
    len([x FOR x IN coalesce(prvDiaForcedSources, []) IF x.band IN ${BANDS}]) AS nforced,
    list_concat(
      CASE WHEN diaSource.band = 'r' AND diaSource.psfFlux IS NOT NULL THEN [diaSource.psfFlux::DOUBLE] ELSE []::DOUBLE[] END,
      [x.psfFlux::DOUBLE FOR x IN coalesce(prvDiaSources, []) IF x.diaSourceId != diaSourceId AND x.band = 'r' AND x.psfFlux IS NOT NULL]
    ) AS r
  FROM read_parquet('${file.replace(/'/g, "''")}')
)
SELECT id::VARCHAR AS candid, ndet, nforced, reliability,
  list_aggregate(r, 'median') AS flux_median_r, list_aggregate(r, 'stddev_pop') AS flux_std_r
FROM a`;

export async function childDuckdbLsst(file: string, sampleFile: string): Promise<LsstChildReport> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  const t0 = performance.now();
  await con.run(DUCKDB_LSST_SQL(file));
  const seconds = (performance.now() - t0) / 1000;
  const n = Number((await con.runAndReadAll('SELECT count(*) AS n FROM res')).getRowObjects()[0]!.n);
  const candids = new Set(JSON.parse(readFileSync(sampleFile, 'utf8')) as string[]);
  const sample: Record<string, LsstStats> = {};
  for (const r of (await con.runAndReadAll('SELECT * FROM res')).getRowObjects()) {
    if (!candids.has(String(r.candid))) continue;
    sample[String(r.candid)] = Object.fromEntries(LSST_STATS.map((k) => [k, r[k] === null ? null : Number(r[k])])) as LsstStats;
  }
  con.closeSync();
  return { seconds, alerts: n, maxRssMb: process.resourceUsage().maxRSS / 1024, sample };
}

type RunChild = (args: string[]) => Promise<LsstChildReport>;

async function ensureNight(nAlerts: number, seed: number, rowGroup: number, withCutouts: boolean): Promise<string> {
  const file = cachePath(seed, nAlerts, rowGroup, withCutouts);
  if (existsSync(file) && existsSync(`${file}.truth.json`)) {
    console.log(`using cached LSST night ${file}`);
    return file;
  }
  const { generateLsstNight } = await import('../../core/sample/lsst/write.js');
  console.log(`generating ${nAlerts} LSST alerts (seed ${seed}, ${withCutouts ? 'with' : 'without'} stamps) into ${file} ...`);
  const t0 = performance.now();
  await generateLsstNight({ out: file, seed, alerts: nAlerts, night: '2025-11-20', rowGroup, withCutouts, onProgress: (k) => process.stdout.write(`\r  ${k}/${nAlerts}`) });
  const s = (performance.now() - t0) / 1000;
  console.log(`\n  generated in ${s.toFixed(1)} s (${Math.round(nAlerts / s)} alerts/s, ${(statSync(file).size / 1e6).toFixed(1)} MB)`);
  return file;
}

function disagreements(sampleIds: string[], ours: LsstChildReport, duck: LsstChildReport): string[] {
  const close = (a: number | null, b: number | null): boolean => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)));
  const out: string[] = [];
  for (const c of sampleIds) {
    const o = ours.sample[c];
    const d = duck.sample[c];
    if (!o || !d) out.push(`${c}: missing in ${o ? 'duckdb' : 'ours'}`);
    else for (const k of LSST_STATS) if (!close(o[k], d[k])) out.push(`${c}.${k}: ours ${o[k]} duckdb ${d[k]}`);
  }
  return out;
}

function row(name: string, r: LsstChildReport, mb: number): string {
  return `| ${name.padEnd(30)} | ${String(r.alerts).padStart(7)} | ${r.seconds.toFixed(2).padStart(7)} | ${String(Math.round(r.alerts / r.seconds)).padStart(9)} | ${(mb / r.seconds).toFixed(1).padStart(6)} | ${r.maxRssMb.toFixed(0).padStart(12)} |`;
}

/** One LSST night: generate or reuse it, run ours and DuckDB, print the table; false when anything disagrees or fails. */
export async function benchLsst(nAlerts: number, seed: number, rowGroup: number, withCutouts: boolean, runChild: RunChild): Promise<boolean> {
  const file = await ensureNight(nAlerts, seed, rowGroup, withCutouts);
  const mb = statSync(file).size / 1e6;
  const truth = JSON.parse(readFileSync(`${file}.truth.json`, 'utf8')) as { alerts: { candid: string }[] };
  const step = Math.max(1, Math.floor(truth.alerts.length / 1000));
  const sampleIds = truth.alerts.filter((_, i) => i % step === 0).map((a) => a.candid);
  const work = mkdtempSync(join(tmpdir(), 'finkvra-bench-lsst-'));
  const sampleFile = join(work, 'sample.json');
  writeFileSync(sampleFile, JSON.stringify(sampleIds));
  try {
    console.log('running DuckDB on the LSST night (child process) ...');
    const duck = await runChild(['--child-duckdb-lsst', file, '--sample', sampleFile]);
    console.log(`running our ingest + LSST features${withCutouts ? ' + stamps' : ''} (child process) ...`);
    let ours: LsstChildReport;
    try {
      ours = await runChild(['--child-ours-lsst', file, '--db', join(work, 'bench.sqlite'), '--sample', sampleFile, ...(withCutouts ? [] : ['--no-cutouts'])]);
    } catch (e) {
      console.log(`our ingest of the LSST night failed: ${e instanceof Error ? e.message : String(e)} (DuckDB: ${duck.alerts} alerts in ${duck.seconds.toFixed(2)} s)`);
      return false;
    }
    const bad = disagreements(sampleIds, ours, duck);
    console.log(`\nfile: ${file} (${mb.toFixed(1)} MB, ${nAlerts} LSST alerts, row groups of ${rowGroup})`);
    console.log('| run                            |  alerts |       s |  alerts/s |   MB/s | peak RSS MB  |');
    console.log('|--------------------------------|---------|---------|-----------|--------|--------------|');
    console.log(row(`ours: ingest+features${withCutouts ? '+stamps' : ''}`, ours, mb));
    console.log(row('DuckDB: same numbers in SQL', duck, mb));
    console.log(`\nthroughput ratio ours/DuckDB: ${(ours.alerts / ours.seconds / (duck.alerts / duck.seconds)).toFixed(2)}×`);
    console.log(`agreement: ${sampleIds.length} diaSourceIds compared, ${bad.length} mismatches`);
    for (const m of bad.slice(0, 10)) console.log(`  ${m}`);
    return bad.length === 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
