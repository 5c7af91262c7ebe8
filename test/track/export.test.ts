import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { TrackError } from '../../core/track/errors.js';
import { exportCsv, exportJson, exportMlflow, exportFilename, runExport } from '../../core/track/export.js';
import type { RunsJson } from '../../core/track/export.js';
import { logConfusion } from '../../core/track/log-artifacts.js';
import { endRun, getRun, logArtifact, logMetric, logParams, setTags, startRun } from '../../core/track/tracker.js';
import { trackFixture, type TrackFixture } from './helpers.js';

let f: TrackFixture;
beforeEach(() => {
  f = trackFixture();
});
afterEach(() => f.cleanup());

/** Two finished rounds and one running round in one experiment, plus a run in another experiment. */
function seed(): { r0: string; r1: string; r2: string; other: string } {
  const mk = (name: string, t0: number, experiment = 'gal_least_confidence'): string =>
    startRun(f.db, { experiment, name, artifactsRoot: f.artifactsRoot, startTime: t0, userId: 'alice' });
  const r0 = mk('round_0_least_confidence', 1_000_000);
  logParams(f.db, r0, { round: 0, strategy: 'least_confidence', engine: 'hgb', n_train: 30 });
  logMetric(f.db, r0, 'roc_auc', 0.75, 0, 1_000_100);
  logMetric(f.db, r0, 'balanced_accuracy', 1, 0, 1_000_100);
  setTags(f.db, r0, { task: 'gal', note: 'has, comma' });
  logArtifact(f.db, r0, 'model.json', '{"format":"finkvra-engine"}');
  logArtifact(f.db, r0, 'data/training_ids.csv', 'candid,round\n123,0\n');
  logConfusion(f.db, r0, [[3, 1], [0, 4]]);
  endRun(f.db, r0, 'FINISHED', 1_000_500);

  const r1 = mk('round_1_least_confidence', 2_000_000);
  logParams(f.db, r1, { round: 1, strategy: 'least_confidence', engine: 'hgb', n_train: 40, extra: 'x' });
  logMetric(f.db, r1, 'roc_auc', 0.8, 0, 2_000_100);
  logMetric(f.db, r1, 'roc_auc', 0.85, 1, 2_000_200);
  logMetric(f.db, r1, 'log_loss', Number.NaN, 0, 2_000_300);
  logMetric(f.db, r1, 'tiny', 1e-5, 0, 2_000_300);
  endRun(f.db, r1, 'FAILED', 2_000_900);

  const r2 = mk('round_2_least_confidence', 3_000_000); // still RUNNING
  logParams(f.db, r2, { 'model/max_depth': 3 });

  const other = mk('cell_1', 500, 'simulation');
  return { r0, r1, r2, other };
}

describe('CSV export', () => {
  it('has one row per run with params.*, latest metrics.* and tags.*', () => {
    const { r0, r1, r2 } = seed();
    const text = exportCsv(f.db, { experiment: 'gal_least_confidence' });
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual([
      'run_id',
      'experiment',
      'run_name',
      'status',
      'start_time',
      'end_time',
      'params.engine',
      'params.extra',
      'params.model/max_depth',
      'params.n_train',
      'params.round',
      'params.strategy',
      'metrics.balanced_accuracy',
      'metrics.log_loss',
      'metrics.roc_auc',
      'metrics.tiny',
      'tags.note',
      'tags.task',
    ]);
    expect(rows.map((r) => r.run_id)).toEqual([r0, r1, r2]); // oldest first
    expect(rows[0]).toMatchObject({
      experiment: 'gal_least_confidence',
      run_name: 'round_0_least_confidence',
      status: 'FINISHED',
      start_time: new Date(1_000_000).toISOString(),
      end_time: new Date(1_000_500).toISOString(),
      'params.n_train': '30',
      'params.extra': '',
      'metrics.roc_auc': '0.75',
      'metrics.balanced_accuracy': '1',
      'metrics.log_loss': '',
      'tags.note': 'has, comma',
    });
    expect(rows[1]).toMatchObject({ status: 'FAILED', 'metrics.roc_auc': '0.85', 'metrics.log_loss': 'NaN' });
    expect(rows[2]).toMatchObject({ status: 'RUNNING', end_time: '', 'params.model/max_depth': '3' });
  });

  it('exports a single run, and refuses unknown runs or experiments', () => {
    const { r1 } = seed();
    const rows = parse(exportCsv(f.db, { runId: r1 }), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]['params.extra']).toBe('x');
    expect(() => exportCsv(f.db, { runId: 'a'.repeat(32) })).toThrow(TrackError);
    expect(() => exportCsv(f.db, { experiment: 'nope' })).toThrow(TrackError);
  });
});

