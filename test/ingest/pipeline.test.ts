import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../core/ingest/ingest.js';
import { writeSampleNight } from '../../core/sample/write.js';
import { openStore } from '../../core/store/database.js';
import { loadFeatureMatrix } from '../../core/store/features.js';
import { cutoutsDir, readCutouts } from '../../core/store/cutouts.js';

const run = promisify(execFile);
const count = (db: ReturnType<typeof openStore>, table: string): number =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('ingest pipeline on generated files', () => {
  let dir: string;
  let good: string;
  let good2: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vra-pipe-'));
    mkdirSync(join(dir, 'in', 'sub'), { recursive: true });
    good = join(dir, 'in', 'night.parquet');
    good2 = join(dir, 'in', 'sub', 'night2.parquet');
    await writeSampleNight(good, { seed: 7, nAlerts: 40, night: '2024-03-01', cutouts: 'small' });
    await writeSampleNight(good2, { seed: 8, nAlerts: 25, night: '2024-03-02', cutouts: 'small' });
  });

  it('ingests a folder recursively, with features, light curves and cutouts', async () => {
    const db = openStore(join(dir, 'a.sqlite'));
    const s = await ingestFiles(db, [join(dir, 'in')]);
    expect(s.failed).toBe(0);
    expect(s.files.map((f) => f.rows)).toEqual([40, 25]);
    expect(count(db, 'alerts')).toBe(65);
    // Every alert's cutouts come back, from one sidecar per source file.
    const files = db.prepare('SELECT cutouts_file AS f FROM source_files').all() as { f: string }[];
    expect(files.every((r) => r.f)).toBe(true);
    const all = db.prepare('SELECT candid FROM alerts').all() as { candid: string }[];
    for (const { candid } of all) expect(readCutouts(db, candid)?.science?.[0]).toBe(0x1f);
    expect(count(db, 'features')).toBe(65);
    expect(count(db, 'alert_lc')).toBe(65);
    const nights = db.prepare('SELECT DISTINCT night FROM alerts ORDER BY night').all() as { night: string }[];
    expect(nights.map((n) => n.night)).toEqual(['2024-03-01', '2024-03-02']);
    // ndets stored beside the vector equals the vector's own ndets feature.
    const m = loadFeatureMatrix(db);
    const j = m.names.indexOf('ndets');
    const stored = db.prepare("SELECT candid, ndets FROM features WHERE feature_set = 'fs1'").all() as {
      candid: string;
      ndets: number;
    }[];
    const byCandid = new Map(stored.map((r) => [r.candid, r.ndets]));
    for (let i = 0; i < m.n; i++) expect(m.X[i * m.d + j]).toBe(byCandid.get(m.candids[i]));
    db.close();
  });

  it('re-ingesting the same file changes nothing', async () => {
    const db = openStore(join(dir, 'b.sqlite'));
    await ingestFiles(db, [good]);
    const before = [count(db, 'alerts'), count(db, 'alert_lc'), count(db, 'source_files')];
    const s = await ingestFiles(db, [good]);
    expect(s.files[0].skipped).toBe('already-ingested');
    expect([count(db, 'alerts'), count(db, 'alert_lc'), count(db, 'source_files')]).toEqual(before);
    // The same content under another name is the same file.
    const copy = join(dir, 'copy.parquet');
    copyFileSync(good, copy);
    expect((await ingestFiles(db, [copy])).files[0].skipped).toBe('already-ingested');
    db.close();
  });

  it('bad files each get one clear error; the good file still ingests; nothing of a bad file is stored', async () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    const bytes = readFileSync(good);
    writeFileSync(join(bad, 'truncated.parquet'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    writeFileSync(join(bad, 'empty.parquet'), '');
    writeFileSync(join(bad, 'table.parquet'), 'candid,objectId\n1,ZTF\n');
    writeFileSync(join(bad, 'noise.parquet'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    copyFileSync(good2, join(bad, 'zgood.parquet'));
    const db = openStore(join(dir, 'c.sqlite'));
    const s = await ingestFiles(db, [bad]);
    expect(s.failed).toBe(4);
    for (const f of s.files.filter((x) => !x.ok)) expect(f.error).toContain(f.file);
    expect(s.files.find((f) => f.file.endsWith('zgood.parquet'))?.newAlerts).toBe(25);
    expect(count(db, 'alerts')).toBe(25);
    // Only the good file's cutout sidecar remains.
    expect(readdirSync(cutoutsDir(db))).toHaveLength(1);
    const errors = db.prepare('SELECT path, error FROM source_files WHERE error IS NOT NULL').all() as {
      path: string;
      error: string;
    }[];
    expect(errors).toHaveLength(4);
    db.close();
  });

  it('the CLI exits non-zero with a summary when a file fails', async () => {
    const bad = join(dir, 'cli');
    mkdirSync(bad);
    writeFileSync(join(bad, 'empty.parquet'), '');
    copyFileSync(good, join(bad, 'ok.parquet'));
    const db = join(dir, 'cli.sqlite');
    const err = await run('node', ['bin/finkvra.js', '--db', db, 'ingest', bad]).catch((e: { code: number; stdout: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    const out = (err as { stdout: string }).stdout;
    expect(out).toMatch(/FAILED .*empty\.parquet/);
    expect(out).toMatch(/2 file\(s\): 1 ok, 1 failed; 40 alerts read, 40 new/);
    const { stdout } = await run('node', ['bin/finkvra.js', '--db', db, 'info']);
    expect(stdout).toMatch(/40 alerts of \d+ objects from 1 file/);
    const x = join(dir, 'X.csv');
    const meta = join(dir, 'meta.csv');
    await run('node', ['bin/finkvra.js', '--db', db, 'features', '--out', x, '--meta', meta]);
    const xl = readFileSync(x, 'utf8').trim().split('\n');
    expect(xl[0].split(',').slice(0, 4)).toEqual(['candid', 'ra', 'dec', 'drb']);
    expect(xl).toHaveLength(41);
    const ml = readFileSync(meta, 'utf8').trim().split('\n');
    expect(ml[0]).toBe('candid,objectId,jd,night,fid');
    expect(ml.slice(1).map((l) => l.split(',')[0])).toEqual(xl.slice(1).map((l) => l.split(',')[0]));
  });
});

describe('sep_arcsec from Lasair Sherlock during ingest', () => {
  it('asks Lasair once per object with a token and caches every answer in the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vra-sherlock-'));
    const file = join(dir, 'n.parquet');
    await writeSampleNight(file, { seed: 11, nAlerts: 12, night: '2024-04-01', cutouts: 'small' });
    const asked: string[] = [];
    const fetchImpl = (async (url: string | URL) => {
      const ids = new URL(String(url)).searchParams.get('objectId')!.split(',');
      asked.push(...ids);
      const body = Object.fromEntries(
        ids.map((id, k) => [id, { classifications: { [id]: ['SN'] }, crossmatches: [{ rank: 1, separationArcsec: 1.5 + k }] }]),
      );
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const db = openStore(join(dir, 's.sqlite'));
    const s = await ingestFiles(db, [file], { lasairToken: 'tok', sherlock: { fetchImpl, baseUrl: 'http://127.0.0.1:1' } });
    expect(s.failed).toBe(0);
    const objects = (db.prepare('SELECT COUNT(DISTINCT object_id) AS n FROM alerts').get() as { n: number }).n;
    expect(new Set(asked).size).toBe(objects);
    expect(asked).toHaveLength(objects);
    const m = loadFeatureMatrix(db);
    const j = m.names.indexOf('sep_arcsec');
    for (let i = 0; i < m.n; i++) expect(m.X[i * m.d + j]).toBeGreaterThanOrEqual(1.5);
    const cached = (db.prepare('SELECT COUNT(*) AS n FROM sherlock_cache').get() as { n: number }).n;
    expect(cached).toBe(objects);
    db.close();
  });
});
