/**
 * The seeded LSST night, read back through the project's LSST reader (core/surveys/lsst/read.ts: parquet-wasm +
 * apache-arrow) and compared with the rows the generator meant to write (lsstAlertRows, the in-memory path), plus
 * checks computed here from what was read (diaObject means, counts, nights) and the population's signatures.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lsstAlertRows, type LsstAlertRow, type Rec } from '../../core/sample/lsst/generate.js';
import { generateLsstNight, type LsstTruthSidecar, type WrittenLsstNight } from '../../core/sample/lsst/write.js';
import type { LsstBatch } from '../../core/surveys/lsst/batch.js';
import { lsstNight } from '../../core/surveys/lsst/night.js';
import { readLsstAlerts } from '../../core/surveys/lsst/read.js';

const OPTS = { seed: 7, alerts: 400, night: '2025-11-20', rowGroup: 150, withCutouts: true };

interface Flat {
  batch: LsstBatch;
  i: number;
}

async function readFlat(file: string): Promise<Flat[]> {
  const out: Flat[] = [];
  for await (const batch of readLsstAlerts(file, { withCutouts: true, batchSize: 64 })) {
    for (let i = 0; i < batch.length; i++) out.push({ batch, i });
  }
  return out;
}

/** A nullable number as the reader gives it: NaN for null, 1/0 for booleans. */
const asRead = (v: unknown): number => (v === null || v === undefined ? NaN : typeof v === 'boolean' ? Number(v) : Number(v));
const idOrNull = (v: unknown): string | null => (v === null || v === undefined || v === 0n || v === 0 ? null : String(v));
const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');

/** Entries k of the alert's flattened list. */
function listRange(list: LsstBatch['prvDiaSources'], i: number): number[] {
  return Array.from({ length: list.offsets[i + 1]! - list.offsets[i]! }, (_, k) => list.offsets[i]! + k);
}

