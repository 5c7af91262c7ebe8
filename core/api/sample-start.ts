import { join } from 'node:path';
import type { Handlers } from './contract.js';
import { dispatch } from './dispatch.js';
import type { DataSummary } from './types.js';

/** The embedded sample night's own store: kept apart so synthetic alerts never mix with the user's data. */
export const sampleDbPath = (sampleDir: string): string => join(sampleDir, 'sample.sqlite');

/**
 * Start ingesting the sample night's files into a store that has no alerts yet (a background job the Data screen
 * shows). Returns the job id, or null when there was nothing to do. Shared by the desktop app and web mode.
 */
export async function ingestSampleIfEmpty(handlers: Handlers, files: string[]): Promise<string | null> {
  const summary = (await dispatch(handlers, 'data.summary', {})) as DataSummary;
  if (summary.alerts > 0 || files.length === 0) return null;
  return ((await dispatch(handlers, 'data.ingest', { paths: files })) as { jobId: string }).jobId;
}
