/** Test helpers: hand-built Alerts, a tiny FITS writer, a loopback HTTP server. */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Alert, LightCurvePoint } from '../../core/alerts/alert.js';

export function makeAlert(over: Partial<Alert> = {}): Alert {
  return {
    candid: '1234567890123456789',
    objectId: 'ZTF21aaaaaaa',
    jd: 2459500.5,
    fid: 1,
    ra: 180,
    dec: 45,
    magpsf: 18.5,
    sigmapsf: 0.1,
    diffmaglim: 20.5,
    isdiffpos: 't',
    drb: 0.9,
    rb: 0.8,
    nbad: 0,
    ndethist: 1,
    sgscore1: 0.5,
    distpsnr1: 1.2,
    ssdistnr: null,
    ssnamenr: null,
    history: [],
    cdsxmatch: null,
    roid: null,
    finkclass: null,
    tnsclass: null,
    scores: {},
    lcFeaturesG: null,
    lcFeaturesR: null,
    sherlockSepArcsec: null,
    sherlockClass: null,
    ...over,
  };
}

export function det(jd: number, fid: number, magpsf: number, isdiffpos: 't' | 'f' = 't'): LightCurvePoint {
  return { jd, fid, magpsf, sigmapsf: 0.1, diffmaglim: 20.5, isdiffpos };
}

export function upper(jd: number, fid: number, diffmaglim = 20.3): LightCurvePoint {
  return { jd, fid, magpsf: null, sigmapsf: null, diffmaglim, isdiffpos: null };
}

// ---------------------------------------------------------------------------------------------------------------
// FITS writer (tests only): cards, 2880-byte blocks, big-endian data.

type CardValue = string | number | boolean;

function card(key: string, value?: CardValue): string {
  if (value === undefined) return key.padEnd(80);
  let v: string;
  if (typeof value === 'string') v = `'${value.replace(/'/g, "''").padEnd(8)}'`.padEnd(20);
  else if (typeof value === 'boolean') v = (value ? 'T' : 'F').padStart(20);
  else v = (Number.isInteger(value) ? String(value) : value.toExponential(12).toUpperCase()).padStart(20);
  return `${key.padEnd(8)}= ${v}`.padEnd(80);
}

export function header(cards: [string, CardValue][]): Uint8Array {
  let s = cards.map(([k, v]) => card(k, v)).join('') + card('END');
  s = s.padEnd(Math.ceil(s.length / 2880) * 2880, ' ');
  return new TextEncoder().encode(s);
}

function pad(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / 2880) * 2880);
  out.set(data);
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function encode(values: ArrayLike<number>, bitpix: number): Uint8Array {
  const size = Math.abs(bitpix) / 8;
  const buf = new Uint8Array(values.length * size);
  const dv = new DataView(buf.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (bitpix === -32) dv.setFloat32(i * 4, v, false);
    else if (bitpix === -64) dv.setFloat64(i * 8, v, false);
    else if (bitpix === 16) dv.setInt16(i * 2, v, false);
    else if (bitpix === 32) dv.setInt32(i * 4, v, false);
    else if (bitpix === 8) dv.setUint8(i, v);
    else throw new Error(`bitpix ${bitpix}`);
  }
  return buf;
}

/** A primary-HDU image FITS file. */
export function fitsImage(
  width: number,
  height: number,
  values: ArrayLike<number>,
  bitpix = -32,
  extra: [string, CardValue][] = [],
): Uint8Array {
  const h = header([
    ['SIMPLE', true],
    ['BITPIX', bitpix],
    ['NAXIS', 2],
    ['NAXIS1', width],
    ['NAXIS2', height],
    ...extra,
  ]);
  return concat([h, pad(encode(values, bitpix))]);
}

/** An empty primary HDU + one BINTABLE with float columns ('E' or 'D', repeat r), values row-major per column. */
export function fitsTable(
  columns: { name: string; form: string; values: ArrayLike<number> }[],
  rows: number,
  extra: [string, CardValue][] = [],
): Uint8Array {
  const forms = columns.map((c) => {
    const m = /^(\d*)([ED])$/.exec(c.form)!;
    return { repeat: m[1] ? Number(m[1]) : 1, bitpix: m[2] === 'E' ? -32 : -64 };
  });
  const rowBytes = forms.reduce((n, f) => n + (f.repeat * Math.abs(f.bitpix)) / 8, 0);
  const data = new Uint8Array(rowBytes * rows);
  let colOffset = 0;
  columns.forEach((c, ci) => {
    const { repeat, bitpix } = forms[ci];
    const size = Math.abs(bitpix) / 8;
    for (let r = 0; r < rows; r++) {
      const enc = encode(Array.from({ length: repeat }, (_, j) => c.values[r * repeat + j]), bitpix);
      data.set(enc, r * rowBytes + colOffset);
    }
    colOffset += repeat * size;
  });
  const primary = header([
    ['SIMPLE', true],
    ['BITPIX', 8],
    ['NAXIS', 0],
    ['EXTEND', true],
  ]);
  const h = header([
    ['XTENSION', 'BINTABLE'],
    ['BITPIX', 8],
    ['NAXIS', 2],
    ['NAXIS1', rowBytes],
    ['NAXIS2', rows],
    ['PCOUNT', 0],
    ['GCOUNT', 1],
    ['TFIELDS', columns.length],
    ...columns.flatMap((c, i): [string, CardValue][] => [
      [`TTYPE${i + 1}`, c.name],
      [`TFORM${i + 1}`, c.form],
    ]),
    ...extra,
  ]);
  return concat([primary, h, pad(data)]);
}

// ---------------------------------------------------------------------------------------------------------------

export interface LocalServer {
  url: string;
  requests: { url: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (random port) with the given handler; records requests. */
export async function localServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<LocalServer> {
  const requests: LocalServer['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (to simulate being offline). */
export async function deadUrl(): Promise<string> {
  const s = await localServer((_q, r) => r.end());
  const url = s.url;
  await s.close();
  return url;
}
