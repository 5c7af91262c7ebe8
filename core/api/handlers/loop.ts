/**
 * The loop's methods: state of the current batch, labels (set, skip, undo, export), rounds in the background and the
 * tracked runs. The batch flow: when every item of the batch is labelled or skipped, the next round starts by itself
 * as a background job; labelling (and relabelling) keeps working meanwhile.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isLabel } from '../../labels.js';
import { labelsCsv } from '../../loop/export.js';
import {
  clearHoldout,
  HoldoutExistsError,
  HoldoutNightError,
  holdoutSummary,
  markHoldoutFraction,
  markHoldoutNights,
} from '../../loop/holdout.js';
import { busiestPoolNight } from '../../loop/pool.js';
import { runRound, type RoundResult } from '../../loop/round.js';
import { latestRound } from '../../loop/rounds.js';
import { batchComplete, coldStartSuperseded, loopState, proposalFor } from '../../loop/state.js';
import { importLabelsCsv, LabelsCsvError, setLabel, skipAlert, undoLast, UnknownAlertError } from '../../store/labels.js';
import { getSettings } from '../../store/settings.js';
import { RunNotFoundError } from '../../track/errors.js';
import { runExport } from '../../track/export.js';
import { getRun, listRuns } from '../../track/tracker.js';
import type { Handlers } from '../contract.js';
import type { ServiceContext } from '../context.js';
import { ApiError } from '../define.js';
import type { JobStatus, LabelsImportResult, LoopState, Proposal } from '../types.js';

type LoopMethods =
  | 'loop.state'
  | 'loop.startRound'
  | 'labels.set'
  | 'labels.skip'
  | 'labels.undo'
  | 'labels.exportCsv'
  | 'labels.import'
  | 'labels.holdout'
  | 'runs.list'
  | 'runs.get'
  | 'runs.export';

export const ROUND_JOB = 'round';

export interface LoopHandlerOptions {
  /** Start the next round by itself when the batch is done (default true). */
  autoAdvance?: boolean;
  /** Compute on the main thread (tests only). */
  inline?: boolean;
  cvFolds?: number;
  importanceRepeats?: number;
}

/** The loop's proposal for a candid (what the label card shows), for the lead's dataHandlers(ctx, proposalOf). */
export function proposalOf(ctx: ServiceContext): (candid: string) => Proposal | null {
  return (candid) => proposalFor(ctx.db, getSettings(ctx.db, ctx.dbPath).task, candid);
}

