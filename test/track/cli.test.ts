import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerRuns, table } from '../../core/cli/commands/runs.js';
import { logConfusion, logImportance } from '../../core/track/log-artifacts.js';
import { endRun, getRun, logMetric, logParams, startRun } from '../../core/track/tracker.js';
import { trackFixture, type TrackFixture } from './helpers.js';

let f: TrackFixture;
let ids: string[];
beforeEach(() => {
  f = trackFixture();
  ids = [0, 1].map((r) => {
    const id = startRun(f.db, {
      experiment: 'gal_margin',
      name: `round_${r}_margin`,
      artifactsRoot: f.artifactsRoot,
      startTime: Date.UTC(2026, 0, 1, 12, r),
    });
    logParams(f.db, id, { round: r, strategy: 'margin', engine: r === 0 ? 'hgb' : 'hrf', n_train: 30 + 10 * r });
    logMetric(f.db, id, 'roc_auc', 0.7 + r / 10);
    logMetric(f.db, id, 'balanced_accuracy', 0.65 + r / 10);
    endRun(f.db, id, 'FINISHED', Date.UTC(2026, 0, 1, 12, r, 30));
    return id;
  });
  logConfusion(f.db, ids[1], [[4, 1], [2, 3]]);
  logImportance(f.db, ids[1], [
    { feature: 'ndets', mean: 0.2, std: 0.05 },
    { feature: 'drb', mean: 0.05, std: 0.01 },
  ]);
  // the CLI opens the store itself
  f.db.close();
});
afterEach(() => f.cleanup()); // closing an already closed better-sqlite3 handle is a no-op

async function run(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const program = new Command('finkvra').option('--db <file>').exitOverride();
  program.configureOutput({ writeErr: (s) => lines.push(`ERR ${s.trim()}`), writeOut: (s) => lines.push(s) });
  registerRuns(program, (l) => lines.push(l));
  await program.parseAsync(['node', 'finkvra', '--db', f.dbPath, ...args]);
  return lines;
}

describe('finkvra runs', () => {
  it('lists runs newest first by default, with preferred metrics', async () => {
    const out = await run('runs');
    expect(out[0].split(/\s+/)).toEqual([
      'run_id',
      'experiment',
      'name',
      'survey',
      'status',
      'n_train',
      'started',
      'balanced_accuracy',
      'roc_auc',
    ]);
    expect(out[2]).toContain(ids[1]);
    expect(out[2]).toMatch(/round_1_margin\s+FINISHED\s+40\s+2026-01-01 12:01:00\s+0\.7500\s+0\.8000$/);
    expect(out[3]).toContain(ids[0]);
    expect(await run('runs', 'list', '--experiment', 'gal_margin', '--json')).toHaveLength(1);
    const json = JSON.parse((await run('runs', 'list', '--json')).join('\n')) as { runId: string }[];
    expect(json.map((r) => r.runId)).toEqual([ids[1], ids[0]]);
  });

  it('prefers cross-validated cv_ metrics, and shows the metrics asked for', async () => {
    const { openStore } = await import('../../core/store/database.js');
    const db = openStore(f.dbPath);
    logMetric(db, ids[0], 'cv_roc_auc', 0.61);
    db.close();
    expect((await run('runs'))[0].split(/\s+/).slice(7)).toEqual(['balanced_accuracy', 'cv_roc_auc', 'roc_auc']);
    const out = await run('runs', 'list', '--metrics', 'cv_roc_auc');
    expect(out[0].split(/\s+/).slice(7)).toEqual(['cv_roc_auc']);
    expect(out[2]).toMatch(/\s40\s+\S+ \S+$/); // round 1 has no cv_roc_auc: empty cell
    expect(out[3]).toMatch(/0\.6100$/);
  });

  it('shows one run by id prefix', async () => {
    const out = (await run('runs', 'show', ids[1].slice(0, 8))).join('\n');
    expect(out).toContain(`run ${ids[1]}  round_1_margin  [FINISHED]`);
    expect(out).toContain('round 1, strategy margin, engine hrf, n_train 40');
    expect(out).toContain('  roc_auc = 0.8000');
    expect(out).toMatch(/confusion matrix[^\n]*\n\s+4\s+1\n\s+2\s+3/);
    expect(out).toMatch(/ndets\s+0\.2000\s+0\.0500/);
    expect(out).toContain('  confusion.json');
  });

  it('compares runs and marks differing params', async () => {
    const out = await run('runs', 'compare', ids[0], ids[1]);
    const engine = out.find((l) => l.includes('params.engine')) as string;
    expect(engine.split(/\s+/)).toEqual(['*', 'params.engine', 'hgb', 'hrf']);
    const strategy = out.find((l) => l.includes('params.strategy')) as string;
    expect(strategy.split(/\s+/)).toEqual(['params.strategy', 'margin', 'margin']);
    const auc = out.find((l) => l.includes('metrics.roc_auc')) as string;
    expect(auc.split(/\s+/)).toEqual(['metrics.roc_auc', '0.7000', '0.8000']);
  });

  it('exports CSV, JSON and an MLflow folder', async () => {
    const csv = join(f.dir, 'out', 'runs.csv');
    await run('runs', 'export', '--experiment', 'gal_margin', '--format', 'csv', '--out', csv);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1].startsWith(`${ids[0]},gal_margin,round_0_margin,FINISHED`)).toBe(true);
    const json = join(f.dir, 'run.json');
    await run('runs', 'export', ids[0], '-f', 'json', '-o', json);
    expect(JSON.parse(readFileSync(json, 'utf8')).runs[0].runId).toBe(ids[0]);
    const dir = join(f.dir, 'mlruns');
    const out = await run('runs', 'export', '--experiment', 'gal_margin', '--format', 'mlflow', '--out', dir);
    expect(out[1]).toBe(`open with: mlflow ui --backend-store-uri ${dir}`);
    const { openStore } = await import('../../core/store/database.js');
    const db = openStore(f.dbPath);
    const expId = getRun(db, ids[0]).experimentId;
    db.close();
    expect(readFileSync(join(dir, String(expId), ids[1], 'metrics', 'roc_auc'), 'utf8')).toMatch(/^\d+ 0\.7999999999999999 0\n$/) // 0.7 + 0.1, full precision kept;
    expect(existsSync(join(dir, String(expId), ids[1], 'artifacts', 'confusion.json'))).toBe(true);
  });

  it('refuses a bad format, and both or neither of run id and --experiment', async () => {
    await expect(run('runs', 'export', ids[0], '--format', 'xml', '--out', 'x')).rejects.toThrow(/xml/);
    await expect(run('runs', 'export', '--format', 'csv', '--out', join(f.dir, 'x.csv'))).rejects.toThrow(
      /either a run id or --experiment/,
    );
    await expect(
      run('runs', 'export', ids[0], '--experiment', 'gal_margin', '--format', 'csv', '--out', join(f.dir, 'x.csv')),
    ).rejects.toThrow(/either a run id or --experiment/);
    await expect(run('runs', 'show', 'ffffffff')).rejects.toThrow(/no run/);
  });
});

describe('table', () => {
  it('aligns columns, numbers to the right', () => {
    expect(table(['a', 'num'], [['xx', '1.5'], ['y', '10.25']])).toEqual(['a   num', '--  -----', 'xx    1.5', 'y   10.25']);
  });
});
