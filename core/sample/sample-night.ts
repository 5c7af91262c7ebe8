/**
 * The embedded sample night the app opens on. It is generated on first use (deterministically, so every install
 * sees the same alerts) instead of being committed: realistic cutouts make it ~18 MB.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { finkvraHome } from '../util/paths.js';
import { writeSampleNight, truthFileFor } from './write.js';

export const SAMPLE_NIGHT = {
  seed: 20250614,
  night: '2025-06-14',
  nAlerts: 400,
  rowGroupSize: 200,
  cutouts: 'realistic',
  /** Bump when the generator's output changes, so an old cached file is not reused. */
  version: 2,
} as const;

export function sampleNightFileName(): string {
  return `fink_sample_${SAMPLE_NIGHT.night.replace(/-/g, '')}_v${SAMPLE_NIGHT.version}.parquet`;
}

export function defaultSampleDir(): string {
  return join(finkvraHome(), 'sample');
}

const inflight = new Map<string, Promise<string>>();

/** Path of the sample night parquet in `dir` (default $FINKVRA_HOME/sample), generating it when missing. */
export function ensureSampleNight(dir: string = defaultSampleDir()): Promise<string> {
  const file = join(dir, sampleNightFileName());
  if (existsSync(file) && existsSync(truthFileFor(file))) return Promise.resolve(file);
  // Two callers at once (app window + CLI in the same process) share one generation.
  let p = inflight.get(file);
  if (!p) {
    const { version: _v, ...opts } = SAMPLE_NIGHT;
    p = writeSampleNight(file, opts)
      .then(() => file)
      .finally(() => inflight.delete(file));
    inflight.set(file, p);
  }
  return p;
}
