/**
 * The Rubin/LSST alert card in a real browser (web mode over the fake service with mixed surveys): survey badge, the
 * flux light curve (one marker and colour per band, negative differences below the zero line, the magnitude toggle,
 * the keyboard readout), the LSST panel's values, uncompressed FITS cutouts drawn, and links from the card (absent,
 * and said why, for a solar-system source).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertCard, LoopState } from '../../core/api/types.js';
import type { WebServer } from '../../core/server/server.js';
import { LSST_BAND_STYLE, type LsstBand } from '../../renderer/src/lib/lsst-bands.js';
import { hasChromium, NO_CHROMIUM_REASON } from './browser.js';
import { fakeHandlers } from './fake-service.js';
import { buildRenderer, closeWebSession, openWebSession, type Browser, OUTPUT, paintedCandid } from './helpers.js';

if (!hasChromium) console.warn(NO_CHROMIUM_REASON);

const MJD_EPOCH_JD = 2400000.5;
const mjdText = (mjd: number) => new Date((mjd + MJD_EPOCH_JD - 2440587.5) * 86_400_000).toISOString().slice(0, 16).replace('T', ' ');

/** Pixels of the plot canvas within 2 levels of `hex` per channel, as canvas rows (run in the page). */
const ROWS_OF_COLOUR = `(colour) => {
  const canvas = document.querySelector('[data-testid=lsst-lightcurve] canvas');
  const { data, width } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  const want = [1, 3, 5].map((k) => parseInt(colour.slice(k, k + 2), 16));
  const rows = [];
  for (let o = 0; o < data.length; o += 4) {
    if (Math.abs(data[o] - want[0]) <= 2 && Math.abs(data[o + 1] - want[1]) <= 2 && Math.abs(data[o + 2] - want[2]) <= 2) rows.push(Math.floor(o / 4 / width));
  }
  return rows;
}`;
const rowsOfColour = (page: Page, hex: string): Promise<number[]> => page.evaluate(`(${ROWS_OF_COLOUR})(${JSON.stringify(hex)})`);

/** A cutout canvas's size and number of distinct grey levels (run in the page). */
const stampStats = (page: Page, name: string): Promise<{ w: number; h: number; greys: number }> =>
  page.evaluate(`(() => {
    const cv = document.querySelector('[data-testid=cutout-${name}]');
    const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
    const greys = new Set();
    for (let o = 0; o < d.length; o += 4) greys.add(d[o]);
    return { w: cv.width, h: cv.height, greys: greys.size };
  })()`);

/** The y axis of the live uPlot instance: its label and direction. */
const yAxis = (page: Page): Promise<string | null> => page.getByTestId('lsst-lightcurve').getAttribute('data-y-axis');

const blur = (page: Page) => page.evaluate('document.activeElement && document.activeElement.blur()');