describe('the seeded LSST night', () => {
  let dir: string;
  let written: WrittenLsstNight;
  let intended: LsstAlertRow[];
  let read: Flat[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vra-lsst-gen-'));
    written = await generateLsstNight({ out: join(dir, 'night.parquet'), ...OPTS });
    intended = [...lsstAlertRows(OPTS)];
    read = await readFlat(written.file);
  }, 120_000);

  it('writes the number of alerts asked for, in row groups of the size asked for, with its truth', () => {
    expect(read).toHaveLength(OPTS.alerts);
    expect(written.rowGroups).toBe(Math.ceil(OPTS.alerts / OPTS.rowGroup));
    const side = JSON.parse(readFileSync(written.truthFile!, 'utf8')) as LsstTruthSidecar;
    expect(side.alerts.map((a) => a.candid)).toEqual(read.map(({ batch, i }) => batch.diaSourceId[i]));
    expect(Object.values(side.counts).reduce((a, b) => a + b, 0)).toBe(OPTS.alerts);
  });

  it('is read as Fink LSST schema 10.0, declared lsst.v10_0', () => {
    for (const { batch, i } of read) {
      expect(batch.version).toBe('10.0');
      expect(batch.declaredVersion[i]).toBe('lsst.v10_0');
    }
  });

  it('keeps 64-bit ids exact: the ids read are the generator’s BigInts, all above 2^53', () => {
    read.forEach(({ batch, i }, k) => {
      const row = intended[k]!.row;
      const src = row.diaSource as Rec;
      expect(batch.diaSourceId[i]).toBe(String(row.diaSourceId));
      expect(BigInt(batch.diaSourceId[i]!) > 2n ** 53n).toBe(true);
      expect(batch.diaObjectId[i]).toBe(idOrNull(src.diaObjectId));
      expect(batch.ssObjectId[i]).toBe(idOrNull(src.ssObjectId));
    });
  });

  it('reads back every diaSource field the reader keeps, as the generator meant it', () => {
    const fields = ['midpointMjdTai', 'ra', 'dec', 'psfFlux', 'psfFluxErr', 'scienceFlux', 'snr', 'reliability', 'extendedness'] as const;
    const flags = ['isDipole', 'isNegative', 'trail_flag_edge', 'glint_trail', 'trailLength', 'pixelFlags_streak'] as const;
    read.forEach(({ batch, i }, k) => {
      const src = intended[k]!.row.diaSource as Rec;
      expect(batch.band[i]).toBe(src.band);
      for (const f of [...fields, ...flags]) expect(batch.source[f][i], f).toBe(asRead(src[f]));
    });
  });

  it('reads back the previous sources, forced photometry, diaObject and designations', () => {
    read.forEach(({ batch, i }, k) => {
      const row = intended[k]!.row;
      const prv = (row.prvDiaSources as Rec[] | null) ?? [];
      const forced = (row.prvDiaForcedSources as Rec[] | null) ?? [];
      expect(listRange(batch.prvDiaSources, i).map((j) => [batch.prvDiaSources.id[j], batch.prvDiaSources.psfFlux[j], batch.prvDiaSources.band[j]])).toEqual(
        prv.map((p) => [String(p.diaSourceId), p.psfFlux, p.band]),
      );
      expect(listRange(batch.prvDiaForcedSources, i).map((j) => [batch.prvDiaForcedSources.id[j], batch.prvDiaForcedSources.midpointMjdTai[j]])).toEqual(
        forced.map((p) => [String(p.diaForcedSourceId), p.midpointMjdTai]),
      );
      const obj = row.diaObject as Rec | null;
      expect(batch.diaObject.nDiaSources![i]).toBe(asRead(obj?.nDiaSources));
      for (const b of ['u', 'g', 'r', 'i', 'z', 'y']) expect(batch.diaObject[`${b}_psfFluxMean`]![i]).toBe(asRead(obj?.[`${b}_psfFluxMean`]));
      expect(batch.ssDesignation[i]).toBe((row.ssSource as Rec | null)?.designation ?? null);
    });
  });

  it('stores the three stamps byte for byte, as uncompressed FITS', () => {
    read.forEach(({ batch, i }, k) => {
      const row = intended[k]!.row;
      for (const [name, col] of [['cutoutDifference', 'difference'], ['cutoutScience', 'science'], ['cutoutTemplate', 'template']] as const) {
        const stamp = batch.cutouts![col][i]!;
        expect(Buffer.from(stamp).equals(Buffer.from(row[name] as Uint8Array))).toBe(true);
        expect(Buffer.from(stamp.subarray(0, 6)).toString('ascii')).toBe('SIMPLE');
        expect(stamp.length % 2880).toBe(0);
      }
    });
  });

  it('summarises each diaObject over the alert’s own source and its previous sources (computed here)', () => {
    let multi = 0;
    for (const { batch, i } of read) {
      if (batch.diaObjectId[i] === null) continue;
      const js = listRange(batch.prvDiaSources, i);
      expect(batch.diaObject.nDiaSources![i]).toBe(1 + js.length);
      for (const b of ['u', 'g', 'r', 'i', 'z', 'y']) {
        const fluxes = js.filter((j) => batch.prvDiaSources.band[j] === b).map((j) => batch.prvDiaSources.psfFlux[j]!);
        if (batch.band[i] === b) fluxes.push(batch.source.psfFlux[i]!);
        const mean = fluxes.length ? fluxes.reduce((s, x) => s + x, 0) / fluxes.length : NaN;
        expect(batch.diaObject[`${b}_psfFluxNdata`]![i]).toBe(fluxes.length);
        if (fluxes.length === 0) expect(batch.diaObject[`${b}_psfFluxMean`]![i]).toBeNaN();
        else expect(batch.diaObject[`${b}_psfFluxMean`]![i]).toBeCloseTo(mean, 6);
      }
      if (js.length >= 3) multi++;
    }
    expect(multi).toBeGreaterThan(20);
  });

  it('puts every alert on the night asked for (Rubin dayObs) and its history before it', () => {
    for (const { batch, i } of read) {
      expect(lsstNight(batch.source.midpointMjdTai[i]!)).toBe(OPTS.night);
      for (const j of listRange(batch.prvDiaSources, i)) expect(batch.prvDiaSources.midpointMjdTai[j]!).toBeLessThan(batch.source.midpointMjdTai[i]!);
      for (const j of listRange(batch.prvDiaForcedSources, i))
        expect(batch.prvDiaForcedSources.midpointMjdTai[j]!).toBeLessThan(batch.source.midpointMjdTai[i]!);
    }
  });

  it('covers the six bands, negative differences, forced photometry and every class', () => {
    const bands = new Set(read.map(({ batch, i }) => batch.band[i]));
    expect([...bands].sort()).toEqual(['g', 'i', 'r', 'u', 'y', 'z']);
    const negative = read.filter(({ batch, i }) => batch.source.psfFlux[i]! < 0);
    expect(negative.length).toBeGreaterThan(10);
    for (const { batch, i } of negative) expect(batch.source.isNegative[i]).toBe(1);
    expect(read.filter(({ batch, i }) => batch.prvDiaForcedSources.offsets[i + 1]! > batch.prvDiaForcedSources.offsets[i]!).length).toBeGreaterThan(20);
    expect(Object.entries(written.counts).filter(([, n]) => n === 0)).toEqual([]);
  });

  it('gives each class its signature', () => {
    let neighbours = 0;
    read.forEach(({ batch, i }, k) => {
      const t = written.truth[k]!;
      const s = batch.source;
      if (t.label === 'sso') {
        // Rubin: a known solar-system source has diaObjectId 0 and no diaObject, but ssObjectId and a designation.
        expect(batch.diaObjectId[i]).toBeNull();
        expect(batch.ssObjectId[i]).not.toBeNull();
        expect(batch.ssDesignation[i]).toMatch(/^[JK]\d\d[A-Z]\d\d[A-Z]$/);
        expect(t.objectId).toBe(`ss:${batch.ssObjectId[i]}`);
        expect(Number.isNaN(batch.diaObject.nDiaSources![i])).toBe(true);
      } else {
        expect(batch.ssObjectId[i]).toBeNull();
        expect(batch.diaObjectId[i]).not.toBeNull();
        expect(t.objectId).toBe(batch.diaObjectId[i]);
        // Near a known asteroid too: diaObject, ssSource and mpc_orbits all filled (Fink's LSST notes).
        if (batch.ssDesignation[i] !== null) neighbours++;
      }
      if (t.label !== 'bogus') return;
      if (t.subclass === 'dipole') expect(s.isDipole[i]).toBe(1);
      if (t.subclass === 'streak') expect(s.pixelFlags_streak[i]).toBe(1);
      if (t.subclass === 'negative') expect(s.psfFlux[i]).toBeLessThan(0);
      expect(s.reliability[i]).toBeLessThan(0.6);
    });
    expect(neighbours).toBeGreaterThan(0);
  });

  it('is deterministic: the same options give the same bytes, another seed other bytes', async () => {
    const again = await generateLsstNight({ out: join(dir, 'again.parquet'), ...OPTS, alerts: 120 });
    const same = await generateLsstNight({ out: join(dir, 'same.parquet'), ...OPTS, alerts: 120 });
    const other = await generateLsstNight({ out: join(dir, 'other.parquet'), ...OPTS, alerts: 120, seed: 8 });
    expect(sha(same.file)).toBe(sha(again.file));
    expect(readFileSync(`${same.file}.truth.json`, 'utf8')).toBe(readFileSync(`${again.file}.truth.json`, 'utf8'));
    expect(sha(other.file)).not.toBe(sha(again.file));
  });

  it('writes null stamps without cutouts, and no sidecar when told not to', async () => {
    const out = join(dir, 'bare.parquet');
    const r = await generateLsstNight({ out, ...OPTS, alerts: 30, withCutouts: false, truthSidecar: false });
    expect(r.truthFile).toBeNull();
    expect(existsSync(`${out}.truth.json`)).toBe(false);
    const rows = await readFlat(out);
    expect(rows).toHaveLength(30);
    for (const { batch, i } of rows) expect(batch.cutouts!.difference[i]).toBeNull();
  });

  it('refuses bad options naming the option, and creates nothing', async () => {
    const out = join(dir, 'never.parquet');
    await expect(generateLsstNight({ out, ...OPTS, alerts: 0 })).rejects.toThrow(/alerts/);
    await expect(generateLsstNight({ out, ...OPTS, night: '2025-13-45' })).rejects.toThrow(/night/);
    await expect(generateLsstNight({ out, ...OPTS, night: '2022-01-01' })).rejects.toThrow(/night/);
    await expect(generateLsstNight({ out, ...OPTS, rowGroup: 0 })).rejects.toThrow(/rowGroup/);
    expect(existsSync(out)).toBe(false);
  });

  it('keeps every id above 2^53 on the earliest night it accepts, and refuses the night before', async () => {
    const err = await generateLsstNight({ out: join(dir, 'never.parquet'), ...OPTS, night: '2001-01-01' }).catch((e: Error) => e.message);
    const earliest = /night must be (\d{4}-\d{2}-\d{2}) or later/.exec(String(err))![1]!;
    const before = new Date(Date.parse(`${earliest}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await expect(generateLsstNight({ out: join(dir, 'never.parquet'), ...OPTS, night: before })).rejects.toThrow(/night/);
    const ids: bigint[] = [];
    for (const { row } of lsstAlertRows({ ...OPTS, alerts: 60, night: earliest })) {
      ids.push(row.diaSourceId as bigint);
      for (const p of (row.prvDiaSources as Rec[] | null) ?? []) ids.push(p.diaSourceId as bigint);
      for (const p of (row.prvDiaForcedSources as Rec[] | null) ?? []) ids.push(p.diaForcedSourceId as bigint);
    }
    expect(ids.length).toBeGreaterThan(60);
    expect(ids.filter((id) => id <= 2n ** 53n)).toEqual([]);
  });
});
