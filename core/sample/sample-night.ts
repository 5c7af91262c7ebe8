/**
 * The embedded sample night the app opens on: a ZTF night and a Rubin/LSST night, so a new store shows both surveys.
 * Generated on first use (deterministically, so every install sees the same alerts) instead of being committed:
 * realistic cutouts make it ~18 MB (ZTF) and ~6 MB (LSST).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { finkvraHome } from '../util/paths.js';
import { generateLsstNight } from './lsst/write.js';
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

/** The sample night's Rubin/LSST half (its night is Rubin's dayObs of the same date). */
export const SAMPLE_LSST_NIGHT = {
  seed: 20250615,
  night: '2025-06-14',
  alerts: 200,
  rowGroup: 200,
  /** Bump when the LSST generator's output changes. */
  version: 1,
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

export function sampleLsstNightFileName(): string {
  return `lsst_sample_${SAMPLE_LSST_NIGHT.night.replace(/-/g, '')}_v${SAMPLE_LSST_NIGHT.version}.parquet`;
}

/** Path of the sample night's LSST file in `dir`, generating it when missing (shared by concurrent callers). */
export function ensureLsstSampleNight(dir: string = defaultSampleDir()): Promise<string> {
  const file = join(dir, sampleLsstNightFileName());
  if (existsSync(file) && existsSync(`${file}.truth.json`)) return Promise.resolve(file);
  let p = inflight.get(file);
  if (!p) {
    const { version: _v, ...opts } = SAMPLE_LSST_NIGHT;
    p = generateLsstNight({ out: file, ...opts })
      .then(() => file)
      .finally(() => inflight.delete(file));
    inflight.set(file, p);
  }
  return p;
}

/** Both files of the sample night the app opens on: ZTF's, then Rubin/LSST's. */
export async function ensureSampleNights(dir: string = defaultSampleDir()): Promise<string[]> {
  return [await ensureSampleNight(dir), await ensureLsstSampleNight(dir)];
}
