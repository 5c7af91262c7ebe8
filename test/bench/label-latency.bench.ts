/**
 * Labelling-loop benchmark: the cost of one `labels.set` (label written + loop state rebuilt) through the service's
 * dispatch, as the store grows. Stores are synthetic (alerts with features written directly, labels imported through
 * importLabelsCsv, a few human labels, skips and undos), in three states:
 *   round   — a round with scores proposed, its batch being labelled (the usual case);
 *   round0  — round 0's random pick, labelled after an import of N labels;
 *   none    — no round yet and nothing left in the pool (every alert labelled): relabelling.
 * Then each piece of the state is timed alone: the whole-store reads of the old state (labelMap, skippedCandids,
 * countedLabels, busiestPoolNight) next to the batch-only reads that replaced them.
 *
 *   node --import tsx test/bench/label-latency.bench.ts [--labels 100] [--big]
 * --big adds a store of 100,000 labels.
 */
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { dispatch } from '../../core/api/dispatch.js';
import { openService } from '../../core/api/service.js';
import { DEFAULT_CLASS_MAPS, LABELS, type Label } from '../../core/labels.js';
import { busiestPoolNight, countedLabels } from '../../core/loop/pool.js';
import { latestRound, recordRound, roundProposals } from '../../core/loop/rounds.js';
import { coldStartSuperseded, loopState } from '../../core/loop/state.js';
import * as labelStore from '../../core/store/labels.js';
import type { Db } from '../../core/store/database.js';
import { addAlerts, cid, makeStore } from '../loop/fixture.js';

const args = process.argv.slice(2);
const nSet = Number(args[args.indexOf('--labels') + 1]) || 100;
const sizes = args.includes('--big') ? [0, 2_000, 20_000, 100_000] : [0, 2_000, 20_000];
type Scenario = 'round' | 'round0' | 'none';
const BATCH = nSet + 100;

const labelOf = (i: number): Label => LABELS[(i * 7) % LABELS.length];

/** A store of n imported labels (n alerts) plus `BATCH` unlabelled alerts, with a little human history. */
function buildStore(n: number, scenario: Scenario): { dbPath: string; dir: string; batch: string[] } {
  const extra = scenario === 'none' ? 0 : BATCH;
  const { db, dbPath, dir } = makeStore([]);
  const nights = ['2021-11-20', '2021-11-21', '2021-11-22'];
  for (let start = 0; start < n + extra; start += 10_000) {
    const end = Math.min(n + extra, start + 10_000);
    addAlerts(
      db,
      Array.from({ length: end - start }, (_, k) => ({ candid: cid(start + k), objectId: `ZTF21b${start + k}`, night: nights[(start + k) % 3], ndets: 2 })),
    );
  }
  const rows = Array.from({ length: n }, (_, i) => `${cid(i)},ZTF21b${i},${labelOf(i)},2021-11-25T00:00:00Z`);
  labelStore.importLabelsCsv(db, ['candid,objectId,label,timestamp', ...rows].join('\n'));
  // Human history on part of the labelled set: relabels, skips, undos (what the old whole-store reads walk).
  for (let i = 0; i < Math.min(n, 500); i += 5) {
    labelStore.setLabel(db, cid(i), labelOf(i + 1));
    labelStore.skipAlert(db, cid(i + 1));
    if (i % 10 === 0) labelStore.undoLast(db);
  }
  const batch = Array.from({ length: extra }, (_, k) => cid(n + k));
  if (scenario !== 'none') {
    const round0 = scenario === 'round0';
    recordRound(db, {
      task: 'gal',
      round: round0 ? 0 : 1,
      strategy: round0 ? 'random' : 'uncertainty',
      runId: null,
      night: nights[0],
      nTrain: round0 ? 0 : n,
      warnings: [],
      batchSize: BATCH,
      proposals: batch.map((c, k) => ({ candid: c, prob: round0 ? null : 0.5 + k / (4 * BATCH), score: round0 ? null : k, reason: 'bench' })),
    });
  }
  db.close();
  return { dbPath, dir, batch };
}

const quantile = (sorted: number[], f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))];
const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p95: quantile(s, 0.95), max: s[s.length - 1] };
};
const fmt = (x: number) => `${x.toFixed(2)} ms`;

