/**
 * Learning-engine benchmark (npm run bench:learn; or node --import tsx test/bench/learn.bench.ts [--mlrf-max N]
 * [--sizes 30,300,1000,10000] [--pool 100000]).
 * A realistic 22-feature, 2-class synthetic set with NaN (test/fixtures/learn/synthetic.ts alertLike): train at each
 * size, AUC on 2,000 held-out rows, then score a 100k pool with the largest model. Engines: hgb and hrf (ours) and
 * mlrf (ml-random-forest, skipped above --mlrf-max rows with an extrapolated estimate). Where Debian's
 * /usr/bin/python3 has scikit-learn, the same CSVs go through RandomForestClassifier (n_jobs=1, after median
 * imputation: scikit-learn 1.2's forest rejects NaN) and HistGradientBoostingClassifier (OMP_NUM_THREADS=1) in the
 * same run. Prints a markdown table.
 * Times are CPU seconds of the process (Node: process.cpuUsage; Python: time.process_time), single-threaded on both
 * sides: on a shared machine wall time mostly measures the neighbours. Wall seconds are printed in the log too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClassifier, positiveColumn, type Classifier, type EngineName } from '../../core/learn/classifier.js';
import { rocAuc } from '../../core/learn/metrics.js';
import { writeDatasetCsv } from '../fixtures/learn/csv.js';
import { alertLike, sliceRows, type Dataset } from '../fixtures/learn/synthetic.js';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}
const SIZES = arg('sizes', '30,300,1000,10000').split(',').map(Number);
const MLRF_MAX = Number(arg('mlrf-max', '1000'));
const POOL_N = Number(arg('pool', '100000'));
const TEST_N = 2000;
const ENGINES: EngineName[] = ['hgb', 'hrf', 'mlrf'];
const PY = '/usr/bin/python3';
const SKLEARN_SCRIPT = fileURLToPath(new URL('../fixtures/learn/sklearn_ref.py', import.meta.url));

interface Row {
  n: number;
  engine: string;
  /** CPU seconds. */
  fitS: number | null;
  predictS: number | null;
  auc: number | null;
  note?: string;
  /** Extrapolated fit seconds when skipped. */
  estS?: number;
}

interface SkResult {
  fit_s: number;
  fit_cpu_s: number;
  predict_s: number;
  predict_cpu_s: number;
  auc: number;
  pool_predict_s?: number;
  pool_predict_cpu_s?: number;
}

const fmtS = (s: number | null): string => (s == null ? '–' : s < 0.1 ? `${(s * 1000).toFixed(1)} ms` : `${s.toFixed(2)} s`);
const fmtAuc = (a: number | null): string => (a == null ? '–' : a.toFixed(4));

/** Run fn; return its result, CPU seconds and wall seconds. */
function time<T>(fn: () => T): [T, number, number] {
  const t = performance.now();
  const c = process.cpuUsage();
  const r = fn();
  const u = process.cpuUsage(c);
  return [r, (u.user + u.system) / 1e6, (performance.now() - t) / 1000];
}

