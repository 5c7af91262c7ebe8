import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { IngestSummary } from '../../api/types.js';
import { resolveDustMap } from '../../ingest/dust-choice.js';
import { getSettings } from '../../store/settings.js';
import { withStore } from '../context.js';
import { lasairTokenFor } from '../../store/secrets.js';

export function printIngestSummary(s: IngestSummary, log: (line: string) => void = console.log): void {
  for (const f of s.files) {
    if (!f.ok) log(`  FAILED  ${f.error}`);
    else if (f.skipped) log(`  skipped ${f.file} (already ingested)`);
    else log(`  ok      ${f.file}: ${f.rows} alerts, ${f.newAlerts} new, ${f.duplicates} already known`);
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
    .description('ingest Fink ZTF alert files (parquet or avro): files, folders (recursive) or globs')
    .argument('<paths...>', 'files, folders or glob patterns')
    .option('--no-cutouts', 'do not store the cutout images (smaller store, no stamps on the card)')
    .option('--dust <path>', 'dust map: HEALPix SFD FITS, or a folder with SFD_dust_4096_ngp/sgp.fits (default: the Settings choice; auto = fetched SFD, else the bundled map)')
    .option(
      '--lasair-token <token>',
      "Lasair API token for Sherlock's sep_arcsec; visible to other users of the machine: prefer $LASAIR_TOKEN or `finkvra lasair-token set`",
    )
    .action(async (paths: string[], opts: { cutouts: boolean; dust?: string; lasairToken?: string }, cmd: Command) => {
      // The reader (parquet-wasm, arrow, avsc) loads only when a command ingests: the CLI starts fast otherwise.
      const { ingestFiles } = await import('../../ingest/ingest.js');
      const summary = await withStore(cmd, async (db, ctx) => {
        const dust = resolveDustMap(opts.dust, ctx.homeDir, getSettings(db, ctx.dbPath).dust);
        const bar = new cliProgress.SingleBar(
          {
            format: 'ingest [{bar}] {percentage}% | {files} files | {alerts} alerts | {rate} alerts/s',
            hideCursor: true,
            noTTYOutput: false,
          },
          cliProgress.Presets.shades_classic,
        );
        const tty = process.stderr.isTTY;
        if (tty) bar.start(1, 0, { files: '0/0', alerts: 0, rate: 0 });
        const s = await ingestFiles(db, paths, {
          withCutouts: opts.cutouts,
          dust: dust.map,
          lasairToken: lasairTokenFor(db, opts.lasairToken),
          onProgress: (p) => {
            if (!tty) return;
            bar.setTotal(Math.max(1, p.bytesTotal));
            bar.update(p.bytesDone, {
              files: `${p.filesDone}/${p.filesTotal}`,
              alerts: p.alerts,
              rate: p.seconds > 0 ? Math.round(p.alerts / p.seconds) : 0,
            });
          },
        });
        if (tty) bar.stop();
        if (dust.warning) s.warnings.push(dust.warning);
        console.log(`store: ${ctx.dbPath}`);
        return s;
      }, { create: true });
      printIngestSummary(summary);
      if (summary.failed > 0) process.exitCode = 1;
    });
}
