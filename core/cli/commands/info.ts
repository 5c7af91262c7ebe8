import type { Command } from 'commander';
import type { DataSummary, SourceFileRow } from '../../api/types.js';
import { SURVEY_LABELS } from '../../surveys/registry.js';
import { withService } from '../service.js';

export function printInfo(s: DataSummary, files: SourceFileRow[], log: (line: string) => void = console.log): void {
  log(`store ${s.dbPath}`);
  log(`${s.alerts} alerts of ${s.objects} objects from ${s.files} file(s)${s.failedFiles ? ` (${s.failedFiles} failed attempts)` : ''}; ${s.withFeatures} with features; ${s.labelled} labelled`);
  log('');
  log('survey        alerts  objects  labelled    pool  nights  files');
  for (const v of s.surveys.filter((x) => x.alerts > 0)) {
    const cols = [v.alerts, v.objects, v.labelled, v.pool, v.nights, v.files].map((n, i) => String(n).padStart([6, 8, 9, 7, 7, 6][i]));
    log(`${SURVEY_LABELS[v.survey].padEnd(12)} ${cols.join(' ')}`);
  }
  log('');
  log('night       survey      alerts   pool  labelled');
  for (const n of s.nights) {
    log(`${n.night}  ${SURVEY_LABELS[n.survey].padEnd(10)} ${String(n.alerts).padStart(6)} ${String(n.pool).padStart(6)} ${String(n.labelled).padStart(9)}`);
  }
  log('');
  log('files');
  for (const f of files) {
    log(f.error ? `  FAILED ${f.path}: ${f.error}` : `  ${String(f.rows).padStart(6)} rows, ${String(f.newAlerts).padStart(6)} new  ${f.path}`);
  }
  const labels = Object.entries(s.labelCounts);
  log('');
  log(labels.length ? `labels: ${labels.map(([k, v]) => `${k} ${v}`).join(', ')}` : 'labels: none yet');
}

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('counts per survey, per night, per file and per label')
    .action(async (_opts: unknown, cmd: Command) => {
      await withService(cmd, async (api) => printInfo(await api.call('data.summary', {}), await api.call('data.files', {})));
    });
}
