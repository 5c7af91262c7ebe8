import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAppSettings, settingsFile, writeAppSettings } from '../../electron/settings.js';
import { chooseDatabase } from '../../electron/backend.js';

describe('shell settings file', () => {
  it('reads nothing from a missing or corrupt file and merges writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'finkvra-settings-'));
    expect(readAppSettings(dir)).toEqual({});
    writeFileSync(settingsFile(dir), '{not json');
    expect(readAppSettings(dir)).toEqual({});
    writeFileSync(settingsFile(dir), JSON.stringify({ lastDbPath: 42 }));
    expect(readAppSettings(dir)).toEqual({});
    writeAppSettings(dir, { lastDbPath: '/data/a.sqlite' });
    writeAppSettings(dir, { paneFraction: 0.5 });
    expect(JSON.parse(readFileSync(settingsFile(dir), 'utf8'))).toEqual({ lastDbPath: '/data/a.sqlite', paneFraction: 0.5 });
    expect(() => writeAppSettings(dir, { paneFraction: 3 })).toThrow();
  });
});

describe('chooseDatabase', () => {
  it('prefers FINKVRA_DB, then the last database if it still exists, else none (sample)', () => {
    const exists = (p: string) => p === '/data/last.sqlite';
    expect(chooseDatabase({ envDb: '/x.sqlite', lastDbPath: '/data/last.sqlite', exists })).toEqual({ dbPath: '/x.sqlite', source: 'env', isSample: false });
    expect(chooseDatabase({ lastDbPath: '/data/last.sqlite', exists })).toEqual({ dbPath: '/data/last.sqlite', source: 'last', isSample: false });
    expect(chooseDatabase({ lastDbPath: '/data/gone.sqlite', exists })).toBeNull();
    expect(chooseDatabase({ exists })).toBeNull();
  });
});
