/**
 * A minimal FITS reader: header keywords, primary/extension images (BITPIX 8/16/32/64/-32/-64) and BINTABLE
 * numeric/string columns. PURE (no Node imports): it takes a Uint8Array, so the renderer reuses it to decode the
 * alert cutouts (gzipped 63×63 float32 FITS).
 *
 * Hand-written because the npm FITS readers (fitsjs 0.6.6, fits-reader-js 1.0.0) are untyped, callback- or
 * FileReader-based and unmaintained; what we need is ~200 lines of well-specified byte layout (FITS 4.0 standard).
 */
import { gunzipSync } from 'fflate';

const BLOCK = 2880;
const CARD = 80;

export type FitsValue = string | number | boolean | null;

export class FitsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FitsError';
  }
}

export class FitsHeader {
  /** Keyword → value, first occurrence wins (FITS forbids duplicates except COMMENT/HISTORY, which we skip). */
  readonly cards = new Map<string, FitsValue>();

  has(key: string): boolean {
    return this.cards.has(key);
  }

  get(key: string): FitsValue | undefined {
    return this.cards.get(key);
  }

  number(key: string): number | undefined {
    const v = this.cards.get(key);
    return typeof v === 'number' ? v : undefined;
  }

  /** A required integer keyword, or a FitsError naming it. */
  int(key: string): number {
    const v = this.cards.get(key);
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new FitsError(`missing or non-integer keyword ${key}`);
    return v;
  }

  string(key: string): string | undefined {
    const v = this.cards.get(key);
    return typeof v === 'string' ? v : undefined;
  }
}

export interface FitsHdu {
  index: number;
  header: FitsHeader;
  /** Byte offset of the data unit in the file. */
  dataOffset: number;
  /** Data bytes (without the padding to 2880). */
  dataBytes: number;
  /** The whole file, shared by all HDUs. */
  bytes: Uint8Array;
}

const ASCII = new TextDecoder('latin1');

function parseValue(raw: string): FitsValue {
  const s = raw.trimStart();
  if (s.startsWith("'")) {
    // A string: '' inside is an escaped quote; trailing blanks are not significant.
    let out = '';
    let i = 1;
    while (i < s.length) {
      if (s[i] === "'") {
        if (s[i + 1] === "'") {
          out += "'";
          i += 2;
          continue;
        }
        break;
      }
      out += s[i];
      i += 1;
    }
    return out.trimEnd();
  }
  const slash = s.indexOf('/');
  const v = (slash >= 0 ? s.slice(0, slash) : s).trim();
  if (v === '') return null;
  if (v === 'T') return true;
  if (v === 'F') return false;
  const n = Number(v.replace(/[dD]/, 'e'));
  return Number.isNaN(n) ? v : n;
}

/** Parse one header starting at `offset`; returns the header and the offset of its data unit. */
function readHeader(bytes: Uint8Array, offset: number): { header: FitsHeader; next: number } {
  const header = new FitsHeader();
  let pos = offset;
  for (;;) {
    if (pos + BLOCK > bytes.length) throw new FitsError(`header at byte ${offset} is truncated (no END card)`);
    const block = ASCII.decode(bytes.subarray(pos, pos + BLOCK));
    pos += BLOCK;
    for (let c = 0; c < BLOCK; c += CARD) {
      const card = block.slice(c, c + CARD);
      const key = card.slice(0, 8).trimEnd();
      if (key === 'END') return { header, next: pos };
      if (card.slice(8, 10) !== '= ' || key === '' || key === 'COMMENT' || key === 'HISTORY') continue;
      if (!header.cards.has(key)) header.cards.set(key, parseValue(card.slice(10)));
    }
  }
}

function dataSize(h: FitsHeader): number {
  const naxis = h.int('NAXIS');
  if (naxis === 0) return 0;
  const bitpix = h.int('BITPIX');
  let n = 1;
  for (let i = 1; i <= naxis; i++) n *= h.int(`NAXIS${i}`);
  const pcount = h.number('PCOUNT') ?? 0;
  const gcount = h.number('GCOUNT') ?? 1;
  return (Math.abs(bitpix) / 8) * gcount * (pcount + n);
}

