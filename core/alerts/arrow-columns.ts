/**
 * Columnar readers over apache-arrow `Data` chunks.
 *
 * Row objects (`vector.get(i)` / `toJSON()`) allocate per value and dominate read time on alert files, so every
 * column is converted here in one tight loop into a plain typed array or string array. Each helper accepts the
 * physical types the different Fink writers produce (float32 vs double, int32 vs int64, dictionary-encoded strings,
 * the Arrow Null type for all-null columns, numbers stored as text) so callers never branch on the writer.
 *
 * Arrow JS slicing rules these loops rely on: fixed-width `values` are already sliced to the Data's window (index i
 * is `values[i]`), the validity bitmap and boolean bits are not (bit `offset + i`), `valueOffsets` are sliced but
 * point into the unsliced byte buffer / child, and struct children are sliced along with their parent.
 */
import { Type, makeVector, type Data, type DataType, type Field } from 'apache-arrow';

const utf8 = new TextDecoder('utf-8');

/** True when row i of `data` is non-null. The Null type is null everywhere. */
export function isValid(data: Data, i: number): boolean {
  if (data.typeId === Type.Null) return false;
  const bitmap = data.nullBitmap;
  if (!bitmap || bitmap.length === 0) return true;
  const bit = data.offset + i;
  return (bitmap[bit >> 3] & (1 << (bit & 7))) !== 0;
}

/** A per-row validity array (1 = valid) or null when every row is valid: lets hot loops skip the bit arithmetic. */
export function validityOf(data: Data): Uint8Array | null {
  if (data.typeId === Type.Null) return new Uint8Array(data.length);
  const bitmap = data.nullBitmap;
  if (!bitmap || bitmap.length === 0 || data.nullCount === 0) return null;
  const out = new Uint8Array(data.length);
  const off = data.offset;
  for (let i = 0; i < data.length; i++) {
    const bit = off + i;
    out[i] = (bitmap[bit >> 3] >> (bit & 7)) & 1;
  }
  return out;
}

/** The child of a struct (or a map's entry struct) by field name. */
export function childOf(data: Data | undefined, name: string): Data | undefined {
  if (!data) return undefined;
  const fields = (data.type as DataType & { children?: Field[] }).children;
  if (!fields) return undefined;
  const idx = fields.findIndex((f) => f.name === name);
  return idx < 0 ? undefined : data.children[idx];
}

export function fieldNames(data: Data): string[] {
  const fields = (data.type as DataType & { children?: Field[] }).children;
  return fields ? fields.map((f) => f.name) : [];
}

function decodeBytes(bytes: Uint8Array, start: number, end: number): string {
  return utf8.decode(bytes.subarray(start, end));
}

/** Strings of a Utf8 / LargeUtf8 / dictionary / Null column; other types are stringified. */
export function toStrings(data: Data | undefined, length: number): (string | null)[] {
  const out = new Array<string | null>(length).fill(null);
  if (!data || data.typeId === Type.Null) return out;
  const valid = validityOf(data);
  if (data.typeId === Type.Dictionary) {
    const dict = data.dictionary;
    const words = dict ? Array.from(dict, (v) => (v == null ? null : String(v))) : [];
    const keys = data.values as ArrayLike<number | bigint>;
    for (let i = 0; i < length; i++) {
      if (valid && !valid[i]) continue;
      out[i] = words[Number(keys[i])] ?? null;
    }
    return out;
  }
  if (data.typeId === Type.Utf8 || data.typeId === Type.LargeUtf8) {
    const offs = data.valueOffsets as ArrayLike<number | bigint>;
    const bytes = data.values as Uint8Array;
    for (let i = 0; i < length; i++) {
      if (valid && !valid[i]) continue;
      out[i] = decodeBytes(bytes, Number(offs[i]), Number(offs[i + 1]));
    }
    return out;
  }
  const vec = makeVector(data);
  for (let i = 0; i < length; i++) {
    const v: unknown = vec.get(i);
    out[i] = v == null ? null : String(v);
  }
  return out;
}

