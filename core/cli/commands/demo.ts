import type { Command } from 'commander';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDustMap } from '../../ingest/dust-choice.js';
import { openStore } from '../../store/database.js';
import { loadFeatureMatrix } from '../../store/features.js';
import { cliContext } from '../context.js';
import { printInfo } from './info.js';
import { dataSummary, sourceFiles } from '../../store/queries.js';
import { printIngestSummary } from './ingest.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('build the embedded sample night into a temporary store and show what was found')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = cliContext(cmd);
      // Loaded on demand: the generator is only needed by this command.
      const { ensureSampleNights } = await import('../../sample/sample-night.js');
      const { ingestFiles } = await import('../../ingest/ingest.js');
      const sample = await ensureSampleNights(join(ctx.homeDir, 'sample'));
      const dbPath = cmd.optsWithGlobals<{ db?: string }>().db ?? join(mkdtempSync(join(tmpdir(), 'finkvra-demo-')), 'demo.sqlite');
      console.log(`sample night: ${sample.join(', ')}`);
      const db = openStore(dbPath);
      try {
        const dust = resolveDustMap(undefined, ctx.homeDir);
        const s = await ingestFiles(db, sample, { dust: dust.map });
        if (dust.warning) s.warnings.push(dust.warning);
        printIngestSummary(s);
        console.log('');
        printInfo(dataSummary(db, dbPath), sourceFiles(db));
        const m = loadFeatureMatrix(db, { minNdets: 1 });
        console.log('');
        console.log(`X: ${m.n} alerts with ndets > 0 × ${m.d} features; first rows:`);
        const show = ['ndets', 'nnondets', 'dets_median', 'dets_std', 'drb', 'amplitude_g', 'amplitude_r'];
        const idx = show.map((f) => m.names.indexOf(f));
        console.log(['candid'.padEnd(20), ...show.map((f) => f.padStart(12))].join(''));
        for (let i = 0; i < Math.min(5, m.n); i++) {
          const cells = idx.map((j) => {
            const v = m.X[i * m.d + j];
            return (Number.isNaN(v) ? 'NaN' : Number.isInteger(v) ? String(v) : v.toFixed(3)).padStart(12);
          });
          console.log([m.candids[i].padEnd(20), ...cells].join(''));
        }
        console.log('');
        console.log(`next: finkvra --db ${dbPath} features --out X.csv --meta meta.csv`);
        if (s.failed > 0) process.exitCode = 1;
      } finally {
        db.close();
      }
    });
}
