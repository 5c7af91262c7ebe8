/**
 * Fink/ZTF alert avro (object container files) → Alert batches, with avsc.
 *
 * Two avsc workarounds (see ../shared/data/README.md §5):
 * - the Spark/Fink writer emits union fields whose default does not match the union's first branch, which avsc
 *   rejects at schema parse time: such defaults are dropped (defaults only matter for schema evolution, not for
 *   reading data written with this very schema);
 * - candid exceeds 2^53 and avsc's stock long throws "potential precision loss": longs are read as BigInt.
 *
 * Avro alert files are small (Fink writes one alert or a few hundred per file), so a file is decoded whole before
 * its first batch is yielded; that is also what lets every row be checked before anything is yielded.
 */
import avro from 'avsc';
import type { Alert, Cutouts, LcFeatures } from './alert.js';
import { AlertFileError } from './errors.js';
import { orNull, parseNumber } from './arrow-columns.js';
import { nearbySources } from './nearby-sources.js';
import { HistoryBuilder, defineLazyHistory } from './history.js';
import {
  CUTOUT_COLUMNS,
  FOREIGN_SURVEY_MARKERS,
  LC_FEATURE_COLUMNS,
  REQUIRED_CANDIDATE_FIELDS,
  isScoreColumn,
} from './fink-columns.js';
import { DEFAULT_BATCH_SIZE, makeBatch, type AlertBatch, type ReadOptions } from './batch.js';
import { columnsFromAlerts } from './columns.js';

/** avsc long backed by BigInt: exact for candid and the other 64-bit ids. */
const bigIntLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(n);
    return buf;
  },
  fromJSON: (v: string | number | bigint) => BigInt(v),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

type JsonSchema = unknown;

function branchName(t: JsonSchema): string | null {
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && 'type' in t && typeof (t as { type: unknown }).type === 'string') {
    return (t as { type: string }).type;
  }
  return null;
}

/** Removes union defaults that avsc would reject (null default on a [T, null] union, non-null on [null, T]). */
export function dropInvalidUnionDefaults(schema: JsonSchema): JsonSchema {
  const seen = new Set<unknown>();
  const walk = (node: JsonSchema): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    const obj = node as Record<string, unknown>;
    if (obj.type === 'record' && Array.isArray(obj.fields)) {
      for (const field of obj.fields as Array<Record<string, unknown>>) {
        if (Array.isArray(field.type) && 'default' in field) {
          const firstIsNull = branchName(field.type[0]) === 'null';
          if (firstIsNull !== (field.default === null)) delete field.default;
        }
        walk(field.type);
      }
    }
    if ('items' in obj) walk(obj.items);
    if ('values' in obj) walk(obj.values);
    if (Array.isArray(obj.type) || (obj.type && typeof obj.type === 'object')) walk(obj.type);
  };
  walk(schema);
  return schema;
}

/** An avsc Type for a schema as Fink writes it: invalid union defaults dropped, longs as BigInt. */
export function avroTypeFromSchema(schema: JsonSchema): avro.Type {
  return avro.Type.forSchema(dropInvalidUnionDefaults(schema) as avro.Schema, {
    registry: { long: bigIntLong },
  });
}

type AvroRecord = Record<string, unknown>;

/** A value as avsc decodes it (number, BigInt long, boolean, numeric string) as a number; NaN where it is none. */
export function avroNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return parseNumber(v);
  return NaN;
}

function str(v: unknown): string | null {
  if (v == null) return null;
  return typeof v === 'string' ? v : String(v);
}

function diffposCode(v: unknown): number {
  const c = typeof v === 'string' ? v.charAt(0) : '';
  return c === 't' || c === 'T' || c === '1' ? 1 : c === 'f' || c === 'F' || c === '0' ? -1 : 0;
}

function recordFieldNames(type: avro.Type | undefined): string[] {
  const fields = (type as unknown as { fields?: Array<{ name: string; type: avro.Type }> } | undefined)?.fields;
  return fields ? fields.map((f) => f.name) : [];
}

/** The record type inside a [record, null] union, or the type itself. */
function unwrapNullable(type: avro.Type | undefined): avro.Type | undefined {
  const branches = (type as unknown as { types?: avro.Type[] } | undefined)?.types;
  if (branches) return branches.find((t) => t.typeName !== 'null');
  return type;
}

