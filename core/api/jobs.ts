import { randomUUID } from 'node:crypto';
import type { JobStatus } from './types.js';

export interface JobReporter {
  progress(fraction: number | null, message: string): void;
}

/**
 * Background work started by a call and polled with jobs.get: ingest and training must never block a transport.
 * Jobs live in memory; their durable effects (rows, runs) are in the store.
 */
export class JobRegistry {
  private readonly jobs = new Map<string, JobStatus>();
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly settledListeners: { kind: string; listener: (job: JobStatus) => void }[] = [];

  /**
   * Calls `listener` each time a job of `kind` is over (done or failed), before idle() can resolve: a job it starts
   * is waited for too.
   */
  onSettled(kind: string, listener: (job: JobStatus) => void): void {
    this.settledListeners.push({ kind, listener });
  }

  start<T>(kind: string, work: (report: JobReporter) => Promise<T>): JobStatus {
    const job: JobStatus = {
      id: randomUUID(),
      kind,
      state: 'running',
      progress: 0,
      message: 'starting',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      result: null,
      error: null,
    };
    this.jobs.set(job.id, job);
    const reporter: JobReporter = {
      progress: (fraction, message) => {
        job.progress = fraction;
        job.message = message;
      },
    };
    const p = (async () => {
      // Let the caller receive the job id before any synchronous part of the work runs.
      await Promise.resolve();
      return work(reporter);
    })().then(
      (result) => {
        job.state = 'done';
        job.progress = 1;
        job.result = result;
        job.message = 'done';
      },
      (err: unknown) => {
        job.state = 'failed';
        job.error = err instanceof Error ? err.message : String(err);
        job.message = job.error;
      },
    );
    this.running.set(
      job.id,
      p.finally(() => {
        job.finishedAt = new Date().toISOString();
        this.notifySettled(job);
        this.running.delete(job.id);
      }),
    );
    return job;
  }

  private notifySettled(job: JobStatus): void {
    for (const { kind, listener } of this.settledListeners) {
      if (kind !== job.kind) continue;
      try {
        listener(job);
      } catch (e) {
        // A listener's failure must not lose the job's own outcome; it is reported, not thrown.
        console.error(`finkvra: after ${job.kind} job ${job.id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  get(id: string): JobStatus | undefined {
    return this.jobs.get(id);
  }

  /** The newest running job of a kind, if any. */
  active(kind: string): JobStatus | undefined {
    let found: JobStatus | undefined;
    for (const j of this.jobs.values()) if (j.kind === kind && j.state === 'running') found = j;
    return found;
  }

  /** Resolves when every job has settled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }
}
