/**
 * The loop state's batch-only reads against the whole-store computations they replace, on a history with every kind
 * of event: relabel, clear, skip, undo (of a label, of a skip, of a clear), import over a human label, weak labels,
 * labels of candids not ingested, held-out alerts and objects.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLASS_MAPS, LABELS, TASKS, type Label } from '../../core/labels.js';
import { markHoldoutCandids, heldOut } from '../../core/loop/holdout.js';
import { busiestPoolNight, countedLabels } from '../../core/loop/pool.js';
import { recordRound } from '../../core/loop/rounds.js';
import { activeBatch, loopState } from '../../core/loop/state.js';
import type { Db } from '../../core/store/database.js';
import {
  addWeakLabel,
  countLabelledAs,
  importLabelsCsv,
  labelMap,
  labelsOf,
  setLabel,
  skipAlert,
  skippedAmong,
  skippedCandids,
  undoLast,
} from '../../core/store/labels.js';
import { cid, makeStore } from './fixture.js';

let db: Db | null = null;
afterEach(() => db?.close());

const N = 40;
const NIGHTS = ['2021-11-20', '2021-11-21', '2021-11-22'];

/** 40 alerts over 3 nights (objects of 2 alerts), with a mixed history on the first 30. */
function busyStore(): Db {
  const d = makeStore(
    Array.from({ length: N }, (_, i) => ({ candid: cid(i), objectId: `ZTF${Math.floor(i / 2)}`, night: NIGHTS[i % 3], ndets: i % 11 === 4 ? 0 : 1 })),
  ).db;
  db = d;
  for (let i = 0; i < 24; i++) setLabel(d, cid(i), LABELS[i % LABELS.length]);
  setLabel(d, cid(1), 'gal'); // relabel
  setLabel(d, cid(2), null); // clear
  setLabel(d, cid(3), 'agn');
  undoLast(d); // undo of a relabel: cid(3) back to its first label
  setLabel(d, cid(2), 'bogus');
  undoLast(d); // undo of a label after a clear: cid(2) unlabelled again
  skipAlert(d, cid(24));
  skipAlert(d, cid(25));
  undoLast(d); // undo of a skip
  skipAlert(d, cid(26));
  skipAlert(d, cid(5)); // a skip of a labelled alert
  setLabel(d, cid(27), 'varstar');
  skipAlert(d, cid(27)); // skipped after a label
  addWeakLabel(d, cid(28), `ZTF14`, 'gal', 'cdsxmatch'); // weak only: not a label
  addWeakLabel(d, cid(6), `ZTF3`, 'extragal', 'cdsxmatch');
  const csv = [
    'candid,objectId,label,timestamp',
    `${cid(7)},ZTF3,varstar,2021-11-25T00:00:00Z`, // import over a human label
    `${cid(29)},ZTF14,extragal,2021-11-25T00:00:00Z`,
    `${cid(900)},ZTF900,gal,2021-11-25T00:00:00Z`, // not ingested
    `${cid(901)},ZTF901,bogus,2021-11-25T00:00:00Z`,
  ].join('\n');
  importLabelsCsv(d, csv);
  setLabel(d, cid(29), 'agn'); // human over an import
  return d;
}

const everyCandid = [...Array.from({ length: N }, (_, i) => cid(i)), cid(900), cid(901), cid(902)];

