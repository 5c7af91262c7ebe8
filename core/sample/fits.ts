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
