/**
 * resources/python/score_fink.py, the deployment script, run on the real Fink parquet files: its features (both sets,
 * ebv from the bundled dust map as a default store has it) equal the store's bit for bit, and its probabilities equal
 * `finkvra score`'s on the same ONNX models (seed and extended sets), models that use ebv. Needs python3 with
 * onnxruntime, pyarrow and numpy: FINKVRA_PYTHON, else .venv-py/bin/python in the checkout (what .ci/run makes);
 * skips with the reason printed otherwise.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerIngest } from '../../core/cli/commands/ingest.js';
import { registerScore } from '../../core/cli/commands/score.js';
import { registerTrain } from '../../core/cli/commands/train.js';
import { EXTENDED_FEATURE_NAMES } from '../../core/features/names.js';
import { openStore, type Db } from '../../core/store/database.js';
import { loadFeatureMatrix } from '../../core/store/features.js';
import { setLabel } from '../../core/store/labels.js';
import { FINK_ZTF, HAS_SHARED } from '../helpers/shared-data.js';
import { addMeta, dropMeta, withMeta } from './helpers.js';
import { cliRunner } from '../helpers/cli.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const script = join(repo, 'resources/python/score_fink.py');
const bundled = join(repo, 'resources/dust/dust_ebv_SFD_healpix_lowres.fits');
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
  const run = cliRunner(dbPath, f('home'), registerIngest, registerTrain, registerScore);

  beforeAll(async () => {
    await run('ingest', '--no-cutouts', FINK_ZTF);
    db = openStore(dbPath);
    // Labels from a rule on several features, ebv among them, so that the trees split on many of them.
    const m = loadFeatureMatrix(db);
    const at = (i: number, name: string) => m.X[i * m.d + m.names.indexOf(name)];
    const ebvs = Array.from({ length: m.n }, (_, i) => at(i, 'ebv')).sort((a, b) => a - b);
    const ebvMedian = ebvs[m.n >> 1];
    for (let i = 0; i < m.n; i += 2) {
      const gal = (at(i, 'dets_median') > 18.5 !== (at(i, 'ndets') > 8) || at(i, 'amplitude_g') > 0.5) !== at(i, 'ebv') > ebvMedian;
      setLabel(db, m.candids[i], gal ? 'gal' : 'extragal');
    }
    for (const engine of ['hgb', 'hrf']) {
      await run('train', '--engine', engine, '--folds', '2', '--repeats', '1', '--onnx', f(`${engine}.onnx`));
    }
    await run('train', '--engine', 'hgb', '--features', 'extended', '--folds', '2', '--repeats', '1', '--onnx', f('ext.onnx'));
  }, 300_000);
  afterAll(() => db?.close());

  /**
   * Features computed through sin/cos/atan2: Python's libm and V8's may round the last bit differently, so these are
   * compared within 1e-12 (relative) when not equal; every other feature must be equal bit for bit.
   */
  const TRIG = new Set(['ebv', 'gal_b']);

  /** The script's features of every parquet alert (ebv from the bundled map, as its command line does by default). */
  function pythonFeatures(): Map<string, Record<string, number>> {
    const code = [
      'import sys',
      "sys.path.insert(0, 'resources/python')",
      'import score_fink as s',
      'from sfd_healpix import HealpixMap',
      'dust = HealpixMap(s.BUNDLED_DUST)',
      'for cid, oid, night, f in s.read_alerts(sys.argv[1:], dust=dust):',
      "    print(cid, ' '.join(f'{k}={v!r}' for k, v in f.items()))",
    ].join('\n');
    const out = new Map<string, Record<string, number>>();
    for (const line of py(['-c', code, ...parquets]).trim().split('\n')) {
      const [candid, ...kv] = line.split(' ');
      out.set(candid, Object.fromEntries(kv.map((s) => s.split('=')).map(([k, v]) => [k, v === 'nan' ? NaN : Number(v)])));
    }
    return out;
  }

  for (const set of ['seed', 'extended'] as const) {
    it(`${set} set: computes every feature of every parquet alert exactly as the store holds it, ebv included`, () => {
      const got = pythonFeatures();
      const m = loadFeatureMatrix(db, { featureSet: set });
      expect(m.d).toBe(set === 'seed' ? 21 : 33);
      // The store also holds the folder's avro alerts; the script reads the parquet files.
      expect(got.size).toBe(366);
      const row = new Map(m.candids.map((c, i) => [c, i]));
      let compared = 0;
      let exact = 0;
      for (const [candid, g] of got) {
        const i = row.get(candid);
        expect(i, candid).toBeDefined();
        m.names.forEach((name, j) => {
          const want = m.X[i! * m.d + j];
          if (!TRIG.has(name) || g[name] === want) {
            expect(g[name], `${candid} ${name}`).toBe(want);
            exact++;
          } else expect(Math.abs(g[name] - want), `${candid} ${name}`).toBeLessThanOrEqual(1e-12 * Math.abs(want));
          compared++;
        });
      }
      expect(compared).toBe(366 * m.d);
      console.log(`[python features ${set}] ${exact} of ${compared} values bit for bit`);
      // ebv is there for every alert of a default store: a script that left it missing would fail above.
      const ebv = m.names.indexOf('ebv');
      expect([...got.keys()].every((c) => m.X[row.get(c)! * m.d + ebv] > 0)).toBe(true);
    });
  }

  for (const engine of ['hgb', 'hrf', 'ext']) {
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
    expect(r.stderr).toContain(`${fs9}: field finkvra.feature_set: this script computes feature sets fs1, fx1, ls1 only`);
  });

  it('gives the same features from the values a Spark pandas UDF hands over (numpy scalars, arrays of dicts)', () => {
    const code = [
      'import sys, math',
      "sys.path.insert(0, 'resources/python')",
      'import numpy as np, pyarrow.parquet as pq',
      'import score_fink as s, fink_features as ff',
      'from sfd_healpix import HealpixMap',
      'dust = HealpixMap(s.BUNDLED_DUST)',
      'plain = {c: f for c, _, _, f in s.read_alerts(sys.argv[1:], dust=dust)}',
      'def np_scalars(d): return None if d is None else {k: (np.float64(v) if isinstance(v, float) else v) for k, v in d.items()}',
      'n = same = 0',
      'for path in sys.argv[1:]:',
      "    cols = [c for c in ['candid', 'candidate', 'prv_candidates', 'lc_features_g', 'lc_features_r'] if c in pq.read_schema(path).names]",
      '    for r in pq.read_table(path, columns=cols).to_pylist():',
      "        r = {c: r.get(c) for c in ['candid', 'candidate', 'prv_candidates', 'lc_features_g', 'lc_features_r']}",
      "        r['candid'] = r['candid'] if r['candid'] is not None else r['candidate']['candid']",
      "        prv = None if r['prv_candidates'] is None else np.array([np_scalars(p) for p in r['prv_candidates']] + [None], dtype=object)[:-1]",
      "        f = ff.alert_features(np_scalars(r['candidate']), prv, None, np_scalars(r['lc_features_g']), np_scalars(r['lc_features_r']), dust=dust)",
      "        want = plain.get(str(r['candid']))",
      '        if want is None: continue',
      '        n += 1',
      "        same += all((a == b) or (math.isnan(a) and math.isnan(b)) for k, (a, b) in ((k, (f[k], want[k])) for k in want if k != 'sep_arcsec'))",
      'print(n, same)',
    ].join('\n');
    const [n, same] = py(['-c', code, ...parquets]).trim().split(' ').map(Number);
    expect(n).toBeGreaterThanOrEqual(366);
    expect(same).toBe(n);
  });

  /** Largest |P(galactic)| difference between the script's CSV and finkvra score's. */
  async function maxDiffToApp(model: string, ...extra: string[]): Promise<number> {
    await run('score', '--model', model, '--out', f('app.csv'));
    py([script, '--model', model, '--out', f('py.csv'), ...extra, ...parquets]);
    const app = new Map(readCsv(f('app.csv')).map((r) => [r.candid, Number(r.p_galactic)]));
    return Math.max(...readCsv(f('py.csv')).map((r) => Math.abs(Number(r.p_galactic) - app.get(r.candid)!)));
  }

  it('a missing ebv is caught: with --dust none the probabilities differ from finkvra score by far more than 1e-6', async () => {
    for (const name of ['hgb', 'ext']) {
      // Without the export's dust-map record (an older export), so that nothing but the comparison can catch it.
      const model = dropMeta(f(`${name}.onnx`), 'finkvra.dust_map', f(`${name}-norecord.onnx`));
      expect(await maxDiffToApp(model), name).toBeLessThan(1e-6);
      expect(await maxDiffToApp(model, '--dust', 'none'), name).toBeGreaterThan(1e-3);
    }
    // With the record (this export's), the script refuses the wrong map outright.
    const r = spawnSync(python, [script, '--model', f('hgb.onnx'), '--dust', 'none', '--out', f('x.csv'), parquets[0]], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('field finkvra.dust_map: the model was trained with dust map sha256:');
  });

  it('refuses a model that reads a feature the script does not know, naming the file, field and feature', () => {
    const names = JSON.stringify([...EXTENDED_FEATURE_NAMES.slice(0, -1), 'peak_mag_g']);
    const odd = withMeta(f('ext.onnx'), 'finkvra.feature_names', names, f('odd.onnx'));
    const r = spawnSync(python, [script, '--model', odd, '--out', f('x.csv'), parquets[0]], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${odd}: field finkvra.feature_names: feature 33 (peak_mag_g) is not one of feature set fx1's`);
    const long = JSON.stringify([...EXTENDED_FEATURE_NAMES.slice(0, -1), 'a name; with <text> from the file']);
    const quoted = withMeta(f('ext.onnx'), 'finkvra.feature_names', long, f('quoted.onnx'));
    const q = spawnSync(python, [script, '--model', quoted, '--out', f('x.csv'), parquets[0]], { encoding: 'utf8' });
    expect(q.stderr).toContain('feature 33 (an unreadable value) is not one of');
    expect(q.stderr).not.toContain('<text>');
    const notList = withMeta(f('ext.onnx'), 'finkvra.feature_names', '{"a": 1}', f('notlist.onnx'));
    const n = spawnSync(python, [script, '--model', notList, '--out', f('x.csv'), parquets[0]], { encoding: 'utf8' });
    expect(n.stderr).toContain(`${notList}: field finkvra.feature_names is not a JSON list of names`);
    expect(n.stderr).not.toContain('Traceback');
  });

  it('says which dust map it used; follows finkvra.dust_map, which the export records for a default store', () => {
    const sha = createHash('sha256').update(readFileSync(bundled)).digest('hex');
    const said = py([script, '--model', f('hgb.onnx'), '--out', f('x.csv'), parquets[0]]);
    expect(said).toContain(`ebv from ${bundled} (HEALPix NSIDE 64): as the model's metadata records`);
    const older = dropMeta(f('hgb.onnx'), 'finkvra.dust_map', f('older.onnx'));
    expect(py([script, '--model', older, '--out', f('x.csv'), parquets[0]])).toContain(
      `ebv from ${bundled} (HEALPix NSIDE 64): the model's metadata does not record its dust map`,
    );
    const same = addMeta(older, 'finkvra.dust_map', `sha256:${sha}`, f('same.onnx'));
    expect(py([script, '--model', same, '--out', f('x.csv'), parquets[0]])).toContain("as the model's metadata records");
    const none = withMeta(f('hgb.onnx'), 'finkvra.dust_map', 'none', f('none.onnx'));
    const r = spawnSync(python, [script, '--model', none, '--out', f('x.csv'), parquets[0]], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${none}: field finkvra.dust_map: the model was trained with dust map none, not sha256:${sha}`);
    expect(py([script, '--model', none, '--dust', 'none', '--out', f('x.csv'), parquets[0]])).toContain('ebv missing (--dust none)');
    const bad = spawnSync(python, [script, '--model', f('hgb.onnx'), '--dust', script, '--out', f('x.csv'), parquets[0]], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain(`dust map ${script}: not a FITS file`);
    const folder = spawnSync(python, [script, '--model', f('hgb.onnx'), '--dust', dir, '--out', f('x.csv'), parquets[0]], { encoding: 'utf8' });
    expect(folder.stderr).toContain(`dust map ${dir}: a folder: this script reads a HEALPix map file`);
  });
});
