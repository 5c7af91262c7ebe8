/**
 * One alert written into each of Fink's LSST schema templates (7.4, 9.0, 10.0: the template's exact Arrow schema,
 * every field not set here null), then read back: the reader must work on every version with rows, not only on the
 * one real file. Written with apache-arrow + parquet-wasm, as the ZTF fixtures are.
 */
import { existsSync, mkdtempSync, openAsBlob, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Table, Type, tableFromIPC, tableToIPC, vectorFromArray, type DataType, type Field, type Vector } from 'apache-arrow';
import { ParquetFile, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import type { LsstBatch } from '../../core/surveys/lsst/batch.js';
import { readLsstAlerts } from '../../core/surveys/lsst/read.js';
import { SHARED_DATA } from '../helpers/shared-data.js';

const LSST_DIR = `${SHARED_DATA}/fink-lsst`;
const HAS = existsSync(LSST_DIR);
if (!HAS) console.warn(`[lsst-versions] skipped: ${LSST_DIR} is absent (Fink's LSST templates)`);
const dir = mkdtempSync(path.join(tmpdir(), 'lsst-versions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Value = unknown;
const children = (t: DataType): Field[] => (t as unknown as { children?: Field[] }).children ?? [];

/** A value of Arrow type `t`: `given` where set (recursively for structs), null elsewhere. */
function fill(t: DataType, given: Value): Value {
  if (given === undefined || given === null) return null;
  if (t.typeId === Type.Struct) {
    const g = given as Record<string, Value>;
    return Object.fromEntries(children(t).map((c) => [c.name, fill(c.type, g[c.name])]));
  }
  if (t.typeId === Type.List) return (given as Value[]).map((e) => fill(children(t)[0].type, e));
  return given;
}

const SRC = 169813006680588318n;
const OBJ = 169747015154532428n;
const ALERT: Record<string, Value> = {
  diaSourceId: SRC,
  alertId: SRC,
  diaSource: {
    diaSourceId: SRC,
    diaObjectId: OBJ,
    ssObjectId: 0n,
    midpointMjdTai: 61041.25,
    ra: 150.5,
    dec: 2.25,
    band: 'r',
    psfFlux: -12.5,
    psfFluxErr: 4.5,
    reliability: 0.5,
    snr: 7.25,
    extendedness: 0.125,
  },
  prvDiaSources: [{ diaSourceId: SRC - 5n, diaObjectId: OBJ, midpointMjdTai: 61030.5, band: 'g', psfFlux: 100.5, psfFluxErr: 3 }],
  prvDiaForcedSources: [{ diaForcedSourceId: SRC - 9n, diaObjectId: OBJ, midpointMjdTai: 61020.5, band: 'u', psfFlux: 5.5, psfFluxErr: 2 }],
  prvDiaNondetectionLimits: [{ ccdVisitId: 3n, midpointMjdTai: 61010.5, band: 'z', diaNoise: 40.5 }],
  diaObject: { diaObjectId: OBJ, g_psfFluxMean: 55.5, nDiaSources: 2 },
  MPCORB: { mpcDesignation: 'K15Bt7C', ssObjectId: 1n },
  ssSource: { designation: 'K15Bt7C', ssObjectId: 1n },
};

function toParquet(table: Table): Uint8Array {
  return writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')), new WriterPropertiesBuilder().build());
}

async function oneAlertFile(template: string): Promise<string> {
  const handle = await ParquetFile.fromFile(await openAsBlob(`${LSST_DIR}/${template}`));
  const schema = tableFromIPC(handle.schema().intoIPCStream()).schema;
  handle.free();
  const columns: Record<string, Vector> = {};
  for (const f of schema.fields) columns[f.name] = vectorFromArray([fill(f.type, ALERT[f.name])], f.type);
  const file = path.join(dir, template.replace('_empty', '_one'));
  writeFileSync(file, toParquet(new Table(columns)));
  return file;
}

async function readAll(file: string): Promise<LsstBatch[]> {
  const out: LsstBatch[] = [];
  for await (const b of readLsstAlerts(file, { withCutouts: true })) out.push(b);
  return out;
}

describe.skipIf(!HAS)('one alert in each LSST schema version', () => {
  for (const [template, version] of [
    ['schema_lsst.v7_4_empty.parquet', '7.x'],
    ['schema_lsst.v9_0_empty.parquet', '8.0/9.0'],
    ['schema_lsst.v10_0_empty.parquet', '10.0'],
  ] as const) {
    it(`${template}: ids, source, histories and object read back`, async () => {
      const [b, more] = await readAll(await oneAlertFile(template));
      expect(more).toBeUndefined();
      expect(b.version).toBe(version);
      expect(b.length).toBe(1);
      expect(b.diaSourceId).toEqual(['169813006680588318']);
      expect(b.diaObjectId).toEqual(['169747015154532428']);
      expect(b.ssObjectId).toEqual([null]);
      expect(b.band).toEqual(['r']);
      expect([b.source.psfFlux[0], b.source.psfFluxErr[0], b.source.reliability[0], b.source.snr[0]]).toEqual([-12.5, 4.5, 0.5, 7.25]);
      expect(b.source.extendedness[0]).toBe(0.125);
      expect(b.prvDiaSources.id).toEqual(['169813006680588313']);
      expect(Array.from(b.prvDiaSources.psfFlux)).toEqual([100.5]);
      expect(b.prvDiaForcedSources.id).toEqual(['169813006680588309']);
      expect(b.prvDiaForcedSources.band).toEqual(['u']);
      expect(b.diaObject.g_psfFluxMean[0]).toBe(55.5);
      expect(b.cutouts?.science).toEqual([null]);
      if (version === '7.x') {
        expect(Array.from(b.prvDiaNondetectionLimits.diaNoise)).toEqual([40.5]);
        expect(b.diaObject.nDiaSources[0]).toBeNaN();
        expect(b.ssDesignation).toEqual([null]);
      } else {
        expect(b.prvDiaNondetectionLimits.offsets[1]).toBe(0);
        expect(b.diaObject.nDiaSources[0]).toBe(2);
        expect(b.ssDesignation).toEqual(['K15Bt7C']);
      }
    });
  }
});