/** Split a FITS file into its HDUs (headers parsed, data left in place). */
export function parseFits(bytes: Uint8Array): FitsHdu[] {
  if (bytes.length < BLOCK) throw new FitsError(`not a FITS file: ${bytes.length} bytes, less than one 2880-byte block`);
  if (ASCII.decode(bytes.subarray(0, 9)) !== 'SIMPLE  =') throw new FitsError('not a FITS file: it does not start with SIMPLE');
  const hdus: FitsHdu[] = [];
  let offset = 0;
  while (offset + BLOCK <= bytes.length) {
    // Extensions must start with XTENSION; anything else after the last HDU is ignorable trailing data.
    if (hdus.length > 0 && ASCII.decode(bytes.subarray(offset, offset + 8)) !== 'XTENSION') break;
    const { header, next } = readHeader(bytes, offset);
    const size = dataSize(header);
    if (next + size > bytes.length) {
      throw new FitsError(`HDU ${hdus.length} is truncated: needs ${size} data bytes, file has ${bytes.length - next}`);
    }
    hdus.push({ index: hdus.length, header, dataOffset: next, dataBytes: size, bytes });
    offset = next + Math.ceil(size / BLOCK) * BLOCK;
  }
  return hdus;
}

/**
 * Only the primary header, from the first bytes of a file (data may be absent): to sniff a large file before
 * deciding to read it all.
 */
export function readPrimaryHeader(bytes: Uint8Array): { header: FitsHeader; dataOffset: number; dataBytes: number } {
  if (bytes.length < BLOCK || ASCII.decode(bytes.subarray(0, 9)) !== 'SIMPLE  =') {
    throw new FitsError('not a FITS file: it does not start with SIMPLE');
  }
  const { header, next } = readHeader(bytes, 0);
  return { header, dataOffset: next, dataBytes: dataSize(header) };
}

export interface FitsImage {
  width: number;
  height: number;
  /** Row-major, FITS order: pixel (x, y) (0-based) is pixels[y * width + x]; y = 0 is the bottom row. */
  pixels: Float32Array | Float64Array;
}

function view(hdu: FitsHdu): DataView {
  return new DataView(hdu.bytes.buffer, hdu.bytes.byteOffset + hdu.dataOffset, hdu.dataBytes);
}

/**
 * Decode an image HDU (2-D; higher axes are flattened into height). BSCALE/BZERO are applied and integer BLANK
 * becomes NaN. BITPIX -32 without scaling stays float32; everything else is float64.
 */
export function readImage(hdu: FitsHdu): FitsImage {
  const h = hdu.header;
  const naxis = h.int('NAXIS');
  if (naxis < 1) throw new FitsError(`HDU ${hdu.index} has no image data (NAXIS = 0)`);
  if (h.string('XTENSION') && h.string('XTENSION') !== 'IMAGE') {
    throw new FitsError(`HDU ${hdu.index} is a ${h.string('XTENSION')}, not an image`);
  }
  const bitpix = h.int('BITPIX');
  const width = h.int('NAXIS1');
  let height = 1;
  for (let i = 2; i <= naxis; i++) height *= h.int(`NAXIS${i}`);
  const n = width * height;
  const scale = h.number('BSCALE') ?? 1;
  const zero = h.number('BZERO') ?? 0;
  const blank = h.number('BLANK');
  const dv = view(hdu);
  if (bitpix === -32 && scale === 1 && zero === 0) {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = dv.getFloat32(i * 4, false);
    return { width, height, pixels: out };
  }
  const out = new Float64Array(n);
  const read = integerOrFloatReader(dv, bitpix);
  for (let i = 0; i < n; i++) {
    const raw = read(i);
    out[i] = blank !== undefined && bitpix > 0 && raw === blank ? NaN : raw * scale + zero;
  }
  return { width, height, pixels: out };
}

function integerOrFloatReader(dv: DataView, bitpix: number): (i: number) => number {
  switch (bitpix) {
    case 8:
      return (i) => dv.getUint8(i);
    case 16:
      return (i) => dv.getInt16(i * 2, false);
    case 32:
      return (i) => dv.getInt32(i * 4, false);
    case 64:
      return (i) => Number(dv.getBigInt64(i * 8, false));
    case -32:
      return (i) => dv.getFloat32(i * 4, false);
    case -64:
      return (i) => dv.getFloat64(i * 8, false);
    default:
      throw new FitsError(`unsupported BITPIX ${bitpix}`);
  }
}

export interface TableColumn {
  name: string;
  /** Element count per row (the repeat of TFORM). */
  repeat: number;
  /** TFORM type letter. */
  type: string;
  /** Byte offset inside a row. */
  offset: number;
  /** 1-based column number (for TSCALn/TZEROn). */
  number: number;
}

const TYPE_BYTES: Record<string, number> = { L: 1, B: 1, A: 1, I: 2, J: 4, K: 8, E: 4, D: 8, C: 8, M: 16, P: 8, Q: 16 };

