import { describe, expect, it } from 'vitest';
import { openStore } from '../../core/store/database.js';
import { DEFAULT_SETTINGS, getSettings, updateSettings } from '../../core/store/settings.js';

describe('settings', () => {
  it('starts from the seed defaults and persists partial updates', () => {
    const db = openStore(':memory:');
    expect(getSettings(db, 'x')).toMatchObject({ task: 'gal', n0: 30, n: 10, dbPath: 'x' });
    const s = updateSettings(db, 'x', { task: 'real', n: 5, labelKeys: { ...DEFAULT_SETTINGS.labelKeys, gal: 'k' } });
    expect(s.task).toBe('real');
    expect(getSettings(db, 'x')).toMatchObject({ task: 'real', n: 5, n0: 30 });
    expect(getSettings(db, 'x').labelKeys.gal).toBe('k');
  });

  // docs/experiments.md "Feature sets on unseen nights": extended forecasts held-out source files better.
  it('defaults to the extended feature set, and a store keeps the set it saved', () => {
    const db = openStore(':memory:');
    expect(getSettings(db, 'x').featureSet).toBe('extended');
    updateSettings(db, 'x', { featureSet: 'seed' });
    expect(getSettings(db, 'x').featureSet).toBe('seed');
    updateSettings(db, 'x', { n: 5 });
    expect(getSettings(db, 'x').featureSet).toBe('seed');
  });

  it('refuses two labels on one key', () => {
    const db = openStore(':memory:');
    expect(() => updateSettings(db, 'x', { labelKeys: { ...DEFAULT_SETTINGS.labelKeys, gal: 'r' } })).toThrow(/share one key/);
    expect(getSettings(db, 'x').labelKeys.gal).toBe('g');
  });
});
