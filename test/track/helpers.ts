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
  const db = openStore(dbPath);
  return {
    dir,
    dbPath,
    db,
    artifactsRoot: artifactsRootFor(dbPath),
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