/** Parses text as a number the way a user means it ('12.5', ' 3 ', '1e-3'); anything else is NaN. */
export function parseNumber(text: string | null): number {
  if (text == null) return NaN;
  const t = text.trim();
  if (t === '') return NaN;
  const v = Number(t);
  return Number.isFinite(v) ? v : NaN;
}

/**
 * Any numeric-ish column as a Float64Array, NaN for null. Handles int/float of every width, bool (0/1), Null,
 * dictionary and text holding numbers (the seed's poller stored sep_arcsec as text).
 */
export function toFloat64(data: Data | undefined, length: number): Float64Array {
  const out = new Float64Array(length).fill(NaN);
  if (!data) return out;
  const type = data.typeId;
  if (type === Type.Null) return out;
  const valid = validityOf(data);
  if (type === Type.Float || type === Type.Int) {
    const values = data.values as ArrayLike<number | bigint>;
    const isBig = values instanceof BigInt64Array || values instanceof BigUint64Array;
    const isHalf = type === Type.Float && values instanceof Uint16Array;
    if (isHalf) return genericFloat64(data, length, out);
    if (isBig) {
      for (let i = 0; i < length; i++) if (!valid || valid[i]) out[i] = Number(values[i] as bigint);
    } else {
      const nums = values as ArrayLike<number>;
      if (!valid) for (let i = 0; i < length; i++) out[i] = nums[i];
      else for (let i = 0; i < length; i++) if (valid[i]) out[i] = nums[i];
    }
    return out;
  }
  if (type === Type.Bool) {
    const bits = data.values as Uint8Array;
    for (let i = 0; i < length; i++) {
      if (valid && !valid[i]) continue;
      const bit = data.offset + i;
      out[i] = (bits[bit >> 3] >> (bit & 7)) & 1;
    }
    return out;
  }
  if (type === Type.Utf8 || type === Type.LargeUtf8 || type === Type.Dictionary) {
    const texts = toStrings(data, length);
    for (let i = 0; i < length; i++) out[i] = parseNumber(texts[i]);
    return out;
  }
  return genericFloat64(data, length, out);
}

function genericFloat64(data: Data, length: number, out: Float64Array): Float64Array {
  const vec = makeVector(data);
  for (let i = 0; i < length; i++) {
    const v: unknown = vec.get(i);
    out[i] = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : NaN;
  }
  return out;
}

/** NaN (our in-array null) back to null at the object boundary. */
export function orNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

/** NaN and ±Infinity to null: for SQL (SQLite would store an infinity as a float) and JSON (which has none). */
export function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/**
 * ZTF isdiffpos ('t'/'f', older alerts '1'/'0') as codes: 1 positive, -1 negative, 0 null. Reads the first byte
 * only, so no string is decoded on the history hot path.
 */
export function toDiffposCodes(data: Data | undefined, length: number): Int8Array {
  const out = new Int8Array(length);
  if (!data || data.typeId === Type.Null) return out;
  const valid = validityOf(data);
  if (data.typeId === Type.Utf8 || data.typeId === Type.LargeUtf8) {
    const offs = data.valueOffsets as ArrayLike<number | bigint>;
    const bytes = data.values as Uint8Array;
    for (let i = 0; i < length; i++) {
      if (valid && !valid[i]) continue;
      const start = Number(offs[i]);
      if (Number(offs[i + 1]) === start) continue;
      out[i] = diffposCode(bytes[start]);
    }
    return out;
  }
  const texts = toStrings(data, length);
  for (let i = 0; i < length; i++) {
    const t = texts[i];
    if (t) out[i] = diffposCode(t.charCodeAt(0));
  }
  return out;
}

function diffposCode(byte: number): number {
  // 't' 'T' '1' → positive; 'f' 'F' '0' → negative.
  if (byte === 0x74 || byte === 0x54 || byte === 0x31) return 1;
  if (byte === 0x66 || byte === 0x46 || byte === 0x30) return -1;
  return 0;
}

export function diffposFromCode(code: number): 't' | 'f' | null {
  return code > 0 ? 't' : code < 0 ? 'f' : null;
}

/** Thrown by toDecimalStrings when the column cannot hold an exact 64-bit id. */
export class InexactIdError extends Error {}

/**
 * A 64-bit id column (candid) as exact decimal strings. Int64 comes as BigInt64Array, so `toString()` is exact; a
 * double column cannot be exact above 2^53 and is refused.
 */
