/**
 * Growable column builders that turn row values into apache-arrow Data.
 *
 * Why not arrow's own `makeBuilder`: a 100k-alert night holds ~3M history entries × 57 fields, and arrow's generic
 * builders cost several seconds more per million values. These builders write straight into typed arrays and hand
 * the buffers to `makeData`; they know only the handful of types a Fink alert uses.
 */
import {
  Binary,
  Bool,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  List,
  Struct,
  Utf8,
  makeData,
  type Data,
  type DataType,
} from 'apache-arrow';

export type ScalarKind = 'f64' | 'f32' | 'i32' | 'i64' | 'str' | 'bin' | 'bool';
export type ColumnSpec =
  | { kind: ScalarKind }
  | { kind: 'struct'; fields: readonly (readonly [string, ColumnSpec])[] }
  | { kind: 'list'; item: ColumnSpec };

/** Row value accepted by a builder: null, a scalar, a plain object (struct) or an array (list). */
export type CellValue = null | undefined | number | bigint | string | boolean | Uint8Array | object;

export function arrowType(spec: ColumnSpec): DataType {
  switch (spec.kind) {
    case 'f64':
      return new Float64();
    case 'f32':
      return new Float32();
    case 'i32':
      return new Int32();
    case 'i64':
      return new Int64();
    case 'str':
      return new Utf8();
    case 'bin':
      return new Binary();
    case 'bool':
      return new Bool();
    case 'struct':
      return new Struct(spec.fields.map(([name, s]) => new Field(name, arrowType(s), true)));
    case 'list':
      return new List(new Field('element', arrowType(spec.item), true));
  }
}

export interface ColumnBuilder {
  append(v: CellValue): void;
  /** Build the Data and reset the builder to empty. */
  finish(): Data;
}

class Validity {
  private bits: Uint8Array;
  constructor(capacity = 512) {
    this.bits = new Uint8Array(Math.max(8, capacity >> 3));
  }
  nulls = 0;
  length = 0;
  push(valid: boolean): void {
    const i = this.length++;
    if (i >> 3 >= this.bits.length) this.bits = grow(this.bits, (i >> 3) + 1);
    if (valid) this.bits[i >> 3]! |= 1 << (i & 7);
    else this.nulls++;
  }
  take(): { nullBitmap: Uint8Array | undefined; nullCount: number; length: number } {
    const out = {
      nullBitmap: this.nulls > 0 ? this.bits.slice(0, (this.length + 7) >> 3) : undefined,
      nullCount: this.nulls,
      length: this.length,
    };
    this.bits = new Uint8Array(64);
    this.nulls = 0;
    this.length = 0;
    return out;
  }
}

type TypedArray = Float64Array | Float32Array | Int32Array | BigInt64Array | Uint8Array;

function grow<T extends TypedArray>(a: T, min: number): T {
  let n = a.length * 2;
  while (n < min) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a as never);
  return b;
}

class NumberBuilder implements ColumnBuilder {
  private values: Float64Array | Float32Array | Int32Array;
  private readonly v: Validity;
  constructor(
    private readonly kind: 'f64' | 'f32' | 'i32',
    private readonly capacity: number,
  ) {
    this.v = new Validity(capacity);
    this.values = this.fresh();
  }
  private fresh(): Float64Array | Float32Array | Int32Array {
    const n = this.capacity;
    return this.kind === 'f64' ? new Float64Array(n) : this.kind === 'f32' ? new Float32Array(n) : new Int32Array(n);
  }
  append(x: CellValue): void {
    const i = this.v.length;
    if (i >= this.values.length) this.values = grow(this.values, i + 1);
    if (typeof x === 'number') {
      this.values[i] = x;
      this.v.push(true);
    } else this.v.push(false);
  }
  finish(): Data {
    const { nullBitmap, nullCount, length } = this.v.take();
    const data = this.values.slice(0, length);
    this.values = this.fresh();
    const type = arrowType({ kind: this.kind });
    return makeData({ type, length, nullCount, nullBitmap, data } as never);
  }
}

class BigIntBuilder implements ColumnBuilder {
  private values: BigInt64Array;
  private readonly v: Validity;
  constructor(private readonly capacity: number) {
    this.values = new BigInt64Array(capacity);
    this.v = new Validity(capacity);
  }
  append(x: CellValue): void {
    const i = this.v.length;
    if (i >= this.values.length) this.values = grow(this.values, i + 1);
    if (typeof x === 'bigint') {
      this.values[i] = x;
      this.v.push(true);
    } else if (typeof x === 'number') {
      this.values[i] = BigInt(x);
      this.v.push(true);
    } else this.v.push(false);
  }
  finish(): Data {
    const { nullBitmap, nullCount, length } = this.v.take();
    const data = this.values.slice(0, length);
    this.values = new BigInt64Array(this.capacity);
    return makeData({ type: new Int64(), length, nullCount, nullBitmap, data });
  }
}

class BoolBuilder implements ColumnBuilder {
  private values = new Uint8Array(32);
  private readonly v = new Validity();
  append(x: CellValue): void {
    const i = this.v.length;
    if (i >> 3 >= this.values.length) this.values = grow(this.values, (i >> 3) + 1);
    if (typeof x === 'boolean') {
      if (x) this.values[i >> 3]! |= 1 << (i & 7);
      this.v.push(true);
    } else this.v.push(false);
  }
  finish(): Data {
    const { nullBitmap, nullCount, length } = this.v.take();
    const data = this.values.slice(0, (length + 7) >> 3);
    this.values = new Uint8Array(32);
    return makeData({ type: new Bool(), length, nullCount, nullBitmap, data });
  }
}