/** The pool's busiest night as computed before: every label and skip in memory, alerts filtered in JS. */
function busiestPoolNightReference(d: Db): string | null {
  const labelled = labelMap(d);
  const skipped = skippedCandids(d);
  const h = heldOut(d);
  const rows = d
    .prepare(`SELECT a.candid, a.object_id, a.night FROM alerts a JOIN features f ON f.candid = a.candid WHERE f.ndets >= 1`)
    .all() as { candid: string; object_id: string; night: string }[];
  const counts = new Map<string, number>();
  for (const r of rows) {
    if (labelled.has(r.candid) || skipped.has(r.candid) || h.has(r.candid, r.object_id)) continue;
    counts.set(r.night, (counts.get(r.night) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1))[0];
  return best ? best[0] : null;
}

describe('batch-only label reads', () => {
  it('labelsOf equals the whole label map restricted to the candids asked', () => {
    const d = busyStore();
    const all = labelMap(d);
    expect(labelsOf(d, everyCandid)).toEqual(all);
    const some = [cid(1), cid(2), cid(3), cid(7), cid(28), cid(29), cid(35), cid(900)];
    const got = labelsOf(d, some);
    expect(got).toEqual(new Map(some.filter((c) => all.has(c)).map((c) => [c, all.get(c)!])));
    // Hand-checked: relabel, undo back to the first label, cleared then undone, import then human, weak only.
    expect(got.get(cid(1))).toBe('gal');
    expect(got.get(cid(3))).toBe(LABELS[3]);
    expect(got.has(cid(2))).toBe(false);
    expect(got.get(cid(7))).toBe('varstar');
    expect(got.get(cid(29))).toBe('agn');
    expect(got.has(cid(28))).toBe(false);
  });

  it('skippedAmong equals the skipped set restricted to the candids asked', () => {
    const d = busyStore();
    const all = skippedCandids(d);
    expect(skippedAmong(d, everyCandid)).toEqual(all);
    expect(skippedAmong(d, [cid(24), cid(25), cid(26), cid(5), cid(1)])).toEqual(new Set([cid(24), cid(26), cid(5)]));
  });

  it('countLabelledAs counts what countedLabels(labelMap) counts, for every task', () => {
    const d = busyStore();
    for (const task of TASKS) {
      const classMap = DEFAULT_CLASS_MAPS[task];
      const counted = LABELS.filter((l) => classMap[l] !== null);
      expect(countLabelledAs(d, counted)).toBe(countedLabels(labelMap(d), classMap).size);
    }
    expect(countLabelledAs(d, [])).toBe(0);
    expect(countLabelledAs(d, ['gal'])).toBe([...labelMap(d).values()].filter((l: Label) => l === 'gal').length);
  });

  it('busiestPoolNight in SQL agrees with the in-memory computation, held-out alerts and objects included', () => {
    const d = busyStore();
    expect(busiestPoolNight(d)).toBe(busiestPoolNightReference(d));
    markHoldoutCandids(d, 'gal', [cid(31), cid(34)]); // objects ZTF15, ZTF17: 4 alerts
    expect(busiestPoolNight(d)).toBe(busiestPoolNightReference(d));
    for (let i = 0; i < N; i++) setLabel(d, cid(i), 'gal');
    expect(busiestPoolNight(d)).toBeNull();
    undoLast(d); // cid(39) back to unlabelled
    expect(busiestPoolNight(d)).toBe(NIGHTS[39 % 3]);
  });

  it('the busiest night: most pool alerts, ties to the later night', () => {
    const d = makeStore([
      { candid: cid(0), objectId: 'A', night: '2021-11-20', ndets: 1 },
      { candid: cid(1), objectId: 'B', night: '2021-11-21', ndets: 1 },
      { candid: cid(2), objectId: 'C', night: '2021-11-20', ndets: 1 },
      { candid: cid(3), objectId: 'D', night: '2021-11-22', ndets: 0 },
    ]).db;
    db = d;
    expect(busiestPoolNight(d)).toBe('2021-11-20');
    setLabel(d, cid(0), 'gal');
    expect(busiestPoolNight(d)).toBe('2021-11-21');
  });
});

describe('loopState from batch-only reads', () => {
  it('equals the state built from the whole label map and skipped set', () => {
    const d = busyStore();
    const candids = [cid(0), cid(5), cid(24), cid(2), cid(4), cid(27), cid(1), cid(33), cid(36), cid(29), cid(37), cid(38)];
    recordRound(d, {
      task: 'gal',
      round: 1,
      strategy: 'uncertainty',
      runId: null,
      night: NIGHTS[0],
      nTrain: 10,
      warnings: [],
      batchSize: 5,
      proposals: candids.map((c, k) => ({ candid: c, prob: 0.5, score: k, reason: 'test' })),
    });
    const labels = labelMap(d);
    const skipped = skippedCandids(d);
    const classMap = DEFAULT_CLASS_MAPS.gal;
    const st = loopState(d, 'gal', 'uncertainty', null);
    const expected = activeBatch(candids.map((c) => ({ candid: c })), 5, labels, classMap).map((p) => ({
      candid: p.candid,
      label: labels.get(p.candid) ?? null,
      skipped: !labels.has(p.candid) && skipped.has(p.candid),
    }));
    expect(st.batch.map((b) => ({ candid: b.candid, label: b.label, skipped: b.skipped }))).toEqual(expected);
    // Hand-checked: cid(0) 'real' and cid(4) 'bogus' do not count for gal, so two reserve items come in; the first
    // open item is cid(2) (cid(24) is skipped).
    expect(st.batch.length).toBe(7);
    expect(st.cursor).toBe(3);
    expect(st.nTrainCounted).toBe(countedLabels(labels, classMap).size);
    expect(st.cursor).toBe(expected.findIndex((b) => b.label === null && !b.skipped));
  });
});

describe('the undo index (migration 8)', () => {
  it('is what the open-skip check searches by, not a scan of every event', () => {
    const d = busyStore();
    const plan = d
      .prepare(`EXPLAIN QUERY PLAN SELECT 1 FROM label_events e WHERE e.candid = ? AND e.action = 'skip'
        AND NOT EXISTS (SELECT 1 FROM label_events u WHERE u.action = 'undo' AND u.undoes = e.id) LIMIT 1`)
      .all(cid(1)) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX label_events_undoes/);
  });
});
