/**
 * resources/python/score_fink.py, the deployment script, run on the real Fink parquet files: its features equal the
 * store's bit for bit, and its probabilities equal `finkvra score`'s on the same ONNX models. Needs python3 with
 * onnxruntime, pyarrow and numpy: FINKVRA_PYTHON, else .venv-py/bin/python in the checkout (what .ci/run makes);
 * skips with the reason printed otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerIngest } from '../../core/cli/commands/ingest.js';
import { registerScore } from '../../core/cli/commands/score.js';
import { registerTrain } from '../../core/cli/commands/train.js';
import { openStore, type Db } from '../../core/store/database.js';
import { loadFeatureMatrix } from '../../core/store/features.js';
import { setLabel } from '../../core/store/labels.js';
import { FINK_ZTF, HAS_SHARED } from '../helpers/shared-data.js';
import { withMeta } from './helpers.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const script = join(repo, 'resources/python/score_fink.py');
const python = process.env.FINKVRA_PYTHON ?? join(repo, '.venv-py/bin/python');

function pythonSkipReason(): string | null {
  if (!HAS_SHARED) return `${FINK_ZTF} is absent`;
  if (!existsSync(python)) return `no Python at ${python} (set FINKVRA_PYTHON, or run .ci/run's venv line)`;
  const r = spawnSync(python, ['-c', 'import onnxruntime, pyarrow, numpy'], { encoding: 'utf8' });
  if (r.status !== 0) return `${python} lacks onnxruntime, pyarrow or numpy`;
  return null;
}
const skip = pythonSkipReason();
if (skip) console.warn(`[python deployment script] skipped: ${skip}`);

type Row = Record<string, string>;
const readCsv = (f: string): Row[] => parse(readFileSync(f), { columns: true }) as Row[];

function py(args: string[]): string {
  const r = spawnSync(python, args, { encoding: 'utf8', cwd: repo, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

describe.skipIf(skip !== null)('the Python deployment script on the real Fink files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vra-py-'));
  const dbPath = join(dir, 'store.sqlite');
  const f = (name: string) => join(dir, name);
  const parquets = readdirSync(FINK_ZTF)
    .filter((n) => n.endsWith('.parquet'))
    .sort()
    .map((n) => join(FINK_ZTF, n));
  let db: Db;
  const run = async (...args: string[]) => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const p = new Command('finkvra').exitOverride().option('--db <file>').option('--home <dir>');
      registerIngest(p);
      registerTrain(p);
      registerScore(p);
      await p.parseAsync(['--db', dbPath, '--home', f('home'), ...args], { from: 'user' });
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  };

  beforeAll(async () => {
    await run('ingest', '--no-cutouts', FINK_ZTF);
    db = openStore(dbPath);
    // Labels from a rule on several features, so that the trees split on many of them.
    const m = loadFeatureMatrix(db);
    const at = (i: number, name: string) => m.X[i * m.d + m.names.indexOf(name)];
    for (let i = 0; i < m.n; i += 2) {
      const gal = at(i, 'dets_median') > 18.5 !== (at(i, 'ndets') > 8) || at(i, 'amplitude_g') > 0.5;
      setLabel(db, m.candids[i], gal ? 'gal' : 'extragal');
    }
    for (const engine of ['hgb', 'hrf']) {
      await run('train', '--engine', engine, '--folds', '2', '--repeats', '1', '--onnx', f(`${engine}.onnx`));
    }
  }, 300_000);
  afterAll(() => db?.close());

  it('computes every feature of every parquet alert exactly as the store holds it', () => {
    const code = [
      'import sys, glob',
      "sys.path.insert(0, 'resources/python')",
      'import score_fink as s',
      'for cid, oid, night, f in s.read_alerts(sys.argv[1:]):',
      "    print(cid, ' '.join(f'{k}={v!r}' for k, v in f.items()))",
    ].join('\n');
    const lines = py(['-c', code, ...parquets]).trim().split('\n');
    const m = loadFeatureMatrix(db);
    const row = new Map(m.candids.map((c, i) => [c, i]));
    expect(lines.length).toBe(366);
    let compared = 0;
    for (const line of lines) {
      const [candid, ...kv] = line.split(' ');
      const i = row.get(candid);
      expect(i, candid).toBeDefined();
      const got = Object.fromEntries(kv.map((s) => s.split('=')).map(([k, v]) => [k, v === 'nan' ? NaN : Number(v)]));
      m.names.forEach((name, j) => {
        expect(got[name], `${candid} ${name}`).toBe(m.X[i! * m.d + j]);
        compared++;
      });
    }
    expect(compared).toBe(366 * m.d);
  });

  for (const engine of ['hgb', 'hrf']) {
    it(`${engine}: its probabilities equal finkvra score's for every alert`, async () => {
      await run('score', '--model', f(`${engine}.onnx`), '--out', f(`${engine}-app.csv`));
      py([script, '--model', f(`${engine}.onnx`), '--out', f(`${engine}-py.csv`), ...parquets]);
      const app = new Map(readCsv(f(`${engine}-app.csv`)).map((r) => [r.candid, r]));
      const got = readCsv(f(`${engine}-py.csv`));
      expect(got.length).toBe(366);
      expect(Object.keys(got[0])).toEqual(['candid', 'objectId', 'night', 'p_not_galactic', 'p_galactic', 'predicted']);
      const distinct = new Set<string>();
      for (const r of got) {
        const a = app.get(r.candid);
        expect(a, r.candid).toBeDefined();
        expect([r.objectId, r.night, r.predicted]).toEqual([a!.objectId, a!.night, a!.predicted]);
        expect(Math.abs(Number(r.p_galactic) - Number(a!.p_galactic))).toBeLessThan(1e-6);
        expect(Math.abs(Number(r.p_not_galactic) - Number(a!.p_not_galactic))).toBeLessThan(1e-6);
        distinct.add(Number(r.p_galactic).toFixed(4));
      }
      // A model that gives everyone the same score would prove nothing.
      expect(distinct.size).toBeGreaterThan(5);
    });
  }

  it('--night keeps that night; a model of another feature set is refused naming the file and field', () => {
    py([script, '--model', f('hgb.onnx'), '--night', '2021-11-22', '--out', f('night.csv'), ...parquets]);
    const rows = readCsv(f('night.csv'));
    const want = (db.prepare("SELECT COUNT(*) AS n FROM alerts WHERE night = '2021-11-22'").get() as { n: number }).n;
    expect(rows.length).toBe(want);
    expect(rows.every((r) => r.night === '2021-11-22')).toBe(true);
    const fs9 = withMeta(f('hgb.onnx'), 'finkvra.feature_set', 'fs9', f('fs9.onnx'));
    const r = spawnSync(python, [script, '--model', fs9, '--out', f('x.csv'), parquets[0]], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${fs9}: field finkvra.feature_set: this script computes feature set fs1 only`);
  });
});
