/** What `finkvra label` shows of an alert comes from the card the app shows (alerts.card): ZTF and LSST alike. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AlertCard, LoopState, LsstCard, Settings } from '../../core/api/types.js';
import { labelSession } from '../../core/cli/commands/label.js';
import type { CliApi } from '../../core/cli/service.js';
import { DEFAULT_LABEL_KEYS } from '../../core/labels.js';

const candid = '170032147221';

const lsst = {
  diaSourceId: candid,
  band: 'r',
  psfFlux: 1234.4,
  psfFluxErr: 56.2,
  snr: 21.96,
  reliability: 0.9104,
} as LsstCard;

function card(over: Partial<AlertCard>): AlertCard {
  return {
    candid,
    objectId: '3068394365612212',
    jd: 2461045.81234,
    night: '2026-01-05',
    fid: 2,
    magpsf: 20.5,
    sigmapsf: 0.1,
    drb: 0.97,
    features: { ndets: 3, ebv: 0.0123456 },
    fink: { cdsxmatch: null, finkclass: null, tnsclass: null, roid: null, scores: {} },
    links: { lasair: null, fink: 'https://fink.example/3068394365612212' },
    survey: 'lsst',
    lsst,
    ...over,
  } as AlertCard;
}

/** A service stand-in: one batch of one alert, the given card. */
function fakeApi(c: AlertCard, featureSet: Settings['featureSet']): CliApi {
  const state = { round: 0, cursor: 0, labelledInBatch: 0, batch: [{ candid, prob: null, reason: 'random', label: null, skipped: false }] } as unknown as LoopState;
  const answers: Record<string, unknown> = {
    'settings.get': { featureSet, labelKeys: DEFAULT_LABEL_KEYS },
    'loop.state': state,
    'alerts.card': c,
  };
  return {
    call: (async (method: string) => answers[method]) as CliApi['call'],
    waitJob: async () => null,
    roundJob: () => null,
    where: { dbPath: 'x', homeDir: 'y' },
  };
}

async function shown(c: AlertCard, featureSet: Settings['featureSet']): Promise<string[]> {
  const lines: string[] = [];
  await labelSession(fakeApi(c, featureSet), Readable.from(['q']), (l) => lines.push(l));
  return lines;
}

describe('the label session shows the card', () => {
  it('an LSST alert: band, difference flux in nJy, SNR, reliability, and only the pages its broker has', async () => {
    const lines = await shown(card({}), 'lsst');
    expect(lines[0]).toBe('survey Rubin/LSST, feature set lsst');
    expect(lines).toContain(
      `  3068394365612212  candid ${candid}  night 2026-01-05  jd 2461045.81234  band r  psfFlux 1234 ± 56 nJy  snr 22.0  reliability 0.910`,
    );
    expect(lines).toContain('  https://fink.example/3068394365612212');
    expect(lines.join('\n')).toContain('ndets=3  nnondets=–');
    expect(lines.join('\n')).toContain('ebv=0.012');
  });

  it('a ZTF alert: magnitude with its band and drb, both pages', async () => {
    const ztf = card({ survey: 'ztf', lsst: null, links: { lasair: 'https://lasair/ZTF1/', fink: 'https://fink/ZTF1' } });
    const lines = await shown(ztf, 'extended');
    expect(lines[0]).toBe('survey ZTF, feature set extended');
    expect(lines.join('\n')).toContain('mag 20.50 ± 0.10 (r)  drb 0.970');
    expect(lines).toContain('  https://lasair/ZTF1/   https://fink/ZTF1');
  });
});
