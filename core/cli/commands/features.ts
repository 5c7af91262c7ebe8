/** `finkvra features`: the feature matrix X of a feature set and its meta as CSV files, through data.features. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { FEATURE_SETS, parseFeatureSet } from '../../features/names.js';
import { announceSurvey, withService } from '../service.js';

export function registerFeatures(program: Command): void {
  program
    .command('features')
    .description('export the feature matrix X (indexed on candid) and meta (candid, objectId, ...) as CSV')
    .requiredOption('--out <file>', 'X as CSV')
    .option('--meta <file>', 'meta as CSV')
    .option('--night <YYYY-MM-DD>', 'only alerts of this night')
    .option('--set <name>', `feature set (${FEATURE_SETS.join(', ')})`, 'seed')
    .action(async (opts: { out: string; meta?: string; night?: string; set: string }, cmd: Command) => {
      const featureSet = parseFeatureSet(opts.set, '--set');
      const r = await withService(cmd, async (api) => {
        await announceSurvey(api, featureSet);
        return api.call('data.features', { featureSet, night: opts.night, meta: opts.meta !== undefined });
      });
      writeFileSync(opts.out, r.x);
      if (opts.meta && r.meta !== null) writeFileSync(opts.meta, r.meta);
      console.log(`wrote ${r.rows} rows to ${opts.out}${opts.meta ? ` and ${opts.meta}` : ''}`);
    });
}
