/** The Model screen's series: night-grouped metrics are their own series, first, in the same plots as the others. */
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../core/api/types.js';
import { groupMetrics, KIND_TEXT, splitMetric } from '../../renderer/src/lib/metrics.js';

describe('Model screen metric series', () => {
  it('tells cv_night_* (by night) from cv_* (by object, optimistic)', () => {
    expect(splitMetric('cv_night_accuracy')).toEqual({ base: 'accuracy', kind: 'night' });
    expect(splitMetric('cv_night_roc_auc')).toEqual({ base: 'roc_auc', kind: 'night' });
    expect(splitMetric('cv_roc_auc')).toEqual({ base: 'roc_auc', kind: 'cv' });
    expect(KIND_TEXT.cv).toMatch(/optimistic/);
  });

  it('puts the night series first in each plot and does not plot fold or night counts', () => {
    const run = (round: number, m: Record<string, number>) => ({ round, metrics: m }) as unknown as RunSummary;
    const g = groupMetrics([
      run(0, { cv_accuracy: 0.9, cv_night_accuracy: 0.6, train_accuracy: 1, cv_night_k: 3, cv_night_groups: 3 }),
      run(1, { cv_accuracy: 0.92, cv_night_groups: 2 }),
    ]);
    expect(g.map((x) => x.base)).toEqual(['accuracy']);
    expect(g[0].series).toEqual([
      { key: 'cv_night_accuracy', kind: 'night', values: [0.6, null] },
      { key: 'cv_accuracy', kind: 'cv', values: [0.9, 0.92] },
      { key: 'train_accuracy', kind: 'train', values: [1, null] },
    ]);
  });
});
