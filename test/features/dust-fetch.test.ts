/** `finkvra dust fetch` against a loopback HTTP server serving small SFD-like files (no real network here). */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerDust } from '../../core/cli/commands/dust.js';
import { loadDustMap } from '../../core/features/dust.js';
import { DustFetchError, fetchDustMaps } from '../../core/features/dust-fetch.js';
import { deadUrl, fitsImage, localServer } from './helpers.js';
import type { LocalServer } from './helpers.js';

const N = 64;
function hemisphere(north: boolean, value: number): Uint8Array {
  return fitsImage(N, N, new Float32Array(N * N).fill(value), -32, [
    ['CRPIX1', 32.5],
    ['CRPIX2', 32.5],
    ['LAM_NSGP', north ? 1 : -1],
    ['LAM_SCAL', 32],
  ]);
}

const files: Record<string, Uint8Array> = {
  '/maps/SFD_dust_4096_ngp.fits': hemisphere(true, 0.25),
  '/maps/SFD_dust_4096_sgp.fits': hemisphere(false, 0.5),
  // Served under the wrong name: a north map where the south one should be.
  '/swapped/SFD_dust_4096_ngp.fits': hemisphere(true, 0.25),
  '/swapped/SFD_dust_4096_sgp.fits': hemisphere(true, 0.25),
};
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

let server: LocalServer;
const tmp: string[] = [];
const newDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'finkvra-fetch-'));
  tmp.push(d);
  return d;
};

