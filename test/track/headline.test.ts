import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { printRun, printRunList } from '../../core/cli/commands/runs.js';
import { exportMlflow } from '../../core/track/export.js';
import { cvHeadline } from '../../core/track/headline.js';
import { endRun, getRun, listExperiments, listRuns, logMetrics, setTags, startRun } from '../../core/track/tracker.js';
import { trackFixture, type TrackFixture } from './helpers.js';

const night = {
  cv_night_accuracy: 0.625,
  cv_night_balanced_accuracy: 0.58,
  cv_night_precision: 0.5,
  cv_night_recall: 0.4,
  cv_night_f1: 0.444,
  cv_night_roc_auc: 0.6,
  cv_night_log_loss: 0.71,
  cv_night_k: 4,
  cv_night_groups: 6,
};
const object = { cv_accuracy: 0.875, cv_balanced_accuracy: 0.86, cv_roc_auc: 0.93, cv_k: 5 };

describe('cvHeadline', () => {
  it('puts the night-grouped figures first and labels the object-grouped ones optimistic', () => {
    expect(cvHeadline({ ...night, ...object })).toEqual([
      'cross-validated by night (forecast of unseen nights: 4 folds over 6 nights): accuracy 0.625, balanced 0.580, ' +
        'precision 0.500, recall 0.400, F1 0.444, ROC AUC 0.600, log loss 0.710',
      'cross-validated by object (5-fold; optimistic: same nights): accuracy 0.875, balanced 0.860, precision –, recall –, ' +
        'F1 –, ROC AUC 0.930, log loss –',
    ]);
  });

  it('says the honest estimate is not available with fewer than 3 nights', () => {
    expect(cvHeadline({ cv_night_groups: 2, cv_night_k: 0, ...object })[0]).toBe('cv_night: n/a — labels from 2 nights; need 3');
    expect(cvHeadline({ cv_night_groups: 1, ...object }, 'file')[0]).toBe('cv_night (by source file): n/a — labels from 1 file; need 3');
    expect(cvHeadline({ n_train: 3 })).toEqual([]);
  });
});

let f: TrackFixture;
let ids: string[];
beforeEach(() => {
  f = trackFixture();
  ids = [{ ...night, ...object }, { cv_night_groups: 2, cv_night_k: 0, ...object }].map((m, r) => {
    const id = startRun(f.db, { experiment: 'gal_margin', name: `round_${r}_margin`, artifactsRoot: f.artifactsRoot, startTime: Date.UTC(2026, 0, 1, 12, r) });
    logMetrics(f.db, id, m, r);
    setTags(f.db, id, { 'metrics.headline': 'cv_night' });
    endRun(f.db, id, 'FINISHED');
    return id;
  });
});
afterEach(() => f.cleanup());

describe('runs list / show / MLflow export', () => {
  it('list shows cv_night_* before cv_*, n/a where labels came from too few nights, and says which is which', () => {
    const out: string[] = [];
    printRunList(listRuns(f.db), listExperiments(f.db), {}, (l) => out.push(l));
    expect(out[0].split(/\s+/).slice(7)).toEqual(['cv_night_balanced_accuracy', 'cv_balanced_accuracy', 'cv_night_roc_auc', 'cv_roc_auc']);
    const row = (id: string) => out.find((l) => l.startsWith(id))!.split(/\s+/).slice(-4);
    expect(row(ids[0])).toEqual(['0.5800', '0.8600', '0.6000', '0.9300']);
    expect(row(ids[1])).toEqual(['n/a', '0.8600', 'n/a', '0.9300']);
    expect(out.at(-1)).toMatch(/^cv_night_\*: whole nights held out .*cv_\*: folds by object within the same nights \(optimistic\)$/);
  });

  it('show prints the headline before the metric list', () => {
    const out: string[] = [];
    printRun(getRun(f.db, ids[1]), (l) => out.push(l));
    const i = out.indexOf('cv_night: n/a — labels from 2 nights; need 3');
    expect(i).toBeGreaterThan(-1);
    expect(out[i + 1]).toMatch(/^cross-validated by object \(5-fold; optimistic: same nights\): accuracy 0\.875/);
    expect(out.indexOf('metrics (latest)')).toBeGreaterThan(i);
  });

  it('MLflow export has the cv_night_* metrics and the headline as the run note', () => {
    const out = join(f.dir, 'mlruns');
    exportMlflow(f.db, { experiment: 'gal_margin' }, out);
    const dir = join(out, String(getRun(f.db, ids[0]).experimentId), ids[0]);
    expect(readFileSync(join(dir, 'metrics', 'cv_night_accuracy'), 'utf8')).toMatch(/^\d+ 0\.625 0\n$/);
    expect(readFileSync(join(dir, 'tags', 'mlflow.note.content'), 'utf8')).toBe(cvHeadline({ ...night, ...object }).join('\n'));
    expect(existsSync(join(dir, 'tags', 'metrics.headline'))).toBe(true);
  });
});
