import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertFileError } from '../../core/alerts/errors.js';
import { readAlertBatches } from '../../core/alerts/reader.js';
import { ingestFiles } from '../../core/ingest/ingest.js';
import { ReaderThread, ReaderThreadUnavailable, readSource } from '../../core/ingest/read-thread.js';
import { readSourceBatches } from '../../core/ingest/source.js';
import { writeSampleNight } from '../../core/sample/write.js';
import { readCutouts } from '../../core/store/cutouts.js';
import { openStore, type Db } from '../../core/store/database.js';

/** Everything ingest stored, as comparable rows (source file ids and sidecar names aside). */
function dump(db: Db): unknown[] {
  const alerts = db.prepare('SELECT * FROM alerts ORDER BY candid').all() as Record<string, unknown>[];
  for (const a of alerts) delete a.source_file_id;
  const lc = db.prepare('SELECT candid, hex(data) AS d FROM alert_lc ORDER BY candid').all();
  const f = db.prepare('SELECT candid, feature_set, ndets, hex(vector) AS v FROM features ORDER BY candid').all();
  const cut = alerts.map((a) => {
    const c = readCutouts(db, a.candid as string);
    return c ? [c.science?.length, c.template?.length, c.difference?.length, c.science?.[5]] : null;
  });
  return [alerts, lc, f, cut];
}

