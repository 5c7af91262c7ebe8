/** `finkvra labels import FILE.csv`, `finkvra labels export --out FILE.csv` and `finkvra labels holdout`. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { MethodInput } from '../../api/contract.js';
import type { HoldoutChange, HoldoutState, ImportReport } from '../../api/types.js';
import { candidsFromCsvText } from '../../candids-csv.js';
import { intArg, numberArg } from '../options.js';
import { announceSurvey, withService } from '../service.js';
import { followStartedRound } from './round.js';

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

export function printHoldoutSummary(h: HoldoutState, log: (line: string) => void = console.log): void {
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
      await withService(cmd, async (api) => {
        await announceSurvey(api);
        // By path: the service reads the bytes (a binary file is refused, not decoded into garbage rows).
        const before = api.roundJob();
        printImportReport(await api.call('labels.import', { path: file, name: file }));
        await followStartedRound(api, before, 'these labels start a round (as in the app):');
      });
    });

  labels
    .command('export')
    .description('write the labelled set as CSV: labels with features and meta (full), or the seed format')
    .requiredOption('--out <file>', 'CSV file to write')
    .option('--format <format>', 'full | seed', 'full')
    .option('--columns <list>', 'comma-separated columns to keep, in order (full format)')
    .action(async (opts: { out: string; format: string; columns?: string }, cmd: Command) => {
      if (opts.format !== 'full' && opts.format !== 'seed') throw new Error(`--format must be full or seed, not '${opts.format}'`);
      const columns = opts.columns?.split(',').map((c) => c.trim()).filter(Boolean);
      const input = { format: opts.format, columns: columns?.length ? columns : undefined } as const;
      const out = await withService(cmd, async (api) => {
        await announceSurvey(api);
        return api.call('labels.exportCsv', input);
      });
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
      const input = holdoutInput(opts);
      await withService(cmd, async (api) => {
        await announceSurvey(api);
        const before = api.roundJob();
        const h = await api.call('labels.holdout', input);
        if (h.change) printHoldoutChange(h.change, input, (await api.call('settings.get', {})).task);
        printHoldoutSummary(h);
        if (input.action !== 'show') await followStartedRound(api, before, 'the held-out set changed the pool: a round starts (as in the app):');
      });
    });
}

interface HoldoutCliOptions {
  fraction?: number;
  seed: number;
  file?: string;
  nights?: string;
  clear?: boolean;
}

/** The labels.holdout call the options ask for (one mode at most; none: show). */
function holdoutInput(o: HoldoutCliOptions): MethodInput<'labels.holdout'> {
  if (o.clear) return { action: 'clear' };
  if (o.fraction !== undefined) return { action: 'mark', fraction: o.fraction, seed: o.seed };
  if (o.nights !== undefined) return { action: 'mark', nights: o.nights.split(',').map((n) => n.trim()).filter(Boolean) };
  if (o.file !== undefined) return { action: 'mark', candids: candidsFromCsvText(readText(o.file), o.file) };
  return { action: 'show' };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'read error'})`, { cause: e });
  }
}

function printHoldoutChange(c: HoldoutChange, input: MethodInput<'labels.holdout'>, task: string): void {
  if (c.cleared !== undefined) return void console.log(`cleared the held-out set (${c.cleared} alert(s))`);
  if (input.fraction !== undefined) {
    console.log(
      `marked ${c.marked} alert(s) as held out (task ${task}, fraction ${input.fraction}, seed ${input.seed}; stratified by class, whole objects)`,
    );
  } else if (c.perNight) {
    const per = Object.entries(c.perNight).map(([n, k]) => `${n} ${k}`).join(', ');
    console.log(`marked ${c.marked} alert(s) as held out: every alert of ${per}; other alerts of their objects are held out too`);
  } else {
    console.log(`marked ${c.marked} alert(s) as held out (${c.already} already were); other alerts of their objects are held out too`);
    const unknown = c.unknown ?? [];
    if (unknown.length) console.log(`${unknown.length} candid(s) unknown to the store (marked all the same): ${unknown.slice(0, MAX_LISTED).join(', ')}`);
  }
}
