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
        this.running.delete(job.id);
      }),
    );
    return job;
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
