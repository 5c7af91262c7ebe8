/** `finkvra labels import FILE.csv`, `finkvra labels export --out FILE.csv` and `finkvra labels holdout`. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { labelsCsv } from '../../loop/export.js';
import {
  candidsFromCsv,
  clearHoldout,
  holdoutSummary,
  markHoldoutCandids,
  markHoldoutFraction,
  markHoldoutNights,
  type HoldoutSummary,
} from '../../loop/holdout.js';
import { importLabelsCsv, type ImportReport } from '../../store/labels.js';
import { getSettings } from '../../store/settings.js';
import { withStore } from '../context.js';
import { intArg, numberArg } from '../options.js';

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

export function printHoldoutSummary(h: HoldoutSummary, log: (line: string) => void = console.log): void {
  if (h.marked === 0) return void log('no held-out set marked');
  const cls = Object.entries(h.perClass).map(([k, v]) => `${k} ${v}`).join(', ');
  const lab = Object.entries(h.perLabel).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  log(`held-out set: ${h.marked} marked alert(s), ${h.objects} object(s); labelled held-out alerts per class: ${cls}; per label: ${lab}`);
}

export function registerLabels(program: Command): void {
  // Shared with other `labels` subcommands (e.g. `labels weak`): reuse the group whichever registers first.
  const labels = program.commands.find((c) => c.name() === 'labels') ?? program.command('labels');
  labels.description('import, export or derive labels');

  labels
    .command('import')
    .description("import the seed's labeled.csv (candid, objectId, label, timestamp); row problems are reported, a bad file is an error")
    .argument('<file>', 'CSV file')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      // Bytes, not text: a binary file is refused by the parser instead of being decoded into garbage rows.
      const bytes = readFileSync(file);
      const report = await withStore(cmd, (db) => importLabelsCsv(db, bytes, file));
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

  labels
    .command('holdout')
    .description(
      'mark a fixed held-out labelled set (never trained on, never proposed; each round reports metrics on it): ' +
        'a stratified fraction of the counted labels (whole objects), every alert of some nights, or the candids of a CSV file',
    )
    .option('--fraction <f>', "hold out this fraction of each class of the task's counted labels, keeping objects whole", numberArg(0, 1, true))
    .option('--seed <int>', 'random seed of --fraction', intArg(), 0)
    .option('--file <csv>', "add the candids of a CSV file's candid column")
    .option('--nights <list>', 'hold out every alert of these nights (comma-separated YYYY-MM-DD): measures rounds on unseen nights')
    .option('--clear', 'remove the held-out set')
    .option('--show', 'counts per class (the default when nothing else is asked)')
    .action(async (opts: { fraction?: number; seed: number; file?: string; nights?: string; clear?: boolean; show?: boolean }, cmd: Command) => {
      const modes = [opts.fraction !== undefined, opts.file !== undefined, opts.nights !== undefined, !!opts.clear].filter(Boolean).length;
      if (modes > 1) throw new Error('use one of --fraction, --file, --nights, --clear');
      await withStore(cmd, (db, ctx) => {
        const task = getSettings(db, ctx.dbPath).task;
        if (opts.clear) console.log(`cleared the held-out set (${clearHoldout(db)} alert(s))`);
        if (opts.fraction !== undefined) {
          const f = opts.fraction;
          const seed = opts.seed;
          const r = markHoldoutFraction(db, task, f, seed);
          console.log(`marked ${r.marked} alert(s) as held out (task ${task}, fraction ${f}, seed ${seed}; stratified by class, whole objects)`);
        }
        if (opts.nights !== undefined) {
          const r = markHoldoutNights(db, task, opts.nights.split(','));
          const per = Object.entries(r.perNight).map(([n, k]) => `${n} ${k}`).join(', ');
          console.log(`marked ${r.marked} alert(s) as held out: every alert of ${per}; other alerts of their objects are held out too`);
        }
        if (opts.file !== undefined) {
          let candids: string[];
          try {
            candids = candidsFromCsv(readFileSync(opts.file, 'utf8'));
          } catch (e) {
            throw new Error(`--file ${opts.file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
          }
          const r = markHoldoutCandids(db, task, candids);
          console.log(`marked ${r.marked} alert(s) as held out (${r.already} already were); other alerts of their objects are held out too`);
          if (r.unknown.length) console.log(`${r.unknown.length} candid(s) unknown to the store (marked all the same): ${r.unknown.slice(0, MAX_LISTED).join(', ')}`);
        }
        printHoldoutSummary(holdoutSummary(db, task));
      });
    });
}
