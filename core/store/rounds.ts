/** Round bookkeeping in the store: one row per proposed batch, with its ranked proposals. */
import type { Task } from '../labels.js';
import type { Db } from './database.js';
import type { SurveyId } from '../surveys/survey.js';

export interface RoundRow {
  id: number;
  task: Task;
  round: number;
  strategy: string;
  runId: string | null;
  night: string | null;
  nTrain: number;
  /** Nominal batch size; proposals beyond it are the reserve (null = no reserve). */
  batchSize: number | null;
  warnings: string[];
  createdAt: string;
  /** The survey whose alerts the round trained on and proposed, and its feature set (null: not recorded). */
  survey: SurveyId;
  featureSet: string | null;
}

export interface ProposalRow {
  roundId: number;
  candid: string;
  objectId: string;
  rank: number;
  prob: number | null;
  score: number | null;
  reason: string;
}

export interface NewProposal {
  candid: string;
  prob: number | null;
  score: number | null;
  reason: string;
}

interface DbRound {
  id: number;
  task: string;
  round: number;
  strategy: string;
  run_id: string | null;
  night: string | null;
  n_train: number;
  batch_size: number | null;
  warnings_json: string;
  created_at: string;
  survey: string;
  feature_set: string | null;
}

const toRound = (r: DbRound): RoundRow => ({
  id: r.id,
  task: r.task as Task,
  round: r.round,
  strategy: r.strategy,
  runId: r.run_id,
  night: r.night,
  nTrain: r.n_train,
  batchSize: r.batch_size,
  warnings: JSON.parse(r.warnings_json) as string[],
  createdAt: r.created_at,
  survey: r.survey as SurveyId,
  featureSet: r.feature_set,
});

/** The newest round of a task (of one survey's rounds when given), or null before round 0. */
export function latestRound(db: Db, task: Task, survey?: SurveyId): RoundRow | null {
  const r = (
    survey === undefined
      ? db.prepare('SELECT * FROM rounds WHERE task = ? ORDER BY round DESC LIMIT 1').get(task)
      : db.prepare('SELECT * FROM rounds WHERE task = ? AND survey = ? ORDER BY round DESC LIMIT 1').get(task, survey)
  ) as DbRound | undefined;
  return r ? toRound(r) : null;
}

export function listRounds(db: Db, task: Task): RoundRow[] {
  return (db.prepare('SELECT * FROM rounds WHERE task = ? ORDER BY round').all(task) as DbRound[]).map(toRound);
}

export function nextRoundNumber(db: Db, task: Task): number {
  const r = db.prepare('SELECT MAX(round) AS m FROM rounds WHERE task = ?').get(task) as { m: number | null };
  return r.m === null ? 0 : r.m + 1;
}

/** A round to record: a RoundRow before the store gives it an id and a time. */
export interface NewRound extends Omit<RoundRow, 'id' | 'createdAt' | 'batchSize' | 'survey' | 'featureSet'> {
  /** Default: the survey of the first proposal's alert (ZTF without one). */
  survey?: SurveyId;
  featureSet?: string | null;
  /** Ranked: the first `batchSize` are the batch, the rest the reserve (default: all are the batch). */
  proposals: NewProposal[];
  batchSize?: number;
}

/**
 * Record a round and its batch (ranks 1..N in the given order) in one transaction. Throws on a duplicate candid in
 * the batch or on a round number already taken (two rounds racing for the same number).
 */
export function recordRound(db: Db, r: NewRound): RoundRow {
  const seen = new Set<string>();
  for (const p of r.proposals) {
    if (seen.has(p.candid)) throw new Error(`round ${r.round}: candid ${p.candid} proposed twice`);
    seen.add(p.candid);
  }
  return db.transaction(() => {
    const info = db
      .prepare(
        `INSERT INTO rounds (task, round, strategy, run_id, night, n_train, batch_size, warnings_json, created_at, survey, feature_set)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.task,
        r.round,
        r.strategy,
        r.runId,
        r.night,
        r.nTrain,
        r.batchSize ?? null,
        JSON.stringify(r.warnings),
        new Date().toISOString(),
        r.survey ?? proposedSurvey(db, r.proposals[0]?.candid),
        r.featureSet ?? null,
      );
    const id = Number(info.lastInsertRowid);
    const ins = db.prepare('INSERT INTO proposals (round_id, candid, rank, prob, score, reason) VALUES (?, ?, ?, ?, ?, ?)');
    r.proposals.forEach((p, i) => ins.run(id, p.candid, i + 1, p.prob, p.score, p.reason));
    return toRound(db.prepare('SELECT * FROM rounds WHERE id = ?').get(id) as DbRound);
  })();
}

/** The survey of a proposed alert (ZTF when there is none or it is not ingested). */
function proposedSurvey(db: Db, candid: string | undefined): SurveyId {
  const s = candid === undefined ? undefined : (db.prepare('SELECT survey FROM alerts WHERE candid = ?').pluck().get(candid) as SurveyId | undefined);
  return s ?? 'ztf';
}

export function setRoundRun(db: Db, roundId: number, runId: string): void {
  db.prepare('UPDATE rounds SET run_id = ? WHERE id = ?').run(runId, roundId);
}

/** Proposal columns as ProposalRow fields (the alert's objectId joined in). */
const PROPOSAL_COLUMNS = `p.round_id AS roundId, p.candid, COALESCE(a.object_id, '') AS objectId, p.rank, p.prob, p.score,
  p.reason`;

export function roundProposals(db: Db, roundId: number): ProposalRow[] {
  return db
    .prepare(
      `SELECT ${PROPOSAL_COLUMNS} FROM proposals p LEFT JOIN alerts a ON a.candid = p.candid
       WHERE p.round_id = ? ORDER BY p.rank`,
    )
    .all(roundId) as ProposalRow[];
}

/** The newest proposal of a candid (any round of the task), for the label card. */
export function latestProposalOf(db: Db, task: Task, candid: string): (ProposalRow & { strategy: string }) | null {
  const r = db
    .prepare(
      `SELECT ${PROPOSAL_COLUMNS}, r.strategy
       FROM proposals p JOIN rounds r ON r.id = p.round_id LEFT JOIN alerts a ON a.candid = p.candid
       WHERE r.task = ? AND p.candid = ? ORDER BY r.round DESC LIMIT 1`,
    )
    .get(task, candid) as (ProposalRow & { strategy: string }) | undefined;
  return r ?? null;
}

/** candid → number of the round whose batch first proposed it (imported or off-batch labels are absent). */
export function firstProposalRounds(db: Db, task: Task): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT p.candid, MIN(r.round) AS round FROM proposals p JOIN rounds r ON r.id = p.round_id WHERE r.task = ? GROUP BY p.candid`,
    )
    .all(task) as { candid: string; round: number }[];
  return new Map(rows.map((x) => [x.candid, x.round]));
}
