/**
 * The CLI's one way into core: the same service and contract as the app (core/api), so a label, an import or a
 * round from the terminal does exactly what the app's does (validation, errors, the loop starting its next round).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { MethodInput, MethodName, MethodResult } from '../api/contract.js';
import { dispatch } from '../api/dispatch.js';
import { ROUND_JOB } from '../api/loop-advance.js';
import type { JobStatus } from '../api/types.js';
import { FEATURE_SET_SURVEY, type FeatureSetName } from '../features/names.js';
import { SURVEY_LABELS } from '../surveys/registry.js';
import { cliContext, type CliContext } from './context.js';
import { progressReporter } from './progress.js';

export type CliCall = <K extends MethodName>(method: K, input: MethodInput<K>) => Promise<MethodResult<K>>;

export interface CliApi {
  call: CliCall;
  /** Waits for a background job (a round, a scoring) with a progress bar; its result, or its error thrown. */
  waitJob(jobId: string, label: string): Promise<unknown>;
  /**
   * The newest round job of this service (running or over), or null. The CLI's service starts no round when it opens,
   * so any is one this command's writes (or `round`) started; a fast round may be over before the call returns.
   */
  roundJob(): JobStatus | null;
  /** The store and app folder the service has open. */
  where: Pick<CliContext, 'dbPath' | 'homeDir'>;
}

/** "survey ZTF, feature set extended": what a command works on (the feature set decides the survey). */
export function surveyLine(featureSet: FeatureSetName): string {
  return `survey ${SURVEY_LABELS[FEATURE_SET_SURVEY[featureSet]]}, feature set ${featureSet}`;
}

/**
 * Says which survey and feature set a command works on, on stderr: stdout stays the command's result (pipeable).
 * `featureSet` overrides the saved setting (a --features option).
 */
export async function announceSurvey(api: CliApi, featureSet?: FeatureSetName): Promise<FeatureSetName> {
  const fs = featureSet ?? (await api.call('settings.get', {})).featureSet;
  console.error(surveyLine(fs));
  return fs;
}

async function waitJob(call: CliCall, jobId: string, label: string): Promise<unknown> {
  const bar = progressReporter(label);
  try {
    for (;;) {
      const j: JobStatus = await call('jobs.get', { id: jobId });
      if (j.state === 'failed') throw new Error(j.error ?? `${label} failed`);
      if (j.state === 'done') return j.result;
      bar.progress(j.progress ?? 0, j.message);
      await sleep(100);
    }
  } finally {
    bar.stop();
  }
}

/**
 * Open the command's store as a service, run `fn`, and close it (after its background jobs). The store must exist;
 * opening starts no round: only a write (a label, an import) or `round` does, as in the app.
 */
export async function withService<T>(cmd: Command, fn: (api: CliApi) => Promise<T> | T, opts: ServiceOpenOptions = {}): Promise<T> {
  return withServiceAt(cliContext(cmd), fn, opts);
}

export interface ServiceOpenOptions {
  /** Create the store when it does not exist (`ingest`, like the app's first ingest); other commands refuse it. */
  create?: boolean;
}

/** withService on a given store and app folder (tests, and commands that resolved them already). */
export async function withServiceAt<T>(
  where: Pick<CliContext, 'dbPath' | 'homeDir'>,
  fn: (api: CliApi) => Promise<T> | T,
  opts: ServiceOpenOptions = {},
): Promise<T> {
  // Loaded on use: the service pulls in the readers and learners, which a quick command does not need.
  const { openService } = await import('../api/service.js');
  const { dbPath, homeDir } = where;
  const service = openService({ dbPath, homeDir, mustExist: !opts.create, advanceOnOpen: false });
  const call: CliCall = async (method, input) => (await dispatch(service.handlers, method, input)) as never;
  let lastRound: JobStatus | null = null;
  service.ctx.jobs.onSettled(ROUND_JOB, (j) => void (lastRound = j));
  const roundJob = () => service.ctx.jobs.active(ROUND_JOB) ?? lastRound;
  try {
    return await fn({ call, roundJob, where: { dbPath, homeDir }, waitJob: (id, label) => waitJob(call, id, label) });
  } finally {
    await service.close();
  }
}
