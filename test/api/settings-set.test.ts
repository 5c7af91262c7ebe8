/** settings.set refuses what the Settings screen refuses: reserved or shared label keys, a night that is not a date. */
import { afterAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../core/api/types.js';
import { dispatch } from '../../core/api/dispatch.js';
import { openService } from '../../core/api/service.js';
import { DEFAULT_LABEL_KEYS } from '../../core/labels.js';
import { RESERVED_ACTION_KEYS } from '../../core/settings-rules.js';
import { ACTION_KEYS } from '../../renderer/src/lib/keys.js';
import { tempDir } from '../loop/fixture.js';

describe('settings.set rules', () => {
  const dir = tempDir('finkvra-settings-');
  const svc = openService({ dbPath: ':memory:', homeDir: dir });
  afterAll(() => svc.close());
  const set = (patch: unknown) => dispatch(svc.handlers, 'settings.set', patch) as Promise<Settings>;

  it('refuses a label key that is an action key', async () => {
    await expect(set({ labelKeys: { ...DEFAULT_LABEL_KEYS, gal: 's' } })).rejects.toMatchObject({ code: 'invalid_input', message: /labelKeys\.gal: 's' is an action key/ });
    await expect(set({ labelKeys: { ...DEFAULT_LABEL_KEYS, agn: '?' } })).rejects.toThrow(/action key/);
    await expect(set({ labelKeys: { ...DEFAULT_LABEL_KEYS, agn: 'Z' } })).rejects.toThrow(/action key/);
  });

  it('refuses two labels on one key, whatever the case', async () => {
    await expect(set({ labelKeys: { ...DEFAULT_LABEL_KEYS, gal: 'R' } })).rejects.toThrow(/labelKeys\.gal: 'r' is already the key of real/);
  });

  it('accepts a free key, and the change is stored', async () => {
    const s = await set({ labelKeys: { ...DEFAULT_LABEL_KEYS, gal: 'q' } });
    expect(s.labelKeys.gal).toBe('q');
    expect(((await dispatch(svc.handlers, 'settings.get', {})) as Settings).labelKeys.gal).toBe('q');
  });

  it('validates night as a calendar date', async () => {
    for (const night of ['yesterday', '2025-13-01', '2025-02-30', '2025-6-1', "2025-06-14' OR 1=1"]) {
      await expect(set({ night }), night).rejects.toMatchObject({ code: 'invalid_input', message: /night: / });
    }
    expect((await set({ night: '2024-02-29' })).night).toBe('2024-02-29');
    expect((await set({ night: null })).night).toBeNull();
  });

  it("the reserved keys are the label screen's single-character action keys", () => {
    const screen = ACTION_KEYS.map((a) => a.key).filter((k) => k.length === 1);
    expect([...RESERVED_ACTION_KEYS].sort()).toEqual(screen.sort());
  });
});