function sklearnAvailable(): boolean {
  return spawnSync(PY, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;
}

const maxN = Math.max(...SIZES);
const all = alertLike(maxN + TEST_N, 1);
const test = sliceRows(all, maxN, maxN + TEST_N);
const pool = alertLike(POOL_N, 2);
console.log(`learn bench: 22 features, sizes ${SIZES.join(', ')}, held-out ${TEST_N}, pool ${POOL_N}, node ${process.version}`);

// Warm the JIT on a throwaway fit so the n = 30 row measures steady-state code, not compilation.
for (const engine of ['hgb', 'hrf'] as const) {
  const w = sliceRows(all, 0, 300);
  createClassifier({ engine }).fit(w.X, w.n, w.d, w.y);
}

const rows: Row[] = [];
const models = new Map<string, { model: Classifier; n: number }>();
const mlrfTimes: { n: number; s: number }[] = [];

for (const n of SIZES) {
  const train: Dataset = sliceRows(all, 0, n);
  for (const engine of ENGINES) {
    if (engine === 'mlrf' && n > MLRF_MAX) {
      // Extrapolate from the two largest measured sizes (power law in n).
      let note = 'skipped';
      if (mlrfTimes.length >= 2) {
        const [a, b] = mlrfTimes.slice(-2);
        const k = Math.log(b.s / a.s) / Math.log(b.n / a.n);
        const est = b.s * (n / b.n) ** k;
        note = `skipped: would take ~${est > 3600 ? `${(est / 3600).toFixed(1)} h` : `${(est / 60).toFixed(0)} min`} (∝ n^${k.toFixed(2)})`;
        rows.push({ n, engine, fitS: null, predictS: null, auc: null, note, estS: est });
      } else rows.push({ n, engine, fitS: null, predictS: null, auc: null, note });
      console.log(`n=${n} ${engine}: ${note}`);
      continue;
    }
    const spec = { engine, seed: 0 } as const;
    const reps = n <= 1000 && engine !== 'mlrf' ? 3 : 1;
    let best = Infinity;
    let bestWall = Infinity;
    let model: Classifier | null = null;
    for (let r = 0; r < reps; r++) {
      const m = createClassifier(spec);
      const [, s, w] = time(() => m.fit(train.X, train.n, train.d, train.y));
      if (s < best) {
        best = s;
        bestWall = w;
        model = m;
      }
    }
    const [proba, ps, pw] = time(() => model!.predictProba(test.X, test.n));
    const auc = rocAuc(test.y, positiveColumn(proba, test.n));
    if (engine === 'mlrf') mlrfTimes.push({ n, s: best });
    rows.push({ n, engine, fitS: best, predictS: ps, auc });
    models.set(engine, { model: model!, n });
    console.log(`n=${n} ${engine}: fit ${fmtS(best)} CPU (${fmtS(bestWall)} wall), predict ${TEST_N} ${fmtS(ps)} CPU (${fmtS(pw)} wall), AUC ${fmtAuc(auc)}`);
  }
}

const poolRows: Row[] = [];
for (const engine of ENGINES) {
  const entry = models.get(engine);
  if (!entry) continue;
  const [, s, w] = time(() => entry.model.predictProba(pool.X, pool.n));
  poolRows.push({ n: entry.n, engine, fitS: null, predictS: s, auc: null, note: `model trained on ${entry.n}` });
  console.log(`pool ${POOL_N} ${engine} (trained on ${entry.n}): ${fmtS(s)} CPU (${fmtS(w)} wall)`);
}

// scikit-learn, same CSVs, same run.
const sk = new Map<string, SkResult>();
let skNote = '';
if (sklearnAvailable()) {
  const dir = mkdtempSync(join(tmpdir(), 'learn-bench-'));
  try {
    writeDatasetCsv(join(dir, 'test.csv'), test.X, test.n, test.d, test.y);
    writeDatasetCsv(join(dir, 'pool.csv'), pool.X, pool.n, pool.d);
    for (const n of SIZES) {
      const train = sliceRows(all, 0, n);
      writeDatasetCsv(join(dir, `train_${n}.csv`), train.X, train.n, train.d, train.y);
      const args = [SKLEARN_SCRIPT, join(dir, `train_${n}.csv`), join(dir, 'test.csv')];
      if (n === maxN) args.push(join(dir, 'pool.csv'));
      const out = execFileSync(PY, args, { env: { ...process.env, OMP_NUM_THREADS: '1' }, encoding: 'utf8', maxBuffer: 1 << 24 });
      for (const line of out.trim().split('\n')) {
        const r = JSON.parse(line) as SkResult & { model: string };
        sk.set(`${r.model}:${n}`, r);
        console.log(
          `n=${n} ${r.model}: fit ${fmtS(r.fit_cpu_s)} CPU (${fmtS(r.fit_s)} wall), predict ${TEST_N} ${fmtS(r.predict_cpu_s)} CPU, ` +
            `AUC ${fmtAuc(r.auc)}` +
            (r.pool_predict_cpu_s != null ? `, pool ${POOL_N} ${fmtS(r.pool_predict_cpu_s)} CPU (${fmtS(r.pool_predict_s!)} wall)` : ''),
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  skNote = `scikit-learn skipped: ${PY} cannot import sklearn (apt-get install python3-sklearn)`;
  console.log(skNote);
}

// Markdown table (CPU seconds).
const counterpart: Record<string, string> = { hgb: 'sklearn_hgb', hrf: 'sklearn_rf' };
const lines: string[] = [];
lines.push('| n | engine | fit (CPU) | predict 2k (CPU) | held-out AUC | ml-rf fit time / ours | ours / sklearn fit time | ΔAUC vs sklearn |');
lines.push('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const ml = rows.find((x) => x.n === r.n && x.engine === 'mlrf');
  let vsMl = '';
  if (r.engine !== 'mlrf' && r.fitS) {
    if (ml?.fitS) vsMl = `${(ml.fitS / r.fitS).toFixed(0)}× faster`;
    else if (ml?.estS) vsMl = `~${(ml.estS / r.fitS).toFixed(0)}× faster (est.)`;
  }
  const s = counterpart[r.engine] ? sk.get(`${counterpart[r.engine]}:${r.n}`) : undefined;
  const vsSk = s && r.fitS != null ? `${(r.fitS / s.fit_cpu_s).toFixed(2)} (${fmtS(s.fit_cpu_s)})` : '';
  const dAuc = s && r.auc != null ? `${r.auc - s.auc >= 0 ? '+' : ''}${(r.auc - s.auc).toFixed(4)}` : '';
  lines.push(`| ${r.n} | ${r.engine} | ${r.note ?? fmtS(r.fitS)} | ${fmtS(r.predictS)} | ${fmtAuc(r.auc)} | ${vsMl} | ${vsSk} | ${dAuc} |`);
}
for (const n of SIZES) {
  for (const m of ['sklearn_hgb', 'sklearn_rf']) {
    const s = sk.get(`${m}:${n}`);
    if (s) lines.push(`| ${n} | ${m} | ${fmtS(s.fit_cpu_s)} | ${fmtS(s.predict_cpu_s)} | ${fmtAuc(s.auc)} | | | |`);
  }
}
lines.push('');
lines.push(`| predict ${POOL_N.toLocaleString('en')} pool (CPU) | time | ml-rf time / ours | ours / sklearn |`);
lines.push('|---|---|---|---|');
const mlPool = poolRows.find((r) => r.engine === 'mlrf');
for (const r of poolRows) {
  const s = counterpart[r.engine] ? sk.get(`${counterpart[r.engine]}:${maxN}`) : undefined;
  const vsMl = r.engine !== 'mlrf' && mlPool?.predictS && r.predictS ? `${(mlPool.predictS / r.predictS).toFixed(0)}× faster` : '';
  const vsSk =
    s?.pool_predict_cpu_s != null && r.predictS != null ? `${(r.predictS / s.pool_predict_cpu_s).toFixed(2)} (${fmtS(s.pool_predict_cpu_s)})` : '';
  lines.push(`| ${r.engine} (trained on ${r.n}) | ${fmtS(r.predictS)} | ${vsMl} | ${vsSk} |`);
}
lines.push('', 'sklearn_rf: median imputation + RandomForestClassifier(n_estimators=100, n_jobs=1); sklearn_hgb: HistGradientBoostingClassifier(max_iter=100, min_samples_leaf=clamp(n // 10, 1, 20), early_stopping=False; its own l2_regularization 0 and min hessian 1e-3, where our hgb defaults are 1 and 0.5), OMP_NUM_THREADS=1.');
if (skNote) lines.push('', skNote);
console.log('\n' + lines.join('\n'));
