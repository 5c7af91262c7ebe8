/**
 * Seeded corruptions of an alert file's bytes, for the fuzz suite: the kinds of damage a disk, a network copy or a
 * buggy writer produce. Each is a pure function of the clean bytes and the seed, so a failing case can be replayed.
 */
import { Rng } from '../../core/sample/rng.js';

export interface Corruption {
  /** What was done, e.g. `runs@1234+77,…` or `truncate@50%`: printed with any finding. */
  name: string;
  bytes: Buffer;
}

type Kind = 'parquet' | 'avro';

function overwrite(clean: Buffer, at: number, len: number, rng: Rng): Buffer {
  const b = Buffer.from(clean);
  const end = Math.min(b.length, at + len);
  for (let i = Math.max(0, at); i < end; i++) b[i] = Math.floor(rng.next() * 256);
  return b;
}

/** The damage from the issue report: 2,000 bytes in the middle, header and footer intact. */
export function overwriteMiddle(clean: Buffer, rng: Rng): Corruption {
  const at = Math.floor(clean.length / 2) - 1000;
  return { name: `middle@${at}+2000`, bytes: overwrite(clean, at, 2000, rng) };
}

function randomRuns(clean: Buffer, rng: Rng, runs: number): Corruption {
  let b = clean;
  const parts: string[] = [];
  for (let k = 0; k < runs; k++) {
    const len = 1 + Math.floor(rng.next() * 512);
    const at = Math.floor(rng.next() * Math.max(1, clean.length - len));
    b = overwrite(b, at, len, rng);
    parts.push(`${at}+${len}`);
  }
  return { name: `runs@${parts.join(',')}`, bytes: b };
}

function truncate(clean: Buffer, fraction: number): Corruption {
  const len = Math.floor(clean.length * fraction);
  return { name: `truncate@${len}/${clean.length}`, bytes: Buffer.from(clean.subarray(0, len)) };
}

function bitFlips(clean: Buffer, rng: Rng, flips: number): Corruption {
  const b = Buffer.from(clean);
  const at: number[] = [];
  for (let k = 0; k < flips; k++) {
    const i = Math.floor(rng.next() * b.length);
    b[i] ^= 1 << Math.floor(rng.next() * 8);
    at.push(i);
  }
  return { name: `bitflips@${at.join(',')}`, bytes: b };
}

/** Parquet: the footer length (4 bytes LE before the closing magic) made wrong; avro: the closing sync marker. */
function footerLength(clean: Buffer, kind: Kind, variant: 'flip' | 'huge'): Corruption {
  const b = Buffer.from(clean);
  if (kind === 'parquet') {
    const at = b.length - 8;
    if (variant === 'flip') b.writeUInt32LE(b.readUInt32LE(at) ^ 0x0000ffff, at);
    else b.writeUInt32LE(0x7fffffff, at);
  } else {
    for (let i = b.length - 16; i < b.length; i++) b[i] = variant === 'flip' ? b[i] ^ 0xff : 0;
  }
  return { name: `footer-length-${variant}`, bytes: b };
}

/** Where the data starts: after parquet's magic, or after the avro header (ended by the file's sync marker). */
function dataStart(clean: Buffer, kind: Kind): number {
  if (kind === 'parquet') return 4;
  const sync = clean.subarray(clean.length - 16);
  const at = clean.indexOf(sync);
  return at >= 0 ? at + 16 : 4;
}

/** The first page (parquet) or block (avro) header zeroed. */
function zeroPageHeader(clean: Buffer, kind: Kind, len: number): Corruption {
  const b = Buffer.from(clean);
  const at = dataStart(clean, kind);
  b.fill(0, at, Math.min(b.length, at + len));
  return { name: `zero-page-header@${at}+${len}`, bytes: b };
}

/** The fixed set for one clean file: 15 corruptions, seeded. */
export function fixedCorruptions(clean: Buffer, kind: Kind, seed: number): Corruption[] {
  const rng = new Rng(seed);
  return [
    overwriteMiddle(clean, rng),
    ...[1, 2, 3, 5, 8].map((runs) => randomRuns(clean, rng, runs)),
    ...[0.1, 0.5, 0.9, 0.999].map((f) => truncate(clean, f)),
    footerLength(clean, kind, 'flip'),
    footerLength(clean, kind, 'huge'),
    zeroPageHeader(clean, kind, 16),
    zeroPageHeader(clean, kind, 64),
    bitFlips(clean, rng, 4),
  ];
}

/** `count` more random corruptions (the long run, FINKVRA_FUZZ_LONG). */
export function randomCorruptions(clean: Buffer, kind: Kind, seed: number, count: number): Corruption[] {
  const rng = new Rng(seed);
  const out: Corruption[] = [];
  for (let k = 0; k < count; k++) {
    const pick = Math.floor(rng.next() * 4);
    if (pick === 0) out.push(randomRuns(clean, rng, 1 + Math.floor(rng.next() * 8)));
    else if (pick === 1) out.push(truncate(clean, rng.next()));
    else if (pick === 2) out.push(bitFlips(clean, rng, 1 + Math.floor(rng.next() * 16)));
    else out.push(zeroPageHeader(clean, kind, 1 + Math.floor(rng.next() * 128)));
  }
  return out;
}