function checkAvroSchema(file: string, type: avro.Type): void {
  const fields = (type as unknown as { fields?: Array<{ name: string; type: avro.Type }> }).fields ?? [];
  const names = fields.map((f) => f.name);
  const cand = fields.find((f) => f.name === 'candidate');
  if (!cand) {
    const foreign = names.map((n) => FOREIGN_SURVEY_MARKERS[n]).find(Boolean);
    throw new AlertFileError(
      file,
      'candidate',
      foreign
        ? `not a ZTF alert file: looks like ${foreign}; no 'candidate' field`
        : `no 'candidate' field: not a ZTF alert file (fields: ${names.slice(0, 12).join(', ') || 'none'})`,
    );
  }
  const have = new Set(recordFieldNames(unwrapNullable(cand.type)));
  const missing = REQUIRED_CANDIDATE_FIELDS.filter((f) => !have.has(f));
  if (missing.length > 0) {
    throw new AlertFileError(
      file,
      `candidate.${missing[0]}`,
      `not a ZTF alert file: no ${missing.map((m) => `candidate.${m}`).join(', ')}`,
    );
  }
  if (!names.includes('objectId')) throw new AlertFileError(file, 'objectId', "no 'objectId' field");
}

function numericEntries(prefix: string, v: unknown, out: Record<string, number>): void {
  if (v == null) return;
  if (typeof v === 'object' && !(v instanceof Uint8Array)) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const n = typeof x === 'boolean' ? NaN : avroNumber(x);
      if (!Number.isNaN(n)) out[`${prefix}_${k}`] = n;
    }
    return;
  }
  if (typeof v === 'boolean') return;
  const n = avroNumber(v);
  if (!Number.isNaN(n)) out[prefix] = n;
}

function lcFeatures(v: unknown): LcFeatures | null {
  if (!v || typeof v !== 'object') return null;
  const rec: LcFeatures = {};
  let any = false;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const n = orNull(avroNumber(x));
    rec[k] = n;
    if (n !== null) any = true;
  }
  return any ? rec : null;
}

function stamp(v: unknown): Uint8Array | null {
  const data = (v as { stampData?: unknown } | null)?.stampData;
  return data instanceof Uint8Array ? new Uint8Array(data) : null;
}

/** One decoded avro record → Alert (history left empty); its history is appended to `history` as one row. */
export function alertFromAvroRecord(rec: AvroRecord, file: string, row: number, withCutouts: boolean, history: HistoryBuilder): Alert {
  const objectId = str(rec.objectId);
  if (!objectId) throw new AlertFileError(file, 'objectId', `row ${row} has a null objectId`);
  const cand = rec.candidate as AvroRecord | null;
  if (!cand) throw new AlertFileError(file, 'candidate', `row ${row} has a null candidate`);
  const candidRaw = rec.candid ?? cand.candid;
  if (candidRaw == null) throw new AlertFileError(file, 'candid', `row ${row} has a null candid`);
  if (typeof candidRaw !== 'bigint' && !(typeof candidRaw === 'number' && Number.isSafeInteger(candidRaw))) {
    throw new AlertFileError(file, 'candid', `row ${row}: candid ${String(candidRaw)} is not an exact integer`);
  }
  for (const name of ['jd', 'fid', 'ra', 'dec'] as const) {
    if (Number.isNaN(avroNumber(cand[name]))) throw new AlertFileError(file, `candidate.${name}`, `row ${row} has a null ${name}`);
  }

  const prv = rec.prv_candidates;
  if (Array.isArray(prv)) {
    for (const p of prv as Array<AvroRecord | null>) {
      if (!p) continue;
      const jd = avroNumber(p.jd);
      const fid = avroNumber(p.fid);
      if (Number.isNaN(jd) || Number.isNaN(fid)) continue;
      history.push(jd, fid, avroNumber(p.magpsf), avroNumber(p.sigmapsf), avroNumber(p.diffmaglim), diffposCode(p.isdiffpos));
    }
  }
  history.endRow();

  const scores: Record<string, number> = {};
  for (const [key, value] of Object.entries(rec)) if (isScoreColumn(key)) numericEntries(key, value, scores);

  const ssnamenr = str(cand.ssnamenr);
  const isdiffpos = diffposCode(cand.isdiffpos);
  const alert: Alert = {
    candid: candidRaw.toString(),
    objectId,
    jd: avroNumber(cand.jd),
    fid: avroNumber(cand.fid),
    ra: avroNumber(cand.ra),
    dec: avroNumber(cand.dec),
    magpsf: orNull(avroNumber(cand.magpsf)),
    sigmapsf: orNull(avroNumber(cand.sigmapsf)),
    diffmaglim: orNull(avroNumber(cand.diffmaglim)),
    isdiffpos: isdiffpos > 0 ? 't' : isdiffpos < 0 ? 'f' : null,
    drb: orNull(avroNumber(cand.drb)),
    rb: orNull(avroNumber(cand.rb)),
    nbad: orNull(avroNumber(cand.nbad)),
    ndethist: orNull(avroNumber(cand.ndethist)),
    ...nearbySources((field) => orNull(avroNumber(cand[field]))),
    ssdistnr: orNull(avroNumber(cand.ssdistnr)),
    ssnamenr: ssnamenr === '' || ssnamenr === 'null' ? null : ssnamenr,
    history: [],
    cdsxmatch: str(rec.cdsxmatch),
    roid: orNull(avroNumber(rec.roid)),
    finkclass: str(rec.finkclass),
    tnsclass: str(rec.tnsclass),
    scores,
    lcFeaturesG: lcFeatures(rec[LC_FEATURE_COLUMNS[0]]),
    lcFeaturesR: lcFeatures(rec[LC_FEATURE_COLUMNS[1]]),
    sherlockSepArcsec: orNull(avroNumber(rec.sep_arcsec)),
    sherlockClass: str(rec.sherl_class),
  };
  if (withCutouts) {
    const cutouts: Cutouts = {
      science: stamp(rec[CUTOUT_COLUMNS.science]),
      template: stamp(rec[CUTOUT_COLUMNS.template]),
      difference: stamp(rec[CUTOUT_COLUMNS.difference]),
    };
    alert.cutouts = cutouts;
  }
  return alert;
}

