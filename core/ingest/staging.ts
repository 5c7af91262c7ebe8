/**
 * Where staging databases live: one folder per ingest in the temp folder, tagged with its process, and the removal of
 * what crashed processes left there. The staging SQL itself is in core/store (ztf-staging.ts, lsst-staging.ts).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isLeftover, ownedPrefix } from '../util/owner-pid.js';

const STAGING_PREFIX = 'finkvra-staging-';
/** An untagged staging folder (older versions) untouched this long is a leftover, not another ingest's. */
const UNTAGGED_MAX_AGE_MS = 24 * 3600 * 1000;

/** A new folder for this ingest's staging databases in `parent`, tagged with this process's id. */
export function makeStagingRoot(parent: string): string {
  return mkdtempSync(join(parent, ownedPrefix(STAGING_PREFIX)));
}

/** Removes the staging folders in `parent` that crashed processes left behind (never a live process's). */
export function removeStaleStagingRoots(parent: string): number {
  let names: string[];
  try {
    names = readdirSync(parent).filter((n) => n.startsWith(STAGING_PREFIX));
  } catch {
    return 0;
  }
  let removed = 0;
  for (const n of names) {
    const path = join(parent, n);
    if (!isLeftover(n, STAGING_PREFIX, untouchedFor(path, UNTAGGED_MAX_AGE_MS))) continue;
    rmSync(path, { recursive: true, force: true });
    removed++;
  }
  return removed;
}

function untouchedFor(path: string, ms: number): boolean {
  const st = statSync(path, { throwIfNoEntry: false });
  return !!st && Date.now() - st.mtimeMs > ms;
}

/** The ZTF staging database (its SQL lives in core/store). */
export { StagingWriter } from '../store/ztf-staging.js';
