import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_NIGHT, ensureSampleNight, sampleNightFileName } from '../../core/sample/sample-night.js';
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
