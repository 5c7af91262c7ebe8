/**
 * The LSST reading layer on ../shared/data/fink-lsst, read in place: Fink's three empty schema templates (7.4, 9.0,
 * 10.0) and the 25 real LSSTCam alerts, compared with DuckDB as an independent parquet reader (ids cast to VARCHAR
 * inside DuckDB, so the comparison is at the raw int64 level).
 */
import { existsSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertFileError } from '../../core/alerts/errors.js';
import type { LsstBatch } from '../../core/surveys/lsst/batch.js';
import { openLsstParquet, readLsstAlerts } from '../../core/surveys/lsst/read.js';
import { FINK_ZTF, SHARED_DATA } from '../helpers/shared-data.js';

const LSST_DIR = `${SHARED_DATA}/fink-lsst`;
const REAL = `${LSST_DIR}/lsstcam_ddf_20260105_v10_0.parquet`;
const HAS_LSST = existsSync(REAL);
if (!HAS_LSST) console.warn(`[lsst-read] skipped: ${LSST_DIR} is absent (real Fink LSST data lives in ../shared/data)`);

async function readAll(file: string, opts = {}): Promise<LsstBatch[]> {
  const out: LsstBatch[] = [];
  for await (const b of readLsstAlerts(file, opts)) out.push(b);
  return out;
}

/** Leaf columns every version must yield. */
const COMMON = [
  'diaSource.diaSourceId',
  'diaSource.diaObjectId',
  'diaSource.ssObjectId',
  'diaSource.midpointMjdTai',
  'diaSource.ra',
  'diaSource.dec',
  'diaSource.band',
  'diaSource.psfFlux',
  'diaSource.psfFluxErr',
  'diaSource.snr',
  'diaSource.reliability',
  'diaSource.extendedness',
  'diaSource.trail_flag_edge',
  'diaObject.g_psfFluxMean',
  'diaObject.y_psfFluxNdata',
  'prvDiaSources.list.element.diaSourceId',
  'prvDiaSources.list.element.psfFlux',
  'prvDiaForcedSources.list.element.diaForcedSourceId',
  'prvDiaForcedSources.list.element.psfFlux',
];

const TEMPLATES: Array<[string, string, string[], string[]]> = [
  [
    'schema_lsst.v7_4_empty.parquet',
    '7.x',
    ['diaSource.is_negative', 'prvDiaNondetectionLimits.list.element.diaNoise', 'prvDiaNondetectionLimits.list.element.band'],
    ['diaSource.scienceFlux', 'diaSource.isDipole', 'diaObject.nDiaSources', 'ssSource.designation'],
  ],
  [
    'schema_lsst.v9_0_empty.parquet',
    '8.0/9.0',
    ['diaSource.scienceFlux', 'diaSource.isDipole', 'diaSource.glint_trail', 'diaObject.nDiaSources', 'MPCORB.mpcDesignation'],
    ['mpc_orbits.designation', 'prvDiaNondetectionLimits.list.element.diaNoise'],
  ],
  [
    'schema_lsst.v10_0_empty.parquet',
    '10.0',
    ['diaSource.scienceFlux', 'diaSource.isDipole', 'diaObject.nDiaSources', 'ssSource.designation', 'mpc_orbits.designation'],
    ['MPCORB.mpcDesignation', 'diaSource.is_negative'],
  ],
];

describe.skipIf(!HAS_LSST)('Fink LSST schema templates (0 rows)', () => {
  for (const [name, version, present, absent] of TEMPLATES) {
    it(`${name}: recognised as ${version}, the read columns found, no rows, no throw`, async () => {
      const pq = await openLsstParquet(`${LSST_DIR}/${name}`);
      pq.handle.free();
      expect(pq.version).toBe(version);
      expect(pq.numRows).toBe(0);
      for (const c of [...COMMON, ...present]) expect(pq.columns, c).toContain(c);
      for (const c of absent) expect(pq.columns, c).not.toContain(c);
      expect(pq.cutoutColumns).toEqual(['cutoutDifference', 'cutoutScience', 'cutoutTemplate']);
      expect(await readAll(`${LSST_DIR}/${name}`, { withCutouts: true })).toEqual([]);
    });
  }
});

interface DuckRow {
  src: string;
  obj: string;
  ss: string;
  band: string;
  psf: number;
  rel: number;
  nprv: number | null;
  prv_ids: string | null;
  prv_flux_sum: number | null;
  n_dia: number | null;
  i_mean: number | null;
  desig: string | null;
  cut: number;
  head: string;
}