/**
 * avsc 5.7.9 silently drops an incomplete trailing block (and a file cut inside its header yields nothing at all).
 * The decoder's input tap keeps the bytes it could not consume; anything left there at the end means truncation.
 */
function unconsumedBytes(decoder: object): number {
  const tap = (decoder as { _tap?: { buf?: Buffer; pos?: number } })._tap;
  return tap?.buf && typeof tap.pos === 'number' ? tap.buf.length - tap.pos : 0;
}

/** Decodes every record of an avro file (schema checked first), wrapping avsc errors as AlertFileError. */
async function decodeAll(file: string, onRecord: (rec: AvroRecord, row: number) => void): Promise<number> {
  const decoder = avro.createFileDecoder(file, { parseHook: avroTypeFromSchema as (s: avro.Schema) => avro.Type });
  let schemaError: AlertFileError | null = null;
  let sawHeader = false;
  decoder.on('metadata', (type: avro.Type) => {
    sawHeader = true;
    try {
      checkAvroSchema(file, type);
    } catch (e) {
      schemaError = e as AlertFileError;
      decoder.destroy(schemaError);
    }
  });
  let row = 0;
  try {
    for await (const rec of decoder) {
      onRecord(rec as AvroRecord, row);
      row++;
    }
  } catch (e) {
    if (e instanceof AlertFileError) throw e;
    if (schemaError) throw schemaError;
    const msg = e instanceof Error ? e.message : String(e);
    throw new AlertFileError(file, null, `not a readable avro file: ${msg}`);
  } finally {
    decoder.destroy();
  }
  if (schemaError) throw schemaError;
  if (!sawHeader) throw new AlertFileError(file, null, 'truncated avro file: incomplete header');
  const left = unconsumedBytes(decoder);
  if (left > 0) {
    throw new AlertFileError(file, null, `truncated avro file: ${left} bytes at the end do not form a complete block`);
  }
  return row;
}

export async function* readAvroAlerts(file: string, opts: ReadOptions = {}): AsyncGenerator<AlertBatch> {
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  const withCutouts = opts.withCutouts ?? false;
  // Every row is converted (and so checked) before the first batch is yielded; records are dropped as they arrive.
  const batches: AlertBatch[] = [];
  let alerts: Alert[] = [];
  let history = new HistoryBuilder(batchSize);
  const close = (firstRow: number): void => {
    const built = history.finish();
    const h = { ...built, offsets: built.offsets.subarray(0, alerts.length + 1) };
    alerts.forEach((a, i) => defineLazyHistory(a, h, i));
    batches.push(makeBatch(file, firstRow, columnsFromAlerts(alerts), h, alerts));
    alerts = [];
    history = new HistoryBuilder(batchSize);
  };
  const rows = await decodeAll(file, (rec, row) => {
    alerts.push(alertFromAvroRecord(rec, file, row, withCutouts, history));
    if (alerts.length === batchSize) close(row + 1 - batchSize);
  });
  if (alerts.length > 0) close(rows - alerts.length);
  yield* batches;
}

/** Number of records. avsc exposes no block counts, so this decodes (avro alert files are small). */
export async function countAvroRows(file: string): Promise<number> {
  return decodeAll(file, () => undefined);
}
