/**
 * resources/python/sfd_healpix.py against the app's dust map (core/features/dust.ts) on a grid of the whole sky, with
 * the polar caps and the ring boundaries the real alerts never reach: the same E(B-V) within 1e-12 (relative) at
 * every point, from the plain and the gzipped bundled map. Needs python3 with numpy (FINKVRA_PYTHON or .venv-py).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { galacticToIcrs } from '../../core/features/coords.js';
import { loadDustMap } from '../../core/features/dust.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const python = process.env.FINKVRA_PYTHON ?? join(repo, '.venv-py/bin/python');
const bundled = join(repo, 'resources/dust/dust_ebv_SFD_healpix_lowres.fits');
const skip = !existsSync(python)
  ? `no Python at ${python}`
  : spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' }).status !== 0
    ? `${python} lacks numpy`
    : null;
if (skip) console.warn(`[python dust map] skipped: ${skip}`);

/** Latitudes through both polar caps (above the first ring at NSIDE 64 is |b| > 89.4°), the cap/belt edge and the belt. */
const LATS = [-90, -89.9, -89.5, -89.3, -88, -60, -41.82, -41.8, -20, -0.3, 0, 0.45, 19.5, 41.81, 41.83, 75, 89.35, 89.6, 89.99, 90];

describe.skipIf(skip !== null)('the Python HEALPix dust map equals the app', () => {
  const points: [number, number][] = [];
  for (const b of LATS) for (let l = 0; l < 360; l += 7.7) points.push([l, b]);
  const radec = points.map(([l, b]) => galacticToIcrs(l, b));
  const app = loadDustMap(bundled);
  const want = radec.map(({ ra, dec }) => app.ebv(ra, dec));

  function pythonEbv(map: string): number[] {
    const dir = mkdtempSync(join(tmpdir(), 'vra-pydust-'));
    writeFileSync(join(dir, 'pos.json'), JSON.stringify(radec.map(({ ra, dec }) => [ra, dec])));
    const code = [
      'import json, sys',
      "sys.path.insert(0, 'resources/python')",
      'from sfd_healpix import HealpixMap',
      'm = HealpixMap(sys.argv[1])',
      'print(json.dumps([m.ebv(ra, dec) for ra, dec in json.load(open(sys.argv[2]))]))',
    ].join('\n');
    const r = spawnSync(python, ['-c', code, map, join(dir, 'pos.json')], { encoding: 'utf8', cwd: repo });
    if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as number[];
  }

  it('at every point of the grid, poles included, from the map and from its gzipped copy', () => {
    const gz = join(mkdtempSync(join(tmpdir(), 'vra-pydust-')), 'map.fits.gz');
    writeFileSync(gz, gzipSync(readFileSync(bundled)));
    for (const map of [bundled, gz]) {
      const got = pythonEbv(map);
      expect(got.length).toBe(points.length);
      let exact = 0;
      got.forEach((v, i) => {
        expect(Number.isFinite(v), `${points[i]}`).toBe(true);
        if (v === want[i]) exact++;
        else expect(Math.abs(v - want[i]), `l, b = ${points[i]}`).toBeLessThanOrEqual(1e-12 * Math.abs(want[i]));
      });
      console.log(`[python dust map] ${exact} of ${got.length} values bit for bit`);
    }
    // The grid spans a wide range of values: a constant or misplaced map would not pass.
    expect(Math.max(...want) / Math.min(...want)).toBeGreaterThan(50);
  });
});
