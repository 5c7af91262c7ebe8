/**
 * resources/python/score_fink.py with a model of the lsst set (ls1): on a generated LSST night (schema 10.0), on the
 * same alerts rewritten by pyarrow in Fink's 7.4 and 9.0 layouts and with each alert's own diaSource repeated in
 * prvDiaSources, and on the 25 real LSSTCam alerts, its features equal the store's (bit for bit, but gal_b and ebv
 * within 1e-12 relative) and its CSV equals `finkvra score`'s (ids, objects and nights exactly, probabilities within
 * 1e-6). It refuses a ZTF file for an LSST model and an LSST file for a ZTF model. Needs python3 with onnxruntime,
 * pyarrow and numpy (FINKVRA_PYTHON, else .venv-py/bin/python); skips with the reason printed otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerScore } from '../../core/cli/commands/score.js';
import { registerTrain } from '../../core/cli/commands/train.js';
import { loadDustMap } from '../../core/features/dust.js';
import { FEATURE_NAMES, LSST_SET_VERSION } from '../../core/features/names.js';
import { bundledDustMapPath } from '../../core/ingest/dust-choice.js';
import { ingestFiles } from '../../core/ingest/ingest.js';
import { generateLsstNight } from '../../core/sample/lsst/write.js';
import { writeSampleNight } from '../../core/sample/write.js';
import { openStore, type Db } from '../../core/store/database.js';
import { loadFeatureMatrix } from '../../core/store/features.js';
import { setLabel } from '../../core/store/labels.js';
import { isLabel } from '../../core/labels.js';
import { LSST_FEATURE_NAMES } from '../../core/surveys/lsst/features.js';
import { HAS_LSST, LSST_REAL } from '../helpers/lsst-store.js';
import { SHARED_DATA } from '../helpers/shared-data.js';
import { cliRunner } from '../helpers/cli.js';
import { withMeta } from './helpers.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const script = join(repo, 'resources/python/score_fink.py');
const python = process.env.FINKVRA_PYTHON ?? join(repo, '.venv-py/bin/python');
const TEMPLATES = { '7.4': `${SHARED_DATA}/fink-lsst/schema_lsst.v7_4_empty.parquet`, '9.0': `${SHARED_DATA}/fink-lsst/schema_lsst.v9_0_empty.parquet` };

function pythonSkipReason(): string | null {
  if (!existsSync(python)) return `no Python at ${python} (set FINKVRA_PYTHON, or run .ci/run's venv line)`;
  const r = spawnSync(python, ['-c', 'import onnxruntime, pyarrow, numpy'], { encoding: 'utf8' });
  if (r.status !== 0) return `${python} lacks onnxruntime, pyarrow or numpy`;
  return null;
}
const skip = pythonSkipReason();
if (skip) console.warn(`[python deployment script, LSST] skipped: ${skip}`);
const sharedSkip = HAS_LSST ? null : `${LSST_REAL} is absent (real Fink LSST data lives in ../shared/data)`;
if (!skip && sharedSkip) console.warn(`[python deployment script, LSST] real-file and 7.4/9.0 layout parts skipped: ${sharedSkip}`);

type Row = Record<string, string>;
const readCsv = (f: string): Row[] => parse(readFileSync(f), { columns: true }) as Row[];

function py(args: string[]): string {
  const r = spawnSync(python, args, { encoding: 'utf8', cwd: repo, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

/** The script's ls1 features of every alert of `file` (ebv from the bundled map, as its command line by default). */
function pythonFeatures(file: string): Map<string, Record<string, number>> {
  const code = [
    'import sys',
    "sys.path.insert(0, 'resources/python')",
    'import score_fink as s',
    'from sfd_healpix import HealpixMap',
    'dust = HealpixMap(s.BUNDLED_DUST)',
    'for cid, oid, night, f in s.read_lsst_alerts(sys.argv[1:], dust=dust):',
    "    print(cid, ' '.join(f'{k}={v!r}' for k, v in f.items()))",
  ].join('\n');
  const out = new Map<string, Record<string, number>>();
  for (const line of py(['-c', code, file]).trim().split('\n')) {
    const [candid, ...kv] = line.split(' ');
    out.set(candid, Object.fromEntries(kv.map((t) => t.split('=')).map(([k, v]) => [k, v === 'nan' ? NaN : Number(v)])));
  }
  return out;
}

