/** The renderer's pure helpers, in Node: light-curve columns, metric grouping, batch navigation, cutout pixels. */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { LoopState, RunSummary } from '../../core/api/types.js';
import { fitsImage } from '../../core/sample/fits.js';
import { nextOpen } from '../../renderer/src/lib/batch.js';
import { decodeCutout } from '../../renderer/src/lib/fits.js';
import { buildKeyMap, keyOf } from '../../renderer/src/lib/keys.js';
import { lightCurveSeries } from '../../renderer/src/lib/lightcurve.js';
import { groupMetrics, splitMetric } from '../../renderer/src/lib/metrics.js';
import { DEFAULT_LABEL_KEYS } from '../../core/labels.js';

describe('lightCurveSeries', () => {
  const pts = [
    { jd: 100, fid: 1, magpsf: null, sigmapsf: null, diffmaglim: 20.5, isdiffpos: null },
    { jd: 102, fid: 2, magpsf: 19.0, sigmapsf: 0.1, diffmaglim: 20.4, isdiffpos: 't' },
    { jd: 101, fid: 1, magpsf: 19.5, sigmapsf: 0.2, diffmaglim: 20.6, isdiffpos: 't' },
    { jd: 103, fid: 2, magpsf: 18.8, sigmapsf: 0.05, diffmaglim: 20.4, isdiffpos: 'f' },
  ];
  const s = lightCurveSeries(pts, { jd: 103, magpsf: 18.8, fid: 2 });

  it('puts time in days since the first detection, sorted', () => {
    expect(s.t0).toBe(101);
    expect(s.x).toEqual([-1, 0, 1, 2]);
  });
  it('splits bands into detections and upper limits', () => {
    expect(s.det[1]).toEqual([null, 19.5, null, null]);
    expect(s.det[2]).toEqual([null, null, 19.0, 18.8]);
    expect(s.ul[1]).toEqual([20.5, null, null, null]);
    expect(s.err[1]).toEqual([null, 0.2, null, null]);
    expect(s.negative).toEqual([false, false, false, true]);
  });
  it('marks the current alert and pads the magnitude range around errors and limits', () => {
    expect(s.current).toEqual({ x: 2, mag: 18.8, fid: 2 });
    // lo = 18.75 (18.8 - 0.05), hi = 20.5; pad = max(0.15, 1.75 * 0.08 = 0.14) = 0.15
    expect(s.yRange[0]).toBeCloseTo(18.6, 10);
    expect(s.yRange[1]).toBeCloseTo(20.65, 10);
  });
});

describe('metrics grouping', () => {
  it('tells cross-validated from training-set metrics', () => {
    expect(splitMetric('cv_accuracy')).toEqual({ base: 'accuracy', kind: 'cv' });
    expect(splitMetric('train_accuracy')).toEqual({ base: 'accuracy', kind: 'train' });
    expect(splitMetric('balanced_accuracy')).toEqual({ base: 'balanced_accuracy', kind: 'other' });
    // A fixed held-out set is its own series, not mixed into the cross-validated one.
    expect(splitMetric('holdout_balanced_accuracy')).toEqual({ base: 'balanced_accuracy', kind: 'holdout' });
    const g = groupMetrics([{ round: 0, metrics: { cv_f1: 0.7, holdout_f1: 0.6, train_f1: 1 } } as unknown as RunSummary]);
    expect(g[0].series.map((s) => s.kind)).toEqual(['cv', 'holdout', 'train']);
  });
  it('groups by metric, skips counts, keeps run order', () => {
    const run = (round: number, m: Record<string, number>) => ({ round, metrics: m }) as unknown as RunSummary;
    const g = groupMetrics([run(0, { cv_accuracy: 0.7, train_accuracy: 1, cv_tp: 3, n_train: 30, cv_log_loss: 0.6 }), run(1, { cv_accuracy: 0.8 })]);
    expect(g.map((x) => x.base)).toEqual(['accuracy', 'log_loss']);
    expect(g[0].series).toEqual([
      { key: 'cv_accuracy', kind: 'cv', values: [0.7, 0.8] },
      { key: 'train_accuracy', kind: 'train', values: [1, null] },
    ]);
  });
});

describe('batch navigation', () => {
  const item = (candid: string, label: string | null, skipped = false) => ({ candid, label, skipped }) as LoopState['batch'][number];
  it('goes to the next open item, wrapping, and -1 when all are done', () => {
    const b = [item('1', 'gal'), item('2', null), item('3', null, true), item('4', 'agn')];
    expect(nextOpen(b, 0)).toBe(1);
    expect(nextOpen(b, 1)).toBe(1); // itself, after wrapping: it is the only open one
    expect(nextOpen(b, 3)).toBe(1);
    expect(nextOpen([item('1', 'gal'), item('2', null, true)], 0)).toBe(-1);
  });
});

describe('keys', () => {
  it('maps remapped label keys and keeps the action keys', () => {
    const m = buildKeyMap({ ...DEFAULT_LABEL_KEYS, gal: 'k' });
    expect(m.get('k')).toEqual({ kind: 'label', label: 'gal' });
    expect(m.get('g')).toBeUndefined();
    expect(m.get('z')).toEqual({ kind: 'undo' });
    expect(m.get('ArrowLeft')).toEqual({ kind: 'prev' });
  });
  it('ignores modified keys and lower-cases letters', () => {
    expect(keyOf({ key: 'G', ctrlKey: false, metaKey: false, altKey: false })).toBe('g');
    expect(keyOf({ key: 'r', ctrlKey: true, metaKey: false, altKey: false })).toBeNull();
    expect(keyOf({ key: '?', ctrlKey: false, metaKey: false, altKey: false })).toBe('?');
  });
});

describe('cutout decoding', () => {
  it('decodes gzipped FITS to grey pixels with north up', () => {
    // 3×2 image: a ramp with a bright bottom-left pixel (FITS row 0 is the bottom row).
    const px = new Float32Array([100, 1, 2, 3, 4, 5]);
    const b64 = Buffer.from(gzipSync(fitsImage(px, 3, 2))).toString('base64');
    const d = decodeCutout(b64);
    if (!d || 'error' in d) throw new Error('not decoded');
    expect([d.width, d.height]).toEqual([3, 2]);
    const grey = Array.from({ length: 6 }, (_, i) => d.rgba[i * 4]);
    // Top row on screen = FITS row 1 (3, 4, 5); bottom row = FITS row 0 (100 clipped to white, 1, 2).
    expect(grey[3]).toBe(255);
    expect(grey[0]).toBeLessThan(grey[1]);
    expect(grey[1]).toBeLessThan(grey[2]);
    expect(d.rgba[3]).toBe(255);
  });
  it('reports an unreadable cutout instead of throwing', () => {
    expect(decodeCutout(Buffer.from('not fits').toString('base64'))).toHaveProperty('error');
    expect(decodeCutout(null)).toBeNull();
  });
});