export function loopHandlers(ctx: ServiceContext, opts: LoopHandlerOptions = {}): Pick<Handlers, LoopMethods> {
  const autoAdvance = opts.autoAdvance ?? true;
  // The last round job and the round it started from: a failed job is shown, and not retried by itself, until the
  // user starts a round or the batch changes.
  let last: { job: JobStatus; fromRound: number; task: string } | null = null;

  const settings = () => getSettings(ctx.db, ctx.dbPath);

  const startJob = (): JobStatus => {
    const running = ctx.jobs.active(ROUND_JOB);
    if (running) return running;
    const s = settings();
    const fromRound = latestRound(ctx.db, s.task)?.round ?? -1;
    const job = ctx.jobs.start(ROUND_JOB, async (report): Promise<RoundResult> =>
      runRound(ctx.db, ctx.dbPath, {
        artifactsRoot: ctx.artifactsDir,
        inline: opts.inline,
        cvFolds: opts.cvFolds,
        importanceRepeats: opts.importanceRepeats,
        progress: (f, m) => report.progress(f, m),
      }),
    );
    last = { job, fromRound, task: s.task };
    return job;
  };

  const pendingJob = (task: string, round: number): JobStatus | null => {
    if (!last || last.task !== task) return null;
    if (last.job.state === 'running') return last.job;
    // A finished job is no longer pending; a failed one stays visible while its round is still the latest.
    return last.job.state === 'failed' && last.fromRound === round ? last.job : null;
  };

  const state = (): LoopState => {
    const s = settings();
    let st = loopState(ctx.db, s.task, s.strategy, pendingJob(s.task, latestRound(ctx.db, s.task)?.round ?? -1));
    // Not while an ingest runs: round 0 would draw from a half-ingested night.
    if (autoAdvance && !st.pendingJob && !ctx.jobs.active(ROUND_JOB) && !ctx.jobs.active('ingest')) {
      const failedHere = last && last.task === s.task && last.job.state === 'failed' && last.fromRound === st.round;
      const wantsRound0 = st.round === -1 && busiestPoolNight(ctx.db) !== null;
      if (!failedHere && (wantsRound0 || batchComplete(st) || coldStartSuperseded(ctx.db, st, s.n0))) {
        const job = startJob();
        st = { ...st, pendingJob: job };
      }
    }
    return st;
  };

  const notFound = (e: unknown): never => {
    if (e instanceof UnknownAlertError) throw new ApiError('not_found', e.message);
    if (e instanceof RunNotFoundError) throw new ApiError('not_found', e.message);
    throw e;
  };

  return {
    'loop.state': () => state(),

    'loop.startRound': ({ force }) => {
      const running = ctx.jobs.active(ROUND_JOB);
      if (running) return { jobId: running.id };
      const s = settings();
      const st = loopState(ctx.db, s.task, s.strategy, null);
      if (!force && st.round >= 0 && !batchComplete(st) && !coldStartSuperseded(ctx.db, st, s.n0)) {
        throw new ApiError(
          'batch_incomplete',
          `${st.batch.length - st.cursor} alert(s) of round ${st.round} are neither labelled nor skipped; pass force to start anyway`,
        );
      }
      return { jobId: startJob().id };
    },

    'labels.set': ({ candid, label }) => {
      if (!isLabel(label)) throw new ApiError('invalid_input', `unknown label '${String(label)}'`);
      let ev;
      try {
        ev = setLabel(ctx.db, candid, label);
      } catch (e) {
        return notFound(e);
      }
      return { eventId: ev.id, candid, label: ev.label, state: state() };
    },

    'labels.skip': ({ candid }) => {
      try {
        skipAlert(ctx.db, candid);
      } catch (e) {
        return notFound(e);
      }
      return state();
    },

    'labels.undo': () => {
      const u = undoLast(ctx.db);
      if (!u) return null;
      return { eventId: u.event.id, candid: u.undone.candid, label: u.restored, state: state() };
    },

    'labels.import': (input) => importLabels(ctx, input),

    'labels.holdout': ({ action, fraction, seed, nights }) => {
      const s = settings();
      const task = s.task;
      if (action === 'clear') clearHoldout(ctx.db);
      if (action === 'mark') {
        try {
          if (nights) markHoldoutNights(ctx.db, task, nights);
          else markHoldoutFraction(ctx.db, task, fraction ?? 0.2, seed ?? s.seed);
        } catch (e) {
          if (e instanceof HoldoutExistsError) throw new ApiError('conflict', e.message);
          if (e instanceof HoldoutNightError) throw new ApiError('invalid_input', e.message);
          throw e;
        }
      }
      return holdoutSummary(ctx.db, task);
    },

    'labels.exportCsv': ({ format }) => {
      const s = settings();
      const out = labelsCsv(ctx.db, { format, task: s.task });
      const day = new Date().toISOString().slice(0, 10);
      return { filename: format === 'seed' ? 'labeled.csv' : `finkvra_labels_${s.task}_${day}.csv`, csv: out.csv, rows: out.rows };
    },

    'runs.list': () => listRuns(ctx.db),

    'runs.get': ({ runId }) => {
      try {
        return getRun(ctx.db, runId);
      } catch (e) {
        return notFound(e);
      }
    },

    'runs.export': ({ runId }) => {
      try {
        return runExport(ctx.db, runId);
      } catch (e) {
        return notFound(e);
      }
    },
  };
}

/** The seed's labeled.csv, from a path (the app's dialog) or as uploaded text (web mode); errors name the file. */
function importLabels(ctx: ServiceContext, input: { path: string } | { name: string; text: string }): LabelsImportResult {
  const file = 'path' in input ? basename(input.path) : input.name;
  let text: string | Uint8Array;
  if ('path' in input) {
    try {
      text = readFileSync(input.path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ApiError(code === 'ENOENT' ? 'not_found' : 'invalid_input', `${file}: cannot be read (${code ?? 'read error'})`);
    }
  } else text = input.text;
  try {
    return { file, ...importLabelsCsv(ctx.db, text, file) };
  } catch (e) {
    if (e instanceof LabelsCsvError) throw new ApiError('invalid_input', e.message);
    throw e;
  }
}
