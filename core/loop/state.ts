/** The loop as the app sees it: the current round's batch with labels, the cursor and the counted labels. */
import { DEFAULT_CLASS_MAPS, LABELS, type ClassMap, type Label, type Task } from '../labels.js';
import type { JobStatus, LoopState, Proposal } from '../api/types.js';
import { FEATURE_SET_SURVEY, type FeatureSetName } from '../features/names.js';
import type { Db } from '../store/database.js';
import { anyHumanEvent, labelsOf, skippedAmong } from '../store/labels.js';
import { tallyLabelledAs } from '../store/label-tally.js';
import { getSettings } from '../store/settings.js';
import type { SurveyId } from '../surveys/survey.js';
import { latestProposalOf, latestRound, roundProposals, type ProposalRow, type RoundRow } from './rounds.js';

/**
 * The task's newest round on a survey (rounds are numbered per task; each works on one survey's alerts). One indexed
 * query: loop.state asks it on every key press.
 */
export function latestRoundOf(db: Db, task: Task, survey: SurveyId): RoundRow | null {
  return latestRound(db, task, survey);
}

/**
 * The visible batch of a round: proposals in rank order until `batchSize` of them count. A label of one of the
 * task's NaN classes is stored but does not count towards the batch (the seed's rule), so each such label brings in
 * the next reserve proposal. batchSize null = every proposal.
 */
export function activeBatch<P extends Pick<ProposalRow, 'candid'>>(
  proposals: readonly P[],
  batchSize: number | null,
  labels: ReadonlyMap<string, Label>,
  classMap: ClassMap,
): P[] {
  if (batchSize === null) return [...proposals];
  const out: P[] = [];
  let notCounted = 0;
  for (const p of proposals) {
    if (out.length >= batchSize + notCounted) break;
    out.push(p);
    const l = labels.get(p.candid);
    if (l !== undefined && classMap[l] === null) notCounted++;
  }
  return out;
}

/**
 * Runs on every label, so it reads only the round's proposals' labels and skips and one count of the counted labels:
 * its cost follows the batch, not the store's label history. The loop is that of the feature set's survey (default:
 * the stored settings' feature set).
 */
export function loopState(
  db: Db,
  task: Task,
  strategy: string,
  pendingJob: JobStatus | null,
  featureSet: FeatureSetName = getSettings(db, '').featureSet,
): LoopState {
  const survey = FEATURE_SET_SURVEY[featureSet];
  const round = latestRoundOf(db, task, survey);
  const classMap = DEFAULT_CLASS_MAPS[task];
  const proposals = round ? roundProposals(db, round.id) : [];
  const labels = labelsOf(db, proposals.map((p) => p.candid));
  const batchRows = round ? activeBatch(proposals, round.batchSize, labels, classMap) : [];
  const skipped = skippedAmong(db, batchRows.map((p) => p.candid));
  const batch = round
    ? batchRows.map((p) => ({
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
    survey,
    featureSet,
    round: round ? round.round : -1,
    strategy: round ? round.strategy : strategy,
    batch,
    cursor: open === -1 ? batch.length : open,
    labelledInBatch: batch.filter((b) => b.label !== null).length,
    pendingJob,
    nTrainCounted: tallyLabelledAs(db, countedClassLabels(classMap), survey),
    warnings: round ? round.warnings : [],
  };
}

/** The labels a class map counts (a class, not NaN). */
function countedClassLabels(classMap: ClassMap): Label[] {
  return LABELS.filter((l) => classMap[l] !== null && classMap[l] !== undefined);
}

/**
 * The survey's first round, a random pick untouched by hand (no one labelled or skipped in it), while at least n0
 * labels already count (a labelled set imported since): the next round should train on them rather than wait for it.
 * Only that pick has no run (every model round logs one).
 */
export function coldStartSuperseded(db: Db, state: LoopState, n0: number): boolean {
  const round = state.round >= 0 ? latestRoundOf(db, state.task, state.survey) : null;
  return (
    round !== null &&
    round.round === state.round &&
    round.runId === null &&
    state.nTrainCounted >= n0 &&
    state.batch.every((b) => b.prob === null) &&
    !anyHumanEvent(db, state.batch.map((b) => b.candid))
  );
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
