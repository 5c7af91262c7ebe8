/**
 * An avro alert file written in the test the way the Spark/Fink writer does it: a union default that does not
 * match the first branch in the header schema, and candids above 2^53. Stock avsc cannot read it; the reader can.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alerts/alert.js';
import { avroTypeFromSchema, dropInvalidUnionDefaults } from '../../core/alerts/avro.js';
import { AlertFileError } from '../../core/alerts/errors.js';
import { countRows, readAlertBatches } from '../../core/alerts/reader.js';
import { fakeStamp } from './fixtures.js';

const nullable = (t: unknown) => [t, 'null'];
const schema = () => ({
  type: 'record',
  name: 'topLevelRecord',
  fields: [
    { name: 'objectId', type: nullable('string') },
    { name: 'candid', type: nullable('long') },
    {
      name: 'candidate',
      type: nullable({
        type: 'record',
        name: 'candidate',
        fields: [
          { name: 'jd', type: nullable('double') },
          { name: 'fid', type: nullable('int') },
          { name: 'candid', type: nullable('long') },
          { name: 'ra', type: nullable('double') },
          { name: 'dec', type: nullable('double') },
          { name: 'magpsf', type: nullable('float') },
          { name: 'sigmapsf', type: nullable('float') },
          { name: 'diffmaglim', type: nullable('float') },
          { name: 'isdiffpos', type: nullable('string') },
          { name: 'drb', type: nullable('float') },
          { name: 'ssnamenr', type: nullable('string') },
          { name: 'sgscore1', type: nullable('float') },
          { name: 'neargaia', type: nullable('float') },
        ],
      }),
    },
    {
      name: 'prv_candidates',
      type: nullable({
        type: 'array',
        items: nullable({
          type: 'record',
          name: 'prv_candidates',
          fields: [
            { name: 'jd', type: nullable('double') },
            { name: 'fid', type: nullable('int') },
            { name: 'magpsf', type: nullable('float') },
            { name: 'sigmapsf', type: nullable('float') },
            { name: 'diffmaglim', type: nullable('float') },
            { name: 'isdiffpos', type: nullable('string') },
          ],
        }),
      }),
    },
    {
      name: 'cutoutScience',
      type: nullable({
        type: 'record',
        name: 'cutoutScience',
        fields: [
          { name: 'fileName', type: nullable('string') },
          { name: 'stampData', type: nullable('bytes') },
        ],
      }),
    },
    // What the Spark writer emits: a null default on a union whose first branch is string.
    { name: 'cdsxmatch', type: nullable('string'), default: null },
    { name: 'rfscore', type: nullable('double') },
    { name: 'snn', type: nullable('double') },
  ],
});

const candids = [3_000_000_000_000_000_123n, 3_000_000_000_000_000_124n, 9_007_199_254_740_993n];

function record(i: number) {
  return {
    objectId: `ZTF19avro${i}`,
    candid: candids[i],
    candidate: {
      jd: 2458789.5 + i,
      fid: 1 + (i % 2),
      candid: candids[i],
      ra: 150 + i,
      dec: 25 - i,
      magpsf: 18.5,
      sigmapsf: 0.08,
      diffmaglim: 20.25,
      isdiffpos: i === 1 ? 'f' : 't',
      drb: 0.75,
      ssnamenr: i === 2 ? '6281' : 'null',
      sgscore1: 0.5,
      neargaia: -999,
    },
    prv_candidates:
      i === 1
        ? null
        : [
            { jd: 2458780.5, fid: 2, magpsf: null, sigmapsf: null, diffmaglim: 19.5, isdiffpos: null },
            null,
            { jd: 2458785.5, fid: 1, magpsf: 18.75, sigmapsf: 0.125, diffmaglim: 20, isdiffpos: 't' },
          ],
    cutoutScience: { fileName: `sci${i}.fits.gz`, stampData: Buffer.from(fakeStamp(i)) },
    cdsxmatch: i === 0 ? 'EB*' : 'Unknown',
    rfscore: i === 0 ? 0.25 : null,
    snn: 0.5,
  };
}

/** An object container file whose header carries `headerSchema` verbatim. */
async function avroFile(headerSchema: object, records: object[]): Promise<Buffer> {
  const sync = Buffer.alloc(16, 7);
  const type = avroTypeFromSchema(structuredClone(headerSchema));
  const blocks: Buffer[] = [];
  const encoder = new avro.streams.BlockEncoder(type, { writeHeader: 'never', syncMarker: sync, codec: 'null' });
  encoder.on('data', (chunk: Buffer) => blocks.push(chunk));
  const done = new Promise((resolve, reject) => {
    encoder.on('end', resolve);
    encoder.on('error', reject);
  });
  for (const r of records) encoder.write(r);
  encoder.end();
  await done;
  const headerType = avro.Type.forSchema({
    type: 'record',
    name: 'org.apache.avro.file.Header',
    fields: [
      { name: 'magic', type: { type: 'fixed', name: 'Magic', size: 4 } },
      { name: 'meta', type: { type: 'map', values: 'bytes' } },
      { name: 'sync', type: { type: 'fixed', name: 'Sync', size: 16 } },
    ],
  });
  const header = headerType.toBuffer({
    magic: Buffer.from('Obj\x01', 'latin1'),
    meta: { 'avro.schema': Buffer.from(JSON.stringify(headerSchema)), 'avro.codec': Buffer.from('null') },
    sync,
  });
  return Buffer.concat([header, ...blocks]);
}