export function toDecimalStrings(data: Data | undefined, length: number): (string | null)[] {
  const out = new Array<string | null>(length).fill(null);
  if (!data || data.typeId === Type.Null) return out;
  const valid = validityOf(data);
  if (data.typeId === Type.Int) {
    const values = data.values as ArrayLike<number | bigint>;
    for (let i = 0; i < length; i++) if (!valid || valid[i]) out[i] = values[i].toString();
    return out;
  }
  if (data.typeId === Type.Utf8 || data.typeId === Type.LargeUtf8 || data.typeId === Type.Dictionary) {
    const texts = toStrings(data, length);
    for (let i = 0; i < length; i++) {
      const t = texts[i]?.trim();
      if (t == null || t === '') continue;
      if (!/^-?\d+$/.test(t)) throw new InexactIdError(`value '${t}' at row ${i} is not an integer`);
      out[i] = BigInt(t).toString();
    }
    return out;
  }
  if (data.typeId === Type.Float) {
    const values = data.values as ArrayLike<number>;
    for (let i = 0; i < length; i++) {
      if (valid && !valid[i]) continue;
      const v = values[i];
      if (!Number.isSafeInteger(v)) {
        throw new InexactIdError(`stored as a floating-point number (${v} at row ${i}): ids above 2^53 are not exact`);
      }
      out[i] = String(v);
    }
    return out;
  }
  throw new InexactIdError(`unsupported type ${String(data.type)}`);
}

/** Bytes of a Binary / LargeBinary column: copies (so a kept value does not pin the batch buffer), or views. */
export function toBinaries(data: Data | undefined, length: number, copy = true): (Uint8Array | null)[] {
  const out = new Array<Uint8Array | null>(length).fill(null);
  if (!data || data.typeId === Type.Null) return out;
  const valid = validityOf(data);
  if (data.typeId === Type.Binary || data.typeId === Type.LargeBinary) {
    const offs = data.valueOffsets as ArrayLike<number | bigint>;
    const bytes = data.values as Uint8Array;
    for (let i = 0; i < length; i++) {
      if (valid && !valid[i]) continue;
      const start = Number(offs[i]);
      const end = Number(offs[i + 1]);
      out[i] = copy ? bytes.slice(start, end) : bytes.subarray(start, end);
    }
    return out;
  }
  const vec = makeVector(data);
  for (let i = 0; i < length; i++) {
    const v: unknown = vec.get(i);
    out[i] = v instanceof Uint8Array ? v.slice() : null;
  }
  return out;
}

/**
 * Numeric entries of a struct (field → value) or a map (key → value) column, per row, with nulls and NaN dropped.
 * Map values stored as text are parsed. Used for t2 (a map in Spark files, a struct in pandas files).
 */
export function toNumberEntries(data: Data | undefined, length: number): (Array<[string, number]> | null)[] {
  const out = new Array<Array<[string, number]> | null>(length).fill(null);
  if (!data || data.typeId === Type.Null) return out;
  const valid = validityOf(data);
  if (data.typeId === Type.Struct) {
    const names = fieldNames(data);
    const cols = data.children.map((c) => toFloat64(c, length));
    for (let i = 0; i < length; i++) {
      if (valid && !valid[i]) continue;
      const row: Array<[string, number]> = [];
      for (let k = 0; k < names.length; k++) if (!Number.isNaN(cols[k][i])) row.push([names[k], cols[k][i]]);
      out[i] = row;
    }
    return out;
  }
  if (data.typeId === Type.Map) {
    const offs = data.valueOffsets as ArrayLike<number>;
    const entries = data.children[0];
    const n = Number(offs[length]);
    const keys = toStrings(entries.children[0], n);
    const vals = toFloat64(entries.children[1], n);
    for (let i = 0; i < length; i++) {
      if (valid && !valid[i]) continue;
      const row: Array<[string, number]> = [];
      for (let j = offs[i]; j < offs[i + 1]; j++) {
        const key = keys[j];
        if (key != null && !Number.isNaN(vals[j])) row.push([key, vals[j]]);
      }
      out[i] = row;
    }
  }
  return out;
}
