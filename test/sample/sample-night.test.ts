import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../core/ingest/ingest.js';
import {
  SAMPLE_LSST_NIGHT,
  SAMPLE_NIGHT,
  ensureSampleNight,
  ensureSampleNights,
  sampleLsstNightFileName,
  sampleNightFileName,
} from '../../core/sample/sample-night.js';
import { openStore } from '../../core/store/database.js';
import type { TruthSidecar } from '../../core/sample/write.js';

describe('embedded sample night', () => {
  it('is generated once into the data dir, with its truth, and reused afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vra-samplenight-'));
    const t0 = performance.now();
    const [file, again] = await Promise.all([ensureSampleNight(dir), ensureSampleNight(dir)]);
    const first = performance.now() - t0;
    expect(file).toBe(join(dir, sampleNightFileName()));
    expect(again).toBe(file);
    const mtime = statSync(file).mtimeMs;
    const t1 = performance.now();
    expect(await ensureSampleNight(dir)).toBe(file);
    expect(performance.now() - t1).toBeLessThan(50);
    expect(statSync(file).mtimeMs).toBe(mtime);
    const side = JSON.parse(readFileSync(`${file}.truth.json`, 'utf8')) as TruthSidecar;
    expect(side.alerts).toHaveLength(SAMPLE_NIGHT.nAlerts);
    expect(side.options.seed).toBe(SAMPLE_NIGHT.seed);
    expect(side.options.night).toBe(SAMPLE_NIGHT.night);
    const objects = new Set(side.alerts.map((a) => a.objectId)).size;
    expect(objects).toBeGreaterThan(150);
    expect(objects).toBeLessThan(300);
    // Timing is reported, not asserted: a shared CI machine makes wall time meaningless (see the bench instead).
    console.log(`sample night generated in ${(first / 1000).toFixed(1)} s`);
  });
});

describe('the sample night the app opens on: ZTF and Rubin/LSST', () => {
  it('is both files, generated once; ingested together they give both surveys in one store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vra-samplenights-'));
    const [files, again] = await Promise.all([ensureSampleNights(dir), ensureSampleNights(dir)]);
    expect(files).toEqual([join(dir, sampleNightFileName()), join(dir, sampleLsstNightFileName())]);
    expect(again).toEqual(files);
    const db = openStore(join(dir, 'store.sqlite'));
    try {
      const s = await ingestFiles(db, files, { withCutouts: false });
      expect(s.files.map((f) => [f.survey, f.newAlerts])).toEqual([
        ['ztf', SAMPLE_NIGHT.nAlerts],
        ['lsst', SAMPLE_LSST_NIGHT.alerts],
      ]);
      const byNight = db.prepare('SELECT survey, night, COUNT(*) AS n FROM alerts GROUP BY survey, night ORDER BY survey').all();
      expect(byNight).toEqual([
        { survey: 'lsst', night: SAMPLE_LSST_NIGHT.night, n: SAMPLE_LSST_NIGHT.alerts },
        { survey: 'ztf', night: SAMPLE_NIGHT.night, n: SAMPLE_NIGHT.nAlerts },
      ]);
    } finally {
      db.close();
    }
  });
});
