/**
 * Starting the next round: only writes call this (a label that completes the batch, a skip, an import, a holdout
 * change, a finished ingest, a new task, opening the service), so loop.state stays a pure read.
 */
import { busiestPoolNight } from '../loop/pool.js';
import { runRound, type RoundOptions, type RoundResult } from '../loop/round.js';
import { FEATURE_SET_SURVEY } from '../features/names.js';
import { batchComplete, coldStartSuperseded, latestRoundOf, loopState } from '../loop/state.js';
import { getSettings } from '../store/settings.js';
import type { ServiceContext } from './context.js';
import type { JobStatus, LoopState, Settings } from './types.js';

export const ROUND_JOB = 'round';
export const INGEST_JOB = 'ingest';

export interface LoopAdvanceOptions {
  /** Start the next round by itself when the loop needs one (default true). */
  autoAdvance?: boolean;
  /** Compute on the main thread (tests only). */
  inline?: boolean;
  cvFolds?: number;
  importanceRepeats?: number;
}

/** The round jobs of one service: starts them, and remembers the last so a failed one is shown, not retried. */
export class LoopAdvancer {
  // The last round job and the round it started from: a failed job is shown, and not retried by itself, until the
  // user starts a round or the batch changes. `task` is the task and survey (task/survey): each has its own loop.
  private last: { job: JobStatus; fromRound: number; task: string } | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly opts: LoopAdvanceOptions = {},
  ) {}

  /** The loop as it is now, with the round job that concerns it; starts nothing. */
  state(): LoopState {
    return this.stateWith(getSettings(this.ctx.db, this.ctx.dbPath));
  }

  /** After a write: starts the next round if the loop needs one; the state, with that job (one state read). */
  advance(): LoopState {
    const s = getSettings(this.ctx.db, this.ctx.dbPath);
    const st = this.stateWith(s);
    if (!this.needsRound(st, s)) return st;
    return { ...st, pendingJob: this.startJob() };
  }

  /** loopState with the pending job of its round (st.round is the latest round's, -1 when none). */
  private stateWith(s: Settings): LoopState {
    const st = loopState(this.ctx.db, s.task, s.strategy, null, s.featureSet);
    return { ...st, pendingJob: this.pendingJob(loopKey(s), st.round) };
  }

  /** Round 0 wanted, a complete batch or a superseded round 0; not while a job runs, nor again after a failure. */
  private needsRound(st: LoopState, s: Settings): boolean {
    if (!(this.opts.autoAdvance ?? true) || st.pendingJob) return false;
    // Not while an ingest runs: round 0 would draw from a half-ingested night (its completion calls this again).
    if (this.ctx.jobs.active(ROUND_JOB) || this.ctx.jobs.active(INGEST_JOB)) return false;
    const l = this.last;
    const failedHere = l !== null && l.task === loopKey(s) && l.job.state === 'failed' && l.fromRound === st.round;
    const wantsRound0 = st.round === -1 && busiestPoolNight(this.ctx.db, st.survey) !== null;
    return !failedHere && (wantsRound0 || batchComplete(st) || coldStartSuperseded(this.ctx.db, st, s.n0));
  }

  /** Starts a round job now (or returns the running one); `settings` apply to this round only. */
  startJob(settings?: RoundOptions['settings']): JobStatus {
    const running = this.ctx.jobs.active(ROUND_JOB);
    if (running) return running;
    const { ctx, opts } = this;
    // The round's own settings (a CLI --features, --n …) decide which loop it belongs to.
    const s = { ...getSettings(ctx.db, ctx.dbPath), ...settings };
    const task = loopKey(s);
    const fromRound = latestRoundOf(ctx.db, s.task, FEATURE_SET_SURVEY[s.featureSet])?.round ?? -1;
    const job = ctx.jobs.start(ROUND_JOB, async (report): Promise<RoundResult> =>
      runRound(ctx.db, ctx.dbPath, {
        artifactsRoot: ctx.artifactsDir,
        settings,
        inline: opts.inline,
        cvFolds: opts.cvFolds,
        importanceRepeats: opts.importanceRepeats,
        progress: (f, m) => report.progress(f, m),
      }),
    );
    this.last = { job, fromRound, task };
    return job;
  }

  private pendingJob(task: string, round: number): JobStatus | null {
    const l = this.last;
    if (!l || l.task !== task) return null;
    if (l.job.state === 'running') return l.job;
    // A finished job is no longer pending; a failed one stays visible while its round is still the latest.
    return l.job.state === 'failed' && l.fromRound === round ? l.job : null;
  }
}

/** Which loop a round job belongs to: the task's, on the feature set's survey. */
const loopKey = (s: Settings): string => `${s.task}/${FEATURE_SET_SURVEY[s.featureSet]}`;

const advancers = new WeakMap<ServiceContext, LoopAdvancer>();

/** A new advancer for the service (the one advanceLoop and a finished ingest job use from now on). */
export function loopAdvancer(ctx: ServiceContext, opts: LoopAdvanceOptions = {}): LoopAdvancer {
  // Once per context: a finished ingest (done or failed: a failed file leaves the others in) may allow round 0.
  if (!advancers.has(ctx)) ctx.jobs.onSettled(INGEST_JOB, () => advanceLoop(ctx));
  const a = new LoopAdvancer(ctx, opts);
  advancers.set(ctx, a);
  return a;
}

/** For writes outside the loop's handlers (settings, opening the service): start a round if the loop needs one. */
export function advanceLoop(ctx: ServiceContext): void {
  advancers.get(ctx)?.advance();
}