let dir: string;
let file: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'finkvra-avro-'));
  file = path.join(dir, 'alerts.avro');
  writeFileSync(file, await avroFile(schema(), [0, 1, 2].map(record)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(f: string, withCutouts = false): Promise<Alert[]> {
  const out: Alert[] = [];
  for await (const b of readAlertBatches(f, { withCutouts, batchSize: 2 })) out.push(...b.alerts);
  return out;
}

describe('avro alerts', () => {
  it('stock avsc refuses the file (so the workarounds are needed)', async () => {
    const err = await new Promise<Error | null>((resolve) => {
      const dec = avro.createFileDecoder(file);
      dec.on('error', resolve);
      dec.on('data', () => undefined);
      dec.on('end', () => resolve(null));
    });
    expect(err?.message).toMatch(/default|precision/);
  });

  it('drops only the defaults that do not match the first union branch', () => {
    const s = dropInvalidUnionDefaults({
      type: 'record',
      name: 'r',
      fields: [
        { name: 'a', type: ['string', 'null'], default: null },
        { name: 'b', type: ['null', 'string'], default: null },
        { name: 'c', type: ['int', 'null'], default: 3 },
      ],
    }) as { fields: Array<Record<string, unknown>> };
    expect(s.fields.map((f) => 'default' in f)).toEqual([false, true, true]);
  });

  it('reads every record with exact candids, history, Fink columns and scores', async () => {
    const alerts = await readAll(file);
    expect(alerts.map((a) => a.candid)).toEqual(candids.map(String));
    expect(alerts.map((a) => a.objectId)).toEqual(['ZTF19avro0', 'ZTF19avro1', 'ZTF19avro2']);
    expect(alerts[0]).toMatchObject({
      jd: 2458789.5,
      fid: 1,
      ra: 150,
      dec: 25,
      magpsf: 18.5,
      diffmaglim: 20.25,
      isdiffpos: 't',
      drb: 0.75,
      ssnamenr: null,
      cdsxmatch: 'EB*',
      roid: null,
      scores: { rfscore: 0.25, snn: 0.5 },
    });
    // Nearby sources as stored (the -999 sentinel is kept); a field the file lacks is null.
    expect(alerts[0]).toMatchObject({ sgscore1: 0.5, neargaia: -999, distpsnr1: null, distnr: null, magnr: null, maggaia: null });
    expect(alerts[1].isdiffpos).toBe('f');
    expect(alerts[1].scores).toEqual({ snn: 0.5 });
    expect(alerts[2].ssnamenr).toBe('6281');
    // The null array element is skipped; null prv_candidates becomes [].
    expect(alerts[0].history).toEqual([
      { jd: 2458780.5, fid: 2, magpsf: null, sigmapsf: null, diffmaglim: 19.5, isdiffpos: null },
      { jd: 2458785.5, fid: 1, magpsf: 18.75, sigmapsf: 0.125, diffmaglim: 20, isdiffpos: 't' },
    ]);
    expect(alerts[1].history).toEqual([]);
    expect(alerts[0].cutouts).toBeUndefined();
  });

  it('batches avro records with columnar history', async () => {
    const batches = [];
    for await (const b of readAlertBatches(file, { batchSize: 2 })) batches.push(b);
    expect(batches.map((b) => [b.firstRow, b.alerts.length, Array.from(b.history.offsets)])).toEqual([
      [0, 2, [0, 2, 2]],
      [2, 1, [0, 2]],
    ]);
  });

  it('reads cutouts when asked', async () => {
    const alerts = await readAll(file, true);
    expect(alerts[2].cutouts?.science).toEqual(fakeStamp(2));
    expect(alerts[2].cutouts?.template).toBeNull();
    expect(await countRows(file)).toBe(3);
  });

  it('a truncated avro file is an AlertFileError', async () => {
    const bytes = await avroFile(schema(), [0, 1, 2].map(record));
    const cut = path.join(dir, 'cut.avro');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 40));
    await expect(readAll(cut)).rejects.toThrow(AlertFileError);
    await expect(readAll(cut)).rejects.toThrow(/cut\.avro: truncated avro file: \d+ bytes at the end/);
    writeFileSync(cut, bytes.subarray(0, 60));
    await expect(readAll(cut)).rejects.toThrow(/cut\.avro: truncated avro file: incomplete header/);
  });

  it('an avro file without candidate is not a ZTF alert file', async () => {
    const s = schema();
    s.fields = s.fields.filter((f) => f.name !== 'candidate');
    const other = path.join(dir, 'other.avro');
    writeFileSync(
      other,
      await avroFile(
        s,
        [0].map((i) => {
          const { candidate: _c, ...rest } = record(i);
          return rest;
        }),
      ),
    );
    await expect(readAll(other)).rejects.toThrow(/no 'candidate' field: not a ZTF alert file/);
  });
});
