import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { loadDustMap } from '../../core/features/dust.js';
import { ingestFiles } from '../../core/ingest/ingest.js';
import { openStore } from '../../core/store/database.js';
import { loadFeatureMatrix } from '../../core/store/features.js';
import { DUST_DIR, FINK_ZTF, README_ROWS, sharedDataOrSkipReason } from '../helpers/shared-data.js';

const present = sharedDataOrSkipReason('ingest real data');


describe.skipIf(!present)('ingest of every real Fink file', () => {
  it('stores 366 + 11 distinct alerts, exact candids, and re-ingest changes nothing', async () => {
    const db = openStore(join(mkdtempSync(join(tmpdir(), 'vra-real-')), 's.sqlite'));
    const dust = loadDustMap(join(DUST_DIR, 'dust_ebv_SFD_healpix_lowres.fits'));
    const s = await ingestFiles(db, [FINK_ZTF], { dust });
    expect(s.failed).toBe(0);
    for (const f of s.files) expect(f.rows, f.file).toBe(README_ROWS[f.file.split('/').pop()!]);
    expect(s.newAlerts).toBe(377);
    // sample_b's 57 alerts are all inside superluminous (read first, alphabetically).
    expect(s.files.find((f) => f.file.endsWith('sample_b.parquet'))?.newAlerts).toBe(0);
    expect((db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n).toBe(377);

    // candid exact: compare with DuckDB's own reading of the same files as text.
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    const r = await duck.runAndReadAll(
      `SELECT DISTINCT candid::VARCHAR AS c FROM read_parquet('${FINK_ZTF}/*.parquet', union_by_name = true)`,
    );
    const fromDuck = new Set(r.getRowObjectsJson().map((o) => String(o.c)));
    expect(fromDuck.size).toBe(366);
    const ours = new Set((db.prepare('SELECT candid FROM alerts').all() as { candid: string }[]).map((x) => x.candid));
    for (const c of fromDuck) expect(ours.has(c), c).toBe(true);

    // Every alert has features; ebv is set everywhere with a map.
    const m = loadFeatureMatrix(db);
    expect(m.n).toBe(377);
    const e = m.names.indexOf('ebv');
    for (let i = 0; i < m.n; i++) expect(Number.isFinite(m.X[i * m.d + e])).toBe(true);

    const again = await ingestFiles(db, [FINK_ZTF], { dust });
    expect(again.files.every((f) => f.skipped === 'already-ingested')).toBe(true);
    expect((db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n).toBe(377);
    db.close();
  });
});
