/**
 * Rubin's own avro alerts (object container files, schema in the header, as lsst/alert_packet writes them): a small
 * file written here with avsc from hand-built rows, then read back. The schema is a subset of lsst.v10_0 (the field
 * names, namespaces and nullable unions of lsst/alert_packet's schema/10/0 .avsc files; fields we do not read are
 * left out), and a 7.x-shaped variant (alertId, ssObject, prvDiaNondetectionLimits).
 */
import { existsSync, mkdtempSync, openAsBlob, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Type, tableFromIPC, type Field } from 'apache-arrow';
import { ParquetFile } from 'parquet-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertFileError } from '../../core/alerts/errors.js';
import type { LsstBatch } from '../../core/surveys/lsst/batch.js';
import { readLsstAlerts } from '../../core/surveys/lsst/read.js';
import { SHARED_DATA } from '../helpers/shared-data.js';
import { ALERT_V10, OBJ, SRC, diaSource, opt, source, writeLsstAvro } from '../helpers/lsst-avro.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lsst-avro-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ALERTS_V10 = [
  {
    diaSourceId: SRC,
    diaSource: source(SRC, 61041.25, 'g', -250),
    prvDiaSources: [source(SRC - 1000n, 61030.5, 'r', 1000), source(SRC - 2000n, 61031.5, 'g', 2000)],
    prvDiaForcedSources: [
      { diaForcedSourceId: SRC - 7n, diaObjectId: OBJ, midpointMjdTai: 61020, psfFlux: 10, psfFluxErr: 5, band: 'u' },
    ],
    diaObject: { diaObjectId: OBJ, g_psfFluxMean: 875, g_psfFluxNdata: 2, nDiaSources: 3 },
    ssSource: null,
    mpc_orbits: null,
    cutoutDifference: Buffer.from('SIMPLE  =                    T'),
    cutoutScience: null,
    cutoutTemplate: null,
  },
  {
    diaSourceId: SRC + 1n,
    diaSource: source(SRC + 1n, 61041.26, 'i', 9000, { diaObjectId: 0n, ssObjectId: 21163611661088578n }),
    prvDiaSources: null,
    prvDiaForcedSources: null,
    diaObject: null,
    ssSource: { ssObjectId: 21163611661088578n, designation: 'K01S97B' },
    mpc_orbits: { designation: 'K01S97B' },
    cutoutDifference: null,
    cutoutScience: null,
    cutoutTemplate: null,
  },
];

async function writeAvro(name: string, schema: unknown, rows: unknown[]): Promise<string> {
  return writeLsstAvro(path.join(dir, name), schema, rows);
}

async function readAll(file: string, opts = {}): Promise<LsstBatch[]> {
  const out: LsstBatch[] = [];
  for await (const b of readLsstAlerts(file, opts)) out.push(b);
  return out;
}

