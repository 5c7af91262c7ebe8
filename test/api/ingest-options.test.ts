/**
 * data.ingest carries what `finkvra ingest` offers (the CLI goes through it): cutouts off, a dust map for this ingest,
 * a Lasair token; a dust path that is no map is refused at once, naming the field, before any job starts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../core/api/dispatch.js';
import { openService } from '../../core/api/service.js';
import type { IngestSummary, JobStatus } from '../../core/api/types.js';
import { tempDir } from '../loop/fixture.js';
import { FINK_ZTF, sharedDataOrSkipReason } from '../helpers/shared-data.js';

const present = sharedDataOrSkipReason('data.ingest options');
const FILE = join(FINK_ZTF, 'ztf_20211122_xmatch_sample_a.parquet');

async function finished(handlers: ReturnType<typeof openService>['handlers'], jobId: string): Promise<IngestSummary> {
  for (;;) {
    const j = (await dispatch(handlers, 'jobs.get', { id: jobId })) as JobStatus;
    if (j.state === 'done') return j.result as IngestSummary;
    if (j.state === 'failed') throw new Error(j.error ?? 'failed');
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

describe.skipIf(!present)('data.ingest options', () => {
  it('cutouts: false stores no sidecar (and the Settings dust choice none leaves ebv missing)', async () => {
    const dir = tempDir('finkvra-ingest-opts-');
    const s = openService({ dbPath: join(dir, 'a.sqlite'), homeDir: join(dir, 'home'), advanceOnOpen: false });
    try {
      await dispatch(s.handlers, 'settings.set', { dust: 'none' });
      const { jobId } = (await dispatch(s.handlers, 'data.ingest', { paths: [FILE], cutouts: false })) as { jobId: string };
      expect((await finished(s.handlers, jobId)).newAlerts).toBe(67);
      expect(s.ctx.db.prepare('SELECT cutouts_file FROM source_files').pluck().all()).toEqual([null]);
      const card = (await dispatch(s.handlers, 'alerts.card', {
        candid: s.ctx.db.prepare('SELECT candid FROM alerts LIMIT 1').pluck().get() as string,
      })) as { cutouts: { science: string | null }; features: Record<string, number | null> };
      expect(card.cutouts.science).toBeNull();
      expect(card.features.ebv).toBeNull();
    } finally {
      await s.close();
    }
  });

  it('by default the cutouts are stored; a dust path that is no map is refused before any job', async () => {
    const dir = tempDir('finkvra-ingest-opts-');
    const s = openService({ dbPath: join(dir, 'b.sqlite'), homeDir: join(dir, 'home'), advanceOnOpen: false });
    try {
      await expect(dispatch(s.handlers, 'data.ingest', { paths: [FILE], dust: join(dir, 'no-such-map.fits') })).rejects.toMatchObject({
        code: 'invalid_input',
        message: /^data\.ingest: dust: /,
      });
      const { jobId } = (await dispatch(s.handlers, 'data.ingest', { paths: [FILE] })) as { jobId: string };
      await finished(s.handlers, jobId);
      expect(s.ctx.db.prepare('SELECT cutouts_file FROM source_files').pluck().get()).not.toBeNull();
    } finally {
      await s.close();
    }
  });
});