/** The columns of a BINTABLE HDU. */
export function tableColumns(hdu: FitsHdu): TableColumn[] {
  const h = hdu.header;
  if (h.string('XTENSION') !== 'BINTABLE') throw new FitsError(`HDU ${hdu.index} is not a BINTABLE`);
  const nfields = h.int('TFIELDS');
  const cols: TableColumn[] = [];
  let offset = 0;
  for (let i = 1; i <= nfields; i++) {
    const tform = h.string(`TFORM${i}`);
    const m = tform ? /^\s*(\d*)([LXBIJKAEDCMPQ])/.exec(tform) : null;
    if (!m) throw new FitsError(`column ${i}: unreadable TFORM${i} '${tform ?? ''}'`);
    const repeat = m[1] === '' ? 1 : Number(m[1]);
    const type = m[2];
    const width = type === 'X' ? Math.ceil(repeat / 8) : repeat * TYPE_BYTES[type];
    cols.push({ name: (h.string(`TTYPE${i}`) ?? `col${i}`).trim(), repeat, type, offset, number: i });
    offset += width;
  }
  return cols;
}

function findColumn(hdu: FitsHdu, name: string): TableColumn {
  const cols = tableColumns(hdu);
  const col = cols.find((c) => c.name === name) ?? cols.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (!col) throw new FitsError(`HDU ${hdu.index} has no column '${name}' (columns: ${cols.map((c) => c.name).join(', ')})`);
  return col;
}

/**
 * A numeric BINTABLE column (E, D, B, I, J, K), flattened row by row (rows × repeat values). TSCAL/TZERO are applied
 * to integer columns. 'E' without scaling stays float32.
 */
export function readColumn(hdu: FitsHdu, name: string): Float32Array | Float64Array {
  const col = findColumn(hdu, name);
  const h = hdu.header;
  const rowBytes = h.int('NAXIS1');
  const rows = h.int('NAXIS2');
  const dv = view(hdu);
  const n = rows * col.repeat;
  const scale = h.number(`TSCAL${col.number}`) ?? 1;
  const zero = h.number(`TZERO${col.number}`) ?? 0;
  const size = TYPE_BYTES[col.type];
  if (col.type === 'E' && scale === 1 && zero === 0) {
    const out = new Float32Array(n);
    let k = 0;
    for (let r = 0; r < rows; r++) {
      const base = r * rowBytes + col.offset;
      for (let j = 0; j < col.repeat; j++) out[k++] = dv.getFloat32(base + j * 4, false);
    }
    return out;
  }
  const bitpix = { E: -32, D: -64, B: 8, I: 16, J: 32, K: 64 }[col.type as 'E' | 'D' | 'B' | 'I' | 'J' | 'K'];
  if (bitpix === undefined) throw new FitsError(`column '${name}' has type ${col.type}, not a number`);
  const out = new Float64Array(n);
  let k = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * rowBytes + col.offset;
    for (let j = 0; j < col.repeat; j++) {
      const off = base + j * size;
      let v: number;
      switch (col.type) {
        case 'D':
          v = dv.getFloat64(off, false);
          break;
        case 'E':
          v = dv.getFloat32(off, false);
          break;
        case 'B':
          v = dv.getUint8(off);
          break;
        case 'I':
          v = dv.getInt16(off, false);
          break;
        case 'J':
          v = dv.getInt32(off, false);
          break;
        default:
          v = Number(dv.getBigInt64(off, false));
      }
      out[k++] = v * scale + zero;
    }
  }
  return out;
}

/** A character ('A') BINTABLE column, one trimmed string per row. */
export function readStringColumn(hdu: FitsHdu, name: string): string[] {
  const col = findColumn(hdu, name);
  if (col.type !== 'A') throw new FitsError(`column '${name}' has type ${col.type}, not a string`);
  const rowBytes = hdu.header.int('NAXIS1');
  const rows = hdu.header.int('NAXIS2');
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const start = hdu.dataOffset + r * rowBytes + col.offset;
    out.push(ASCII.decode(hdu.bytes.subarray(start, start + col.repeat)).replace(/\0.*$/s, '').trimEnd());
  }
  return out;
}

/** Gunzip a gzipped FITS (as stored in alert cutouts); bytes that are not gzip come back unchanged. */
export function gunzipFits(gz: Uint8Array): Uint8Array {
  if (gz.length >= 2 && gz[0] === 0x1f && gz[1] === 0x8b) return gunzipSync(gz);
  return gz;
}

