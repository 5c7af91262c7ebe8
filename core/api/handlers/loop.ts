/**
 * The loop's methods: state of the current batch, labels (set, skip, undo, export), rounds in the background and the
 * tracked runs. The batch flow: the label or skip that completes the batch starts the next round as a background job
 * (loop.state only reads); labelling (and relabelling) keeps working meanwhile.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { FEATURE_SET_SURVEY, FEATURE_SETS, type FeatureSetName } from '../../features/names.js';
import { isLabel } from '../../labels.js';
import { labelsCsv } from '../../loop/export.js';
import {
  clearHoldout,
  HoldoutExistsError,
  HoldoutNightError,
  holdoutSummary,
  markHoldoutCandids,
  markHoldoutFraction,
  markHoldoutNights,
} from '../../loop/holdout.js';
import { batchComplete, coldStartSuperseded, loopState, proposalFor } from '../../loop/state.js';
import { importLabelsCsv, LabelsCsvError, setLabel, skipAlert, undoLast, UnknownAlertError } from '../../store/labels.js';
import { getSettings } from '../../store/settings.js';
import { runFeatureSets } from '../../store/survey-scope.js';
import { RunNotFoundError } from '../../track/errors.js';
import { runExport } from '../../track/export.js';
import { getRun, listRuns, resolveRunId } from '../../track/tracker.js';
import { trackError } from './runs.js';
import type { Handlers } from '../contract.js';
import type { ServiceContext } from '../context.js';
import { ApiError } from '../define.js';
import { loopAdvancer, ROUND_JOB, type LoopAdvanceOptions } from '../loop-advance.js';
import type { HoldoutChange, LabelsImportResult, Proposal } from '../types.js';

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

export { ROUND_JOB } from '../loop-advance.js';
/** What a round job's result is (jobs.get). */
export type { RoundResult } from '../../loop/round.js';

export type LoopHandlerOptions = LoopAdvanceOptions;

/** The loop's proposal for a candid (what the label card shows), for the lead's dataHandlers(ctx, proposalOf). */
export function proposalOf(ctx: ServiceContext): (candid: string) => Proposal | null {
  return (candid) => proposalFor(ctx.db, getSettings(ctx.db, ctx.dbPath).task, candid);
}

export function loopHandlers(ctx: ServiceContext, opts: LoopHandlerOptions = {}): Pick<Handlers, LoopMethods> {
  const loop = loopAdvancer(ctx, opts);
  const settings = () => getSettings(ctx.db, ctx.dbPath);

  const notFound = (e: unknown): never => {
    if (e instanceof UnknownAlertError) throw new ApiError('not_found', e.message);
    if (e instanceof RunNotFoundError) throw new ApiError('not_found', e.message);
    throw e;
  };

  return {
    'loop.state': () => loop.state(),

    'loop.startRound': ({ force, settings: once }) => {
      const running = ctx.jobs.active(ROUND_JOB);
      if (running) return { jobId: running.id };
      const s = settings();
      const st = loopState(ctx.db, s.task, s.strategy, null, s.featureSet);
      if (!force && st.round >= 0 && !batchComplete(st) && !coldStartSuperseded(ctx.db, st, s.n0)) {
        throw new ApiError(
          'batch_incomplete',
          `${st.batch.length - st.cursor} alert(s) of round ${st.round} are neither labelled nor skipped; pass force to start anyway`,
        );
      }
      return { jobId: loop.startJob(once).id };
    },

    'labels.set': ({ candid, label }) => {
      if (!isLabel(label)) throw new ApiError('invalid_input', `unknown label '${String(label)}'`);
      let ev;
      try {
        ev = setLabel(ctx.db, candid, label);
      } catch (e) {
        return notFound(e);
      }
      return { eventId: ev.id, candid, label: ev.label, state: loop.advance() };
    },

    'labels.skip': ({ candid }) => {
      try {
        skipAlert(ctx.db, candid);
      } catch (e) {
        return notFound(e);
      }
      return loop.advance();
    },

    'labels.undo': () => {
      const u = undoLast(ctx.db);
      if (!u) return null;
      return { eventId: u.event.id, candid: u.undone.candid, label: u.restored, state: loop.state() };
    },

    'labels.import': (input) => {
      const r = importLabels(ctx, input);
      // Labels that now count can supersede an untouched random round 0.
      loop.advance();
      return r;
    },

    'labels.holdout': ({ action, fraction, seed, nights, candids }) => {
      const s = settings();
      const task = s.task;
      // The current survey's part of the held-out set: marking nights of one survey never touches another's alerts.
      const survey = FEATURE_SET_SURVEY[s.featureSet];
      let change: HoldoutChange | undefined;
      if (action === 'clear') change = { cleared: clearHoldout(ctx.db, survey) };
      if (action === 'mark') {
        try {
          if (candids) change = markHoldoutCandids(ctx.db, task, candids);
          else if (nights) change = markHoldoutNights(ctx.db, task, nights, survey);
          else change = markHoldoutFraction(ctx.db, task, fraction ?? 0.2, seed ?? s.seed, survey);
        } catch (e) {
          if (e instanceof HoldoutExistsError) throw new ApiError('conflict', e.message);
          if (e instanceof HoldoutNightError) throw new ApiError('invalid_input', e.message);
          throw e;
        }
      }
      // The held-out alerts leave (or rejoin) the pool and the training set.
      if (action !== 'show') loop.advance();
      const summary = holdoutSummary(ctx.db, task, survey);
      return change ? { ...summary, change } : summary;
    },

    'labels.exportCsv': ({ format, survey, columns }) => {
      const s = settings();
      let out;
      try {
        // A mixed store's full export is of the survey asked for, else of the current feature set's survey.
        out = labelsCsv(ctx.db, { format, task: s.task, survey, current: FEATURE_SET_SURVEY[s.featureSet], columns });
      } catch (e) {
        // An unknown column name: the caller's mistake, named with the columns available.
        if (e instanceof RangeError) throw new ApiError('invalid_input', `labels.exportCsv: ${e.message}`);
        throw e;
      }
      const day = new Date().toISOString().slice(0, 10);
      const tag = out.survey && out.survey !== 'ztf' ? `${out.survey}_` : '';
      const filename = format === 'seed' ? 'labeled.csv' : `finkvra_labels_${tag}${s.task}_${day}.csv`;
      return { filename, csv: out.csv, rows: out.rows, columns: out.columns };
    },

    'runs.list': ({ experiment, limit }) => {
      let runs;
      try {
        runs = listRuns(ctx.db, { experiment, limit });
      } catch (e) {
        return trackError(e);
      }
      const sets = runFeatureSets(ctx.db);
      return runs.map((r) => {
        const f = sets.get(r.runId);
        const featureSet = f !== undefined && (FEATURE_SETS as readonly string[]).includes(f) ? (f as FeatureSetName) : null;
        return { ...r, featureSet, survey: featureSet ? FEATURE_SET_SURVEY[featureSet] : null };
      });
    },

    'runs.get': ({ runId }) => {
      try {
        return getRun(ctx.db, resolveRunId(ctx.db, runId));
      } catch (e) {
        return trackError(e);
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
function importLabels(
  ctx: ServiceContext,
  input: { path: string; name?: string } | { name: string; text: string },
): LabelsImportResult {
  const file = 'path' in input ? (input.name ?? basename(input.path)) : input.name;
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
