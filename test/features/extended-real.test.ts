/**
 * The extended set on every real parquet alert of ../shared/data/fink-ztf, checked against DuckDB reading the same
 * files (candidate fields) and against the definitions re-computed here from DuckDB's light curves.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../core/ingest/ingest.js';
import { openStore, type Db } from '../../core/store/database.js';
import { loadFeatureMatrix } from '../../core/store/features.js';

const DATA = fileURLToPath(new URL('../../../shared/data/fink-ztf', import.meta.url));
const present = existsSync(DATA);
if (!present) console.warn(`skipping extended-feature real-data tests: ${DATA} is absent`);

interface Row {
  candid: string;
  file: string;
  sgscore1: number | null;
  distpsnr1: number | null;
  distnr: number | null;
  magnr: number | null;
  neargaia: number | null;
  maggaia: number | null;
  jd: number;
  fid: number;
  magpsf: number | null;
  isdiffpos: string | null;
  prv: string | null;
}

type Pt = { jd: number; fid: number; mag: number | null; isd: string | null };

/** The definitions, written out again plainly (README "Features"). */
function expected(r: Row): Record<string, number> {
  const pts: Pt[] = [...((r.prv ? JSON.parse(r.prv) : []) as Pt[]), { jd: r.jd, fid: r.fid, mag: r.magpsf, isd: r.isdiffpos }];
  // Positive: 't', or '1' in older alerts (the TDE file has both).
  const band = (fid: number) =>
    pts.filter((p) => p.fid === fid && (p.isd === 't' || p.isd === '1') && p.mag !== null).sort((a, b) => a.jd - b.jd);
  const rates = (d: Pt[]) => {
    if (d.length < 2) return [NaN, NaN];
    const peak = d.reduce((best, p) => (p.mag! < best.mag! ? p : best), d[0]);
    const first = d[0];
    const last = d[d.length - 1];
    return [
      peak.jd - first.jd >= 0.5 ? (first.mag! - peak.mag!) / (peak.jd - first.jd) : NaN,
      last.jd - peak.jd >= 0.5 ? (last.mag! - peak.mag!) / (last.jd - peak.jd) : NaN,
    ];
  };
  const g = band(1);
  const rr = band(2);
  const lastG = g.at(-1);
  const lastR = rr.at(-1);
  const sentinel = (v: number | null) => (v === null || v <= -99 ? NaN : v);
  const [riseG, fadeG] = rates(g);
  const [riseR, fadeR] = rates(rr);
  return {
    sgscore1: sentinel(r.sgscore1),
    distpsnr1: sentinel(r.distpsnr1),
    distnr: sentinel(r.distnr),
    magnr: sentinel(r.magnr),
    neargaia: sentinel(r.neargaia),
    maggaia: sentinel(r.maggaia),
    g_minus_r: lastG && lastR && Math.abs(lastG.jd - lastR.jd) <= 1 ? lastG.mag! - lastR.mag! : NaN,
    rise_rate_g: riseG,
    fade_rate_g: fadeG,
    rise_rate_r: riseR,
    fade_rate_r: fadeR,
  };
}

describe.skipIf(!present)('extended features of the real alerts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vra-ext-real-'));
  let db: Db;
  let duck: DuckDBConnection;
  let close = () => undefined as void;
  beforeAll(async () => {
    db = openStore(join(dir, 's.sqlite'));
    await ingestFiles(db, [`${DATA}/*.parquet`], { withCutouts: false, dust: null });
    const inst = await DuckDBInstance.create(':memory:');
    duck = await inst.connect();
    close = () => {
      duck.closeSync();
      inst.closeSync();
    };
  }, 120_000);
  afterAll(() => {
    close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('match DuckDB’s candidate fields and the definitions recomputed from DuckDB’s light curves', async () => {
    const rows = (
      await duck.runAndReadAll(`
        SELECT candid::VARCHAR AS candid, filename AS file,
          candidate.sgscore1::DOUBLE AS sgscore1, candidate.distpsnr1::DOUBLE AS distpsnr1,
          candidate.distnr::DOUBLE AS distnr, candidate.magnr::DOUBLE AS magnr,
          candidate.neargaia::DOUBLE AS neargaia, candidate.maggaia::DOUBLE AS maggaia,
          candidate.jd AS jd, candidate.fid::INTEGER AS fid, candidate.magpsf::DOUBLE AS magpsf,
          candidate.isdiffpos AS isdiffpos,
          to_json(list_transform(prv_candidates, lambda x: {'jd': x.jd, 'fid': x.fid::INTEGER, 'mag': x.magpsf::DOUBLE, 'isd': x.isdiffpos}))::VARCHAR AS prv
        FROM read_parquet('${DATA}/*.parquet', filename = true)`)
    ).getRowObjects() as unknown as Row[];
    // An alert in two files (superluminous repeats sample_b) is compared only when both copies agree.
    const byCandid = new Map<string, Row[]>();
    for (const r of rows) byCandid.set(r.candid, [...(byCandid.get(r.candid) ?? []), r]);
    const m = loadFeatureMatrix(db, { featureSet: 'extended' });
    expect(m.n).toBe(366);
    let compared = 0;
    const finite: Record<string, number> = {};
    m.candids.forEach((c, i) => {
      const copies = byCandid.get(c)!.map(expected);
      const want = copies[0];
      for (const [name, v] of Object.entries(want)) {
        if (copies.some((o) => !Object.is(o[name], v))) continue;
        const got = m.X[i * m.d + m.names.indexOf(name)];
        if (Number.isNaN(v)) expect(got, `${c} ${name}`).toBeNaN();
        else {
          expect(Math.abs(got - v), `${c} ${name}: ${got} vs ${v}`).toBeLessThan(1e-9 + 1e-6 * Math.abs(v));
          finite[name] = (finite[name] ?? 0) + 1;
        }
        compared++;
      }
    });
    expect(compared).toBeGreaterThan(366 * 10);
    // The comparison is not vacuous: every extra feature has values on the real alerts.
    for (const n of ['sgscore1', 'distnr', 'maggaia', 'g_minus_r', 'rise_rate_g', 'fade_rate_r']) expect(finite[n], n).toBeGreaterThan(20);
  });
});
