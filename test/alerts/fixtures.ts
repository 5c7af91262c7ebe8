/**
 * Small ZTF-alert parquet files built in the test with apache-arrow + parquet-wasm's writeParquet, in the two
 * physical flavours Fink files come in (Spark: float32/int32 + map columns; pandas: double/int64 + structs,
 * dictionary strings, a Null-typed all-null column, lossy double history candid). No shared data is needed to run the suites that use these.
 */
import { gzipSync } from 'node:zlib';
import {
  Binary,
  Dictionary,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  Int8,
  List,
  Map_,
  Null,
  Struct,
  Table,
  Utf8,
  tableToIPC,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';

export type Flavour = 'spark' | 'pandas';

export interface FixturePrv {
  jd: number;
  fid: number;
  magpsf: number | null;
  sigmapsf: number | null;
  diffmaglim: number | null;
  isdiffpos: string | null;
  candid: bigint | null;
}

export interface FixtureRow {
  objectId: string | null;
  candid: bigint | null;
  candidate: {
    jd: number;
    fid: number;
    ra: number;
    dec: number;
    magpsf: number;
    sigmapsf: number;
    diffmaglim: number;
    isdiffpos: string;
    drb: number;
    rb: number;
    nbad: number;
    ndethist: number;
    sgscore1: number;
    distpsnr1: number;
    ssdistnr: number;
    ssnamenr: string;
  };
  prv: FixturePrv[] | null;
  cdsxmatch: string | null;
  roid: number | null;
  finkclass: string | null;
  rf_snia_vs_nonia: number | null;
  t2: Record<string, number> | null;
  lcG: Record<string, number | null> | null;
  sepArcsec: string | null;
  stamp: Uint8Array;
}

/** Deterministic pseudo-random numbers (mulberry32), so fixtures are the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A gzipped minimal FITS header block, standing in for a cutout. */
export function fakeStamp(tag: number): Uint8Array {
  const header = `SIMPLE  =                    T / tag ${tag}`.padEnd(2880, ' ');
  return new Uint8Array(gzipSync(Buffer.from(header, 'latin1')));
}

/** `n` alerts; candids start above 2^53 so exactness is tested; every 5th alert has prv_candidates null. */
export function sampleRows(n: number, seed = 1, prvLength = 6): FixtureRow[] {
  const rand = rng(seed);
  const rows: FixtureRow[] = [];
  for (let i = 0; i < n; i++) {
    const jd = 2460000.5 + i * 0.01;
    const prv: FixturePrv[] = [];
    for (let k = 0; k < prvLength; k++) {
      const upper = k % 3 === 0;
      prv.push({
        jd: jd - 30 + k * 3,
        fid: 1 + (k % 2),
        magpsf: upper ? null : 18 + rand(),
        sigmapsf: upper ? null : 0.05 + rand() * 0.1,
        diffmaglim: 20 + rand(),
        isdiffpos: upper ? null : k % 4 === 1 ? 'f' : 't',
        candid: upper ? null : 2_000_000_000_000_000_000n + BigInt(i * 100 + k),
      });
    }
    rows.push({
      objectId: `ZTF24fix${String(i).padStart(5, '0')}`,
      candid: 2_600_000_000_000_000_001n + BigInt(i) * 1000n,
      candidate: {
        jd,
        fid: 1 + (i % 2),
        ra: (i * 7.3) % 360,
        dec: -30 + ((i * 3.1) % 60),
        magpsf: 17 + rand() * 3,
        sigmapsf: 0.1,
        diffmaglim: 20.5,
        isdiffpos: i % 7 === 3 ? 'f' : 't',
        drb: rand(),
        rb: rand(),
        nbad: 0,
        ndethist: 1 + (i % 9),
        sgscore1: 0.5,
        distpsnr1: 1.5,
        ssdistnr: -999,
        ssnamenr: 'null',
      },
      prv: i % 5 === 4 ? null : prv,
      cdsxmatch: i % 3 === 0 ? 'Unknown' : 'RRLyrae',
      roid: i % 11 === 0 ? 3 : 0,
      finkclass: i % 2 === 0 ? 'SN candidate' : 'Unknown',
      rf_snia_vs_nonia: i % 4 === 0 ? null : rand(),
      t2: i % 6 === 0 ? null : { SNIa: rand(), AGN: rand() },
      lcG: i % 4 === 0 ? null : i % 4 === 1 ? { amplitude: null, median: null } : { amplitude: rand(), median: 18 },
      sepArcsec: i % 2 === 0 ? String((i % 10) / 4) : null,
      stamp: fakeStamp(i),
    });
  }
  return rows;
}

function vec(values: readonly unknown[], type: DataType): Vector {
  return vectorFromArray(values, type);
}

function structOf(fields: Record<string, DataType>): Struct {
  return new Struct(Object.entries(fields).map(([name, t]) => new Field(name, t, true)));
}

export interface TableOptions {
  flavour?: Flavour;
  /** Leave out the Fink columns (a raw ZTF alert file). */
  raw?: boolean;
  withCutouts?: boolean;
}

/** The Arrow table of a Fink alert file with `rows`. */
export function alertTable(rows: FixtureRow[], opts: TableOptions = {}): Table {
  const spark = (opts.flavour ?? 'spark') === 'spark';
  const F = spark ? new Float32() : new Float64();
  const I = spark ? new Int32() : new Int64();
  const int = (v: number) => (spark ? v : BigInt(v));
  const candidateType = structOf({
    jd: new Float64(),
    fid: I,
    candid: new Int64(),
    ra: new Float64(),
    dec: new Float64(),
    magpsf: F,
    sigmapsf: F,
    diffmaglim: F,
    isdiffpos: new Utf8(),
    drb: F,
    rb: F,
    nbad: I,
    ndethist: I,
    sgscore1: F,
    distpsnr1: F,
    ssdistnr: F,
    ssnamenr: new Utf8(),
    magnr: F,
  });
  const prvType = structOf({
    jd: new Float64(),
    fid: I,
    // pandas stores history candid as a lossy double (never to be used as a key).
    candid: spark ? new Int64() : new Float64(),
    magpsf: F,
    sigmapsf: F,
    diffmaglim: F,
    isdiffpos: new Utf8(),
    // (A nested Null-typed field cannot be made here: arrow-js writes its null count as -1 into IPC and arrow-rs
    // refuses it. The real pandas files cover Null-typed history fields.)
    ssnamenr: new Utf8(),
  });
  const columns: Record<string, Vector> = {
    objectId: vec(rows.map((r) => r.objectId), new Utf8()),
    candid: vec(rows.map((r) => r.candid), new Int64()),
    candidate: vec(
      rows.map((r) => ({
        ...r.candidate,
        fid: int(r.candidate.fid),
        nbad: int(r.candidate.nbad),
        ndethist: int(r.candidate.ndethist),
        candid: r.candid,
        magnr: 15,
      })),
      candidateType,
    ),
    prv_candidates: vec(
      rows.map((r) =>
        r.prv === null
          ? null
          : r.prv.map((p) => ({
              ...p,
              fid: int(p.fid),
              candid: spark ? p.candid : p.candid === null ? null : Number(p.candid),
              ssnamenr: null,
            })),
      ),
      new List(new Field('element', prvType, true)),
    ),
  };
  if (opts.withCutouts !== false) {
    const cutoutType = structOf({ fileName: new Utf8(), stampData: new Binary() });
    for (const name of ['cutoutScience', 'cutoutTemplate', 'cutoutDifference']) {
      columns[name] = vec(
        rows.map((r, i) => ({ fileName: `${name}-${i}.fits.gz`, stampData: r.stamp })),
        cutoutType,
      );
    }
  }
  if (!opts.raw) {
    columns.cdsxmatch = vec(rows.map((r) => r.cdsxmatch), new Utf8());
    columns.roid = vec(rows.map((r) => (r.roid === null ? null : int(r.roid))), I);
    columns.finkclass = spark
      ? vec(rows.map((r) => r.finkclass), new Utf8())
      : vec(rows.map((r) => r.finkclass), new Dictionary(new Utf8(), new Int8()));
    columns.rf_snia_vs_nonia = vec(rows.map((r) => r.rf_snia_vs_nonia), new Float64());
    columns.t2 = spark
      ? vec(
          rows.map((r) => (r.t2 ? new Map(Object.entries(r.t2)) : null)),
          new Map_(
            new Field(
              'entries',
              new Struct<{ key: Utf8; value: Float32 }>([
                new Field('key', new Utf8(), false),
                new Field('value', new Float32(), true),
              ]),
              false,
            ),
          ),
        )
      : vec(
          rows.map((r) => (r.t2 ? { SNIa: r.t2.SNIa ?? null, AGN: r.t2.AGN ?? null } : null)),
          structOf({ SNIa: new Float64(), AGN: new Float64() }),
        );
    columns.lc_features_g = vec(
      rows.map((r) => r.lcG),
      structOf({ amplitude: new Float64(), median: new Float64() }),
    );
    columns.sep_arcsec = vec(rows.map((r) => r.sepArcsec), new Utf8());
    columns.tracklet = vec(rows.map(() => null), new Null());
  }
  return new Table(columns);
}

/** parquet bytes of an Arrow table, written by parquet-wasm. */
export function toParquet(table: Table, maxRowGroupSize?: number): Uint8Array {
  const wasmTable = WasmTable.fromIPCStream(tableToIPC(table, 'stream'));
  let props = new WriterPropertiesBuilder();
  if (maxRowGroupSize) props = props.setMaxRowGroupSize(maxRowGroupSize);
  return writeParquet(wasmTable, props.build());
}

/** An LSST/Rubin-like alert table: diaSource struct, no `candidate`. */
export function lsstTable(n: number): Table {
  return new Table({
    alertId: vec(Array.from({ length: n }, (_, i) => BigInt(170000000000 + i)), new Int64()),
    diaSource: vec(
      Array.from({ length: n }, (_, i) => ({ diaSourceId: BigInt(i), midpointMjdTai: 60000 + i, psfFlux: 1000 + i })),
      structOf({ diaSourceId: new Int64(), midpointMjdTai: new Float64(), psfFlux: new Float64() }),
    ),
  });
}

/** A table with a `candidate` struct that is not ZTF's (no magpsf / fid / jd). */
export function foreignCandidateTable(n: number): Table {
  return new Table({
    objectId: vec(Array.from({ length: n }, (_, i) => `obj${i}`), new Utf8()),
    candid: vec(Array.from({ length: n }, (_, i) => BigInt(i + 1)), new Int64()),
    candidate: vec(
      Array.from({ length: n }, (_, i) => ({ psfFlux: 1000 + i, midpointMjdTai: 60000 + i })),
      structOf({ psfFlux: new Float64(), midpointMjdTai: new Float64() }),
    ),
  });
}
