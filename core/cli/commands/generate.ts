import type { Command } from 'commander';
import { SURVEY_IDS } from '../../surveys/registry.js';
import { intArg } from '../options.js';

interface GenerateCliOptions {
  out: string;
  alerts: number;
  seed: number;
  night: string;
  rowGroup: number;
  cutouts: string;
  truth: boolean;
  survey: string;
}


/** `finkvra generate`: write a synthetic Fink night (the project's seeded generator) to a parquet file. */
export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('generate a synthetic night of Fink ZTF or LSST alerts (seeded, Fink parquet schema) for demos and benchmarks')
    .requiredOption('--out <file>', 'parquet file to write')
    .option('--survey <survey>', `${SURVEY_IDS.join(' or ')} (lsst: Fink's LSST schema 10.0; --night is then Rubin's dayObs)`, 'ztf')
    .option('--alerts <n>', 'number of alerts', intArg(1), 400)
    .option('--seed <s>', 'random seed (same seed, same file)', intArg(0), 1)
    .option('--night <date>', 'UT date of the night, YYYY-MM-DD', '2025-06-14')
    .option('--row-group <n>', 'alerts per row group', intArg(1), 10000)
    .option('--cutouts <mode>', "'realistic' (noisy stamps, ~45 kB/alert) or 'small' (~3 kB/alert); LSST: 'realistic' or 'none'", 'realistic')
    .option('--no-truth', 'do not write the <out>.truth.json sidecar with the true classes')
    .action(async (o: GenerateCliOptions) => {
      if (!(SURVEY_IDS as readonly string[]).includes(o.survey)) throw new Error(`--survey must be ${SURVEY_IDS.join(' or ')}, got '${o.survey}'`);
      if (o.survey === 'lsst') return generateLsst(o);
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

function progress(total: number): ((n: number) => void) | undefined {
  return process.stderr.isTTY ? (n) => process.stderr.write(`\r${n}/${total} alerts`) : undefined;
}

/** `--survey lsst`: the seeded LSST night (core/sample/lsst). */
async function generateLsst(o: GenerateCliOptions): Promise<void> {
  if (o.cutouts !== 'realistic' && o.cutouts !== 'none') throw new Error(`--cutouts must be realistic or none for LSST, got '${o.cutouts}'`);
  const { generateLsstNight } = await import('../../sample/lsst/write.js');
  const t0 = performance.now();
  const res = await generateLsstNight({
    out: o.out,
    seed: o.seed,
    alerts: o.alerts,
    night: o.night,
    rowGroup: o.rowGroup,
    withCutouts: o.cutouts === 'realistic',
    truthSidecar: o.truth,
    onProgress: progress(o.alerts),
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`${res.file}: ${res.nAlerts} LSST alerts in ${res.rowGroups} row group(s), ${secs} s`);
  console.log('classes: ' + Object.entries(res.counts).map(([k, v]) => `${k} ${v}`).join(', '));
  if (res.truthFile) console.log(`truth: ${res.truthFile}`);
}
