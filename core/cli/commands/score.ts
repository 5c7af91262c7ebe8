/** `finkvra score`: apply a saved model (JSON or ONNX) to the alerts of the store or of files, into a CSV. */
import { copyFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SURVEY_LABELS } from '../../surveys/registry.js';
import type { ScoreJobResult } from '../../api/handlers/model.js';
import { cliContext } from '../context.js';
import { withServiceAt } from '../service.js';

interface ScoreCliOptions {
  model: string;
  night?: string;
  out: string;
}

/** The service writes under the app folder; the command line puts the CSV where the user asked. */
function moveTo(r: ScoreJobResult, dest: string): ScoreJobResult {
  copyFileSync(r.out, dest);
  rmSync(r.out);
  return { ...r, out: dest };
}

/** Run model.score through the service and wait for its job, with a progress bar. The store must exist. */
export async function runScore(dbPath: string, homeDir: string, opts: ScoreCliOptions, files: string[]): Promise<ScoreJobResult> {
  return withServiceAt({ dbPath, homeDir }, async (api) => {
    const input = { model: opts.model, night: opts.night, files: files.length ? files : undefined };
    const { jobId } = await api.call('model.score', input);
    return moveTo((await api.waitJob(jobId, 'score')) as ScoreJobResult, resolve(opts.out));
  });
}

export function registerScore(program: Command): void {
  program
    .command('score [files...]')
    .description('score the alerts of the store (or of the given parquet/avro files) with a saved model (.json or .onnx) into a CSV')
    .requiredOption('--model <file>', 'model.json (finkvra train --out) or model.onnx (finkvra train --onnx)')
    .option('--night <YYYY-MM-DD>', 'only alerts of this night')
    .option('--out <file>', 'CSV: candid, objectId, night, p_<class>…, predicted', 'scores.csv')
    .action(async (files: string[], opts: ScoreCliOptions, cmd: Command) => {
      const ctx = cliContext(cmd);
      const r = await runScore(ctx.dbPath, ctx.homeDir, opts, files);
      // On stderr, as other commands say it: stdout stays the result.
      console.error(`survey ${r.survey ? SURVEY_LABELS[r.survey] : 'unknown'}, feature set ${r.featureSet} (the model's)`);
      for (const w of r.warnings) console.log(`warning: ${w}`);
      if (r.ingested !== null) console.log(`read ${r.ingested} alerts from ${files.length} file(s) (not added to the store)`);
      const counts = r.classNames.map((c) => `${c} ${r.predicted[c]}`).join(', ');
      console.log(`scored ${r.rows} alerts -> ${r.out}${r.rows ? ` (predicted: ${counts})` : ''}`);
    });
}