/**
 * Rewrites `src` with pyarrow: each alert's own diaSource appended to its prvDiaSources (`dup`), and/or every row cast
 * to the layout of a Fink schema template (fields it lacks dropped, fields it has that the rows lack null). Prints
 * how many alerts got their own source repeated.
 */
function rewrite(src: string, dst: string, opts: { dup?: boolean; template?: string }): number {
  const code = [
    'import sys, pyarrow as pa, pyarrow.parquet as pq',
    'src, dst, dup, template = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]',
    'rows = pq.read_table(src).to_pylist()',
    'n = 0',
    'for r in rows:',
    '    if dup and r["prvDiaSources"] is not None:',
    '        r["prvDiaSources"] = r["prvDiaSources"] + [dict(r["diaSource"])]',
    '        n += 1',
    'schema = pq.read_schema(template) if template else pq.read_schema(src)',
    'def fit(v, t):',
    '    if v is None: return None',
    '    if pa.types.is_struct(t): return {t.field(k).name: fit(v.get(t.field(k).name), t.field(k).type) for k in range(t.num_fields)}',
    '    if pa.types.is_list(t): return [fit(e, t.value_type) for e in v]',
    '    return v',
    'out = [{f.name: fit(r.get(f.name), f.type) for f in schema} for r in rows]',
    'pq.write_table(pa.Table.from_pylist(out, schema=schema), dst)',
    'print(n)',
  ].join('\n');
  return Number(py(['-c', code, src, dst, opts.dup ? '1' : '0', opts.template ?? '']).trim());
}

/** Features computed through sin/cos/atan2 (libm and V8 may round the last bit apart): within 1e-12 relative. */
const TRIG = new Set(['ebv', 'gal_b']);

/** Every store alert's ls1 features equal the script's; returns how many values were bit for bit and compared. */
function expectSameFeatures(db: Db, got: Map<string, Record<string, number>>): { exact: number; compared: number } {
  const m = loadFeatureMatrix(db, { version: LSST_SET_VERSION });
  expect(m.names).toEqual([...LSST_FEATURE_NAMES]);
  expect(got.size).toBe(m.n);
  let exact = 0;
  let compared = 0;
  m.candids.forEach((candid, i) => {
    const g = got.get(candid);
    expect(g, candid).toBeDefined();
    expect(Object.keys(g!)).toEqual(m.names);
    m.names.forEach((name, j) => {
      const want = m.X[i * m.d + j];
      if (!TRIG.has(name) || Object.is(g![name], want)) {
        expect(g![name], `${candid} ${name}`).toBe(want);
        exact++;
      } else expect(Math.abs(g![name] - want), `${candid} ${name}`).toBeLessThanOrEqual(1e-12 * Math.abs(want));
      compared++;
    });
  });
  return { exact, compared };
}