describe('JSON export', () => {
  it('holds every run in full, NaN as null', () => {
    const { r0, r1 } = seed();
    const doc = JSON.parse(exportJson(f.db, { experiment: 'gal_least_confidence' })) as RunsJson;
    expect(doc.format).toBe('finkvra-runs');
    expect(doc.version).toBe(1);
    expect(doc.experiment).toBe('gal_least_confidence');
    expect(doc.runs.map((r) => r.runId)).toHaveLength(3);
    const j0 = doc.runs[0];
    expect(j0.runId).toBe(r0);
    expect(j0.params).toEqual({ engine: 'hgb', n_train: '30', round: '0', strategy: 'least_confidence' });
    expect(j0.confusion).toEqual([
      [3, 1],
      [0, 4],
    ]);
    expect(j0.artifacts).toEqual(['confusion.json', 'data/training_ids.csv', 'model.json']);
    const j1 = doc.runs[1];
    expect(j1.metricHistory).toEqual([
      { key: 'log_loss', step: 0, value: null, timestamp: 2_000_300 },
      { key: 'roc_auc', step: 0, value: 0.8, timestamp: 2_000_100 },
      { key: 'roc_auc', step: 1, value: 0.85, timestamp: 2_000_200 },
      { key: 'tiny', step: 0, value: 1e-5, timestamp: 2_000_300 },
    ]);
    const one = runExport(f.db, r1);
    expect(one.filename).toBe(`run_${r1}.json`);
    expect((JSON.parse(one.json) as RunsJson).runs.map((r) => r.runId)).toEqual([r1]);
    expect(exportFilename({ experiment: 'gal least/conf' }, 'csv')).toBe('experiment_gal_least_conf.csv');
  });
});

/** Relative paths of all files and folders under dir, sorted, '/'-separated. */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((p) => {
      const rel = relative(dir, join(dir, p)).split(sep).join('/');
      return statSync(join(dir, p)).isDirectory() ? `${rel}/` : rel;
    })
    .sort();
}

