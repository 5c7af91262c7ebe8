/**
 * Rubin's own LSST alerts in avro object container files (the schema in the file's header, as lsst/alert_packet
 * writes them) → LsstBatch, with avsc. Longs are read as BigInt (avroTypeFromSchema), so ids stay exact.
 * Alert avro files are small, so a file is decoded whole, then cut into batches.
 */
import avro from 'avsc';
import { AlertFileError } from '../../alerts/errors.js';
import { avroNumber, avroTypeFromSchema } from '../../alerts/avro.js';
import { DEFAULT_LSST_BATCH_SIZE, type LsstBatch, type LsstLimitList, type LsstReadOptions, type LsstSourceList } from './batch.js';
import { zeroAsNull } from './ids.js';
import {
  DESIGNATION_PATHS,
  LSST_CUTOUTS,
  OBJECT_SUMMARY_FIELDS,
  SOURCE_FIELD_ALIASES,
  SOURCE_NUMBER_FIELDS,
  isLsstSchema,
  lsstSchemaVersion,
  missingLsstFields,
  type LsstSchemaVersion,
  type SchemaShape,
  type SourceNumberField,
} from './schema.js';

type Rec = Record<string, unknown>;
interface AvroField {
  name: string;
  type: avro.Type;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** An id as an exact decimal string: BigInt from avsc, or a safe integer. */
function exactId(v: unknown, field: string, file: string, row: number): string | null {
  if (v == null) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  throw new AlertFileError(file, field, `row ${row}: not an exact 64-bit integer id`);
}

function rec(v: unknown): Rec | null {
  return v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) ? (v as Rec) : null;
}

function fieldsOf(type: avro.Type | undefined): AvroField[] {
  const branches = (type as unknown as { types?: avro.Type[] } | undefined)?.types;
  const t = branches ? branches.find((b) => b.typeName !== 'null') : type;
  return (t as unknown as { fields?: AvroField[] } | undefined)?.fields ?? [];
}

export function shapeOfAvro(type: avro.Type): SchemaShape {
  const fields = fieldsOf(type);
  const children: Record<string, string[]> = {};
  for (const f of fields) {
    const sub = fieldsOf(f.type);
    if (sub.length > 0) children[f.name] = sub.map((s) => s.name);
  }
  return { fields: fields.map((f) => f.name), children };
}

function sourceList(records: Rec[], key: string, idField: string, where: { file: string; firstRow: number }): LsstSourceList {
  const offsets = new Int32Array(records.length + 1);
  const rows: Rec[] = [];
  const id: (string | null)[] = [];
  records.forEach((r, i) => {
    const list = Array.isArray(r[key]) ? (r[key] as unknown[]) : [];
    for (const e of list) {
      const entry = rec(e) ?? {};
      rows.push(entry);
      id.push(exactId(entry[idField], `${key}.${idField}`, where.file, where.firstRow + i));
    }
    offsets[i + 1] = rows.length;
  });
  return {
    offsets,
    id,
    midpointMjdTai: Float64Array.from(rows, (e) => avroNumber(e.midpointMjdTai)),
    band: rows.map((e) => str(e.band)),
    psfFlux: Float64Array.from(rows, (e) => avroNumber(e.psfFlux)),
    psfFluxErr: Float64Array.from(rows, (e) => avroNumber(e.psfFluxErr)),
  };
}

function limitList(records: Rec[]): LsstLimitList {
  const offsets = new Int32Array(records.length + 1);
  const rows: Rec[] = [];
  records.forEach((r, i) => {
    const list = Array.isArray(r.prvDiaNondetectionLimits) ? (r.prvDiaNondetectionLimits as unknown[]) : [];
    for (const e of list) rows.push(rec(e) ?? {});
    offsets[i + 1] = rows.length;
  });
  return {
    offsets,
    midpointMjdTai: Float64Array.from(rows, (e) => avroNumber(e.midpointMjdTai)),
    band: rows.map((e) => str(e.band)),
    diaNoise: Float64Array.from(rows, (e) => avroNumber(e.diaNoise)),
  };
}

function sourceNumbers(sources: Rec[]): Record<SourceNumberField, Float64Array> {
  const out = {} as Record<SourceNumberField, Float64Array>;
  for (const f of SOURCE_NUMBER_FIELDS) {
    const alias = SOURCE_FIELD_ALIASES[f];
    out[f] = Float64Array.from(sources, (s) => avroNumber(s[f] ?? (alias ? s[alias] : undefined)));
  }
  return out;
}

function designation(r: Rec): string | null {
  for (const [struct, field] of DESIGNATION_PATHS) {
    const v = str(rec(r[struct])?.[field]);
    if (v !== null) return v;
  }
  return null;
}

function bytes(v: unknown): Uint8Array | null {
  return v instanceof Uint8Array ? new Uint8Array(v) : null;
}