describe('reading on a worker thread', () => {
  let dir: string;
  let night: string;
  let reader: ReaderThread;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vra-thread-'));
    night = join(dir, 'night.parquet');
    // Several row groups and batches, with an in-file duplicate candid or two from the generator's repeats.
    await writeSampleNight(night, { seed: 11, nAlerts: 230, night: '2024-05-01', cutouts: 'small', rowGroupSize: 100 });
    reader = new ReaderThread();
  });
  afterAll(async () => {
    await reader.close();
  });

  it('yields the same batches as reading in process, and writes the same cutout sidecar', async () => {
    const local = [];
    for await (const b of readSourceBatches(night, { batchSize: 40, cutoutsPath: join(dir, 'c1.sqlite') })) local.push(b);
    const remote = [];
    for await (const b of reader.read(night, { batchSize: 40, cutoutsPath: join(dir, 'c2.sqlite') })) remote.push(b);
    expect(remote.map((b) => [b.firstRow, b.columns.n])).toEqual(local.map((b) => [b.firstRow, b.columns.n]));
    expect(remote.length).toBeGreaterThan(5);
    for (let i = 0; i < local.length; i++) {
      expect(remote[i].columns).toEqual(local[i].columns);
      expect(remote[i].history).toEqual(local[i].history);
      // The lazily made alert objects agree too (and have no cutouts: those went to the sidecar).
      expect(remote[i].alerts).toEqual(local[i].alerts);
    }
    // Same stamps in both sidecars, compared with what the reader itself decodes.
    const Database = (await import('better-sqlite3')).default;
    const rows = (p: string) => new Database(p, { readonly: true }).prepare('SELECT candid, hex(science) s, hex(difference) d FROM cutouts ORDER BY candid').all();
    const direct: { candid: string; s: string }[] = [];
    for await (const b of readAlertBatches(night, { withCutouts: true }))
      for (const a of b.alerts) direct.push({ candid: a.candid, s: Buffer.from(a.cutouts!.science!).toString('hex').toUpperCase() });
    const c2 = rows(join(dir, 'c2.sqlite')) as { candid: string; s: string }[];
    expect(c2).toEqual(rows(join(dir, 'c1.sqlite')));
    const first = new Map<string, string>();
    for (const d of direct) if (!first.has(d.candid)) first.set(d.candid, d.s);
    expect(new Map(c2.map((r) => [r.candid, r.s]))).toEqual(first);
  });

  it('reads in process when the thread cannot start (nothing lost, same batches)', async () => {
    // A worker module that fails as it loads, as a packaged app unable to load the script would.
    const broken = join(dir, 'broken-worker.mjs');
    writeFileSync(broken, "throw new Error('cannot load');\n");
    const thread = new ReaderThread(new URL(`file://${broken}`));
    try {
      const local = [];
      for await (const b of readSourceBatches(night, { batchSize: 100, cutoutsPath: null })) local.push(b.columns);
      const got = [];
      for await (const b of readSource(night, { batchSize: 100, cutoutsPath: null }, thread)) got.push(b.columns);
      expect(got).toEqual(local);
      expect(thread.unavailable).toBeInstanceOf(ReaderThreadUnavailable);
      expect(thread.unavailable!.message).toContain('cannot load');
      // A module that does not exist at all fails in the constructor, and is handled the same way.
      const missing = new ReaderThread(new URL(`file://${join(dir, 'nope.js')}`));
      expect(missing.unavailable).toBeInstanceOf(ReaderThreadUnavailable);
      let n = 0;
      for await (const b of readSource(night, { batchSize: 1000, cutoutsPath: null }, missing)) n += b.columns.n;
      expect(n).toBe(230);
      await missing.close();
    } finally {
      await thread.close();
    }
  });

  it('reads in process once the thread has stopped, for the files after', async () => {
    const thread = new ReaderThread();
    let n = 0;
    for await (const b of readSource(night, { batchSize: 100, cutoutsPath: null }, thread)) n += b.columns.n;
    expect(n).toBe(230);
    // The worker dies (as an out-of-memory kill would end it); the next file is read here, whole.
    await (thread as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await new Promise((r) => setTimeout(r, 20));
    expect(thread.unavailable?.message).toMatch(/reader thread stopped/);
    const rows: number[] = [];
    for await (const b of readSource(night, { batchSize: 100, cutoutsPath: null }, thread)) rows.push(b.firstRow);
    expect(rows).toEqual([0, 100, 200]);
    await thread.close();
  });

  it('reports a bad file as the same AlertFileError, and stays usable', async () => {
    const bad = join(dir, 'bad.parquet');
    writeFileSync(bad, 'candid,objectId\n1,ZTF\n');
    const errorOf = async (gen: AsyncGenerator<unknown>): Promise<unknown> => {
      try {
        for await (const _ of gen) void _;
      } catch (e) {
        return e;
      }
      return null;
    };
    const local = await errorOf(readSourceBatches(bad, { batchSize: 10, cutoutsPath: null }));
    const remote = await errorOf(reader.read(bad, { batchSize: 10, cutoutsPath: null }));
    expect(remote).toBeInstanceOf(AlertFileError);
    expect((remote as AlertFileError).message).toBe((local as AlertFileError).message);
    expect((remote as AlertFileError).message).toContain('bad.parquet');
    let n = 0;
    for await (const b of reader.read(night, { batchSize: 1000, cutoutsPath: null })) n += b.columns.n;
    expect(n).toBe(230);
  });

  it('stops when the caller stops, and reads the next file from its start', async () => {
    for await (const b of reader.read(night, { batchSize: 10, cutoutsPath: null })) {
      expect(b.firstRow).toBe(0);
      break;
    }
    const firstRows: number[] = [];
    for await (const b of reader.read(night, { batchSize: 100, cutoutsPath: null })) firstRows.push(b.firstRow);
    expect(firstRows).toEqual([0, 100, 200]);
  });

  it('ingest stores exactly the same with and without the thread', async () => {
    const a = openStore(join(dir, 'a.sqlite'));
    const b = openStore(join(dir, 'b.sqlite'));
    const sa = await ingestFiles(a, [night], { readInThread: false, batchSize: 50 });
    const sb = await ingestFiles(b, [night], { readInThread: true, batchSize: 50 });
    expect(sb.files).toEqual(sa.files);
    expect(sa.newAlerts).toBeGreaterThan(200);
    expect(dump(b)).toEqual(dump(a));
    a.close();
    b.close();
  });

  it('a prefetched read yields the same batches, and a prefetch not taken is dropped cleanly', async () => {
    const want = [];
    for await (const b of readSourceBatches(night, { batchSize: 60, cutoutsPath: null })) want.push(b.columns);
    expect(reader.prefetch(night, { batchSize: 60, cutoutsPath: null })).toBe(true);
    // Only one prefetch at a time.
    expect(reader.prefetch(night, { batchSize: 60, cutoutsPath: null })).toBe(false);
    const got = [];
    for await (const b of reader.read(night, { batchSize: 60, cutoutsPath: null })) got.push(b.columns);
    expect(got).toEqual(want);
    // Prefetch one file, then read another: the first read is cancelled and none of its batches leak into the second.
    const other = join(dir, 'other.parquet');
    await writeSampleNight(other, { seed: 12, nAlerts: 30, night: '2024-05-02', cutouts: 'small' });
    expect(reader.prefetch(night, { batchSize: 10, cutoutsPath: null })).toBe(true);
    const candids = [];
    for await (const b of reader.read(other, { batchSize: 10, cutoutsPath: null })) candids.push(...b.columns.candid);
    const direct = [];
    for await (const b of readAlertBatches(other)) direct.push(...b.columns.candid);
    expect(candids).toEqual(direct);
  });

  it('several files, one of them bad, store the same with the thread (reading ahead) as without', async () => {
    const files = [0, 1, 2].map((k) => join(dir, `multi-${k}.parquet`));
    for (const [k, f] of files.entries()) await writeSampleNight(f, { seed: 40 + k, nAlerts: 70, night: `2024-06-0${k + 1}`, cutouts: 'small', rowGroupSize: 25 });
    const bad = join(dir, 'multi-1b.parquet');
    writeFileSync(bad, 'not a parquet file at all');
    const inputs = [files[0], files[1], bad, files[2]];
    const a = openStore(join(dir, 'multi-a.sqlite'));
    const b = openStore(join(dir, 'multi-b.sqlite'));
    const sa = await ingestFiles(a, inputs, { readInThread: false, batchSize: 20 });
    const sb = await ingestFiles(b, inputs, { readInThread: true, batchSize: 20 });
    expect(sb.files).toEqual(sa.files);
    expect(sb.files.map((f) => f.ok)).toEqual([true, true, false, true]);
    expect(sb.files[2].error).toContain('multi-1b.parquet');
    expect(dump(b)).toEqual(dump(a));
    // One sidecar per good file, none for the bad one.
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(`${b.name}-cutouts`)).toHaveLength(3);
    a.close();
    b.close();
  });

  it('the same bytes under another name are recognised while reading, and add nothing', async () => {
    const db = openStore(join(dir, 'renamed.sqlite'));
    await ingestFiles(db, [night]);
    const copy = join(dir, 'copy-of-night.parquet');
    copyFileSync(night, copy);
    const s = await ingestFiles(db, [copy], { readInThread: true });
    expect(s.files[0]).toMatchObject({ ok: true, skipped: 'already-ingested', newAlerts: 0 });
    const n = (t: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    expect(n('source_files')).toBe(1);
    // No sidecar is left behind for the skipped copy.
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(`${db.name}-cutouts`)).toHaveLength(1);
    db.close();
  });
});