describe.skipIf(skip !== null)('the Python deployment script on Rubin/LSST alerts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vra-py-lsst-'));
  const f = (name: string) => join(dir, name);
  const night = f('night.parquet');
  const dust = loadDustMap(bundledDustMapPath());
  let db: Db;
  const stores: Db[] = [];
  const run = cliRunner(f('store.sqlite'), f('home'), registerTrain, registerScore);

  /** A new store holding `file`, ingested with the bundled dust map (a default store's). */
  async function storeOf(file: string, name: string): Promise<Db> {
    const s = openStore(f(`${name}.sqlite`));
    stores.push(s);
    const r = await ingestFiles(s, [file], { withCutouts: false, dust, stagingDir: dir });
    expect(r.failed, JSON.stringify(r.files)).toBe(0);
    return s;
  }

  beforeAll(async () => {
    const written = await generateLsstNight({ out: night, seed: 12, alerts: 400, night: '2026-03-14', withCutouts: false });
    db = openStore(f('store.sqlite'));
    const r = await ingestFiles(db, [night], { withCutouts: false, dust, stagingDir: dir });
    expect(r.newAlerts).toBe(written.nAlerts);
    // Labels from the generator's truth, every other alert ('sso' is not a label).
    written.truth.forEach((t, i) => {
      if (i % 2 === 0 && isLabel(t.label)) setLabel(db, t.candid, t.label);
    });
    await run('train', '--engine', 'hgb', '--features', 'lsst', '--folds', '2', '--repeats', '1', '--onnx', f('l.onnx'));
    await run('train', '--engine', 'hrf', '--features', 'lsst', '--folds', '2', '--repeats', '1', '--onnx', f('lrf.onnx'));
  }, 300_000);
  afterAll(() => [db, ...stores].forEach((s) => s?.close()));

  it('computes every ls1 feature of every generated alert exactly as the store holds it', () => {
    const { exact, compared } = expectSameFeatures(db, pythonFeatures(night));
    expect(compared).toBe(400 * LSST_FEATURE_NAMES.length);
    console.log(`[python lsst features, generated] ${exact} of ${compared} values bit for bit`);
    // The night has multi-band histories and forced photometry, so the per-band statistics are exercised.
    const m = loadFeatureMatrix(db, { version: LSST_SET_VERSION });
    const col = (name: string) => Array.from({ length: m.n }, (_, i) => m.X[i * m.d + m.names.indexOf(name)]);
    expect(col('ndet').filter((v) => v >= 3).length).toBeGreaterThan(50);
    expect(col('nforced').filter((v) => v > 0).length).toBeGreaterThan(50);
    expect(col('flux_std_r').filter((v) => v > 0).length).toBeGreaterThan(20);
  });

  it("counts a previous source with the alert's own diaSourceId once, as the app does", async () => {
    const dup = f('dup.parquet');
    const repeated = rewrite(night, dup, { dup: true });
    expect(repeated).toBeGreaterThan(100);
    const s = await storeOf(dup, 'dup');
    expectSameFeatures(s, pythonFeatures(dup));
    // Counted once: the same features as without the repeat.
    expectSameFeatures(db, pythonFeatures(dup));
  });

  for (const [version, template] of Object.entries(TEMPLATES)) {
    it.skipIf(sharedSkip !== null)(`reads the same alerts in Fink's ${version} layout as the app does`, async () => {
      const file = f(`v${version}.parquet`);
      rewrite(night, file, { template });
      const s = await storeOf(file, `v${version}`);
      const got = pythonFeatures(file);
      expectSameFeatures(s, got);
      // Not vacuous: the layout changes values (its fluxes are float32) yet keeps the counts.
      const base = pythonFeatures(night);
      const changed = [...got].filter(([c, g]) => g.flux_median_r !== base.get(c)!.flux_median_r && !Number.isNaN(g.flux_median_r));
      expect(changed.length).toBeGreaterThan(0);
      expect([...got].every(([c, g]) => g.ndet === base.get(c)!.ndet && g.nforced === base.get(c)!.nforced)).toBe(true);
    });
  }

  it.skipIf(sharedSkip !== null)("takes Fink's empty 7.4, 9.0 and 10.0 templates (no rows: a CSV with its header only)", () => {
    const templates = [...Object.values(TEMPLATES), `${SHARED_DATA}/fink-lsst/schema_lsst.v10_0_empty.parquet`];
    const said = py([script, '--model', f('l.onnx'), '--out', f('empty.csv'), ...templates]);
    expect(said).toContain('scored 0 alerts (ls1)');
    expect(readFileSync(f('empty.csv'), 'utf8').trim()).toBe('candid,objectId,night,p_not_galactic,p_galactic,predicted');
  });

  for (const model of ['l', 'lrf']) {
    it(`${model}: its CSV equals finkvra score's (exact ids, objects, nights; probabilities within 1e-6)`, async () => {
      await run('score', '--model', f(`${model}.onnx`), '--out', f(`${model}-app.csv`));
      const said = py([script, '--model', f(`${model}.onnx`), '--out', f(`${model}-py.csv`), night]);
      expect(said).toContain('scored 400 alerts (ls1)');
      const app = new Map(readCsv(f(`${model}-app.csv`)).map((r) => [r.candid, r]));
      const got = readCsv(f(`${model}-py.csv`));
      expect(got.length).toBe(400);
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
      // ids above 2^53 (exact only as text), solar-system objects named by their ssObjectId, one dayObs.
      expect(got.every((r) => BigInt(r.candid) > 2n ** 53n)).toBe(true);
      expect(got.some((r) => r.objectId.startsWith('ss:'))).toBe(true);
      expect(new Set(got.map((r) => r.night))).toEqual(new Set(['2026-03-14']));
      expect(distinct.size).toBeGreaterThan(5);
    });
  }

  it('--night keeps the alerts of that dayObs', () => {
    py([script, '--model', f('l.onnx'), '--night', '2026-03-14', '--out', f('n.csv'), night]);
    expect(readCsv(f('n.csv')).length).toBe(400);
    py([script, '--model', f('l.onnx'), '--night', '2026-03-15', '--out', f('n.csv'), night]);
    expect(readCsv(f('n.csv')).length).toBe(0);
  });

  it('gives the same features from the values a Spark pandas UDF hands over (numpy scalars, arrays of dicts)', () => {
    const dup = f('udf-dup.parquet');
    rewrite(night, dup, { dup: true });
    const code = [
      'import sys, math',
      "sys.path.insert(0, 'resources/python')",
      'import numpy as np, pyarrow.parquet as pq',
      'import score_fink as s, lsst_features as lf',
      'from sfd_healpix import HealpixMap',
      'dust = HealpixMap(s.BUNDLED_DUST)',
      'def np_value(v):',
      '    if isinstance(v, bool) or not isinstance(v, (int, float)): return v',
      '    return np.int64(v) if isinstance(v, int) else np.float64(v)',
      'def np_scalars(d): return None if d is None else {k: np_value(v) for k, v in d.items()}',
      'def np_list(xs): return None if xs is None else np.array([np_scalars(p) for p in xs] + [None], dtype=object)[:-1]',
      'n = same = 0',
      'for path in sys.argv[1:]:',
      '    plain = {c: f for c, _, _, f in s.read_lsst_alerts([path], dust=dust)}',
      "    for r in pq.read_table(path, columns=['diaSource', 'prvDiaSources', 'prvDiaForcedSources', 'diaObject']).to_pylist():",
      "        f = lf.lsst_alert_features(np_scalars(r['diaSource']), np_list(r['prvDiaSources']), np_list(r['prvDiaForcedSources']), np_scalars(r['diaObject']), dust=dust)",
      "        want = plain[str(r['diaSource']['diaSourceId'])]",
      '        n += 1',
      '        same += list(f) == list(want) and all((a == b) or (math.isnan(a) and math.isnan(b)) for a, b in ((f[k], want[k]) for k in want))',
      'print(n, same)',
    ].join('\n');
    const [n, same] = py(['-c', code, night, dup, ...(sharedSkip ? [] : [LSST_REAL])]).trim().split(' ').map(Number);
    expect(n).toBe(sharedSkip ? 800 : 825);
    expect(same).toBe(n);
  });

  describe.skipIf(sharedSkip !== null)('the 25 real LSSTCam alerts', () => {
    it('computes their features as the store holds them, and scores them as finkvra score does', async () => {
      const s = await storeOf(LSST_REAL, 'real');
      const { exact, compared } = expectSameFeatures(s, pythonFeatures(LSST_REAL));
      expect(compared).toBe(25 * LSST_FEATURE_NAMES.length);
      console.log(`[python lsst features, real] ${exact} of ${compared} values bit for bit`);
      await run('score', '--model', f('l.onnx'), '--out', f('real-app.csv'), LSST_REAL);
      py([script, '--model', f('l.onnx'), '--out', f('real-py.csv'), LSST_REAL]);
      const app = new Map(readCsv(f('real-app.csv')).map((r) => [r.candid, r]));
      const got = readCsv(f('real-py.csv'));
      expect(got.length).toBe(25);
      for (const r of got) {
        const a = app.get(r.candid);
        expect(a, r.candid).toBeDefined();
        expect([r.objectId, r.night, r.predicted]).toEqual([a!.objectId, a!.night, a!.predicted]);
        expect(Math.abs(Number(r.p_galactic) - Number(a!.p_galactic))).toBeLessThan(1e-6);
      }
      expect(got.filter((r) => r.objectId.startsWith('ss:')).length).toBe(3);
    });
  });

  it('refuses a ZTF file for an LSST model, and an LSST file for a ZTF model, naming the file and field', async () => {
    const ztf = f('ztf.parquet');
    await writeSampleNight(ztf, { seed: 3, nAlerts: 20, night: '2025-06-14', cutouts: 'small' });
    const r = spawnSync(python, [script, '--model', f('l.onnx'), '--out', f('x.csv'), ztf], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${ztf}: field diaSource: missing: not a Fink LSST alert file (a ZTF alert file: it has candidate); the model scores Rubin/LSST alerts`);
    expect(r.stderr).not.toContain('Traceback');
    // A ZTF model: the lsst export relabelled as a seed-set ZTF model (it is refused before the model runs).
    const seedNames = JSON.stringify(FEATURE_NAMES);
    const z = withMeta(withMeta(withMeta(f('l.onnx'), 'finkvra.feature_set', 'fs1', f('z1.onnx')), 'finkvra.survey', 'ztf', f('z2.onnx')), 'finkvra.feature_names', seedNames, f('z.onnx'));
    const q = spawnSync(python, [script, '--model', z, '--out', f('x.csv'), night], { encoding: 'utf8' });
    expect(q.status).not.toBe(0);
    expect(q.stderr).toContain(`${night}: column candidate/objectId is missing (a Rubin/LSST alert file: it has diaSource); the model scores ZTF alerts`);
    // A model whose survey does not match its feature set.
    const mixed = withMeta(f('l.onnx'), 'finkvra.survey', 'ztf', f('mixed.onnx'));
    const w = spawnSync(python, [script, '--model', mixed, '--out', f('x.csv'), night], { encoding: 'utf8' });
    expect(w.status).not.toBe(0);
    expect(w.stderr).toContain(`${mixed}: field finkvra.survey: feature set ls1 is of lsst alerts, the metadata names ztf`);
  });

  it('refuses ids that cannot be exact and a file that is not parquet, naming the file and field', () => {
    const code = [
      'import sys, pyarrow as pa, pyarrow.parquet as pq',
      "src = {'diaSourceId': 169813006680588318.0, 'midpointMjdTai': 61041.2, 'ra': 1.0, 'dec': 2.0, 'band': 'i', 'psfFlux': 5.0}",
      'pq.write_table(pa.Table.from_pylist([{"diaSource": src}]), sys.argv[1])',
    ].join('\n');
    py(['-c', code, f('float-ids.parquet')]);
    const r = spawnSync(python, [script, '--model', f('l.onnx'), '--out', f('x.csv'), f('float-ids.parquet')], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${f('float-ids.parquet')}: field diaSource.diaSourceId: row 0: stored as a floating-point number`);
    const t = spawnSync(python, [script, '--model', f('l.onnx'), '--out', f('x.csv'), script], { encoding: 'utf8' });
    expect(t.status).not.toBe(0);
    expect(t.stderr).toContain(`${script}: not a readable parquet file`);
    expect(t.stderr).not.toContain('Traceback');
  });
});
