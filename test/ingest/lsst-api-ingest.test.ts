/**
 * data.ingest through the API (dispatch → contract → handler → ingestFiles), as every entry point calls it, takes
 * the LSST folder: the job reports each file and the store holds the 25 LSST alerts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../core/api/dispatch.js';
import { openService } from '../../core/api/service.js';
import type { IngestSummary } from '../../core/api/types.js';
import { SHARED_DATA, sharedDataOrSkipReason } from '../helpers/shared-data.js';

const HAS = sharedDataOrSkipReason('lsst-api-ingest');
const LSST_DIR = `${SHARED_DATA}/fink-lsst`;
const root = mkdtempSync(join(tmpdir(), 'lsst-api-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(!HAS)('data.ingest of LSST files', () => {
  it('ingests the LSST folder as a job', async () => {
    const svc = openService({ dbPath: join(root, 'vra.sqlite'), homeDir: join(root, 'home') });
    try {
      const { jobId } = (await dispatch(svc.handlers, 'data.ingest', { paths: [LSST_DIR] })) as { jobId: string };
      await svc.ctx.jobs.idle();
      const job = svc.ctx.jobs.get(jobId);
      expect(job?.state).toBe('done');
      const s = job?.result as IngestSummary;
      expect(s.failed).toBe(0);
      expect(s.files.length).toBe(4);
      expect(s.newAlerts).toBe(25);
      const bySurvey = svc.ctx.db.prepare('SELECT survey, COUNT(*) AS n FROM alerts GROUP BY survey').all();
      expect(bySurvey).toEqual([{ survey: 'lsst', n: 25 }]);
    } finally {
      await svc.close();
    }
  }, 60_000);
});
