/**
 * `finkvra label`: label the proposed batch in the terminal with the seed's keys (r x g a b v; s skip, z undo,
 * q quit). Raw-mode stdin on a terminal; piped input works too (one character per key, whitespace ignored), so the
 * command is testable: `printf 'rxgsq' | finkvra label`. Each label is committed before the next alert shows.
 */
import type { Command } from 'commander';
import { LABELS, type Label } from '../../labels.js';
import { batchComplete, loopState } from '../../loop/state.js';
import type { Db } from '../../store/database.js';
import { loadFeatureMatrix } from '../../store/features.js';
import { setLabel, skipAlert, undoLast } from '../../store/labels.js';
import { getSettings } from '../../store/settings.js';
import { finkObjectUrl, lasairObjectUrl } from '../../urls.js';
import { withStore } from '../context.js';

export interface LabelSessionResult {
  labelled: number;
  skipped: number;
  undone: number;
  /** The batch is fully labelled or skipped. */
  done: boolean;
}

/** Yields one key at a time from a stream (raw TTY or pipe); ends at end of input. */
async function* keys(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  for await (const chunk of input) {
    for (const ch of String(chunk)) {
      if (ch === '\u0003' || ch === '\u0004') {
        yield 'q'; // Ctrl-C / Ctrl-D in raw mode
        return;
      }
      if (!/\s/.test(ch)) yield ch;
    }
  }
}

const SHOWN_FEATURES = ['ndets', 'nnondets', 'dets_median', 'dets_std', 'amplitude_g', 'amplitude_r', 'sep_arcsec', 'ebv'];

function describeAlert(db: Db, candid: string): string[] {
  const a = db
    .prepare('SELECT object_id, night, jd, fid, magpsf, sigmapsf, drb, cdsxmatch, finkclass, tnsclass FROM alerts WHERE candid = ?')
    .get(candid) as
    | {
        object_id: string;
        night: string;
        jd: number;
        fid: number;
        magpsf: number | null;
        sigmapsf: number | null;
        drb: number | null;
        cdsxmatch: string | null;
        finkclass: string | null;
        tnsclass: string | null;
      }
    | undefined;
  if (!a) return [`  (alert ${candid} is not in the store)`];
  const m = loadFeatureMatrix(db, { candids: [candid] });
  const feats = SHOWN_FEATURES.map((name) => {
    const f = m.names.indexOf(name);
    const v = m.n && f >= 0 ? m.X[f] : NaN;
    return `${name}=${Number.isNaN(v) ? '–' : Number(v.toFixed(3))}`;
  });
  const mag = a.magpsf === null ? '–' : `${a.magpsf.toFixed(2)} ± ${(a.sigmapsf ?? 0).toFixed(2)} (${a.fid === 1 ? 'g' : a.fid === 2 ? 'r' : `fid ${a.fid}`})`;
  return [
    `  ${a.object_id}  candid ${candid}  night ${a.night}  jd ${a.jd.toFixed(5)}  mag ${mag}  drb ${a.drb?.toFixed(3) ?? '–'}`,
    `  cdsxmatch ${a.cdsxmatch ?? '–'}  finkclass ${a.finkclass ?? '–'}  tnsclass ${a.tnsclass ?? '–'}`,
    `  ${feats.join('  ')}`,
    `  ${lasairObjectUrl(a.object_id)}   ${finkObjectUrl(a.object_id)}`,
  ];
}

export async function labelSession(
  db: Db,
  dbPath: string,
  input: NodeJS.ReadableStream,
  log: (line: string) => void = console.log,
): Promise<LabelSessionResult> {
  const settings = getSettings(db, dbPath);
  const byKey = new Map<string, Label>(LABELS.map((l) => [settings.labelKeys[l], l]));
  const help = `keys: ${LABELS.map((l) => `${settings.labelKeys[l]} ${l}`).join(', ')}, s skip, z undo, q quit`;
  const res: LabelSessionResult = { labelled: 0, skipped: 0, undone: 0, done: false };
  let st = loopState(db, settings.task, settings.strategy, null);
  if (st.round < 0) throw new Error('no batch yet: run `finkvra round` first');
  const show = () => {
    const item = st.batch[st.cursor];
    log('');
    log(`round ${st.round}, alert ${st.cursor + 1}/${st.batch.length} (${st.labelledInBatch} labelled)  p=${item.prob?.toFixed(3) ?? '–'}`);
    for (const line of describeAlert(db, item.candid)) log(line);
    log(`  why: ${item.reason}`);
    log(`  [${help}]`);
  };
  if (batchComplete(st)) {
    log(`round ${st.round}: every alert of the batch is labelled or skipped; run \`finkvra round\` for the next batch`);
    return { ...res, done: true };
  }
  log(help);
  show();
  for await (const key of keys(input)) {
    const candid = st.batch[st.cursor].candid;
    const label = byKey.get(key);
    if (key === 'q') {
      log('quit (labels so far are saved)');
      break;
    } else if (label) {
      setLabel(db, candid, label);
      res.labelled++;
      log(`  -> ${label}`);
    } else if (key === 's') {
      skipAlert(db, candid);
      res.skipped++;
      log('  -> skipped');
    } else if (key === 'z') {
      const u = undoLast(db);
      if (u) {
        res.undone++;
        log(`  undo: ${u.undone.candid} back to ${u.restored ?? 'unlabelled'}`);
      } else log('  nothing to undo');
    } else {
      log(`  unknown key '${key}' [${help}]`);
      continue;
    }
    st = loopState(db, settings.task, settings.strategy, null);
    if (batchComplete(st)) {
      res.done = true;
      log(`round ${st.round} done: ${st.labelledInBatch} labelled; run \`finkvra round\` for the next batch`);
      break;
    }
    show();
  }
  return res;
}

export function registerLabel(program: Command): void {
  program
    .command('label')
    .description("label the proposed batch in the terminal (seed keys r x g a b v; s skip, z undo, q quit)")
    .action(async (_opts: unknown, cmd: Command) => {
      const stdin = process.stdin;
      const raw = stdin.isTTY === true;
      if (raw) stdin.setRawMode(true);
      stdin.setEncoding('utf8');
      try {
        const r = await withStore(cmd, (db, ctx) => labelSession(db, ctx.dbPath, stdin));
        console.log(`${r.labelled} labelled, ${r.skipped} skipped, ${r.undone} undone`);
      } finally {
        if (raw) stdin.setRawMode(false);
        stdin.pause();
      }
    });
}