/** Median time of f over `reps` calls. */
function timeIt(f: () => unknown, reps = 15): number {
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    f();
    ms.push(performance.now() - t);
  }
  return stats(ms).p50;
}

/** The loop state's pieces, each alone, on the store as the labelling left it. */
async function pieces(db: Db, batch: string[]): Promise<Record<string, number>> {
  const classMap = DEFAULT_CLASS_MAPS.gal;
  const counted = LABELS.filter((l) => classMap[l] !== null);
  const round = latestRound(db, 'gal');
  const st = loopState(db, 'gal', 'uncertainty', null);
  const out: Record<string, number> = {
    'loopState (whole)': timeIt(() => loopState(db, 'gal', 'uncertainty', null)),
    'old: labelMap (every label)': timeIt(() => labelStore.labelMap(db)),
    'old: skippedCandids (every skip)': timeIt(() => labelStore.skippedCandids(db)),
    'old: countedLabels(labelMap)': timeIt(() => countedLabels(labelStore.labelMap(db), classMap).size),
    roundProposals: round ? timeIt(() => roundProposals(db, round.id)) : 0,
    'coldStartSuperseded (n0 30)': timeIt(() => coldStartSuperseded(db, st, 30)),
    busiestPoolNight: timeIt(() => busiestPoolNight(db), 5),
  };
  // The batch-only reads exist after the fix; the same benchmark runs on the code before it.
  const s = labelStore as unknown as Record<string, ((...a: unknown[]) => unknown) | undefined>;
  const newReads: [string, string, unknown[]][] = [
    ['new: labelsOf(batch)', 'labelsOf', [db, batch]],
    ['new: skippedAmong(batch)', 'skippedAmong', [db, batch]],
    ['new: countLabelledAs (one query)', 'countLabelledAs', [db, counted]],
  ];
  for (const [name, fn, a] of newReads) {
    const f = s[fn];
    if (f) out[name] = timeIt(() => f(...a));
  }
  const tally = await import('../../core/store/label-tally.js').catch(() => null);
  if (tally) {
    // One new label between counts: the cost the loop state pays on each key press.
    const ms: number[] = [];
    for (let i = 0; i < 15; i++) {
      labelStore.setLabel(db, batch[i % batch.length] ?? cid(i), labelOf(i));
      const t = performance.now();
      tally.tallyLabelledAs(db, counted);
      ms.push(performance.now() - t);
    }
    out['new: tallyLabelledAs (one new label)'] = stats(ms).p50;
  }
  return out;
}

async function measure(n: number, scenario: Scenario): Promise<void> {
  const { dbPath, dir, batch } = buildStore(n, scenario);
  const svc = openService({ dbPath, homeDir: join(dir, 'home') });
  try {
    // Round and round0: label the batch in order; none: relabel the first alerts (no batch, no pool).
    const targets = scenario === 'none' ? Array.from({ length: nSet }, (_, i) => cid(i)) : batch.slice(0, nSet);
    const ms: number[] = [];
    for (const [i, candid] of targets.entries()) {
      const t = performance.now();
      await dispatch(svc.handlers, 'labels.set', { candid, label: labelOf(i + 3) });
      ms.push(performance.now() - t);
    }
    if (svc.ctx.jobs.active('round')) throw new Error(`${scenario} ${n}: a round job started; the measurement is not of labelling alone`);
    const s = stats(ms);
    console.log(`\n${scenario.padEnd(6)} ${String(n).padStart(6)} labels: labels.set p50 ${fmt(s.p50)}  p95 ${fmt(s.p95)}  max ${fmt(s.max)}`);
    for (const [k, v] of Object.entries(await pieces(svc.ctx.db, batch))) console.log(`    ${k.padEnd(34)} ${fmt(v)}`);
  } finally {
    await svc.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`labels.set through dispatch, ${nSet} labels per store; ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}`);
for (const scenario of ['round', 'round0', 'none'] as const) {
  for (const n of sizes) {
    if (scenario !== 'round' && n === 0) continue;
    await measure(n, scenario);
  }
}
console.log(`\nload average after: ${loadavg()[0].toFixed(1)}`);