describe('MLflow file-store export', () => {
  it('writes the FileStore layout with exact file contents', () => {
    const { r0, r1, r2 } = seed();
    const out = join(f.dir, 'mlruns');
    const res = exportMlflow(f.db, { experiment: 'gal_least_confidence' }, out);
    const expId = getRun(f.db, r0).experimentId;
    expect(res).toEqual({ root: out, experiments: [expId], runs: [r0, r1, r2] });
    const e = String(expId);
    const runFiles = (id: string, extra: string[]): string[] => [
      `${e}/${id}/`,
      `${e}/${id}/artifacts/`,
      `${e}/${id}/meta.yaml`,
      `${e}/${id}/metrics/`,
      `${e}/${id}/params/`,
      `${e}/${id}/tags/`,
      `${e}/${id}/tags/mlflow.runName`,
      `${e}/${id}/tags/mlflow.user`,
      ...extra.map((x) => `${e}/${id}/${x}`),
    ];
    expect(tree(out)).toEqual(
      [
        '.trash/',
        '0/',
        '0/meta.yaml',
        `${e}/`,
        `${e}/meta.yaml`,
        ...runFiles(r0, [
          'artifacts/confusion.json',
          'artifacts/data/',
          'artifacts/data/training_ids.csv',
          'artifacts/model.json',
          'metrics/balanced_accuracy',
          'metrics/roc_auc',
          'params/engine',
          'params/n_train',
          'params/round',
          'params/strategy',
          'tags/note',
          'tags/task',
        ]),
        ...runFiles(r1, [
          'metrics/log_loss',
          'metrics/roc_auc',
          'metrics/tiny',
          'params/engine',
          'params/extra',
          'params/n_train',
          'params/round',
          'params/strategy',
        ]),
        ...runFiles(r2, ['params/model/', 'params/model/max_depth']),
      ].sort(),
    );

    const read = (p: string): string => readFileSync(join(out, p), 'utf8');
    const expCreated = (f.db.prepare('SELECT created_at FROM experiments WHERE id = ?').get(expId) as {
      created_at: number;
    }).created_at;
    expect(read(`${e}/meta.yaml`)).toBe(
      [
        `artifact_location: ${pathToFileURL(join(out, e)).href}`,
        `creation_time: ${expCreated}`,
        `experiment_id: '${e}'`,
        `last_update_time: ${expCreated}`,
        'lifecycle_stage: active',
        'name: gal_least_confidence',
        '',
      ].join('\n'),
    );
    expect(read('0/meta.yaml')).toMatch(
      new RegExp(
        `^artifact_location: ${pathToFileURL(join(out, '0')).href}\ncreation_time: \\d+\nexperiment_id: '0'\n` +
          `last_update_time: \\d+\nlifecycle_stage: active\nname: Default\n$`,
      ),
    );
    const runMeta = (id: string, name: string, status: number, end: string, deleted: boolean): string =>
      [
        `artifact_uri: ${pathToFileURL(join(out, e, id, 'artifacts')).href}`,
        ...(deleted ? ['deleted_time: null'] : []),
        `end_time: ${end}`,
        "entry_point_name: ''",
        `experiment_id: '${e}'`,
        'lifecycle_stage: active',
        `run_id: ${/^\d+$/.test(id) ? `'${id}'` : id}`,
        `run_name: ${name}`,
        `run_uuid: ${/^\d+$/.test(id) ? `'${id}'` : id}`,
        "source_name: ''",
        'source_type: 4',
        "source_version: ''",
        `start_time: ${getRun(f.db, id).startTime}`,
        `status: ${status}`,
        'tags: []',
        'user_id: alice',
        '',
      ].join('\n');
    expect(read(`${e}/${r0}/meta.yaml`)).toBe(runMeta(r0, 'round_0_least_confidence', 3, '1000500', false));
    expect(read(`${e}/${r1}/meta.yaml`)).toBe(runMeta(r1, 'round_1_least_confidence', 4, '2000900', false));
    expect(read(`${e}/${r2}/meta.yaml`)).toBe(runMeta(r2, 'round_2_least_confidence', 1, 'null', true));

    // metrics: "timestamp value step" lines, values as Python floats
    expect(read(`${e}/${r0}/metrics/roc_auc`)).toBe('1000100 0.75 0\n');
    expect(read(`${e}/${r0}/metrics/balanced_accuracy`)).toBe('1000100 1.0 0\n');
    expect(read(`${e}/${r1}/metrics/roc_auc`)).toBe('2000100 0.8 0\n2000200 0.85 1\n');
    expect(read(`${e}/${r1}/metrics/log_loss`)).toBe('2000300 nan 0\n');
    expect(read(`${e}/${r1}/metrics/tiny`)).toBe('2000300 1e-05 0\n');
    // params and tags: the raw value, no newline
    expect(read(`${e}/${r0}/params/n_train`)).toBe('30');
    expect(read(`${e}/${r0}/params/strategy`)).toBe('least_confidence');
    expect(read(`${e}/${r2}/params/model/max_depth`)).toBe('3');
    expect(read(`${e}/${r0}/tags/mlflow.runName`)).toBe('round_0_least_confidence');
    expect(read(`${e}/${r0}/tags/mlflow.user`)).toBe('alice');
    expect(read(`${e}/${r0}/tags/note`)).toBe('has, comma');
    // artifacts copied byte for byte
    expect(read(`${e}/${r0}/artifacts/data/training_ids.csv`)).toBe('candid,round\n123,0\n');
    expect(read(`${e}/${r0}/artifacts/model.json`)).toBe('{"format":"finkvra-engine"}');
  });

  it('re-exporting replaces a run folder and adds experiments to an existing store', () => {
    const { r0, other } = seed();
    const out = join(f.dir, 'mlruns');
    exportMlflow(f.db, { runId: r0 }, out);
    const e = String(getRun(f.db, r0).experimentId);
    writeFileSync(join(out, e, r0, 'params', 'stale'), 'old');
    const defaultMeta = readFileSync(join(out, '0', 'meta.yaml'), 'utf8');
    exportMlflow(f.db, { runId: r0 }, out);
    expect(existsSync(join(out, e, r0, 'params', 'stale'))).toBe(false);
    expect(readFileSync(join(out, '0', 'meta.yaml'), 'utf8')).toBe(defaultMeta); // kept, not rewritten
    exportMlflow(f.db, { experiment: 'simulation' }, out);
    const oe = String(getRun(f.db, other).experimentId);
    expect(readFileSync(join(out, oe, 'meta.yaml'), 'utf8')).toContain('name: simulation\n');
    expect(existsSync(join(out, e, r0, 'meta.yaml'))).toBe(true);
  });

  it('refuses to mix runs into another store experiment of the same id', () => {
    const { r0 } = seed();
    const out = join(f.dir, 'mlruns');
    const e = String(getRun(f.db, r0).experimentId);
    mkdirSync(join(out, e), { recursive: true });
    writeFileSync(join(out, e, 'meta.yaml'), `experiment_id: '${e}'\nname: someone_elses\n`);
    expect(() => exportMlflow(f.db, { runId: r0 }, out)).toThrow(/someone_elses/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Cross-checks with Debian's Python: PyYAML writes the same meta.yaml bytes; MLflow's metric-file reading rules
// (re-implemented below in a few lines of Python from file_store.py) give the same latest values as getRun.

const py = spawnSync('/usr/bin/python3', ['-c', 'import yaml'], { encoding: 'utf8' });
const havePy = py.status === 0;
if (!havePy) console.warn('skipping the Python/PyYAML cross-checks: /usr/bin/python3 with PyYAML not available');

function python(script: string, input: string): string {
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

describe.skipIf(!havePy)('MLflow export read by Python', () => {
  it('meta.yaml files are byte-identical to PyYAML safe_dump of their content', () => {
    seed();
    const out = join(f.dir, 'mlruns');
    exportMlflow(f.db, { experiment: 'gal_least_confidence' }, out);
    const metas = (readdirSync(out, { recursive: true }) as string[])
      .filter((p) => p.endsWith('meta.yaml'))
      .map((p) => join(out, p));
    expect(metas).toHaveLength(5); // Default, the experiment, three runs
    const script = `
import sys, yaml, json
res = []
for p in json.load(sys.stdin):
    text = open(p, encoding='utf-8').read()
    d = yaml.safe_load(text)
    res.append([text == yaml.safe_dump(d, default_flow_style=False, allow_unicode=True, sort_keys=True),
                type(d['experiment_id']).__name__, d.get('status'), d.get('end_time', 'absent')])
print(json.dumps(res))`;
    const res = JSON.parse(python(script, JSON.stringify(metas))) as [boolean, string, unknown, unknown][];
    for (const [same, idType] of res) {
      expect(same).toBe(true);
      expect(idType).toBe('str');
    }
  });

  it('metric files parse as MLflow parses them and give the same latest values', () => {
    const { r0, r1, r2 } = seed();
    const out = join(f.dir, 'mlruns');
    exportMlflow(f.db, { experiment: 'gal_least_confidence' }, out);
    const e = String(getRun(f.db, r0).experimentId);
    const script = `
import sys, os, json, math
root, exp, runs = json.load(sys.stdin)
out = {}
for run in runs:
    d = os.path.join(root, exp, run, 'metrics')
    latest = {}
    for name in os.listdir(d):
        pts = []
        for line in open(os.path.join(d, name)).read().splitlines():
            parts = line.strip().split(' ')
            assert len(parts) == 3, line
            pts.append((int(parts[2]), int(parts[0]), float(parts[1])))
        step, ts, val = max(pts)
        latest[name] = 'nan' if math.isnan(val) else val
    out[run] = latest
print(json.dumps(out))`;
    const latest = JSON.parse(python(script, JSON.stringify([out, e, [r0, r1, r2]]))) as Record<
      string,
      Record<string, number | 'nan'>
    >;
    for (const id of [r0, r1, r2]) {
      const ours = Object.fromEntries(
        Object.entries(getRun(f.db, id).metrics).map(([k, v]) => [k, Number.isNaN(v) ? 'nan' : v]),
      );
      expect(latest[id]).toEqual(ours);
    }
  });
});
