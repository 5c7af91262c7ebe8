/** `finkvra labels weak [--dry-run]`: weak labels from cdsxmatch / tnsclass / finkclass, through labels.weak. */
import type { Command } from 'commander';
import type { WeakLabelsResult } from '../../api/types.js';
import { LABELS } from '../../labels.js';
import { PRECEDENCE_NOTE, WEAK_COLUMNS } from '../../weak/mapping.js';
import { announceSurvey, withService } from '../service.js';

export function printWeakDerivation(d: WeakLabelsResult, log: (line: string) => void = console.log): void {
  log(`${d.alerts} alert(s); ${d.excludedRoid} left out as known asteroids (roid = 3)`);
  const cols = ['verdict', ...WEAK_COLUMNS, 'combined'];
  const rows = [...LABELS, 'none', 'ambiguous', 'unseen'].map((v) => [
    v,
    ...WEAK_COLUMNS.map((c) => String(d.verdictCounts[c][v] ?? 0)),
    v in d.combinedPerLabel ? String(d.combinedPerLabel[v]) : '',
  ]);
  const width = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((x, i) => (i === 0 ? x.padEnd(width[i]) : x.padStart(width[i]))).join('  ');
  log(line(cols));
  for (const r of rows) log(line(r));
  log(`combined: ${d.combined} labelled alert(s); precedence ${PRECEDENCE_NOTE}`);
  log(`combined label taken from: ${WEAK_COLUMNS.map((c) => `${c} ${d.combinedFrom[c] ?? 0}`).join(', ')}`);
  if (d.conflicts.length > 0) {
    log(`${d.conflicts.length} alert(s) where columns disagree on galactic vs extragalactic (precedence decides):`);
    for (const c of d.conflicts.slice(0, 10)) {
      log(`  ${c.objectId} ${c.candid}: ${Object.entries(c.labels).map(([k, v]) => `${k}=${v}`).join(' ')} -> ${c.kept}`);
    }
  }
  for (const c of WEAK_COLUMNS) {
    if (d.unseen[c].length === 0) continue;
    const list = d.unseen[c].map(([v, n]) => `'${v}' (${n})`).join(', ');
    log(`warning: ${c} values not in the mapping table (no label given): ${list}`);
  }
}

/** Adds `weak` under the `labels` command (created if the program has none yet). */
export function registerWeak(program: Command): void {
  const labels = program.commands.find((c) => c.name() === 'labels') ?? program.command('labels').description('labels');
  labels
    .command('weak')
    .description('derive weak labels from cdsxmatch, tnsclass and finkclass (stored as weak:<column>, apart from human labels)')
    .option('--dry-run', 'print the counts without storing anything')
    .action(async (opts: { dryRun?: boolean }, cmd: Command) => {
      await withService(cmd, async (api) => {
        await announceSurvey(api);
        const d = await api.call('labels.weak', { dryRun: opts.dryRun === true });
        printWeakDerivation(d);
        for (const line of d.notes) console.log(line);
        if (!d.stored) return void console.log('dry run: nothing stored');
        const { written, unchanged } = d.stored;
        console.log(`stored: ${WEAK_COLUMNS.map((c) => `weak:${c} ${written[c]} new, ${unchanged[c]} unchanged`).join('; ')}`);
      });
    });
}
