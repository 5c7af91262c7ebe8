/** Shared fixtures of the tracking tests: a fresh store in a temporary folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../core/store/database.js';
import type { Db } from '../../core/store/database.js';
import { artifactsRootFor } from '../../core/track/tracker.js';

export interface TrackFixture {
  dir: string;
  dbPath: string;
  db: Db;
  artifactsRoot: string;
  cleanup: () => void;
}

export function trackFixture(): TrackFixture {
  const dir = mkdtempSync(join(tmpdir(), 'finkvra-track-'));
  const dbPath = join(dir, 'store.sqlite');
  const fx: TrackFixture = {
    dir,
    dbPath,
    db: openStore(dbPath),
    artifactsRoot: artifactsRootFor(dbPath),
    cleanup: () => {
      fx.db.close();
      rmSync(fx.dir, { recursive: true, force: true });
    },
  };
  return fx;
}