/** One batch from decoded records (rows firstRow … of the file). */
export function lsstBatchFromRecords(
  records: Rec[],
  where: { file: string; firstRow: number; version: LsstSchemaVersion; declared?: string | null },
  withCutouts: boolean,
): LsstBatch {
  const { file, firstRow } = where;
  const sources = records.map((r) => rec(r.diaSource) ?? {});
  const objects = records.map((r) => rec(r.diaObject) ?? {});
  const diaSourceId = sources.map((s, i) => exactId(s.diaSourceId, 'diaSource.diaSourceId', file, firstRow + i));
  const missing = diaSourceId.findIndex((v) => v === null);
  if (missing >= 0) throw new AlertFileError(file, 'diaSource.diaSourceId', `null at row ${firstRow + missing}`);
  const diaObject: Record<string, Float64Array> = {};
  for (const f of OBJECT_SUMMARY_FIELDS) diaObject[f] = Float64Array.from(objects, (o) => avroNumber(o[f]));
  return {
    file,
    firstRow,
    length: records.length,
    version: where.version,
    declaredVersion: records.map(() => where.declared ?? null),
    diaSourceId: diaSourceId as string[],
    diaObjectId: zeroAsNull(sources.map((s, i) => exactId(s.diaObjectId, 'diaSource.diaObjectId', file, firstRow + i))),
    ssObjectId: zeroAsNull(sources.map((s, i) => exactId(s.ssObjectId, 'diaSource.ssObjectId', file, firstRow + i))),
    band: sources.map((s) => str(s.band)),
    source: sourceNumbers(sources),
    prvDiaSources: sourceList(records, 'prvDiaSources', 'diaSourceId', where),
    prvDiaForcedSources: sourceList(records, 'prvDiaForcedSources', 'diaForcedSourceId', where),
    prvDiaNondetectionLimits: limitList(records),
    diaObject,
    ssDesignation: records.map(designation),
    cutouts: withCutouts
      ? {
          difference: records.map((r) => bytes(r[LSST_CUTOUTS.difference])),
          science: records.map((r) => bytes(r[LSST_CUTOUTS.science])),
          template: records.map((r) => bytes(r[LSST_CUTOUTS.template])),
        }
      : null,
  };
}

/**
 * avsc 5.7.9 drops an incomplete trailing block without a word; the bytes its input tap could not consume tell a
 * truncated file apart (the same check as the ZTF avro reader's).
 */
function unconsumedBytes(decoder: object): number {
  const tap = (decoder as { _tap?: { buf?: Buffer; pos?: number } })._tap;
  return tap?.buf && typeof tap.pos === 'number' ? tap.buf.length - tap.pos : 0;
}

/** Decodes every record (schema checked at the header), wrapping avsc errors with the file name. */
/** `lsst.v10_0` from the record's full name `lsst.v10_0.alert`: the spelling of Fink's lsst_schema_version column. */
function declaredVersionOf(type: avro.Type): string | null {
  return /^(lsst\.v\d+_\d+)\./.exec(type.name ?? '')?.[1] ?? null;
}

interface Decoded {
  records: Rec[];
  version: LsstSchemaVersion;
  declared: string | null;
}

async function decodeAll(file: string): Promise<Decoded> {
  const decoder = avro.createFileDecoder(file, { parseHook: avroTypeFromSchema as (s: avro.Schema) => avro.Type });
  let version: LsstSchemaVersion = 'unknown';
  let declared: string | null = null;
  let schemaError: AlertFileError | null = null;
  let sawHeader = false;
  decoder.on('metadata', (type: avro.Type) => {
    sawHeader = true;
    const shape = shapeOfAvro(type);
    version = lsstSchemaVersion(shape);
    declared = declaredVersionOf(type);
    if (isLsstSchema(shape)) return;
    const missing = missingLsstFields(shape);
    schemaError = new AlertFileError(file, missing[0], `not an LSST alert file: no ${missing.join(', ')}`);
    decoder.destroy(schemaError);
  });
  const records: Rec[] = [];
  try {
    for await (const r of decoder) records.push(r as Rec);
  } catch (e) {
    if (e instanceof AlertFileError) throw e;
    if (schemaError) throw schemaError;
    throw new AlertFileError(file, null, `not a readable avro file: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    decoder.destroy();
  }
  if (schemaError) throw schemaError;
  if (!sawHeader) throw new AlertFileError(file, null, 'truncated avro file: incomplete header');
  const left = unconsumedBytes(decoder);
  if (left > 0) throw new AlertFileError(file, null, `truncated avro file: ${left} bytes at the end do not form a complete block`);
  return { records, version, declared };
}

export async function* readLsstAvro(file: string, opts: LsstReadOptions = {}): AsyncGenerator<LsstBatch> {
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_LSST_BATCH_SIZE);
  const { records, version, declared } = await decodeAll(file);
  // Every batch is built (and its ids checked) before the first is yielded: a bad row fails the whole file.
  const batches: LsstBatch[] = [];
  for (let start = 0; start < records.length; start += batchSize) {
    const part = records.slice(start, start + batchSize);
    batches.push(lsstBatchFromRecords(part, { file, firstRow: start, version, declared }, opts.withCutouts ?? false));
  }
  yield* batches;
}
