import type { Command } from 'commander';
import type { DataSummary, SourceFileRow } from '../../api/types.js';
import { withService } from '../service.js';

export function printInfo(s: DataSummary, files: SourceFileRow[], log: (line: string) => void = console.log): void {
  log(`store ${s.dbPath}`);
  log(`${s.alerts} alerts of ${s.objects} objects from ${s.files} file(s)${s.failedFiles ? ` (${s.failedFiles} failed attempts)` : ''}; ${s.withFeatures} with features; ${s.labelled} labelled`);
  log('');
  log('night        alerts   pool  labelled');
  for (const n of s.nights) {
    log(`${n.night}  ${String(n.alerts).padStart(6)} ${String(n.pool).padStart(6)} ${String(n.labelled).padStart(9)}`);
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
    .description('counts per night, per file and per label')
    .action(async (_opts: unknown, cmd: Command) => {
      await withService(cmd, async (api) => printInfo(await api.call('data.summary', {}), await api.call('data.files', {})));
    });
}
