/**
 * Nothing of a failed or crashed ingest stays behind: a staging folder or cutout sidecar whose process is gone is
 * removed at the next ingest (and when the app opens the store), while those of a live process are kept.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openService } from '../../core/api/service.js';
import { ingestFiles } from '../../core/ingest/ingest.js';
import { writeSampleNight } from '../../core/sample/write.js';
import { ensureCutoutsDir } from '../../core/store/cutouts.js';
import { openStore } from '../../core/store/database.js';

/** The id of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

/** A process that lives while the test runs (the test's parent). */
const livePid = process.ppid;

function makeLeftovers(stagingParent: string, sidecars: string): Record<string, string> {
  const dead = deadPid();
  const paths = {
    deadStaging: join(stagingParent, `finkvra-staging-${dead}-abc123`),
    liveStaging: join(stagingParent, `finkvra-staging-${livePid}-def456`),
    untaggedRecent: join(stagingParent, 'finkvra-staging-Xy12Zq'),
    deadSidecar: join(sidecars, `${dead}-0b8c.sqlite`),
    liveSidecar: join(sidecars, `${livePid}-77aa.sqlite`),
    untaggedSidecar: join(sidecars, '5f0e1c2a-orphan.sqlite'),
  };
  for (const k of ['deadStaging', 'liveStaging', 'untaggedRecent'] as const) {
    mkdirSync(paths[k]);
    writeFileSync(join(paths[k], '0-night.parquet.sqlite'), 'x'.repeat(1000));
  }
  for (const k of ['deadSidecar', 'liveSidecar', 'untaggedSidecar'] as const) writeFileSync(paths[k], 'x');
  return paths;
}

function expectCleaned(p: Record<string, string>): void {
  expect(existsSync(p.deadStaging)).toBe(false);
  expect(existsSync(p.deadSidecar)).toBe(false);
  expect(existsSync(p.untaggedSidecar)).toBe(false);
  // A live process's work in progress, and an untagged folder touched recently, are kept.
  expect(existsSync(p.liveStaging)).toBe(true);
  expect(existsSync(p.liveSidecar)).toBe(true);
  expect(existsSync(p.untaggedRecent)).toBe(true);
}

describe('leftovers of a crashed ingest', () => {
  it('are removed at the next ingest; the ingest leaves no staging folder of its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vra-leftovers-'));
    const staging = mkdtempSync(join(dir, 'tmp-'));
    const db = openStore(join(dir, 'store.sqlite'));
    try {
      const p = makeLeftovers(staging, ensureCutoutsDir(db));
      const night = join(dir, 'night.parquet');
      await writeSampleNight(night, { seed: 3, nAlerts: 20, night: '2024-05-03', cutouts: 'small', rowGroupSize: 20 });
      const bad = join(dir, 'bad.parquet');
      writeFileSync(bad, readFileSync(night).subarray(0, 5000));
      const s = await ingestFiles(db, [night, bad], { stagingDir: staging });
      expect(s.files.map((f) => f.ok)).toEqual([false, true]);
      expectCleaned(p);
      // The good file's sidecar and the live process's one, nothing of the failed file.
      expect(readdirSync(ensureCutoutsDir(db)).filter((f) => f.startsWith(`${process.pid}-`))).toHaveLength(1);
      expect(readdirSync(staging).sort()).toEqual([p.liveStaging, p.untaggedRecent].map((x) => x.slice(staging.length + 1)).sort());
    } finally {
      db.close();
    }
  });

  it('are removed when the app opens its store', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vra-leftovers-app-'));
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const dbPath = join(dir, 'store.sqlite');
    const db = openStore(dbPath);
    const sidecars = ensureCutoutsDir(db);
    db.close();
    const before = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const p = makeLeftovers(tmp, sidecars);
      const svc = openService({ dbPath, homeDir: dir });
      void svc.close();
      expectCleaned(p);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  });
});
