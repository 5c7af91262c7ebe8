/** `finkvra score`: apply a saved model (JSON or ONNX) to the alerts of the store or of files, into a CSV. */
import { copyFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { dispatch } from '../../api/dispatch.js';
import type { ScoreJobResult } from '../../api/handlers/model.js';
import type { JobStatus } from '../../api/types.js';
import { cliContext } from '../context.js';
import { progressReporter } from './round.js';

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

/** Run model.score through the service and wait for its job, with a progress bar. */
export async function runScore(dbPath: string, homeDir: string, opts: ScoreCliOptions, files: string[]): Promise<ScoreJobResult> {
  const { openService } = await import('../../api/service.js');
  const service = openService({ dbPath, homeDir });
  const bar = progressReporter('score');
  try {
    const input = { model: opts.model, night: opts.night, files: files.length ? files : undefined };
    const { jobId } = (await dispatch(service.handlers, 'model.score', input)) as { jobId: string };
    for (;;) {
      const j = (await dispatch(service.handlers, 'jobs.get', { id: jobId })) as JobStatus;
      if (j.state === 'failed') throw new Error(j.error ?? 'scoring failed');
      if (j.state === 'done') return moveTo(j.result as ScoreJobResult, resolve(opts.out));
      bar.progress(j.progress ?? 0, j.message);
      await sleep(100);
    }
  } finally {
    bar.stop();
    await service.close();
  }
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
      for (const w of r.warnings) console.log(`warning: ${w}`);
      if (r.ingested !== null) console.log(`read ${r.ingested} alerts from ${files.length} file(s) (not added to the store)`);
      const counts = r.classNames.map((c) => `${c} ${r.predicted[c]}`).join(', ');
      console.log(`scored ${r.rows} alerts -> ${r.out}${r.rows ? ` (predicted: ${counts})` : ''}`);
    });
}
