/**
 * pyarrow, an independent parquet reader, reads the generated LSST night: same ids (cast to string inside Python, so
 * exact), bands, fluxes, list lengths and stamp sizes as our reader and the truth sidecar. Python is
 * FINKVRA_PYTHON, else .venv-py/bin/python in the checkout (what .ci/run makes); skips with the reason otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateLsstNight, type WrittenLsstNight } from '../../core/sample/lsst/write.js';
import type { LsstBatch } from '../../core/surveys/lsst/batch.js';
import { readLsstAlerts } from '../../core/surveys/lsst/read.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const python = process.env.FINKVRA_PYTHON ?? join(repo, '.venv-py/bin/python');

function skipReason(): string | null {
  if (!existsSync(python)) return `no Python at ${python} (set FINKVRA_PYTHON, or run .ci/run's venv line)`;
  if (spawnSync(python, ['-c', 'import pyarrow'], { encoding: 'utf8' }).status !== 0) return `${python} lacks pyarrow`;
  return null;
}
const skip = skipReason();
if (skip) console.warn(`[lsst sample via pyarrow] skipped: ${skip}`);

const SCRIPT = `
import json, sys
import pyarrow.parquet as pq
f = pq.ParquetFile(sys.argv[1])
rows = f.read().to_pylist()
print(json.dumps({
  "row_groups": f.metadata.num_row_groups,
  "version": sorted({r["lsst_schema_version"] for r in rows}),
  "ids": [str(r["diaSourceId"]) for r in rows],
  "objects": [str(r["diaSource"]["diaObjectId"]) for r in rows],
  "bands": [r["diaSource"]["band"] for r in rows],
  "flux": [r["diaSource"]["psfFlux"] for r in rows],
  "prv": [len(r["prvDiaSources"] or []) for r in rows],
  "forced": [len(r["prvDiaForcedSources"] or []) for r in rows],
  "stamp": [len(r["cutoutDifference"]) for r in rows],
}))
`;

interface PyView {
  row_groups: number;
  version: string[];
  ids: string[];
  objects: string[];
  bands: string[];
  flux: number[];
  prv: number[];
  forced: number[];
  stamp: number[];
}

describe.skipIf(skip !== null)('the generated LSST night read by pyarrow', () => {
  let night: WrittenLsstNight;
  let py: PyView;
  const batches: LsstBatch[] = [];
  beforeAll(async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vra-lsst-py-')), 'night.parquet');
    night = await generateLsstNight({ out, seed: 11, alerts: 250, night: '2025-12-01', rowGroup: 100 });
    const r = spawnSync(python, ['-c', SCRIPT, out], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`pyarrow failed: ${r.stderr}`);
    py = JSON.parse(r.stdout) as PyView;
    for await (const b of readLsstAlerts(out, { withCutouts: true })) batches.push(b);
  }, 120_000);

  const ours = <T>(pick: (b: LsstBatch, i: number) => T): T[] => batches.flatMap((b) => Array.from({ length: b.length }, (_, i) => pick(b, i)));
  const span = (l: LsstBatch['prvDiaSources'], i: number): number => l.offsets[i + 1]! - l.offsets[i]!;

  it('sees the row groups, the declared version and the exact ids of the truth sidecar', () => {
    expect(py.row_groups).toBe(3);
    expect(py.version).toEqual(['lsst.v10_0']);
    expect(py.ids).toEqual(night.truth.map((t) => t.candid));
    expect(py.ids).toEqual(ours((b, i) => b.diaSourceId[i]));
    // pyarrow gives 0 where Rubin leaves a source unassociated; our reader reads that 0 as null.
    expect(py.objects.map((o) => (o === '0' ? null : o))).toEqual(ours((b, i) => b.diaObjectId[i]));
  });

  it('sees the same bands, fluxes, list lengths and stamp sizes as our reader', () => {
    expect(py.bands).toEqual(ours((b, i) => b.band[i]));
    expect(py.flux).toEqual(ours((b, i) => b.source.psfFlux[i]));
    expect(py.prv).toEqual(ours((b, i) => span(b.prvDiaSources, i)));
    expect(py.forced).toEqual(ours((b, i) => span(b.prvDiaForcedSources, i)));
    expect(py.stamp).toEqual(ours((b, i) => b.cutouts!.difference[i]!.length));
    expect(py.flux.some((f) => f < 0)).toBe(true);
  });
});
