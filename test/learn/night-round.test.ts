/**
 * A round's night-grouped metrics on a store whose nights a feature tells apart: the headline (cv_night_*) must show
 * what a model does on a night it never saw, here always wrong (hand-computed, see group-folds.test.ts), while the
 * object-grouped cv_* looks perfect.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { vi } from 'vitest';
import { printRound } from '../../core/cli/commands/round.js';
import { registerTrain } from '../../core/cli/commands/train.js';
import { runRound } from '../../core/loop/round.js';
import type { Db } from '../../core/store/database.js';
import { setLabel } from '../../core/store/labels.js';
import { updateSettings } from '../../core/store/settings.js';
import { getRun } from '../../core/track/tracker.js';
import { cid, makeStore } from '../loop/fixture.js';
import { nightAlerts, nightLabel, PER_NIGHT } from './night-fixture.js';

let db: Db | null = null;
afterEach(() => db?.close());

async function roundOne(nights: number, labelled: (i: number) => boolean) {
  const s = makeStore(nightAlerts(nights));
  db = s.db;
  updateSettings(db, s.dbPath, { n0: 2, n: 2, engine: 'hgb' });
  const artifactsRoot = join(s.dir, 'artifacts');
  await runRound(db, s.dbPath, { artifactsRoot, inline: true });
  for (let i = 0; i < nights * PER_NIGHT; i++) {
    if (labelled(i)) setLabel(db, cid(i), nightLabel(i));
  }
  return runRound(db, s.dbPath, { artifactsRoot, inline: true, cvFolds: 5, importanceRepeats: 1 });
}

describe('round: cross-validation grouped by night', () => {
  it('logs cv_night_* (a model that never saw the night: all wrong) beside the optimistic cv_* (all right)', async () => {
    // Label all but the last alert of each night (the pool must not be empty).
    const r = await roundOne(4, (i) => i % PER_NIGHT !== PER_NIGHT - 1);
    const m = r.metrics;
    expect(m.cv_night_groups).toBe(4);
    expect(m.cv_night_k).toBe(4);
    expect(m.cv_night_accuracy).toBe(0);
    expect(m.cv_night_balanced_accuracy).toBe(0);
    expect(m.cv_night_roc_auc).toBe(0);
    expect([m.cv_night_tn, m.cv_night_fp, m.cv_night_fn, m.cv_night_tp]).toEqual([0, 58, 58, 0]);
    expect(m.cv_accuracy).toBe(1);
    const run = getRun(db!, r.runId!);
    expect(run.metrics.cv_night_accuracy).toBe(0);
    expect(run.tags['metrics.headline']).toBe('cv_night');
    expect(run.tags['cv_night.kind']).toBe('4 folds over 4 nights, whole nights held out (out-of-fold)');
    const lines: string[] = [];
    printRound(r, (l) => lines.push(l));
    const i = lines.findIndex((l) => l.startsWith('cross-validated by night'));
    const j = lines.findIndex((l) => l.startsWith('cross-validated by object'));
    expect(i).toBeGreaterThan(-1);
    expect(j).toBeGreaterThan(i);
    expect(lines[i]).toContain('4 folds over 4 nights): accuracy 0.000, balanced 0.000');
    expect(lines[j]).toContain('optimistic: same nights): accuracy 1.000');
  });

  it('with labels from 2 nights, says the honest estimate is not available and labels the other optimistic', async () => {
    const r = await roundOne(3, (i) => i < 2 * PER_NIGHT);
    expect(r.metrics.cv_night_groups).toBe(2);
    expect(r.metrics.cv_night_accuracy).toBeUndefined();
    expect(r.metrics.cv_accuracy).toBe(1);
    const run = getRun(db!, r.runId!);
    expect(run.tags['cv_night.kind']).toBe('cv_night: n/a — labels from 2 nights; need 3');
    const lines: string[] = [];
    printRound(r, (l) => lines.push(l));
    expect(lines).toContain('cv_night: n/a — labels from 2 nights; need 3');
    expect(lines.some((l) => l.startsWith('cross-validated by object (5-fold; optimistic: same nights)'))).toBe(true);
  });
});

describe('the cvGroup setting', () => {
  it('a round groups by source file when the setting says so (the fixture has one file: n/a)', async () => {
    const s = makeStore(nightAlerts(4));
    db = s.db;
    updateSettings(db, s.dbPath, { n0: 2, n: 2, engine: 'hgb', cvGroup: 'file' });
    const artifactsRoot = join(s.dir, 'artifacts');
    await runRound(db, s.dbPath, { artifactsRoot, inline: true });
    for (let i = 0; i < 4 * PER_NIGHT; i++) if (i % PER_NIGHT !== PER_NIGHT - 1) setLabel(db, cid(i), nightLabel(i));
    const r = await runRound(db, s.dbPath, { artifactsRoot, inline: true, importanceRepeats: 1 });
    expect(r.metrics.cv_night_groups).toBe(1);
    expect(r.metrics.cv_night_accuracy).toBeUndefined();
    const run = getRun(db, r.runId!);
    expect(run.tags['cv_night.unit']).toBe('file');
    expect(run.tags['cv_night.kind']).toBe('cv_night (by source file): n/a — labels from 1 file; need 3');
  });
});

describe('finkvra train: the night-grouped figures first', () => {
  async function train(nights: number, labelled: (i: number) => boolean, ...args: string[]): Promise<string> {
    const s = makeStore(nightAlerts(nights));
    for (let i = 0; i < nights * PER_NIGHT; i++) {
      if (labelled(i)) setLabel(s.db, cid(i), nightLabel(i));
    }
    updateSettings(s.db, s.dbPath, { engine: 'hgb' });
    s.db.close();
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const p = new Command('finkvra').exitOverride().option('--db <file>').option('--home <dir>');
      registerTrain(p);
      await p.parseAsync(['--db', s.dbPath, '--home', join(s.dir, 'home'), 'train', '--repeats', '1', ...args], { from: 'user' });
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
    return out.join('\n');
  }

  it('prints the night-grouped metrics (hand-computed: all wrong), then the object-grouped ones as optimistic', async () => {
    const text = await train(4, () => true);
    expect(text).toContain('cross-validated by night (forecast of unseen nights; 4 folds over 4 nights, whole nights held out):\n  accuracy 0.000  balanced 0.000');
    expect(text).toMatch(/cross-validated by object, 5-fold \(optimistic: same nights; out-of-fold predictions of 120 labels\):\n {2}accuracy 1\.000/);
    expect(text.indexOf('by night')).toBeLessThan(text.indexOf('by object'));
  });

  it('says n/a with labels from 2 nights, and --cv-group file groups by source file', async () => {
    expect(await train(3, (i) => i < 2 * PER_NIGHT)).toContain('cv_night: n/a — labels from 2 nights; need 3');
    // The fixture writes every alert from one source file.
    expect(await train(4, () => true, '--cv-group', 'file')).toContain('cv_night (by source file): n/a — labels from 1 file; need 3');
  });
});
