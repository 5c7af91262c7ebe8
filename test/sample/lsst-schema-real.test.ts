/**
 * The generated LSST file against the real Fink file (../shared/data/fink-lsst/lsstcam_ddf_20260105_v10_0.parquet,
 * read in place): same top-level columns in the same order, and every struct field we write that the real file
 * types (not Arrow `null`) has the real file's Arrow type — ids excepted, which stay int64 to be exact.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type, type Field, type Schema } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { release } from '../../core/alerts/parquet-stream.js';
import { generateLsstNight } from '../../core/sample/lsst/write.js';
import { openLsstParquet } from '../../core/surveys/lsst/read.js';
import { SHARED_DATA } from '../helpers/shared-data.js';

const REAL = `${SHARED_DATA}/fink-lsst/lsstcam_ddf_20260105_v10_0.parquet`;
const HAS_REAL = existsSync(REAL);
if (!HAS_REAL) console.warn(`[lsst sample schema] skipped: ${REAL} is absent (real Fink LSST data lives in ../shared/data)`);

/** Float64 in the real (pandas-written) file, int64 here: a float64 cannot hold an id above 2^53. */
const ID_EXCEPTIONS = new Set(['diaObject.diaObjectId', 'ssSource.diaSourceId', 'ssSource.ssObjectId']);

async function footer(file: string): Promise<{ schema: Schema; columns: string[] }> {
  const pq = await openLsstParquet(file);
  release(pq);
  return { schema: pq.schema, columns: pq.columns };
}

/** Struct fields of a top-level column (of the list's element for lists), by dotted path. */
function leaves(schema: Schema): Map<string, Field> {
  const out = new Map<string, Field>();
  for (const f of schema.fields) {
    let t = f.type;
    if (t.typeId === Type.List) t = t.children[0]!.type;
    if (t.typeId !== Type.Struct) continue;
    for (const c of t.children as Field[]) out.set(`${f.name}.${c.name}`, c);
  }
  return out;
}

describe.skipIf(!HAS_REAL)('generated LSST schema vs the real Fink LSST file', () => {
  let ours: { schema: Schema; columns: string[] };
  let real: { schema: Schema; columns: string[] };
  beforeAll(async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vra-lsst-schema-')), 'n.parquet');
    await generateLsstNight({ out, seed: 3, alerts: 40, night: '2026-01-05', withCutouts: true });
    ours = await footer(out);
    real = await footer(REAL);
  }, 60_000);

  it('has the real file’s top-level columns, in its order', () => {
    expect(ours.schema.fields.map((f) => f.name)).toEqual(real.schema.fields.map((f) => f.name));
    for (const f of real.schema.fields) if (f.type.typeId !== Type.Struct && f.type.typeId !== Type.List) {
      expect(String(ours.schema.fields.find((g) => g.name === f.name)!.type), f.name).toBe(String(f.type));
    }
  });

  it('has every leaf column the LSST reader reads from the real file', () => {
    const missing = real.columns.filter((c) => !ours.columns.includes(c));
    expect(missing).toEqual([]);
  });

  it('types each struct field as the real file does (ids excepted), in the real file’s order', () => {
    const realLeaves = leaves(real.schema);
    const mismatches: string[] = [];
    let compared = 0;
    for (const [path, field] of leaves(ours.schema)) {
      const r = realLeaves.get(path);
      if (!r || r.type.typeId === Type.Null) continue;
      compared++;
      const want = ID_EXCEPTIONS.has(path) ? 'Int64' : String(r.type);
      if (String(field.type) !== want) mismatches.push(`${path}: ours ${String(field.type)}, real ${String(r.type)}`);
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(60);
    const realOrder = [...realLeaves.keys()];
    const ourShared = [...leaves(ours.schema).keys()].filter((p) => realLeaves.has(p));
    expect(ourShared).toEqual(realOrder.filter((p) => ourShared.includes(p)));
  });
});
