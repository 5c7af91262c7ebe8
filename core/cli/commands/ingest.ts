import type { Command } from 'commander';
import type { IngestSummary } from '../../api/types.js';
import { SURVEY_LABELS } from '../../surveys/registry.js';
import { withService } from '../service.js';
import { followStartedRound } from './round.js';

export function printIngestSummary(s: IngestSummary, log: (line: string) => void = console.log): void {
  for (const f of s.files) {
    if (!f.ok) log(`  FAILED  ${f.error}`);
    else if (f.skipped) log(`  skipped ${f.file} (already ingested)`);
    else log(`  ok      ${f.file}${f.survey ? ` (${SURVEY_LABELS[f.survey]})` : ''}: ${f.rows} alerts, ${f.newAlerts} new, ${f.duplicates} already known`);
  }
  const rate = s.seconds > 0 ? Math.round(s.alertsRead / s.seconds) : 0;
  log(
    `${s.files.length} file(s): ${s.files.length - s.failed} ok, ${s.failed} failed; ` +
      `${s.alertsRead} alerts read, ${s.newAlerts} new, in ${s.seconds.toFixed(1)} s (${rate} alerts/s)`,
  );
  for (const w of s.warnings) log(`warning: ${w}`);
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('ingest Fink alert files, ZTF or Rubin/LSST (parquet or avro): files, folders (recursive) or globs')
    .argument('<paths...>', 'files, folders or glob patterns')
    .option('--no-cutouts', 'do not store the cutout images (smaller store, no stamps on the card)')
    .option('--dust <path>', 'dust map: HEALPix SFD FITS, or a folder with SFD_dust_4096_ngp/sgp.fits (default: the Settings choice; auto = fetched SFD, else the bundled map)')
    .option(
      '--lasair-token <token>',
      "Lasair API token for Sherlock's sep_arcsec; visible to other users of the machine: prefer $LASAIR_TOKEN or `finkvra lasair-token set`",
    )
    .action(async (paths: string[], opts: { cutouts: boolean; dust?: string; lasairToken?: string }, cmd: Command) => {
      // The same ingest as the app's (data.ingest: one job, the dust choice, the loop's round 0 after it).
      const summary = await withService(
        cmd,
        async (api) => {
          const before = api.roundJob();
          const { jobId } = await api.call('data.ingest', {
            paths,
            cutouts: opts.cutouts,
            ...(opts.dust ? { dust: opts.dust } : {}),
            ...(opts.lasairToken ? { lasairToken: opts.lasairToken } : {}),
          });
          const s = (await api.waitJob(jobId, 'ingest')) as IngestSummary;
          console.log(`store: ${api.where.dbPath}`);
          printIngestSummary(s);
          await followStartedRound(api, before, 'the store has a pool now: round 0 (as in the app):');
          return s;
        },
        { create: true },
      );
      if (summary.failed > 0) process.exitCode = 1;
    });
}
