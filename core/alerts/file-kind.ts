/**
 * What a file is, from its first and last bytes, before any decoder sees it: so an empty, truncated, random or
 * CSV file gets a clear reason instead of whatever a wasm decoder says about it.
 */
import { open, stat } from 'node:fs/promises';
import { AlertFileError } from './errors.js';

export type AlertFileKind = 'parquet' | 'avro';

const PARQUET_MAGIC = 'PAR1';
/** Avro object container files start with 'Obj' and version byte 1. */
const AVRO_MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]);
/** Smallest parquet: magic, empty footer (at least a few bytes), footer length, magic. */
const MIN_PARQUET_BYTES = 12;

function looksLikeText(bytes: Buffer): boolean {
  if (bytes.length === 0) return false;
  let printable = 0;
  for (const b of bytes) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0xc2) printable++;
  return printable / bytes.length > 0.95;
}

/** Magic numbers of kinds of file someone may pick by mistake (named, so the message need not show any byte). */
const KNOWN_KINDS: { magic: Buffer; kind: string }[] = [
  { magic: Buffer.from([0x1f, 0x8b]), kind: 'a gzip file' },
  { magic: Buffer.from('PK\x03\x04', 'latin1'), kind: 'a zip archive' },
  { magic: Buffer.from('\x7fELF', 'latin1'), kind: 'an executable (ELF)' },
  { magic: Buffer.from('%PDF', 'latin1'), kind: 'a PDF document' },
  { magic: Buffer.from('\x89PNG', 'latin1'), kind: 'a PNG image' },
  { magic: Buffer.from('SIMPLE  =', 'latin1'), kind: 'a FITS file' },
  { magic: Buffer.from('SQLite format 3\0', 'latin1'), kind: 'an SQLite database' },
];

/**
 * What kind of file it looks like, never what it says: error messages reach logs and the source file table, and a
 * mistaken pick may be a secret (a key, /etc/shadow).
 */
function describe(head: Buffer): string {
  const known = KNOWN_KINDS.find((k) => head.subarray(0, k.magic.length).equals(k.magic));
  if (known) return `looks like ${known.kind}`;
  if (looksLikeText(head)) {
    const firstLine = head.toString('utf8').split(/\r?\n/)[0];
    const csv = firstLine.includes(',') || firstLine.includes('\t') || firstLine.includes(';');
    return csv ? 'looks like a CSV or text file' : 'looks like a text file';
  }
  return 'binary data of an unknown kind';
}

/** Reads the magic bytes and says which reader to use; throws AlertFileError for anything else. */
export async function detectAlertFileKind(file: string): Promise<{ kind: AlertFileKind; size: number }> {
  let size: number;
  try {
    const st = await stat(file);
    if (st.isDirectory()) throw new AlertFileError(file, null, 'is a directory, not an alert file');
    size = st.size;
  } catch (e) {
    if (e instanceof AlertFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new AlertFileError(file, null, code === 'ENOENT' ? 'no such file' : `cannot read file (${String(e)})`);
  }
  if (size === 0) throw new AlertFileError(file, null, 'empty file (0 bytes)');

  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, 256));
    await fh.read(head, 0, head.length, 0);
    if (head.subarray(0, 4).equals(AVRO_MAGIC)) return { kind: 'avro', size };
    const isAvroName = file.toLowerCase().endsWith('.avro');
    if (head.subarray(0, 4).toString('latin1') !== PARQUET_MAGIC) {
      const what = isAvroName ? 'not an avro file (bad magic)' : 'not a parquet file (bad magic)';
      throw new AlertFileError(file, null, `${what}: ${describe(head)}`);
    }
    if (size < MIN_PARQUET_BYTES) {
      throw new AlertFileError(file, null, `truncated parquet file: only ${size} bytes`);
    }
    const tail = Buffer.alloc(8);
    await fh.read(tail, 0, 8, size - 8);
    if (tail.subarray(4).toString('latin1') !== PARQUET_MAGIC) {
      throw new AlertFileError(file, null, `truncated parquet file: no footer magic at the end (${size} bytes)`);
    }
    const footerLength = tail.readUInt32LE(0);
    if (footerLength + MIN_PARQUET_BYTES > size) {
      throw new AlertFileError(
        file,
        null,
        `truncated or corrupt parquet file: footer length ${footerLength} exceeds file size ${size}`,
      );
    }
    return { kind: 'parquet', size };
  } finally {
    await fh.close();
  }
}
