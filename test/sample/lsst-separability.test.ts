/**
 * The LSST night must give active learning something to learn: on the app's LSST feature set
 * (core/surveys/lsst/features.ts, computed from the file as read back) a small forest tells real from bogus and
 * galactic from not well, but not perfectly.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RandomForestClassifier } from 'ml-random-forest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LsstAlertTruth } from '../../core/sample/lsst/generate.js';
import { generateLsstNight } from '../../core/sample/lsst/write.js';
import { lsstFeaturesOf } from '../../core/surveys/lsst/features.js';
import { readLsstAlerts } from '../../core/surveys/lsst/read.js';

/** 3-fold cross-validated accuracy of a 10-tree forest. */
function cvAccuracy(X: number[][], y: number[]): number {
  let correct = 0;
  for (let f = 0; f < 3; f++) {
    const tr = X.flatMap((_, i) => (i % 3 !== f ? [i] : []));
    const te = X.flatMap((_, i) => (i % 3 === f ? [i] : []));
    const rf = new RandomForestClassifier({ nEstimators: 10, seed: 1, maxFeatures: 0.5, noOOB: true });
    rf.train(tr.map((i) => X[i]!), tr.map((i) => y[i]!));
    const p = rf.predict(te.map((i) => X[i]!));
    te.forEach((i, k) => (correct += p[k] === y[i] ? 1 : 0));
  }
  return correct / X.length;
}

describe('classes of the LSST night on the LSST feature set', () => {
  const rows: { x: number[]; t: LsstAlertTruth }[] = [];
  beforeAll(async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vra-lsst-sep-')), 'night.parquet');
    const night = await generateLsstNight({ out, seed: 21, alerts: 600, night: '2025-11-20', withCutouts: false, truthSidecar: false });
    let k = 0;
    for await (const b of readLsstAlerts(out)) {
      for (let i = 0; i < b.length; i++) {
        // The dust map is not part of the file; ebv stays NaN. Missing values become −999 for the forest.
        const x = Array.from(lsstFeaturesOf(b, i), (v) => (Number.isFinite(v) ? v : -999));
        rows.push({ x, t: night.truth[k++]! });
      }
    }
  }, 120_000);

  it('real vs bogus: good but imperfect', () => {
    const keep = rows.filter((r) => r.t.label !== 'sso');
    const acc = cvAccuracy(keep.map((r) => r.x), keep.map((r) => (r.t.label === 'bogus' ? 0 : 1)));
    console.log(`LSST real vs bogus, 3-fold CV accuracy of a 10-tree forest: ${acc.toFixed(3)} on ${keep.length} alerts`);
    expect(acc).toBeGreaterThan(0.85);
    expect(acc).toBeLessThan(0.99);
  });

  it('galactic vs not: good but imperfect', () => {
    const keep = rows.filter((r) => r.t.galactic !== null);
    const y: number[] = keep.map((r) => (r.t.galactic ? 1 : 0));
    const share = y.reduce((s, v) => s + v, 0) / y.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.75);
    const acc = cvAccuracy(keep.map((r) => r.x), y);
    console.log(`LSST galactic vs not, 3-fold CV accuracy of a 10-tree forest: ${acc.toFixed(3)} on ${keep.length} alerts`);
    expect(acc).toBeGreaterThan(0.8);
    expect(acc).toBeLessThan(0.97);
  });
});
