/**
 * A store with real ZTF and real LSST alerts: a round on the `lsst` feature set trains on and proposes only LSST
 * alerts, one on `extended` only ZTF alerts; each survey has its own loop (state, first round, counted labels).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLASS_MAPS, type Label } from '../../core/labels.js';
import { runRound, type RoundResult } from '../../core/loop/round.js';
import { loopState } from '../../core/loop/state.js';
import type { Db } from '../../core/store/database.js';
import { setLabel } from '../../core/store/labels.js';
import { updateSettings } from '../../core/store/settings.js';
import { getRun, readArtifact } from '../../core/track/tracker.js';
import { mixedOrSkipReason, mixedStore } from './mixed-store.js';

const HAS = mixedOrSkipReason('mixed-survey');

let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

/** The survey of each candid, read straight from the alerts table. */
function surveyOf(d: Db, candids: readonly string[]): string[] {
  const q = d.prepare('SELECT survey FROM alerts WHERE candid = ?').pluck();
  return candids.map((c) => q.get(c) as string);
}

const round = (d: Db, dbPath: string, dir: string) =>
  runRound(d, dbPath, { artifactsRoot: join(dir, 'artifacts'), inline: true, cvFolds: 3, importanceRepeats: 1 });

/** Labels every proposal of the batch, alternating galactic / extragalactic (both classes of the gal task). */
function labelBatch(d: Db, r: RoundResult): Label[] {
  return r.proposals.map((p, i) => {
    const l: Label = i % 2 === 0 ? 'gal' : 'extragal';
    setLabel(d, p.candid, l);
    return l;
  });
}

describe.skipIf(!HAS)('a mixed store (real ZTF + real LSST)', () => {
  it('round 0 on lsst picks LSST alerts of the LSST night, although ZTF nights are busier', async () => {
    const s = await mixedStore();
    db = s.db;
    updateSettings(db, s.dbPath, { featureSet: 'lsst', n0: 6, n: 3 });
    const r = await round(db, s.dbPath, s.dir);
    expect(r.survey).toBe('lsst');
    expect(r.round.night).toBe('2025-12-31');
    expect(r.proposals.length).toBe(6);
    expect(new Set(surveyOf(db, [...r.proposals, ...r.reserve].map((p) => p.candid)))).toEqual(new Set(['lsst']));
  });

  it('each survey has its own loop: first round, training set, proposals, state and counted labels', async () => {
    const s = await mixedStore();
    db = s.db;
    const d = db;
    updateSettings(d, s.dbPath, { featureSet: 'extended', n0: 8, n: 4 });
    const z0 = await round(d, s.dbPath, s.dir);
    expect(z0.round.round).toBe(0);
    expect(new Set(surveyOf(d, z0.proposals.map((p) => p.candid)))).toEqual(new Set(['ztf']));
    const ztfLabels = labelBatch(d, z0);

    // The first LSST round is LSST's cold start (a random pick, no run), though 8 ZTF labels count.
    updateSettings(d, s.dbPath, { featureSet: 'lsst' });
    const fresh = loopState(d, 'gal', 'least_confidence', null, 'lsst');
    expect(fresh.round).toBe(-1);
    expect(fresh.survey).toBe('lsst');
    expect(fresh.nTrainCounted).toBe(0);
    const l0 = await round(d, s.dbPath, s.dir);
    expect(l0.round.round).toBe(1);
    expect(l0.runId).toBeNull();
    expect(l0.warnings.join(' ')).not.toMatch(/no features/);
    expect(new Set(surveyOf(d, l0.proposals.map((p) => p.candid)))).toEqual(new Set(['lsst']));
    const lsstLabels = labelBatch(d, l0);

    // A model round on lsst trains on the LSST labels only and proposes unlabelled LSST alerts only.
    const l1 = await round(d, s.dbPath, s.dir);
    expect(l1.fallback).toBeNull();
    expect(l1.nTrain).toBe(lsstLabels.length);
    expect(l1.warnings.join(' ')).not.toMatch(/no features/);
    const run = getRun(d, l1.runId!);
    expect(run.params.feature_set).toBe('lsst');
    expect(run.params.survey).toBe('lsst');
    const trainedOn = readArtifact(d, l1.runId!, 'training_ids.csv')!.toString('utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect(new Set(trainedOn)).toEqual(new Set(l0.proposals.map((p) => p.candid)));
    const labelled = new Set(l0.proposals.map((p) => p.candid));
    expect(new Set(surveyOf(d, l1.proposals.map((p) => p.candid)))).toEqual(new Set(['lsst']));
    expect(l1.proposals.some((p) => labelled.has(p.candid))).toBe(false);
    // Its balance counts the LSST labels only: 2 galactic, 2 extragalactic.
    expect(run.balance?.train['label:gal']).toBe(lsstLabels.filter((l) => l === 'gal').length);
    expect(run.balance?.train['label:extragal']).toBe(lsstLabels.filter((l) => l === 'extragal').length);

    // Each survey's state shows its own round; the counted labels are its own.
    const lsstState = loopState(d, 'gal', 'least_confidence', null, 'lsst');
    expect(lsstState.round).toBe(l1.round.round);
    expect(lsstState.batch.map((b) => b.candid)).toEqual(l1.proposals.map((p) => p.candid));
    expect(lsstState.nTrainCounted).toBe(lsstLabels.filter((l) => DEFAULT_CLASS_MAPS.gal[l] !== null).length);
    const ztfState = loopState(d, 'gal', 'least_confidence', null, 'extended');
    expect(ztfState.survey).toBe('ztf');
    expect(ztfState.round).toBe(0);
    expect(ztfState.batch.map((b) => b.candid)).toEqual(z0.proposals.map((p) => p.candid));
    expect(ztfState.nTrainCounted).toBe(ztfLabels.length);

    // Back on extended: a model round on the ZTF labels only, proposing ZTF alerts only.
    updateSettings(d, s.dbPath, { featureSet: 'extended' });
    const z1 = await round(d, s.dbPath, s.dir);
    expect(z1.survey).toBe('ztf');
    expect(z1.nTrain).toBe(ztfLabels.length);
    expect(new Set(surveyOf(d, z1.proposals.map((p) => p.candid)))).toEqual(new Set(['ztf']));
    expect(getRun(d, z1.runId!).params.survey).toBe('ztf');
    // Each survey's alerts have only their own feature sets' rows, extended rows (derived on first use) included.
    const sets = d
      .prepare('SELECT a.survey, f.feature_set AS set_, COUNT(*) AS n FROM features f JOIN alerts a ON a.candid = f.candid GROUP BY 1, 2 ORDER BY 1, 2')
      .all() as { survey: string; set_: string; n: number }[];
    expect(sets.map((r) => `${r.survey}:${r.set_}`)).toEqual(['lsst:ls1', 'ztf:fs1', 'ztf:fx1']);
  });

  it('a night with only ZTF alerts, chosen while on lsst, is explained', async () => {
    const s = await mixedStore();
    db = s.db;
    updateSettings(db, s.dbPath, { featureSet: 'lsst', night: '2021-11-22', n0: 6, n: 3 });
    await expect(round(db, s.dbPath, s.dir)).rejects.toThrow(
      /night 2021-11-22 has no Rubin\/LSST alerts \(only ZTF\): choose a Rubin\/LSST night or all nights \(Settings\), or switch the survey/,
    );
  });
});
