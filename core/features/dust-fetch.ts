/**
 * Download the full-resolution SFD (1998) pair, SFD_dust_4096_ngp.fits and SFD_dust_4096_sgp.fits (≈64 MB each),
 * from the public `sfddata` repository the `sfdmap` package points to. Each file is streamed to a .part file while
 * its SHA-256 is computed, checked (size against Content-Length, FITS header: 4096×4096 Lambert image of the right
 * hemisphere), then renamed into place with a .sha256 sidecar. The upstream files publish no checksum, so the
 * sidecar records what was received (and a later fetch re-verifies an existing file against it).
 */
import { createHash } from 'node:crypto';
import { sha256File } from '../util/sha256.js';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { readPrimaryHeader } from './fits.js';
import { SFD_FILES } from './dust.js';

export const SFD_BASE_URL = 'https://github.com/kbarbary/sfddata/raw/master/';

export class DustFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DustFetchError';
  }
}

export interface DustFetchOptions {
  dir: string;
  baseUrl?: string;
  fetchImpl?: typeof fetch;
  /** Called as bytes arrive; total is null when the server sends no Content-Length. */
  onProgress?: (file: string, received: number, total: number | null) => void;
  /** Download again even when a valid file is there. */
  force?: boolean;
  /** Image side expected in the header (4096 for the real maps; tests serve small ones). */
  expectAxis?: number;
  timeoutMs?: number;
}

export interface DustFetchResult {
  file: string;
  path: string;
  bytes: number;
  sha256: string;
  status: 'downloaded' | 'present';
}

function causeOf(e: unknown): string {
  const err = e as { cause?: { code?: string; message?: string }; message?: string };
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}

/** Check a downloaded hemisphere: a FITS 2-D image with the SFD Lambert keywords, the right pole, all its bytes. */
export function checkSfdFile(path: string, north: boolean, expectAxis: number): void {
  const bytes = readHead(path, 2880 * 20);
  let info;
  try {
    info = readPrimaryHeader(bytes);
  } catch (e) {
    throw new DustFetchError(`${path}: ${(e as Error).message}`);
  }
  const h = info.header;
  const nsgp = h.number('LAM_NSGP');
  if (nsgp === undefined || h.number('LAM_SCAL') === undefined) {
    throw new DustFetchError(`${path}: not an SFD Lambert map (no LAM_NSGP/LAM_SCAL keywords)`);
  }
  if (north !== nsgp > 0) throw new DustFetchError(`${path}: holds the ${nsgp > 0 ? 'north' : 'south'} hemisphere`);
  if (h.number('NAXIS1') !== expectAxis || h.number('NAXIS2') !== expectAxis) {
    throw new DustFetchError(`${path}: image is ${h.number('NAXIS1')}×${h.number('NAXIS2')}, expected ${expectAxis}×${expectAxis}`);
  }
  const size = statSync(path).size;
  if (size < info.dataOffset + info.dataBytes) {
    throw new DustFetchError(`${path}: truncated (${size} bytes, needs ${info.dataOffset + info.dataBytes})`);
  }
}

function readHead(path: string, n: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

async function download(
  url: string,
  dest: string,
  name: string,
  opts: DustFetchOptions,
): Promise<{ bytes: number; sha256: string }> {
  const doFetch = opts.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, { redirect: 'follow', signal: AbortSignal.timeout(opts.timeoutMs ?? 600_000) });
  } catch (e) {
    throw new DustFetchError(
      `could not download ${url} (${causeOf(e)}). Are you offline? You can download ${SFD_FILES.north} and ` +
        `${SFD_FILES.south} by hand into ${opts.dir}, or pass --dust FILE with any dust map you have.`,
    );
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    throw new DustFetchError(`could not download ${url}: HTTP ${res.status} ${res.statusText}`);
  }
  const lenHeader = res.headers.get('content-length');
  const total = lenHeader !== null && /^\d+$/.test(lenHeader) ? Number(lenHeader) : null;
  const part = `${dest}.part`;
  const hash = createHash('sha256');
  let received = 0;
  const fh = await open(part, 'w');
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      await fh.write(chunk);
      received += chunk.length;
      opts.onProgress?.(name, received, total);
    }
  } catch (e) {
    await fh.close();
    rmSync(part, { force: true });
    throw new DustFetchError(`download of ${url} broke off after ${received} bytes (${causeOf(e)})`);
  }
  await fh.close();
  if (total !== null && received !== total) {
    rmSync(part, { force: true });
    throw new DustFetchError(`download of ${url} is incomplete: ${received} of ${total} bytes`);
  }
  try {
    checkSfdFile(part, name === SFD_FILES.north, opts.expectAxis ?? 4096);
  } catch (e) {
    rmSync(part, { force: true });
    throw e;
  }
  renameSync(part, dest);
  return { bytes: received, sha256: hash.digest('hex') };
}

/** Fetch both hemispheres into opts.dir (created if needed). Files already there and valid are kept. */
export async function fetchDustMaps(opts: DustFetchOptions): Promise<DustFetchResult[]> {
  mkdirSync(opts.dir, { recursive: true });
  const base = (opts.baseUrl ?? SFD_BASE_URL).replace(/\/?$/, '/');
  const out: DustFetchResult[] = [];
  for (const name of [SFD_FILES.north, SFD_FILES.south]) {
    const dest = join(opts.dir, name);
    const sidecar = `${dest}.sha256`;
    if (!opts.force && existsSync(dest)) {
      try {
        checkSfdFile(dest, name === SFD_FILES.north, opts.expectAxis ?? 4096);
        const sha = await sha256File(dest);
        const recorded = existsSync(sidecar) ? readFileSync(sidecar, 'utf8').split(/\s+/)[0] : null;
        if (recorded === null || recorded === sha) {
          if (recorded === null) writeFileSync(sidecar, `${sha}  ${name}\n`);
          out.push({ file: name, path: dest, bytes: statSync(dest).size, sha256: sha, status: 'present' });
          continue;
        }
      } catch {
        // An invalid or altered file is downloaded again.
      }
    }
    const { bytes, sha256 } = await download(base + name, dest, name, opts);
    writeFileSync(sidecar, `${sha256}  ${name}\n`);
    out.push({ file: name, path: dest, bytes, sha256, status: 'downloaded' });
  }
  return out;
}
