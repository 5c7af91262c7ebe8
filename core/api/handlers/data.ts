import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ingestFiles } from '../../ingest/ingest.js';
import { resolveDustMap } from '../../ingest/dust-choice.js';
import { alertCard } from '../../store/alert-card.js';
import { dataSummary, sourceFiles } from '../../store/queries.js';
import { getSettings, updateSettings } from '../../store/settings.js';
import type { Handlers } from '../contract.js';
import type { ServiceContext } from '../context.js';
import { ApiError } from '../define.js';
import type { IngestSummary, Proposal } from '../types.js';

type DataMethods =
  | 'data.summary'
  | 'data.files'
  | 'data.ingest'
  | 'data.ingestUpload'
  | 'jobs.get'
  | 'alerts.card'
  | 'settings.get'
  | 'settings.set';

/** Ingest, data overview, the alert card (without the loop's proposal), jobs and settings. */
export function dataHandlers(
  ctx: ServiceContext,
  proposalOf: (candid: string) => Proposal | null = () => null,
): Pick<Handlers, DataMethods> {
  const startIngest = (paths: string[]): { jobId: string } => {
    if (ctx.jobs.active('ingest')) throw new ApiError('busy', 'an ingest is already running; wait for it to finish');
    const job = ctx.jobs.start('ingest', async (report): Promise<IngestSummary> => {
      const dust = resolveDustMap(undefined, ctx.homeDir, getSettings(ctx.db, ctx.dbPath).dust);
      const s = await ingestFiles(ctx.db, paths, {
        dust: dust.map,
        lasairToken: process.env.LASAIR_TOKEN ?? null,
        onProgress: (p) =>
          report.progress(
            p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : null,
            `${p.filesDone}/${p.filesTotal} files, ${p.alerts} alerts`,
          ),
      });
      if (dust.warning) s.warnings.push(dust.warning);
      return s;
    });
    return { jobId: job.id };
  };

  return {
    'data.summary': () => dataSummary(ctx.db, ctx.dbPath),
    'data.files': () => sourceFiles(ctx.db),
    'data.ingest': ({ paths }) => startIngest(paths),
    'data.ingestUpload': ({ files }) => {
      // Uploaded files are kept under the app folder: the source file table points at them.
      const dir = join(ctx.homeDir, 'uploads', new Date().toISOString().replace(/[:.]/g, '-'));
      mkdirSync(dir, { recursive: true });
      const paths = files.map((f) => {
        const name = basename(f.name).replace(/[^\w.+-]/g, '_');
        if (!/\.(parquet|avro)$/i.test(name)) {
          throw new ApiError('invalid_input', `${f.name}: only .parquet and .avro alert files can be ingested`);
        }
        const p = join(dir, name);
        writeFileSync(p, Buffer.from(f.base64, 'base64'));
        return p;
      });
      return startIngest(paths);
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
    'settings.set': (patch) => {
      try {
        return updateSettings(ctx.db, ctx.dbPath, patch);
      } catch (e) {
        throw new ApiError('invalid_input', e instanceof Error ? e.message : String(e));
      }
    },
  };
}