describe.skipIf(!hasChromium)('Rubin/LSST card in the browser (web mode, fake service)', () => {
  const handlers = fakeHandlers({ surveys: 'mixed', n0: 12 });
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let batch: LoopState['batch'];
  const card = (i: number) => handlers['alerts.card']({ candid: batch[i].candid }) as AlertCard;

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    batch = (handlers['loop.state']({}) as LoopState).batch;
    ({ server, browser, page } = await openWebSession(handlers, buildRenderer()));
    await page.goto(server.url);
    await page.getByTestId('tab-Label').click();
    await page.getByTestId('card').waitFor();
  }, 180_000);

  afterAll(async () => {
    await closeWebSession({ browser, server });
  });

  /** Go to card i of the batch with → (keys reach the card only when no plot has focus). */
  async function goTo(i: number): Promise<void> {
    await blur(page);
    const shown = await paintedCandid(page);
    let at = batch.findIndex((b) => b.candid === shown);
    for (; at < i; at++) await page.keyboard.press('ArrowRight');
    for (; at > i; at--) await page.keyboard.press('ArrowLeft');
    await page.locator(`[data-testid=card][data-candid="${batch[i].candid}"]`).waitFor();
    await paintedCandid(page);
  }

  it('a ZTF card says ZTF and keeps its own light curve; an LSST card says Rubin/LSST', async () => {
    expect(card(0).survey).toBe('ztf');
    await expect(page.getByTestId('survey-badge').textContent()).resolves.toBe('ZTF');
    await expect(page.getByTestId('lightcurve').count()).resolves.toBe(1);
    await expect(page.getByTestId('lsst-panel').count()).resolves.toBe(0);
    await goTo(1);
    expect(card(1).survey).toBe('lsst');
    await expect(page.getByTestId('survey-badge').textContent()).resolves.toBe('Rubin/LSST');
    await expect(page.getByTestId('lightcurve').count()).resolves.toBe(0);
    await page.getByTestId('lsst-lightcurve').waitFor();
    await expect(yAxis(page)).resolves.toBe('flux (nJy), dir 1');
  });

  it('light curve: one series per band present, distinct markers and colours, negative differences below zero', async () => {
    const c = card(1);
    const bands = [...new Set(c.lsst!.lightcurve.map((p) => p.band as LsstBand))];
    const order = ['u', 'g', 'r', 'i', 'z', 'y'].filter((b) => bands.includes(b as LsstBand));
    await expect(page.getByTestId('lsst-lightcurve').getAttribute('data-bands')).resolves.toBe(order.join(' '));
    const items = page.getByTestId('lsst-legend-band');
    await expect(items.evaluateAll((els) => els.map((e) => e.getAttribute('data-band')))).resolves.toEqual(order);
    const markers = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-marker')));
    expect(new Set(markers).size).toBe(order.length);
    const legend = (await page.getByTestId('lsst-legend').textContent()) ?? '';
    for (const k of ['forced photometry', 'negative difference', 'this alert']) expect(legend).toContain(k);

    // Every band present is drawn (its colour on the canvas); a band with negative detections has marks below zero.
    const zeroY = Number(await page.getByTestId('lsst-lightcurve').getAttribute('data-zero-y'));
    expect(zeroY).toBeGreaterThan(0);
    const negBands = new Set(c.lsst!.lightcurve.filter((p) => p.kind === 'detection' && (p.flux ?? 0) < -500).map((p) => p.band));
    expect(negBands.size).toBeGreaterThan(0);
    for (const b of order) {
      const rows = await rowsOfColour(page, LSST_BAND_STYLE[b as LsstBand].colour);
      expect(rows.length, `band ${b} drawn`).toBeGreaterThan(10);
      const below = rows.filter((y) => y > zeroY + 12).length;
      if (negBands.has(b)) expect(below, `band ${b} below zero`).toBeGreaterThan(5);
      else expect(below, `band ${b} has no negative difference`).toBe(0);
    }
    await page.getByTestId('lsst-lc-panel').screenshot({ path: join(OUTPUT, 'lsst-lightcurve-flux.png') });
  });

  it('magnitude toggle: AB magnitudes of the points with flux > 0, and how many were left out', async () => {
    const c = card(1);
    const notPositive = c.lsst!.lightcurve.filter((p) => p.kind !== 'limit' && !((p.flux ?? 0) > 0)).length;
    expect(notPositive).toBeGreaterThanOrEqual(2);
    await page.getByTestId('lsst-mag-toggle').click();
    await expect(page.getByTestId('lsst-lightcurve').getAttribute('data-mode')).resolves.toBe('mag');
    await expect(yAxis(page)).resolves.toBe('AB magnitude, dir -1');
    await expect(page.getByTestId('lsst-left-out').textContent()).resolves.toBe(`Not shown: ${notPositive} points with flux ≤ 0 (no magnitude).`);
    // No zero line in magnitudes.
    await expect(page.getByTestId('lsst-lightcurve').getAttribute('data-zero-y')).resolves.toBeNull();
    await page.getByTestId('lsst-lc-panel').screenshot({ path: join(OUTPUT, 'lsst-lightcurve-mag.png') });
    // The readout speaks magnitudes now: the first positive point in time.
    await page.getByTestId('lsst-lightcurve').focus();
    await page.keyboard.press('ArrowRight');
    const first = c.lsst!.lightcurve.filter((p) => (p.flux ?? 0) > 0).sort((a, b) => a.mjd - b.mjd)[0];
    const expected = 31.4 - 2.5 * Math.log10(first.flux!);
    await expect(page.getByTestId('lsst-lc-readout').textContent()).resolves.toContain(` ${first.band} ${expected.toFixed(2)} ± `);
    await page.getByTestId('lsst-mag-toggle').click();
    await expect(page.getByTestId('lsst-lightcurve').getAttribute('data-mode')).resolves.toBe('flux');
    await expect(page.getByTestId('lsst-left-out').count()).resolves.toBe(0);
    // The plot itself follows the toggle back (axis and zero line), not only the component's state.
    await expect(yAxis(page)).resolves.toBe('flux (nJy), dir 1');
    await expect.poll(() => page.getByTestId('lsst-lightcurve').getAttribute('data-zero-y')).not.toBeNull();
  });

  it('keyboard: ← / → step the readout through the points in time; the card stays', async () => {
    const c = card(1);
    const pts = [...c.lsst!.lightcurve].sort((a, b) => a.mjd - b.mjd);
    const readout = page.getByTestId('lsst-lc-readout');
    await page.getByTestId('lsst-lightcurve').focus();
    await page.keyboard.press('ArrowRight');
    const text = async () => (await readout.textContent()) ?? '';
    await expect.poll(text).toContain(`${mjdText(pts[0].mjd)} UTC (MJD ${pts[0].mjd.toFixed(4)}) · ${pts[0].band} ${Math.round(pts[0].flux!)} ± ${Math.round(pts[0].fluxErr!)} nJy (forced photometry`);
    await page.keyboard.press('ArrowRight');
    await expect.poll(text).toContain(`MJD ${pts[1].mjd.toFixed(4)}`);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(text).toContain(`MJD ${pts[0].mjd.toFixed(4)}`);
    // To the last point: the alert itself.
    for (let k = 0; k < pts.length + 2; k++) await page.keyboard.press('ArrowRight');
    const last = pts[pts.length - 1];
    await expect.poll(text).toContain(`MJD ${last.mjd.toFixed(4)}) · i ${Math.round(last.flux!)} ± `);
    expect(await page.locator('[data-testid=card]').getAttribute('data-candid')).toBe(c.candid);
    // A negative difference says so.
    const neg = pts.findIndex((p) => p.kind === 'detection' && (p.flux ?? 0) < 0);
    for (let k = pts.length - 1; k > neg; k--) await page.keyboard.press('ArrowLeft');
    await expect.poll(text).toContain(`MJD ${pts[neg].mjd.toFixed(4)}) · ${pts[neg].band} -${Math.round(-pts[neg].flux!)} ± `);
    expect(await text()).toContain('negative difference');
  });

  it('mouse: the readout names the point nearest the pointer', async () => {
    const c = card(1);
    await blur(page);
    const over = page.locator('[data-testid=lsst-lightcurve] .u-over');
    const box = (await over.boundingBox())!;
    const readout = page.getByTestId('lsst-lc-readout');
    let text = '';
    // Sweep on a 20 px grid (the readout picks the nearest point within 30 px) until a point is named.
    sweep: for (let y = 10; y < box.height; y += 20) {
      for (let x = 10; x < box.width; x += 20) {
        await page.mouse.move(box.x + x, box.y + y);
        text = (await readout.textContent()) ?? '';
        if (text.includes('UTC')) break sweep;
      }
    }
    const m = /\(MJD (\d+\.\d{4})\) · ([ugrizy]) (-?\d+) ± (\d+) nJy/.exec(text);
    expect(m, text).not.toBeNull();
    const match = c.lsst!.lightcurve.find((p) => p.mjd.toFixed(4) === m![1] && p.band === m![2] && Math.round(p.flux!) === Number(m![3]));
    expect(match, text).toBeDefined();
    await page.mouse.move(0, 0);
  });

  it('the LSST panel: values, flags, diaObject per band, exact ids; ZTF-only parts hidden', async () => {
    const l = card(1).lsst!;
    await expect(page.getByTestId('lsst-diaSourceId').textContent()).resolves.toBe(l.diaSourceId);
    await expect(page.getByTestId('lsst-diaObjectId').textContent()).resolves.toBe(l.diaObjectId);
    expect(BigInt(l.diaSourceId) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    await expect(page.getByTestId('lsst-psfFlux').textContent()).resolves.toBe(`i ${l.psfFlux!.toFixed(1)} ± ${l.psfFluxErr!.toFixed(1)} nJy`);
    await expect(page.getByTestId('lsst-snr').textContent()).resolves.toBe('21.8');
    await expect(page.getByTestId('lsst-reliability').textContent()).resolves.toBe('0.874');
    await expect(page.getByTestId('lsst-extendedness').textContent()).resolves.toBe('0.120');
    await expect(page.getByTestId('lsst-isDipole').textContent()).resolves.toBe('no');
    await expect(page.getByTestId('lsst-isNegative').textContent()).resolves.toBe('no');
    await expect(page.getByTestId('lsst-flags').textContent()).resolves.toBe('none set');
    await expect(page.getByTestId('lsst-sso').textContent()).resolves.toBe('no known object matched');
    await expect(page.getByTestId('lsst-schema').textContent()).resolves.toBe('10.0 (file says lsst.v10_0)');
    await expect(page.getByTestId('lsst-nDiaSources').textContent()).resolves.toBe(String(l.diaObject.nDiaSources));
    const rows = await page.getByTestId('lsst-diaobject').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    const want = ['g', 'r', 'i', 'z', 'y'].map((b) => [b, l.diaObject[`${b}_psfFluxMean`].toFixed(1), l.diaObject[`${b}_psfFluxSigma`].toFixed(1), String(l.diaObject[`${b}_psfFluxNdata`])]);
    expect(rows).toEqual(want);
    const text = (await page.getByTestId('card').textContent()) ?? '';
    for (const ztfOnly of ['drb', 'sgscore1', 'distpsnr1', 'neargaia', 'roid', 'isdiffpos']) expect(text, ztfOnly).not.toContain(ztfOnly);
    await expect(page.getByTestId('ctx-galb').textContent()).resolves.toBe('42.10°');
  });

  it('cutouts: the uncompressed FITS stamps are decoded and drawn', async () => {
    const c = card(1);
    expect(Buffer.from(c.cutouts.science!, 'base64').subarray(0, 6).toString('latin1')).toBe('SIMPLE');
    for (const k of ['science', 'template', 'difference']) {
      const stats = await stampStats(page, k);
      expect(stats, k).toMatchObject({ w: 63, h: 63 });
      expect(stats.greys, k).toBeGreaterThan(20);
    }
    await page.screenshot({ path: join(OUTPUT, 'lsst-card.png'), fullPage: true });
  });

  it('links: from the card; for a solar-system source Lasair has none, the pane and the l key say why', async () => {
    const c = card(1);
    await blur(page);
    await page.keyboard.press('l');
    await page.getByTestId('lasair-pane').waitFor();
    await expect(page.getByTestId('link-lasair').getAttribute('href')).resolves.toBe(c.links.lasair);
    expect(c.links.lasair).toBe(`https://lasair.lsst.ac.uk/objects/${c.lsst!.diaObjectId}/`);
    await expect(page.getByTestId('link-fink').getAttribute('href')).resolves.toBe(c.links.fink);
    await expect(page.getByRole('button', { name: 'Lasair (l)' }).count()).resolves.toBe(1);

    await goTo(5);
    const sso = card(5);
    expect(sso.links.lasair).toBeNull();
    await expect(page.getByTestId('lsst-sso').textContent()).resolves.toBe('K24A00B (ssObjectId 21163611723)');
    await expect(page.getByTestId('lsst-flags').textContent()).resolves.toBe('trail_flag_edge · trailLength 4.25');
    // One point: the time axis is ±0.01 d around it, its ticks that night's times.
    const ssoMjd = sso.lsst!.lightcurve[0].mjd;
    expect(sso.lsst!.lightcurve.length).toBe(1);
    await expect(page.getByTestId('lsst-lightcurve').getAttribute('data-x-range')).resolves.toBe(`${(ssoMjd - 0.01).toFixed(4)} ${(ssoMjd + 0.01).toFixed(4)}`);
    await expect(page.getByTestId('lasair-none').textContent()).resolves.toBe('Lasair has no page for K24A00B: a solar-system source without a diaObject.');
    await expect(page.getByTestId('link-lasair').count()).resolves.toBe(0);
    await expect(page.getByTestId('link-fink').getAttribute('href')).resolves.toBe('https://lsst.fink-portal.org/K24A00B');
    await expect(page.getByRole('button', { name: 'Lasair (l)' }).count()).resolves.toBe(0);
    await page.screenshot({ path: join(OUTPUT, 'lsst-card-solar-system-pane.png') });
    // l closes the pane and the line says why there is no page; the card stays.
    await page.keyboard.press('l');
    await expect(page.getByTestId('feedback').textContent()).resolves.toBe('Lasair has no page for K24A00B: a solar-system source without a diaObject');
    await expect(page.getByTestId('lasair-pane').count()).resolves.toBe(0);
    expect(await paintedCandid(page)).toBe(sso.candid);
  });

  it('a 7.x card draws its non-detection limits and steps onto them', async () => {
    await goTo(3);
    const c = card(3);
    expect(c.lsst!.schemaVersion).toBe('7.x');
    // Its alert is a negative difference: said in the panel and the header, which gives no magnitude.
    await expect(page.getByTestId('lsst-psfFlux').textContent()).resolves.toBe('i -1830.2 ± 121.7 nJy (negative difference)');
    await expect(page.getByTestId('lsst-isNegative').textContent()).resolves.toBe('yes');
    await expect(page.getByTestId('lsst-flags').textContent()).resolves.toBe('none set (pixelFlags_streak: not in this schema)');
    expect(await page.getByTestId('card').locator('.card-head').textContent()).not.toContain(' mag)');
    const legend = (await page.getByTestId('lsst-legend').textContent()) ?? '';
    expect(legend).toContain('5σ limit');
    const pts = [...c.lsst!.lightcurve].sort((a, b) => a.mjd - b.mjd);
    const lim = pts.findIndex((p) => p.kind === 'limit');
    await page.getByTestId('lsst-lightcurve').focus();
    for (let k = 0; k <= lim; k++) await page.keyboard.press('ArrowRight');
    await expect
      .poll(async () => (await page.getByTestId('lsst-lc-readout').textContent()) ?? '')
      .toContain(`MJD ${pts[lim].mjd.toFixed(4)}) · ${pts[lim].band} 5σ limit: below ${Math.round(5 * pts[lim].fluxErr!)} nJy`);
    await page.getByTestId('lsst-lc-panel').screenshot({ path: join(OUTPUT, 'lsst-lightcurve-v7.png') });
  });

  it('a ZTF first detection (one point) gets a time axis of ±0.5 day around it', async () => {
    await goTo(7);
    const c = card(7);
    expect(c.survey).toBe('ztf');
    expect(c.lightcurve.length).toBe(1);
    await expect(page.getByTestId('lightcurve').getAttribute('data-x-range')).resolves.toBe('-0.5000 0.5000');
    await page.getByTestId('lightcurve').screenshot({ path: join(OUTPUT, 'ztf-lightcurve-one-point.png') });
  });
});
