import type { JobStatus } from '@core/api/types.js';

/** A background job in one line: what it does, how far, or why it failed. */
export function JobProgress({ job }: { job: JobStatus }) {
  if (job.state === 'failed') return <span className="job failed" data-testid="job">{job.kind} failed: {job.error}</span>;
  if (job.state === 'done') return <span className="job done" data-testid="job">{job.kind} done</span>;
  return (
    <span className="job running" data-testid="job">
      <span className="spinner" aria-hidden /> {job.message || job.kind}
      {job.progress !== null && <> · {Math.round(job.progress * 100)} %</>}
    </span>
  );
}
