/**
 * `finkvra label`: label the proposed batch in the terminal with the seed's keys (r x g a b v; s skip, z undo,
 * q quit). Raw-mode stdin on a terminal; piped input works too (one character per key, whitespace ignored), so the
 * command is testable: `printf 'rxgsq' | finkvra label`. Each label is committed before the next alert shows.
 */
import type { Command } from 'commander';
import { ApiError } from '../../api/define.js';
import type { AlertCard, LoopState, LsstCard } from '../../api/types.js';
import { LABELS, type Label } from '../../labels.js';
import { surveyLine, withService, type CliApi } from '../service.js';
import { followStartedRound } from './round.js';

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

async function describeAlert(api: CliApi, candid: string): Promise<string[]> {
  let a: AlertCard;
  try {
    a = await api.call('alerts.card', { candid });
  } catch (e) {
    if (e instanceof ApiError && e.code === 'not_found') return [`  (alert ${candid} is not in the store)`];
    throw e;
  }
  const feats = SHOWN_FEATURES.map((name) => {
    const v = a.features[name] ?? null;
    return `${name}=${v === null ? '–' : Number(v.toFixed(3))}`;
  });
  const mag = a.magpsf === null ? '–' : `${a.magpsf.toFixed(2)} ± ${(a.sigmapsf ?? 0).toFixed(2)} (${a.fid === 1 ? 'g' : a.fid === 2 ? 'r' : `fid ${a.fid}`})`;
  const links = [a.links.lasair, a.links.fink].filter((l): l is string => l !== null);
  return [
    `  ${a.objectId}  candid ${candid}  night ${a.night}  jd ${a.jd.toFixed(5)}  ${a.lsst ? lsstLine(a.lsst) : `mag ${mag}  drb ${a.drb?.toFixed(3) ?? '–'}`}`,
    `  cdsxmatch ${a.fink.cdsxmatch ?? '–'}  finkclass ${a.fink.finkclass ?? '–'}  tnsclass ${a.fink.tnsclass ?? '–'}`,
    `  ${feats.join('  ')}`,
    `  ${links.length ? links.join('   ') : '(no broker page for this object)'}`,
  ];
}

/** An LSST alert's photometry: band, difference flux (nJy) and its quality. */
function lsstLine(l: LsstCard): string {
  const num = (v: number | null, d: number) => (v === null ? '–' : v.toFixed(d));
  return `band ${l.band ?? '–'}  psfFlux ${num(l.psfFlux, 0)} ± ${num(l.psfFluxErr, 0)} nJy  snr ${num(l.snr, 1)}  reliability ${num(l.reliability, 3)}`;
}

/** Every alert of the batch labelled or skipped (as the loop counts it). */
const batchDone = (st: LoopState): boolean => st.batch.length > 0 && st.cursor >= st.batch.length;

/**
 * Label the current batch from `input` through the service (labels.set / skip / undo, as the app). The label or skip
 * that completes the batch starts the next round there; the session waits for it and prints its batch.
 */
export async function labelSession(
  api: CliApi,
  input: NodeJS.ReadableStream,
  log: (line: string) => void = console.log,
): Promise<LabelSessionResult> {
  const settings = await api.call('settings.get', {});
  const byKey = new Map<string, Label>(LABELS.map((l) => [settings.labelKeys[l], l]));
  const help = `keys: ${LABELS.map((l) => `${settings.labelKeys[l]} ${l}`).join(', ')}, s skip, z undo, q quit`;
  const res: LabelSessionResult = { labelled: 0, skipped: 0, undone: 0, done: false };
  let st = await api.call('loop.state', {});
  if (st.round < 0) throw new Error('no batch yet: run `finkvra round` first');
  log(surveyLine(settings.featureSet));
  const show = async () => {
    const item = st.batch[st.cursor];
    log('');
    log(`round ${st.round}, alert ${st.cursor + 1}/${st.batch.length} (${st.labelledInBatch} labelled)  p=${item.prob?.toFixed(3) ?? '–'}`);
    for (const line of await describeAlert(api, item.candid)) log(line);
    log(`  why: ${item.reason}`);
    log(`  [${help}]`);
  };
  if (batchDone(st)) {
    log(`round ${st.round}: every alert of the batch is labelled or skipped; run \`finkvra round\` for the next batch`);
    return { ...res, done: true };
  }
  log(help);
  await show();
  for await (const key of keys(input)) {
    const before = api.roundJob();
    const candid = st.batch[st.cursor].candid;
    const label = byKey.get(key);
    if (key === 'q') {
      log('quit (labels so far are saved)');
      break;
    } else if (label) {
      st = (await api.call('labels.set', { candid, label })).state;
      res.labelled++;
      log(`  -> ${label}`);
    } else if (key === 's') {
      st = await api.call('labels.skip', { candid });
      res.skipped++;
      log('  -> skipped');
    } else if (key === 'z') {
      const u = await api.call('labels.undo', {});
      if (u) {
        st = u.state;
        res.undone++;
        log(`  undo: ${u.candid} back to ${u.label ?? 'unlabelled'}`);
      } else log('  nothing to undo');
    } else {
      log(`  unknown key '${key}' [${help}]`);
      continue;
    }
    if (batchDone(st)) {
      res.done = true;
      const why = `round ${st.round} done: ${st.labelledInBatch} labelled; the next round starts (as in the app)`;
      if (!(await followStartedRound(api, before, why, log))) {
        log(`round ${st.round} done: ${st.labelledInBatch} labelled; run \`finkvra round\` for the next batch`);
      }
      break;
    }
    await show();
  }
  return res;
}

/** One label for one alert (scripts): labels.set, then the round it starts, if any. */
async function labelOne(api: CliApi, candid: string, label: string): Promise<void> {
  console.error(surveyLine((await api.call('settings.get', {})).featureSet));
  const before = api.roundJob();
  // The contract checks the candid and the label: the CLI refuses what the app refuses, with the same words.
  await api.call('labels.set', { candid, label: label as Label });
  console.log(`${candid} -> ${label}`);
  await followStartedRound(api, before, 'this label completes the batch: the next round starts (as in the app)');
}

export function registerLabel(program: Command): void {
  program
    .command('label')
    .description(
      'label the proposed batch in the terminal (seed keys r x g a b v; s skip, z undo, q quit), or one alert: label <candid> <label>',
    )
    .argument('[candid]', 'label this alert only (with <label>), without the interactive session')
    .argument('[label]', `its label (${LABELS.join(', ')})`)
    .action(async (candid: string | undefined, label: string | undefined, _opts: unknown, cmd: Command) => {
      if (candid !== undefined) {
        if (label === undefined) throw new Error('label <candid> <label>: give the label too');
        return withService(cmd, (api) => labelOne(api, candid, label));
      }
      const stdin = process.stdin;
      const raw = stdin.isTTY === true;
      if (raw) stdin.setRawMode(true);
      stdin.setEncoding('utf8');
      try {
        const r = await withService(cmd, (api) => labelSession(api, stdin));
        console.log(`${r.labelled} labelled, ${r.skipped} skipped, ${r.undone} undone`);
      } finally {
        if (raw) stdin.setRawMode(false);
        stdin.pause();
      }
    });
}