beforeAll(async () => {
  server = await localServer((req, res) => {
    const url = req.url ?? '';
    if (url.startsWith('/short/')) {
      // Announces more bytes than it sends, then hangs up.
      res.writeHead(200, { 'Content-Length': String(100_000) });
      res.write(new Uint8Array(5000));
      setTimeout(() => res.destroy(), 50);
      return;
    }
    const body = files[url];
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Length': String(body.length), 'Content-Type': 'application/octet-stream' });
    res.end(body);
  });
});
afterAll(async () => {
  await server.close();
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

describe('fetchDustMaps', () => {
  it('downloads both files with progress, checks them, records their sha256, and keeps valid files', async () => {
    const dir = newDir();
    const progress: [string, number, number | null][] = [];
    const res = await fetchDustMaps({
      dir,
      baseUrl: `${server.url}/maps`,
      expectAxis: N,
      onProgress: (f, r, t) => progress.push([f, r, t]),
    });
    expect(res.map((r) => [r.file, r.status])).toEqual([
      ['SFD_dust_4096_ngp.fits', 'downloaded'],
      ['SFD_dust_4096_sgp.fits', 'downloaded'],
    ]);
    const ngp = files['/maps/SFD_dust_4096_ngp.fits'];
    expect(res[0].bytes).toBe(ngp.length);
    expect(res[0].sha256).toBe(sha(ngp));
    expect(readFileSync(join(dir, 'SFD_dust_4096_ngp.fits.sha256'), 'utf8')).toBe(`${sha(ngp)}  SFD_dust_4096_ngp.fits\n`);
    expect(new Uint8Array(readFileSync(join(dir, 'SFD_dust_4096_sgp.fits')))).toEqual(files['/maps/SFD_dust_4096_sgp.fits']);
    const last = progress.filter((p) => p[0] === 'SFD_dust_4096_ngp.fits').at(-1)!;
    expect(last[1]).toBe(ngp.length);
    expect(last[2]).toBe(ngp.length);
    expect(readdirSync(dir).some((f) => f.endsWith('.part'))).toBe(false);
    // The map loads and answers from the right hemisphere.
    const map = loadDustMap(dir);
    expect(map.ebv(180, 45)).toBeCloseTo(0.25, 6);
    expect(map.ebv(10, -40)).toBeCloseTo(0.5, 6);

    const before = server.requests.length;
    const again = await fetchDustMaps({ dir, baseUrl: `${server.url}/maps`, expectAxis: N });
    expect(again.map((r) => r.status)).toEqual(['present', 'present']);
    expect(server.requests.length).toBe(before);
  });

  it('offline: one clear error saying what to do', async () => {
    const dir = newDir();
    const err = await fetchDustMaps({ dir, baseUrl: await deadUrl(), expectAxis: N }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DustFetchError);
    expect((err as Error).message).toMatch(/could not download .*SFD_dust_4096_ngp\.fits \(ECONNREFUSED\)\. Are you offline\?/);
    expect((err as Error).message).toMatch(/--dust FILE/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses HTTP errors, short downloads and wrong files, leaving nothing behind', async () => {
    const dir = newDir();
    await expect(fetchDustMaps({ dir, baseUrl: `${server.url}/missing`, expectAxis: N })).rejects.toThrow(/HTTP 404/);
    await expect(fetchDustMaps({ dir, baseUrl: `${server.url}/short`, expectAxis: N })).rejects.toThrow(
      /broke off|incomplete/,
    );
    await expect(fetchDustMaps({ dir, baseUrl: `${server.url}/swapped`, expectAxis: N })).rejects.toThrow(
      /SFD_dust_4096_sgp\.fits\.part: holds the north hemisphere/,
    );
    // The real maps are 4096×4096: a small file is refused by default.
    const dir2 = newDir();
    await expect(fetchDustMaps({ dir: dir2, baseUrl: `${server.url}/maps` })).rejects.toThrow(/expected 4096×4096/);
    expect(readdirSync(dir2)).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
    expect(existsSync(join(dir, 'SFD_dust_4096_sgp.fits'))).toBe(false);
  });
});

describe('finkvra dust', () => {
  const lines: string[] = [];
  const errs: string[] = [];
  const program = (): Command => {
    const p = new Command('finkvra').option('--home <dir>').option('--db <file>').exitOverride();
    registerDust(p, { baseUrl: `${server.url}/maps`, expectAxis: N, log: (s) => lines.push(s), err: (s) => errs.push(s) });
    return p;
  };
  const savedEnv = { home: process.env.FINKVRA_HOME, dust: process.env.FINKVRA_DUST };
  afterEach(() => {
    lines.length = 0;
    errs.length = 0;
    process.exitCode = undefined;
    if (savedEnv.home === undefined) delete process.env.FINKVRA_HOME;
    else process.env.FINKVRA_HOME = savedEnv.home;
    if (savedEnv.dust === undefined) delete process.env.FINKVRA_DUST;
    else process.env.FINKVRA_DUST = savedEnv.dust;
  });

  it('dust fetch puts the maps in <home>/dust by default; dust ebv reads them', async () => {
    const home = newDir();
    delete process.env.FINKVRA_DUST;
    await program().parseAsync(['--home', home, 'dust', 'fetch'], { from: 'user' });
    expect(existsSync(join(home, 'dust', 'SFD_dust_4096_ngp.fits'))).toBe(true);
    expect(lines.at(-1)).toBe(`dust maps ready in ${join(home, 'dust')}`);
    lines.length = 0;
    await program().parseAsync(['--home', home, 'dust', 'ebv', '180', '45'], { from: 'user' });
    expect(lines[0]).toMatch(/^0\.25000\t\(sfd-lambert: /);
    lines.length = 0;
    await program().parseAsync(['dust', 'ebv', '--dust', join(home, 'dust'), '--', '10', '-40'], { from: 'user' });
    expect(lines[0]).toMatch(/^0\.50000\t/);
  });

  it('dust fetch --dir, and dust ebv with nothing fetched reads the bundled map', async () => {
    const d = newDir();
    await program().parseAsync(['dust', 'fetch', '--dir', d], { from: 'user' });
    expect(lines.filter((l) => l.startsWith('downloaded'))).toHaveLength(2);
    const empty = newDir();
    delete process.env.FINKVRA_DUST;
    lines.length = 0;
    await program().parseAsync(['--home', empty, 'dust', 'ebv', '0', '0'], { from: 'user' });
    expect(errs).toHaveLength(0);
    // healpy.get_interp_val on the bundled NSIDE-64 SFD map at (0, 0): 0.034216073 (dust-real.test.ts).
    expect(lines[0]).toMatch(/^0\.03422\t\(healpix: .*resources[\\/]dust[\\/]dust_ebv_SFD_healpix_lowres\.fits\)$/);
    await expect(program().parseAsync(['dust', 'ebv', '1', '95'], { from: 'user' })).rejects.toThrow(/invalid position/);
  });
});
