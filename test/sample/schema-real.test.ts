import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSampleNight } from '../../core/sample/write.js';

const dataDir = fileURLToPath(new URL('../../../shared/data/fink-ztf', import.meta.url));
const exists = existsSync(dataDir);
if (!exists) console.warn(`test/sample/schema-real: skipped, real Fink files not found at ${dataDir}`);

/** name → DuckDB type of every column and struct field (list elements as name[]), from DESCRIBE. */
async function describeFile(file: string): Promise<Map<string, string>> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const r = await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file.replace(/'/g, "''")}')`);
  const out = new Map<string, string>();
  for (const row of r.getRowObjects()) out.set(String(row.column_name), String(row.column_type));
  con.closeSync();
  return out;
}

/** Flatten "STRUCT(a DOUBLE, b VARCHAR)[]" one level into field → type. */
function structFields(type: string): Map<string, string> {
  const inner = type.replace(/^STRUCT\(/, '').replace(/\)(\[\])?$/, '');
  const out = new Map<string, string>();
  for (const part of inner.split(/, (?=["\w]+ )/)) {
    const m = /^"?([\w]+)"? (.+)$/.exec(part);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

describe.skipIf(!exists)('generated schema vs the real Fink files', () => {
  let ours: Map<string, string>;
  let spark: Map<string, string>;
  let pandas: Map<string, string>;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vra-schema-'));
    const f = join(dir, 'n.parquet');
    await writeSampleNight(f, { seed: 1, nAlerts: 20, night: '2025-06-14', cutouts: 'small' });
    ours = await describeFile(f);
    spark = await describeFile(join(dataDir, 'ztf_20250614_regular.parquet'));
    pandas = await describeFile(join(dataDir, 'few_SLSN_alerts.parquet'));
  });

  it('top-level columns the app reads exist with the real types', () => {
    for (const c of ['candid', 'objectId', 'schemavsn', 'publisher', 'cdsxmatch', 'roid', 'rf_snia_vs_nonia', 'snn_snia_vs_nonia',
      'snn_sn_vs_all', 'rf_kn_vs_nonkn', 'mulens', 'tns', 'nalerthist', 'anomaly_score']) {
      expect(ours.get(c), c).toBe(spark.get(c));
    }
    // finkclass / tnsclass only exist in pandas-written files.
    expect(ours.get('finkclass')).toBe(pandas.get('finkclass'));
    expect(ours.get('tnsclass')).toBe(pandas.get('tnsclass'));
    for (const c of ['cutoutScience', 'cutoutTemplate', 'cutoutDifference']) expect(ours.get(c)).toBe(spark.get(c));
  });

  it('candidate has every field of the ZTF candidate with the ZTF avro types', () => {
    const a = structFields(ours.get('candidate')!);
    const b = structFields(spark.get('candidate')!);
    expect(b.size).toBe(103);
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [k, t] of b) expect(a.get(k), k).toBe(t);
  });

  it('prv_candidates is a list of the 57-field history struct', () => {
    expect(ours.get('prv_candidates')!.endsWith('[]')).toBe(true);
    const a = structFields(ours.get('prv_candidates')!);
    const b = structFields(spark.get('prv_candidates')!);
    expect(b.size).toBe(57);
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [k, t] of b) expect(a.get(k), k).toBe(t);
  });

  it('lc_features_g / _r hold the 26 Fink features as doubles', () => {
    for (const band of ['g', 'r']) {
      const a = structFields(ours.get(`lc_features_${band}`)!);
      const b = structFields(spark.get(`lc_features_${band}`)!);
      expect(b.size).toBe(26);
      expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
      for (const t of a.values()) expect(t).toBe('DOUBLE');
    }
  });
});