describe('LSST avro alerts (schema 10.0, written here with avsc)', () => {
  it('round-trips ids exactly, the source, the histories, the object and the solar-system match', async () => {
    const file = await writeAvro('v10.avro', ALERT_V10, ALERTS_V10);
    const [b, more] = await readAll(file, { withCutouts: true });
    expect(more).toBeUndefined();
    expect(b.version).toBe('10.0');
    // The schema's namespace, spelled as Fink's lsst_schema_version column.
    expect(b.declaredVersion).toEqual(['lsst.v10_0', 'lsst.v10_0']);
    expect(b.diaSourceId).toEqual(['169813006680588318', '169813006680588319']);
    expect(b.diaObjectId).toEqual(['169747015154532428', null]);
    expect(b.ssObjectId).toEqual([null, '21163611661088578']);
    expect(b.band).toEqual(['g', 'i']);
    expect(Array.from(b.source.psfFlux)).toEqual([-250, 9000]);
    expect(Array.from(b.source.reliability)).toEqual([0.75, 0.75]);
    expect(Array.from(b.source.isDipole)).toEqual([0, 0]);
    expect(Array.from(b.source.trail_flag_edge)).toEqual([1, 1]);
    // Not in this schema: NaN, not 0.
    expect(Number.isNaN(b.source.glint_trail[0])).toBe(true);
    expect(Array.from(b.prvDiaSources.offsets)).toEqual([0, 2, 2]);
    expect(b.prvDiaSources.id).toEqual(['169813006680587318', '169813006680586318']);
    expect(Array.from(b.prvDiaSources.psfFlux)).toEqual([1000, 2000]);
    expect(b.prvDiaSources.band).toEqual(['r', 'g']);
    expect(Array.from(b.prvDiaForcedSources.offsets)).toEqual([0, 1, 1]);
    expect(b.prvDiaForcedSources.id).toEqual(['169813006680588311']);
    expect(b.diaObject.g_psfFluxMean[0]).toBe(875);
    expect(b.diaObject.nDiaSources[0]).toBe(3);
    expect(Number.isNaN(b.diaObject.nDiaSources[1])).toBe(true);
    expect(b.ssDesignation).toEqual([null, 'K01S97B']);
    expect(Buffer.from(b.cutouts?.difference[0] ?? []).toString('latin1')).toMatch(/^SIMPLE/);
    expect(b.cutouts?.science).toEqual([null, null]);
  });

  it('reads a 7.x-shaped alert: alertId, ssObject, non-detection limits, is_negative', async () => {
    const src7 = {
      ...diaSource,
      namespace: 'lsst.v7_4',
      fields: [...diaSource.fields.filter((f) => !['scienceFlux', 'isDipole'].includes(f.name)), { name: 'is_negative', ...opt('boolean') }],
    };
    const limit = {
      type: 'record',
      namespace: 'lsst.v7_4',
      name: 'diaNondetectionLimit',
      fields: [
        { name: 'ccdVisitId', type: 'long' },
        { name: 'midpointMjdTai', type: 'double' },
        { name: 'band', type: 'string' },
        { name: 'diaNoise', type: 'float' },
      ],
    };
    const ssObject = { type: 'record', namespace: 'lsst.v7_4', name: 'ssObject', fields: [{ name: 'ssObjectId', type: 'long' }] };
    const schema = {
      type: 'record',
      namespace: 'lsst.v7_4',
      name: 'alert',
      fields: [
        { name: 'alertId', type: 'long' },
        { name: 'diaSource', type: src7 },
        { name: 'prvDiaNondetectionLimits', ...opt({ type: 'array', items: limit }) },
        { name: 'ssObject', ...opt(ssObject) },
      ],
    };
    const { scienceFlux: _s, isDipole: _d, ...base } = source(SRC, 61041.25, 'z', 300);
    const row = {
      alertId: SRC,
      diaSource: { ...base, is_negative: true },
      prvDiaNondetectionLimits: [
        { ccdVisitId: 1n, midpointMjdTai: 61000.5, band: 'z', diaNoise: 40 },
        { ccdVisitId: 2n, midpointMjdTai: 61001.5, band: 'y', diaNoise: 60 },
      ],
      ssObject: null,
    };
    const [b] = await readAll(await writeAvro('v7.avro', schema, [row]));
    expect(b.version).toBe('7.x');
    expect(b.declaredVersion).toEqual(['lsst.v7_4']);
    expect(b.diaSourceId).toEqual(['169813006680588318']);
    expect(b.source.isNegative[0]).toBe(1);
    expect(Number.isNaN(b.source.scienceFlux[0])).toBe(true);
    expect(Array.from(b.prvDiaNondetectionLimits.offsets)).toEqual([0, 2]);
    expect(Array.from(b.prvDiaNondetectionLimits.diaNoise)).toEqual([40, 60]);
    expect(b.prvDiaNondetectionLimits.band).toEqual(['z', 'y']);
  });

  it('refuses a truncated avro file instead of dropping its last block silently', async () => {
    const whole = await writeAvro('whole.avro', ALERT_V10, ALERTS_V10);
    const bytes = readFileSync(whole);
    const cut = path.join(dir, 'cut.avro');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 20));
    const err = await readAll(cut).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlertFileError);
    expect((err as AlertFileError).file).toBe(cut);
    expect((err as AlertFileError).reason).toMatch(/truncated/);
    // Cut inside the header (after the magic): avsc yields no record and no error.
    const head = path.join(dir, 'head.avro');
    writeFileSync(head, bytes.subarray(0, 40));
    const headErr = await readAll(head).catch((e: unknown) => e);
    expect(headErr).toBeInstanceOf(AlertFileError);
    expect((headErr as AlertFileError).reason).toMatch(/truncated/);
  });

  it('names the alert row of a bad id inside a history', async () => {
    const schema = {
      type: 'record',
      name: 'alert',
      fields: [
        { name: 'diaSource', type: { type: 'record', name: 'src', fields: diaSource.fields.map((f) => ({ ...f })) } },
        { name: 'prvDiaSources', type: ['null', { type: 'array', items: { type: 'record', name: 'prv', fields: [{ name: 'diaSourceId', type: 'double' }] } }], default: null },
      ],
    };
    const rows = [0, 1].map((k) => ({ diaSource: source(SRC + BigInt(k), 61041, 'g', 1), prvDiaSources: k === 1 ? [{ diaSourceId: 1.5 }] : [] }));
    const err = await readAll(await writeAvro('bad-prv.avro', schema, rows)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlertFileError);
    expect((err as AlertFileError).field).toBe('prvDiaSources.diaSourceId');
    expect((err as AlertFileError).reason).toMatch(/^row 1: /);
  });

  it('refuses an avro file without diaSource, naming the field', async () => {
    const schema = { type: 'record', name: 'alert', fields: [{ name: 'objectId', type: 'string' }] };
    const file = await writeAvro('ztf-like.avro', schema, [{ objectId: 'ZTF21abc' }]);
    const err = await readAll(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlertFileError);
    expect((err as AlertFileError).field).toBe('diaSource');
    expect((err as AlertFileError).reason).toBe('not an LSST alert file: no diaSource');
    expect((err as AlertFileError).message).toContain(file);
  });
});

