/** The app folder is its user's alone: created 0700 (an existing one tightened), the store and its files 0600. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../loop/fixture.js';

const mode = (p: string) => statSync(p).mode & 0o777;

/** Runs the CLI under a permissive umask, as a login shell would have it. */
function finkvra(...args: string[]) {
  const cmd = ['umask 022; exec', JSON.stringify(process.execPath), 'bin/finkvra.js', ...args.map((a) => JSON.stringify(a))];
  return spawnSync('sh', ['-c', cmd.join(' ')], { encoding: 'utf8', timeout: 60_000 });
}

describe.skipIf(process.platform === 'win32')('private app folder', () => {
  // Only ingest creates a store: each home gets one from a tiny generated night (written outside the home).
  let night = '';
  beforeAll(() => {
    night = join(tempDir(), 'night.parquet');
    const g = finkvra('generate', '--out', night, '--alerts', '5', '--seed', '1');
    expect(g.status, g.stderr).toBe(0);
  }, 60_000);

  it('a new home is 0700 and every file the app writes in it is 0600', () => {
    const home = join(tempDir(), 'home');
    const csv = join(tempDir(), 'labeled.csv');
    writeFileSync(csv, 'candid,objectId,label,timestamp\n1700000000000000001,ZTF0,gal,2025-06-01T10:00:00Z\n');
    const i = finkvra('--home', home, 'ingest', night);
    expect(i.status, i.stderr).toBe(0);
    const r = finkvra('--home', home, 'labels', 'import', csv);
    expect(r.status, r.stderr).toBe(0);
    expect(mode(home).toString(8)).toBe('700');
    const files = readdirSync(home, { recursive: true, withFileTypes: true });
    expect(files.some((f) => f.name === 'finkvra.sqlite')).toBe(true);
    for (const f of files) {
      const p = join(f.parentPath, f.name);
      expect(`${f.name} ${mode(p).toString(8)}`).toBe(`${f.name} ${f.isDirectory() ? '700' : '600'}`);
    }
  }, 60_000);

  it('an existing home made 0755 by an older version is tightened to 0700', () => {
    const home = join(tempDir(), 'home');
    mkdirSync(home, { mode: 0o755 });
    const r = finkvra('--home', home, 'ingest', night);
    expect(r.status, r.stderr).toBe(0);
    expect(mode(home).toString(8)).toBe('700');
  }, 60_000);
});