describe.skipIf(!HAS_LSST)('the 25 real LSSTCam alerts against DuckDB', () => {
  let duck: DuckDBConnection;
  let close: () => void;
  let rows: DuckRow[];
  let batch: LsstBatch;

  beforeAll(async () => {
    const db = await DuckDBInstance.create(':memory:');
    duck = await db.connect();
    close = () => {
      duck.closeSync();
      db.closeSync();
    };
    const q = `SELECT CAST(diaSourceId AS VARCHAR) src, CAST(diaSource.diaObjectId AS VARCHAR) obj,
        CAST(diaSource.ssObjectId AS VARCHAR) ss, diaSource.band band, diaSource.psfFlux psf, diaSource.reliability rel,
        len(prvDiaSources)::INT nprv,
        array_to_string(list_transform(prvDiaSources, x -> CAST(x.diaSourceId AS VARCHAR)), ',') prv_ids,
        list_sum(list_transform(prvDiaSources, x -> x.psfFlux)) prv_flux_sum,
        diaObject.nDiaSources::INT n_dia, diaObject.i_psfFluxMean::DOUBLE i_mean, ssSource.designation desig,
        octet_length(cutoutScience)::INT cut, decode(cutoutScience[1:6]) head
      FROM read_parquet('${REAL}', file_row_number = true) ORDER BY file_row_number`;
    rows = (await duck.runAndReadAll(q)).getRowObjects() as unknown as DuckRow[];
    const batches = await readAll(REAL, { withCutouts: true });
    expect(batches).toHaveLength(1);
    batch = batches[0];
  });
  afterAll(() => close?.());

  it('reads 25 alerts, version 10.0 (declared lsst.v10_0)', () => {
    expect(rows).toHaveLength(25);
    expect(batch.length).toBe(25);
    expect(batch.version).toBe('10.0');
    expect(new Set(batch.declaredVersion)).toEqual(new Set(['lsst.v10_0']));
  });

  it('keeps diaSourceId, diaObjectId and ssObjectId exact (above 2^53), 0 read as none', () => {
    expect(batch.diaSourceId).toEqual(rows.map((r) => r.src));
    expect(batch.diaObjectId).toEqual(rows.map((r) => (r.obj === '0' ? null : r.obj)));
    expect(batch.ssObjectId).toEqual(rows.map((r) => (r.ss === '0' ? null : r.ss)));
    expect(BigInt(batch.diaSourceId[0]) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    // The README's counts, independently: 23 distinct objects (solar-system sources share diaObjectId 0).
    expect(new Set(rows.map((r) => r.obj)).size).toBe(23);
    expect(batch.ssObjectId.filter((v) => v !== null)).toHaveLength(3);
  });

  it('reads band, psfFlux (3 negative) and reliability as DuckDB does', () => {
    expect(batch.band).toEqual(rows.map((r) => r.band));
    expect(Array.from(batch.source.psfFlux)).toEqual(rows.map((r) => r.psf));
    expect(Array.from(batch.source.reliability)).toEqual(rows.map((r) => r.rel));
    expect(Array.from(batch.source.psfFlux).filter((f) => f < 0)).toHaveLength(3);
  });

  it('reads prvDiaSources per alert: counts, exact ids, flux sums (40 in all, null lists empty)', () => {
    const p = batch.prvDiaSources;
    for (let i = 0; i < 25; i++) {
      const [a, b] = [p.offsets[i], p.offsets[i + 1]];
      expect(b - a, `row ${i}`).toBe(rows[i].nprv ?? 0);
      expect(p.id.slice(a, b).join(','), `row ${i}`).toBe(rows[i].prv_ids ?? '');
      const sum = Array.from(p.psfFlux.subarray(a, b)).reduce((s, v) => s + v, 0);
      expect(sum, `row ${i}`).toBeCloseTo(rows[i].prv_flux_sum ?? 0, 6);
    }
    expect(p.offsets[25]).toBe(40);
    expect(rows.filter((r) => r.nprv === null)).toHaveLength(22);
    expect(batch.prvDiaForcedSources.offsets[25]).toBe(0);
  });

  it('reads the diaObject summaries and the solar-system designation', () => {
    expect(Array.from(batch.diaObject.nDiaSources)).toEqual(rows.map((r) => r.n_dia ?? NaN));
    expect(Array.from(batch.diaObject.i_psfFluxMean)).toEqual(rows.map((r) => r.i_mean ?? NaN));
    expect(batch.ssDesignation).toEqual(rows.map((r) => r.desig));
    // Matched alerts are exactly those with an ssObjectId.
    expect(batch.ssDesignation.map((d) => d !== null)).toEqual(batch.ssObjectId.map((s) => s !== null));
  });

  it('reads the cutouts as uncompressed FITS (34,560 bytes, SIMPLE)', () => {
    const science = batch.cutouts?.science ?? [];
    expect(science.map((c) => c?.length)).toEqual(rows.map((r) => r.cut));
    expect(science.every((c) => c !== null && Buffer.from(c.subarray(0, 6)).toString('latin1') === 'SIMPLE')).toBe(true);
    expect(rows.every((r) => r.cut === 34_560 && r.head === 'SIMPLE')).toBe(true);
    expect(batch.cutouts?.difference.every((c) => c?.length === 34_560)).toBe(true);
  });

  it('cuts the file into batches without losing or reordering alerts', async () => {
    const parts = await readAll(REAL, { batchSize: 10 });
    expect(parts.map((b) => [b.firstRow, b.length])).toEqual([
      [0, 10],
      [10, 10],
      [20, 5],
    ]);
    expect(parts.flatMap((b) => b.diaSourceId)).toEqual(batch.diaSourceId);
    expect(parts.every((b) => b.cutouts === null)).toBe(true);
    const prv = parts.map((b) => b.prvDiaSources.offsets[b.length]);
    expect(prv.reduce((a, b) => a + b, 0)).toBe(40);
  });
});

describe.skipIf(!existsSync(FINK_ZTF))('a file that is not LSST', () => {
  it('names the missing field and says it looks like ZTF', async () => {
    const file = `${FINK_ZTF}/ztf_20250614_regular.parquet`;
    const err = await readAll(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlertFileError);
    expect((err as AlertFileError).field).toBe('diaSource');
    expect((err as AlertFileError).message).toContain(file);
    expect((err as AlertFileError).reason).toMatch(/not an LSST alert file.*ZTF/);
  });
});