/**
 * Every field of lsst.v10_0 (taken from Fink's 10.0 parquet template, which mirrors Rubin's schema: record per struct,
 * array per list, every field nullable), so the reader is tried on the full field set, not only on the fields it reads.
 */
const TEMPLATE_V10 = `${SHARED_DATA}/fink-lsst/schema_lsst.v10_0_empty.parquet`;
if (!existsSync(TEMPLATE_V10)) console.warn(`[lsst-avro] full-schema test skipped: ${TEMPLATE_V10} is absent`);

function avroOf(field: Field, pathName: string): unknown {
  const t = field.type;
  const kids = (t as { children?: Field[] }).children ?? [];
  const nullable = (x: unknown) => ['null', x];
  switch (t.typeId) {
    case Type.Struct:
      return nullable({
        type: 'record',
        name: pathName,
        fields: kids.map((c) => ({ name: c.name, type: avroOf(c, `${pathName}_${c.name}`), default: null })),
      });
    case Type.List:
      return nullable({ type: 'array', items: avroOf(kids[0], `${pathName}_item`) });
    case Type.Int:
      return nullable((t as unknown as { bitWidth: number }).bitWidth === 64 ? 'long' : 'int');
    case Type.Float:
      return nullable((t as unknown as { precision: number }).precision === 1 ? 'float' : 'double');
    case Type.Utf8:
      return nullable('string');
    case Type.Bool:
      return nullable('boolean');
    case Type.Binary:
      return nullable('bytes');
    default:
      return 'null';
  }
}

describe.skipIf(!existsSync(TEMPLATE_V10))('LSST avro with the full 10.0 field set', () => {
  it('reads an alert whose every other field is null', async () => {
    const handle = await ParquetFile.fromFile(await openAsBlob(TEMPLATE_V10));
    const schema = tableFromIPC(handle.schema().intoIPCStream()).schema;
    handle.free();
    const full = {
      type: 'record',
      name: 'alert',
      namespace: 'lsst.v10_0',
      fields: schema.fields.map((f) => ({ name: f.name, type: avroOf(f, f.name), default: null })),
    };
    const fieldsOf = (name: string) => (schema.fields.find((f) => f.name === name)?.type as unknown as { children: Field[] }).children;
    const nulls = (name: string) => Object.fromEntries(fieldsOf(name).map((c) => [c.name, null]));
    const row = {
      ...Object.fromEntries(schema.fields.map((f) => [f.name, null])),
      diaSourceId: SRC,
      diaSource: { ...nulls('diaSource'), diaSourceId: SRC, diaObjectId: OBJ, midpointMjdTai: 61041.2, ra: 53.1, dec: -28.1, band: 'y', psfFlux: 321.5 },
      diaObject: { ...nulls('diaObject'), diaObjectId: OBJ, y_psfFluxMean: 300.25, nDiaSources: 4 },
      prvDiaSources: [],
    };
    expect(fieldsOf('diaSource').length).toBeGreaterThan(90);
    const [b] = await readAll(await writeAvro('full-v10.avro', full, [row]));
    expect(b.version).toBe('10.0');
    expect(b.diaSourceId).toEqual([SRC.toString()]);
    expect(b.diaObjectId).toEqual([OBJ.toString()]);
    expect(b.band).toEqual(['y']);
    expect(b.source.psfFlux[0]).toBe(321.5);
    expect(b.source.reliability[0]).toBeNaN();
    expect(b.diaObject.y_psfFluxMean[0]).toBe(300.25);
    expect(b.diaObject.nDiaSources[0]).toBe(4);
    expect(Array.from(b.prvDiaSources.offsets)).toEqual([0, 0]);
    expect(b.ssDesignation).toEqual([null]);
  });
});
