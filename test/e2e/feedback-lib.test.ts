/** The label screen's key verdicts, task keys and feedback lines (pure helpers, in Node). */
import { describe, expect, it } from 'vitest';
import type { LoopState } from '../../core/api/types.js';
import { DEFAULT_LABEL_KEYS, type Label } from '../../core/labels.js';
import { batchCounts, cardKeyVerdict, labelFeedback, taskKeys, undoFeedback } from '../../renderer/src/lib/feedback.js';

const item = (candid: string, label: Label | null, skipped = false): LoopState['batch'][number] => ({
  candid,
  objectId: `ZTF${candid}`,
  rank: 1,
  prob: null,
  score: null,
  strategy: 'random',
  reason: '',
  label,
  skipped,
});

describe('cardKeyVerdict', () => {
  it('applies a key only to the painted card it was pressed on, and never an auto-repeat', () => {
    expect(cardKeyVerdict(false, 'a', 'a')).toBe('apply');
    expect(cardKeyVerdict(true, 'a', 'a')).toBe('repeat');
    expect(cardKeyVerdict(false, 'a', 'b')).toBe('unseen');
    expect(cardKeyVerdict(false, null, 'b')).toBe('unseen');
  });
});

describe('taskKeys', () => {
  it("splits the keys by the seed's class maps", () => {
    const gal = taskKeys('gal', DEFAULT_LABEL_KEYS);
    expect(gal.counted.map((k) => `${k.key}:${k.className}`)).toEqual(['x:not galactic', 'g:galactic', 'a:not galactic', 'v:galactic']);
    expect(gal.notCounted.map((k) => k.key)).toEqual(['r', 'b']);
    expect(taskKeys('real', DEFAULT_LABEL_KEYS).notCounted).toEqual([]);
    expect(taskKeys('trans', { ...DEFAULT_LABEL_KEYS, bogus: 'q' }).notCounted.map((k) => k.key)).toEqual(['r', 'q']);
  });
});

describe('batchCounts', () => {
  it('counts labels the task counts, labels it does not, and skips', () => {
    const b = [item('1', 'gal'), item('2', 'bogus'), item('3', null, true), item('4', null), item('5', 'real'), item('6', 'agn')];
    expect(batchCounts(b, 'gal')).toEqual({ handled: 5, total: 6, counted: 2, notCounted: 2, skipped: 1 });
    expect(batchCounts(b, 'real')).toEqual({ handled: 5, total: 6, counted: 4, notCounted: 0, skipped: 1 });
  });
});

describe('feedback lines', () => {
  it('name the label, the object, a change, and a label the task does not count', () => {
    expect(labelFeedback({ label: 'gal', objectId: 'ZTF1', task: 'gal', previous: null })).toBe('galactic ✓ ZTF1');
    expect(labelFeedback({ label: 'gal', objectId: 'ZTF1', task: 'gal', previous: 'agn', offBatch: true })).toBe(
      'galactic ✓ ZTF1 (was AGN) (previous batch)',
    );
    expect(labelFeedback({ label: 'real', objectId: 'ZTF2', task: 'trans', previous: null })).toBe(
      'real ✓ ZTF2: stored, but task trans does not count real; one more alert joins the batch',
    );
    expect(undoFeedback('ZTF3', null)).toBe('undone: ZTF3 is unlabelled again');
    expect(undoFeedback('ZTF3', 'varstar')).toBe('undone: ZTF3 is variable star again');
  });
});
