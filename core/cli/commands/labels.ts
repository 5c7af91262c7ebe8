/** `finkvra labels import FILE.csv` and `finkvra labels export --out FILE.csv`. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { labelsCsv } from '../../loop/export.js';
import { importLabelsCsv, type ImportReport } from '../../store/labels.js';
import { getSettings } from '../../store/settings.js';
import { withStore } from '../context.js';

const MAX_LISTED = 10;

export function printImportReport(r: ImportReport, log: (line: string) => void = console.log): void {
  log(`${r.rows} row(s): ${r.imported} imported, ${r.unchanged} unchanged, ${r.changed.length} changed, ${r.invalid.length} rejected`);
  const list = <T>(title: string, items: T[], fmt: (x: T) => string) => {
    if (items.length === 0) return;
    log(`${title} (${items.length}):`);
    for (const x of items.slice(0, MAX_LISTED)) log(`  ${fmt(x)}`);
    if (items.length > MAX_LISTED) log(`  … and ${items.length - MAX_LISTED} more`);
  };
  list('duplicates in the file (the last row wins)', r.duplicatesInFile, (d) => `${d.candid}: rows ${d.rows.join(', ')}`);
  list('changed labels (the old one stays in the history)', r.changed, (c) => `${c.candid}: ${c.from} -> ${c.to}`);
  list('candids not ingested (labels stored; they count once the alert is ingested)', r.unknownCandids, (c) => c);
  list('rejected rows', r.invalid, (i) => `row ${i.row}: ${i.reason}`);
}

export function registerLabels(program: Command): void {
  // Shared with other `labels` subcommands (e.g. `labels weak`): reuse the group whichever registers first.
  const labels = program.commands.find((c) => c.name() === 'labels') ?? program.command('labels');
  labels.description('import, export or derive labels');

  labels
    .command('import')
    .description("import the seed's labeled.csv (candid, objectId, label, timestamp); problems are reported, not fatal")
    .argument('<file>', 'CSV file')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const text = readFileSync(file, 'utf8');
      const report = await withStore(cmd, (db) => importLabelsCsv(db, text));
      printImportReport(report);
    });

  labels
    .command('export')
    .description('write the labelled set as CSV: labels with features and meta (full), or the seed format')
    .requiredOption('--out <file>', 'CSV file to write')
    .option('--format <format>', 'full | seed', 'full')
    .option('--columns <list>', 'comma-separated columns to keep, in order (full format)')
    .action(async (opts: { out: string; format: string; columns?: string }, cmd: Command) => {
      if (opts.format !== 'full' && opts.format !== 'seed') throw new Error(`--format must be full or seed, not '${opts.format}'`);
      const format = opts.format;
      const out = await withStore(cmd, (db, ctx) =>
        labelsCsv(db, {
          format,
          task: getSettings(db, ctx.dbPath).task,
          columns: opts.columns?.split(',').map((c) => c.trim()).filter(Boolean),
        }),
      );
      writeFileSync(opts.out, out.csv);
      console.log(`${out.rows} labelled alert(s), ${out.columns.length} column(s) -> ${opts.out}`);
    });
}
