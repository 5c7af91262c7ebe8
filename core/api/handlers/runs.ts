/** The run tracker's reads for `finkvra runs`: experiments, comparisons and CSV/JSON exports (runs.list/get: loop.ts). */
import { ExperimentNotFoundError, RunNotFoundError, TrackError } from '../../track/errors.js';
import { exportCsv, exportFilename, exportJson, type ExportSelection } from '../../track/export.js';
import { compareRuns, listExperiments, resolveRunId } from '../../track/tracker.js';
import type { Handlers } from '../contract.js';
import type { ServiceContext } from '../context.js';
import { ApiError } from '../define.js';

/** A tracker error as the contract's: unknown run or experiment -> not_found, another refusal -> invalid_input. */
export function trackError(e: unknown): never {
  if (e instanceof RunNotFoundError || e instanceof ExperimentNotFoundError) throw new ApiError('not_found', e.message);
  if (e instanceof TrackError) throw new ApiError('invalid_input', e.message);
  throw e;
}

type RunsMethods = 'runs.experiments' | 'runs.compare' | 'runs.exportText';

export function runsHandlers(ctx: ServiceContext): Pick<Handlers, RunsMethods> {
  const guarded = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      return trackError(e);
    }
  };
  return {
    'runs.experiments': () => listExperiments(ctx.db).map((e) => ({ id: e.id, name: e.name, runs: e.runs })),
    'runs.compare': ({ runIds }) => guarded(() => compareRuns(ctx.db, runIds.map((id) => resolveRunId(ctx.db, id)))),
    'runs.exportText': (input) =>
      guarded(() => {
        const sel: ExportSelection = 'runId' in input ? { runId: resolveRunId(ctx.db, input.runId) } : { experiment: input.experiment };
        const text = input.format === 'csv' ? exportCsv(ctx.db, sel) : exportJson(ctx.db, sel);
        return { filename: exportFilename(sel, input.format), text };
      }),
  };
}