/** Decode a cutout (gzipped or plain FITS) into its primary image. */
export function decodeCutout(gz: Uint8Array): FitsImage {
  const hdus = parseFits(gunzipFits(gz));
  const img = hdus.find((h) => (h.header.number('NAXIS') ?? 0) > 0);
  if (!img) throw new FitsError('cutout has no image HDU');
  return readImage(img);
}

export interface ZscaleOptions {
  nSamples?: number;
  contrast?: number;
  maxReject?: number;
  minNpixels?: number;
  krej?: number;
  maxIterations?: number;
}

/**
 * IRAF's zscale display limits (as astropy's ZScaleInterval): a regular sample of the finite pixels, sorted; a
 * straight line fitted to sample value vs rank with iterative k-sigma rejection (rejected points grown by 1 % of the
 * sample); the slope divided by the contrast sets the limits around the median, clipped to the sample range.
 */
export function zscale(pixels: ArrayLike<number>, opts: ZscaleOptions = {}): { z1: number; z2: number } {
  const nSamples = opts.nSamples ?? 1000;
  const contrast = opts.contrast ?? 0.25;
  const maxReject = opts.maxReject ?? 0.5;
  const minNpixels = opts.minNpixels ?? 5;
  const krej = opts.krej ?? 2.5;
  const maxIterations = opts.maxIterations ?? 5;

  const stride = Math.max(1, Math.floor(pixels.length / nSamples));
  const picked: number[] = [];
  for (let i = 0; i < pixels.length && picked.length < nSamples; i += stride) {
    const v = pixels[i];
    if (Number.isFinite(v)) picked.push(v);
  }
  if (picked.length === 0) return { z1: NaN, z2: NaN };
  const samples = Float64Array.from(picked).sort();
  const npix = samples.length;
  const zmin = samples[0];
  const zmax = samples[npix - 1];

  const minpix = Math.max(minNpixels, Math.floor(npix * maxReject));
  const ngrow = Math.max(1, Math.floor(npix * 0.01));
  let bad = new Uint8Array(npix);
  let ngood = npix;
  let lastNgood = npix + 1;
  let slope = 0;
  let intercept = 0;
  for (let iter = 0; iter < maxIterations; iter++) {
    if (ngood >= lastNgood || ngood < minpix) break;
    // Least-squares line through the good points.
    let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (let i = 0; i < npix; i++) {
      if (bad[i]) continue;
      sw += 1;
      sx += i;
      sy += samples[i];
      sxx += i * i;
      sxy += i * samples[i];
    }
    const det = sw * sxx - sx * sx;
    slope = det === 0 ? 0 : (sw * sxy - sx * sy) / det;
    intercept = (sy - slope * sx) / sw;
    // Residual spread of the good points, then reject beyond krej sigma.
    let s1 = 0, s2 = 0;
    for (let i = 0; i < npix; i++) {
      if (bad[i]) continue;
      const r = samples[i] - (intercept + slope * i);
      s1 += r;
      s2 += r * r;
    }
    const mean = s1 / sw;
    const threshold = krej * Math.sqrt(Math.max(0, s2 / sw - mean * mean));
    const rejected = new Uint8Array(npix);
    for (let i = 0; i < npix; i++) {
      const r = samples[i] - (intercept + slope * i);
      if (r < -threshold || r > threshold) rejected[i] = 1;
    }
    // Grow each rejection over ngrow neighbours (numpy convolve mode 'same' with a box of ngrow).
    // Previously bad points are grown again, as astropy convolves the whole mask each iteration.
    const grown = new Uint8Array(npix);
    const left = Math.floor((ngrow - 1) / 2);
    for (let k = 0; k < npix; k++) {
      if (!rejected[k] && !bad[k]) continue;
      for (let j = k - left; j <= k + (ngrow - 1 - left); j++) if (j >= 0 && j < npix) grown[j] = 1;
    }
    bad = grown;
    lastNgood = ngood;
    ngood = 0;
    for (let i = 0; i < npix; i++) if (!bad[i]) ngood++;
  }
  if (ngood < minpix) return { z1: zmin, z2: zmax };
  if (contrast > 0) slope /= contrast;
  const center = Math.floor((npix - 1) / 2);
  const median = npix % 2 ? samples[center] : 0.5 * (samples[center] + samples[center + 1]);
  return {
    z1: Math.max(zmin, median - (center - 1) * slope),
    z2: Math.min(zmax, median + (npix - center) * slope),
  };
}
