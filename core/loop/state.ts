/** The loop as the app sees it: the current round's batch with labels, the cursor and the counted labels. */
import { DEFAULT_CLASS_MAPS, type Task } from '../labels.js';
import type { JobStatus, LoopState, Proposal } from '../api/types.js';
import type { Db } from '../store/database.js';
import { labelMap, skippedCandids } from '../store/labels.js';
import { countedLabels } from './pool.js';
import { latestProposalOf, latestRound, roundProposals } from './rounds.js';

export function loopState(db: Db, task: Task, strategy: string, pendingJob: JobStatus | null): LoopState {
  const round = latestRound(db, task);
  const labels = labelMap(db);
  const skipped = skippedCandids(db);
  const batch = round
    ? roundProposals(db, round.id).map((p) => ({
        candid: p.candid,
        objectId: p.objectId,
        rank: p.rank,
        prob: p.prob,
        score: p.score,
        strategy: round.strategy,
        reason: p.reason,
        label: labels.get(p.candid) ?? null,
        skipped: !labels.has(p.candid) && skipped.has(p.candid),
      }))
    : [];
  const open = batch.findIndex((b) => b.label === null && !b.skipped);
  return {
    task,
    round: round ? round.round : -1,
    strategy: round ? round.strategy : strategy,
    batch,
    cursor: open === -1 ? batch.length : open,
    labelledInBatch: batch.filter((b) => b.label !== null).length,
    pendingJob,
    nTrainCounted: countedLabels(labels, DEFAULT_CLASS_MAPS[task]).size,
    warnings: round ? round.warnings : [],
  };
}

/** Every item of the batch is labelled or skipped (an empty batch is never complete). */
export function batchComplete(state: LoopState): boolean {
  return state.batch.length > 0 && state.cursor >= state.batch.length && state.batch.every((b) => b.label !== null || b.skipped);
}

/** The newest proposal of a candid in the task's rounds, as the label card shows it. */
export function proposalFor(db: Db, task: Task, candid: string): Proposal | null {
  const p = latestProposalOf(db, task, candid);
  if (!p) return null;
  return {
    candid: p.candid,
    objectId: p.objectId,
    rank: p.rank,
    prob: p.prob,
    score: p.score,
    strategy: p.strategy,
    reason: p.reason,
  };
}