const encoder = new TextEncoder();

class BytesBuilder implements ColumnBuilder {
  private offsets: Int32Array;
  private bytes: Uint8Array;
  private end = 0;
  private readonly v: Validity;
  private readonly cache = new Map<string, Uint8Array>();
  constructor(
    private readonly kind: 'str' | 'bin',
    private readonly capacity: number,
  ) {
    this.offsets = new Int32Array(capacity + 1);
    this.bytes = new Uint8Array(capacity * 8);
    this.v = new Validity(capacity);
  }
  append(x: CellValue): void {
    const i = this.v.length;
    if (i + 1 >= this.offsets.length) this.offsets = grow(this.offsets, i + 2);
    let b: Uint8Array | null = null;
    if (typeof x === 'string') {
      // Most strings repeat (program names, versions, a history entry shared by an object's alerts).
      b = this.cache.get(x) ?? null;
      if (!b) {
        b = encoder.encode(x);
        if (this.cache.size >= 4096) this.cache.clear();
        this.cache.set(x, b);
      }
    }
    else if (x instanceof Uint8Array) b = x;
    if (b) {
      if (this.end + b.length > this.bytes.length) this.bytes = grow(this.bytes, this.end + b.length);
      this.bytes.set(b, this.end);
      this.end += b.length;
    }
    this.offsets[i + 1] = this.end;
    this.v.push(b !== null);
  }
  finish(): Data {
    const { nullBitmap, nullCount, length } = this.v.take();
    const valueOffsets = this.offsets.slice(0, length + 1);
    const data = this.bytes.slice(0, this.end);
    this.offsets = new Int32Array(this.capacity + 1);
    this.bytes = new Uint8Array(this.capacity * 8);
    this.end = 0;
    const type = this.kind === 'str' ? new Utf8() : new Binary();
    return makeData({ type, length, nullCount, nullBitmap, valueOffsets, data } as never);
  }
}

class StructBuilder implements ColumnBuilder {
  private readonly names: string[];
  private readonly children: ColumnBuilder[];
  private readonly v: Validity;
  constructor(
    private readonly spec: Extract<ColumnSpec, { kind: 'struct' }>,
    capacity: number,
  ) {
    this.names = spec.fields.map(([n]) => n);
    this.children = spec.fields.map(([, s]) => makeColumnBuilder(s, capacity));
    this.v = new Validity(capacity);
  }
  append(x: CellValue): void {
    // Arrow requires every child to have a slot even under a null parent.
    const obj = x !== null && x !== undefined && typeof x === 'object' ? (x as Record<string, CellValue>) : null;
    for (let k = 0; k < this.children.length; k++) this.children[k]!.append(obj ? obj[this.names[k]!] : null);
    this.v.push(obj !== null);
  }
  finish(): Data {
    const { nullBitmap, nullCount, length } = this.v.take();
    const children = this.children.map((c) => c.finish());
    return makeData({ type: arrowType(this.spec) as Struct, length, nullCount, nullBitmap, children });
  }
}

class ListBuilder implements ColumnBuilder {
  private offsets: Int32Array;
  private readonly child: ColumnBuilder;
  private count = 0;
  private readonly v: Validity;
  constructor(
    private readonly spec: Extract<ColumnSpec, { kind: 'list' }>,
    private readonly capacity: number,
  ) {
    this.offsets = new Int32Array(capacity + 1);
    this.v = new Validity(capacity);
    this.child = makeColumnBuilder(spec.item, capacity * LIST_ITEMS_HINT);
  }
  append(x: CellValue): void {
    const i = this.v.length;
    if (i + 1 >= this.offsets.length) this.offsets = grow(this.offsets, i + 2);
    if (Array.isArray(x)) {
      for (const item of x as CellValue[]) this.child.append(item);
      this.count += x.length;
    }
    this.offsets[i + 1] = this.count;
    this.v.push(Array.isArray(x));
  }
  finish(): Data {
    const { nullBitmap, nullCount, length } = this.v.take();
    const valueOffsets = this.offsets.slice(0, length + 1);
    this.offsets = new Int32Array(this.capacity + 1);
    this.count = 0;
    const child = this.child.finish();
    return makeData({ type: arrowType(this.spec) as List, length, nullCount, nullBitmap, valueOffsets, child });
  }
}

/** Expected items per list (a month of ZTF history is ~20–40 epochs). Only a sizing hint. */
const LIST_ITEMS_HINT = 32;

/**
 * A builder for `spec`, pre-sized for `capacity` rows: growing typed arrays by doubling allocates external memory
 * that makes V8 collect garbage far more often than the rows themselves would.
 */
export function makeColumnBuilder(spec: ColumnSpec, capacity = 256): ColumnBuilder {
  const n = Math.max(16, Math.ceil(capacity));
  switch (spec.kind) {
    case 'f64':
    case 'f32':
    case 'i32':
      return new NumberBuilder(spec.kind, n);
    case 'i64':
      return new BigIntBuilder(n);
    case 'bool':
      return new BoolBuilder();
    case 'str':
    case 'bin':
      return new BytesBuilder(spec.kind, n);
    case 'struct':
      return new StructBuilder(spec, n);
    case 'list':
      return new ListBuilder(spec, n);
  }
}
