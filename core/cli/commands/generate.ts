import type { Command } from 'commander';
import { intArg } from '../options.js';

interface GenerateCliOptions {
  out: string;
  alerts: number;
  seed: number;
  night: string;
  rowGroup: number;
  cutouts: string;
  truth: boolean;
}

/** `finkvra generate`: write a synthetic Fink night (the project's seeded generator) to a parquet file. */
export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('generate a synthetic night of Fink ZTF alerts (seeded, Fink parquet schema) for demos and benchmarks')
    .requiredOption('--out <file>', 'parquet file to write')
    .option('--alerts <n>', 'number of alerts', intArg(1), 400)
    .option('--seed <s>', 'random seed (same seed, same file)', intArg(0), 1)
    .option('--night <date>', 'UT date of the night, YYYY-MM-DD', '2025-06-14')
    .option('--row-group <n>', 'alerts per row group', intArg(1), 10000)
    .option('--cutouts <mode>', "'realistic' (noisy stamps, ~45 kB/alert) or 'small' (~3 kB/alert)", 'realistic')
    .option('--no-truth', 'do not write the <out>.truth.json sidecar with the true classes')
    .action(async (o: GenerateCliOptions) => {
      if (o.cutouts !== 'realistic' && o.cutouts !== 'small') throw new Error(`--cutouts must be realistic or small, got '${o.cutouts}'`);
      const nAlerts = o.alerts;
      const { writeSampleNight } = await import('../../sample/write.js');
      const t0 = performance.now();
      const res = await writeSampleNight(o.out, {
        seed: o.seed,
        nAlerts,
        night: o.night,
        rowGroupSize: o.rowGroup,
        cutouts: o.cutouts,
        truthSidecar: o.truth,
        onProgress: process.stderr.isTTY ? (n) => process.stderr.write(`\r${n}/${nAlerts} alerts`) : undefined,
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      console.log(`${res.file}: ${res.nAlerts} alerts in ${res.rowGroups} row group(s), ${secs} s`);
      console.log('classes: ' + Object.entries(res.counts).map(([k, v]) => `${k} ${v}`).join(', '));
      if (res.truthFile) console.log(`truth: ${res.truthFile}`);
    });
}
