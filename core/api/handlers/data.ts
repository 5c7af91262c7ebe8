import { ingestFiles } from '../../ingest/ingest.js';
import { resolveDustMap } from '../../ingest/dust-choice.js';
import { alertCard } from '../../store/alert-card.js';
import { dataSummary, sourceFiles } from '../../store/queries.js';
import { getSettings, updateSettings } from '../../store/settings.js';
import { settingsPatchProblems } from '../../settings-rules.js';
import { lasairTokenFor, storedLasairToken, storeLasairToken } from '../../store/secrets.js';
import type { Handlers } from '../contract.js';
import type { ServiceContext } from '../context.js';
import type { JobReporter } from '../jobs.js';
import { removeUploads, uploadedFiles, uploadsDirOf } from '../uploads.js';
import { ApiError } from '../define.js';
import { advanceLoop, INGEST_JOB } from '../loop-advance.js';
import type { IngestSummary, Proposal } from '../types.js';

type DataMethods =
  | 'data.summary'
  | 'data.files'
  | 'data.ingest'
  | 'data.ingestUpload'
  | 'jobs.get'
  | 'alerts.card'
  | 'settings.get'
  | 'settings.set'
  | 'settings.lasairToken';

/** How one ingest runs, beyond the settings: the CLI's --no-cutouts, --dust and --lasair-token. */
interface IngestHow {
  cutouts?: boolean;
  dust?: string;
  lasairToken?: string;
}

/** Ingest, data overview, the alert card (without the loop's proposal), jobs and settings. */
export function dataHandlers(
  ctx: ServiceContext,
  proposalOf: (candid: string) => Proposal | null = () => null,
): Pick<Handlers, DataMethods> {
  /** `after` runs once the job is over, whatever its outcome. */
  const startIngest = (paths: string[], how: IngestHow = {}, after?: () => Promise<void>): { jobId: string } => {
    if (ctx.jobs.active(INGEST_JOB)) throw new ApiError('busy', 'an ingest is already running; wait for it to finish');
    // Checked before the job starts: a bad dust path is the caller's mistake, said at once.
    const dust = dustFor(how.dust);
    const job = ctx.jobs.start(INGEST_JOB, async (report): Promise<IngestSummary> => {
      try {
        return await ingestWithDust(paths, how, dust, report);
      } finally {
        await after?.();
      }
    });
    return { jobId: job.id };
  };
  const dustFor = (path: string | undefined): ReturnType<typeof resolveDustMap> => {
    try {
      return resolveDustMap(path, ctx.homeDir, getSettings(ctx.db, ctx.dbPath).dust);
    } catch (e) {
      throw new ApiError('invalid_input', `data.ingest: dust: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const ingestWithDust = async (
    paths: string[],
    how: IngestHow,
    dust: ReturnType<typeof resolveDustMap>,
    report: JobReporter,
  ): Promise<IngestSummary> => {
    const s = await ingestFiles(ctx.db, paths, {
      withCutouts: how.cutouts ?? true,
      dust: dust.map,
      lasairToken: lasairTokenFor(ctx.db, how.lasairToken),
      onProgress: (p) =>
        report.progress(
          p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : null,
          `${p.filesDone}/${p.filesTotal} files, ${p.alerts} alerts`,
        ),
    });
    if (dust.warning) s.warnings.push(dust.warning);
    return s;
  };

  return {
    'data.summary': () => dataSummary(ctx.db, ctx.dbPath),
    'data.files': () => sourceFiles(ctx.db),
    'data.ingest': ({ paths, ...how }) => startIngest(paths, how),
    'data.ingestUpload': async ({ uploads }) => {
      // The files' rows are in the store once the job is over: their folders go then (or now, if refused).
      const dir = uploadsDirOf(ctx.homeDir);
      try {
        return startIngest(uploadedFiles(dir, uploads), {}, () => removeUploads(dir, uploads));
      } catch (e) {
        await removeUploads(dir, uploads);
        throw e;
      }
    },
    'jobs.get': ({ id }) => {
      const j = ctx.jobs.get(id);
      if (!j) throw new ApiError('not_found', `no job ${id}`);
      return j;
    },
    'alerts.card': ({ candid }) => {
      const card = alertCard(ctx.db, candid);
      if (!card) throw new ApiError('not_found', `no alert with candid ${candid}`);
      return { ...card, proposal: proposalOf(candid) };
    },
    'settings.get': () => getSettings(ctx.db, ctx.dbPath),
    'settings.lasairToken': (input) => {
      if (input.action !== 'show') storeLasairToken(ctx.db, input.action === 'set' ? input.token : null);
      return { stored: storedLasairToken(ctx.db) !== null, fromEnvironment: !!process.env.LASAIR_TOKEN };
    },
    'settings.set': (patch) => {
      const problems = settingsPatchProblems(getSettings(ctx.db, ctx.dbPath), patch);
      if (problems.length) throw new ApiError('invalid_input', `settings.set: ${problems.join('; ')}`);
      let saved;
      try {
        saved = updateSettings(ctx.db, ctx.dbPath, patch);
      } catch (e) {
        throw new ApiError('invalid_input', e instanceof Error ? e.message : String(e));
      }
      // A new task (or n0) can leave the loop without a round it needs: round 0 of that task starts now.
      advanceLoop(ctx);
      return saved;
    },
  };
}
