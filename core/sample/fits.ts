/** Minimal FITS image writer: the header ZTF cutouts carry (BITPIX -32, 2 axes, BUNIT) and big-endian float32 data. */

const BLOCK = 2880;

function card(key: string, value: string): string {
  return (key.padEnd(8) + '= ' + value.padStart(20)).padEnd(80);
}

/** A FITS primary HDU holding a width×height float32 image (row-major, first row = FITS row 1). */
export function fitsImage(pixels: Float32Array, width: number, height: number): Uint8Array {
  const header =
    card('SIMPLE', 'T') +
    card('BITPIX', '-32') +
    card('NAXIS', '2') +
    card('NAXIS1', String(width)) +
    card('NAXIS2', String(height)) +
    ("BUNIT   = 'DN      '").padEnd(80) +
    'END'.padEnd(80);
  const headerBytes = Math.ceil(header.length / BLOCK) * BLOCK;
  const dataBytes = Math.ceil((width * height * 4) / BLOCK) * BLOCK;
  const out = new Uint8Array(headerBytes + dataBytes);
  out.fill(0x20, 0, headerBytes);
  for (let i = 0; i < header.length; i++) out[i] = header.charCodeAt(i);
  const view = new DataView(out.buffer, headerBytes);
  for (let i = 0; i < width * height; i++) view.setFloat32(i * 4, pixels[i]!, false);
  return out;
}

/** Parse what fitsImage writes (and ZTF cutouts): header cards and the float32 pixels. For tests and the card view. */
export function parseFitsImage(bytes: Uint8Array): { header: Record<string, string>; width: number; height: number; pixels: Float32Array } {
  const header: Record<string, string> = {};
  let offset = 0;
  for (;;) {
    if (offset + 80 > bytes.length) throw new Error('FITS header has no END card');
    const line = new TextDecoder('latin1').decode(bytes.subarray(offset, offset + 80));
    offset += 80;
    const key = line.slice(0, 8).trim();
    if (key === 'END') break;
    if (line[8] === '=') header[key] = line.slice(10).trim().replace(/^'(.*)'$/, '$1').trim();
  }
  offset = Math.ceil(offset / BLOCK) * BLOCK;
  const width = Number(header.NAXIS1);
  const height = Number(header.NAXIS2);
  if (header.BITPIX !== '-32') throw new Error(`unsupported BITPIX ${header.BITPIX}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, width * height * 4);
  const pixels = new Float32Array(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = view.getFloat32(i * 4, false);
  return { header, width, height, pixels };
}
