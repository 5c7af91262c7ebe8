/**
 * What a scanner judges by, in a real browser (web mode, the generated sample night): the card's context fields and
 * the labels of the object's other alerts, the light curve's legend, date axis and hover readout, the cutout row at
 * 1280×720 with the Lasair pane open, and the Model screen's confusion matrix, class balance and keyboard run choice.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openService, type Service } from '../../core/api/service.js';
import type { LoopState } from '../../core/api/types.js';
import { isLabel, type Label } from '../../core/labels.js';
import type { WebServer } from '../../core/server/server.js';
import { trainingBalanceText, balanceKeyText, classNamesOf } from '../../renderer/src/lib/balance.js';
import { contrastRatio, jdDate, MARKER_COLOURS, PLOT_BACKGROUND, readoutText } from '../../renderer/src/lib/lc-readout.js';
import { hasChromium, NO_CHROMIUM_REASON } from './browser.js';
import { buildRenderer, closeWebSession, openWebSession, type Browser, OUTPUT, sampleNight, shownCandid } from './helpers.js';

describe('card and plot helpers', () => {
  it('marker colours (upper limits are drawn opaque in them) have at least 3:1 contrast on the plot', () => {
    // WCAG's own example: #777777 on white is 4.48:1.
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    for (const c of Object.values(MARKER_COLOURS)) expect(contrastRatio(c, PLOT_BACKGROUND)).toBeGreaterThanOrEqual(3);
  });

  it('readout: date, magnitude ± error and band; limits and negative differences say what they are', () => {
    // JD 2460840.5 is 2025-06-14 00:00 UTC; +0.25 d is 06:00.
    expect(jdDate(2460840.5)).toBe('2025-06-14');
    expect(readoutText({ jd: 2460840.75, fid: 2, mag: 18.4213, err: 0.051, kind: 'detection' })).toBe('2025-06-14 06:00 UTC · r 18.42 ± 0.05 mag');
    expect(readoutText({ jd: 2460840.75, fid: 1, mag: 20.3, err: null, kind: 'limit' })).toBe(
      '2025-06-14 06:00 UTC · g upper limit: fainter than 20.30 mag',
    );
    expect(readoutText({ jd: 2460840.75, fid: 1, mag: 19, err: 0.1, kind: 'negative' })).toMatch(/negative difference/);
  });

  it('class balance in words and counts; class names from the run’s task', () => {
    const counts = { 'class:galactic': 12, 'class:not galactic': 8, 'class:not counted': 2, 'label:gal': 10, 'label:varstar': 2, 'label:extragal': 8, 'label:bogus': 2, n_train: 20 };
    expect(trainingBalanceText(counts, classNamesOf('gal'))).toBe(
      '20 training labels: 12 galactic (60%), 8 not galactic (40%). By label: 10 galactic, 8 extragalactic, 2 variable star, 2 bogus; 2 not counted by this task.',
    );
    expect(trainingBalanceText({}, classNamesOf('real'))).toBe('No counted training labels.');
    expect(classNamesOf('real')).toEqual(['bogus', 'real']);
    expect(classNamesOf(undefined)).toEqual(['class 0', 'class 1']);
    expect(balanceKeyText('label:varstar')).toBe('label: variable star');
  });
});

if (!hasChromium) console.warn(NO_CHROMIUM_REASON);

describe.skipIf(!hasChromium)('card context in the browser (web mode)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vra-e2e-ctx-'));
  let service: Service;
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let truth: Map<string, string>;
  let target: { index: number; candid: string; other: string };

  const call = <K extends keyof Service['handlers']>(k: K, input: Parameters<Service['handlers'][K]>[0]) =>
    (service.handlers[k] as (i: typeof input) => ReturnType<Service['handlers'][K]>)(input);
  /** Label every open alert of the current batch with its truth (or bogus), through the API. */
  async function labelBatch(): Promise<void> {
    const round = ((await call('loop.state', {})) as LoopState).round;
    // A label the task does not count brings in a reserve alert: label until the next round's batch is there.
    for (let k = 0; k < 200; k++) {
      const st = (await call('loop.state', {})) as LoopState;
      if (st.round > round) return;
      const b = st.batch.find((x) => x.label === null && !x.skipped);
      if (b) {
        const t = truth.get(b.candid);
        await call('labels.set', { candid: b.candid, label: (isLabel(t) ? t : 'bogus') as Label });
      }
      await service.ctx.jobs.idle();
    }
    throw new Error(`round ${round} never completed`);
  }

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const [ui, sample] = await Promise.all([Promise.resolve(buildRenderer()), sampleNight()]);
    truth = sample.truth;
    delete process.env.FINKVRA_DUST;
    service = openService({ dbPath: join(tmp, 'vra.sqlite'), homeDir: join(tmp, 'home') });
    await call('data.ingest', { paths: [sample.file] });
    await service.ctx.jobs.idle();
    await call('settings.set', { n0: 12, n: 5 });
    await call('loop.state', {});
    await service.ctx.jobs.idle();
    const st = (await call('loop.state', {})) as LoopState;
    // A batch alert whose object has another alert outside the batch: label that one first.
    const inBatch = new Set(st.batch.map((b) => b.candid));
    const other = service.ctx.db.prepare('SELECT candid FROM alerts WHERE object_id = ? AND candid <> ? ORDER BY jd');
    for (const [index, b] of st.batch.entries()) {
      const o = (other.all(b.objectId, b.candid) as { candid: string }[]).find((r) => !inBatch.has(r.candid));
      if (o && index > 0) {
        target = { index, candid: b.candid, other: o.candid };
        break;
      }
    }
    expect(target, 'the sample night has objects with several alerts').toBeDefined();
    await call('labels.set', { candid: target.other, label: 'extragal' });
    ({ server, browser, page } = await openWebSession(service.handlers, ui));
  }, 180_000);

  afterAll(async () => {
    await closeWebSession({ browser, server, service });
    rmSync(tmp, { recursive: true, force: true });
  });

  it('shows the context fields, E(B-V) from the bundled map, and that the object was labelled before', async () => {
    await page.goto(server.url);
    await page.getByTestId('tab-Label').click();
    await page.getByTestId('card').waitFor();
    const first = await shownCandid(page);
    // The first card's object was not labelled before (the target is a later card).
    const firstObject = ((await call('alerts.card', { candid: first })) as { objectLabels: unknown[] }).objectLabels;
    await expect(page.getByTestId('object-labels').count()).resolves.toBe(firstObject.length ? 1 : 0);
    for (let i = 0; i < target.index; i++) await page.keyboard.press('ArrowRight');
    await page.locator(`[data-testid=card][data-candid="${target.candid}"]`).waitFor();
    const note = (await page.getByTestId('object-labels').textContent()) ?? '';
    expect(note).toContain('This object was labelled before');
    expect(note).toContain('extragalactic');
    expect(note).toContain(target.other);
    const ctx = (await page.getByTestId('card-context').textContent()) ?? '';
    for (const k of ['isdiffpos', 'sgscore1', 'distpsnr1', 'distnr', 'magnr', 'neargaia', 'maggaia', 'ssnamenr', 'Galactic latitude', 'E(B-V)']) {
      expect(ctx).toContain(k);
    }
    const card = (await call('alerts.card', { candid: target.candid })) as { context: { galB: number; ebv: number | null } };
    expect(card.context.ebv).not.toBeNull();
    await expect(page.getByTestId('ctx-ebv').textContent()).resolves.toBe(`${card.context.ebv!.toFixed(3)} mag`);
    await expect(page.getByTestId('ctx-galb').textContent()).resolves.toBe(`${card.context.galB.toFixed(2)}°`);
    await expect(page.getByTestId('ctx-isdiffpos').textContent()).resolves.toMatch(/^(positive|negative)/);
  });

  it('light curve: legend for negative differences, a hover readout that matches the data', async () => {
    const legend = (await page.getByTestId('lc-legend').textContent()) ?? '';
    for (const k of ['g', 'r', 'negative difference', 'upper limit', 'this alert']) expect(legend).toContain(k);
    const over = page.locator('[data-testid=lightcurve] .u-over');
    const box = (await over.boundingBox())!;
    const readout = page.getByTestId('lc-readout');
    let text = '';
    // Sweep the plot on a 20 px grid (the readout picks the nearest point within 30 px) until a point is found.
    sweep: for (let y = 10; y < box.height; y += 20) {
      for (let x = 10; x < box.width; x += 20) {
        await page.mouse.move(box.x + x, box.y + y);
        text = (await readout.textContent()) ?? '';
        if (text.includes('UTC')) break sweep;
      }
    }
    const m = /^(\d{4}-\d\d-\d\d \d\d:\d\d) UTC · ([gr]) (?:upper limit: fainter than )?(\d+\.\d\d)/.exec(text);
    expect(m, text).not.toBeNull();
    const lc = ((await call('alerts.card', { candid: target.candid })) as { lightcurve: { jd: number; fid: number; magpsf: number | null; diffmaglim: number | null }[] }).lightcurve;
    const match = lc.find(
      (p) =>
        new Date((p.jd - 2440587.5) * 86_400_000).toISOString().slice(0, 16).replace('T', ' ') === m![1] &&
        p.fid === (m![2] === 'g' ? 1 : 2) &&
        Math.abs((p.magpsf ?? p.diffmaglim ?? NaN) - Number(m![3])) < 0.006,
    );
    expect(match, text).toBeDefined();
    // Keyboard alone: focus the plot, → steps to the first point in time, ← back; the card stays.
    const shown = await shownCandid(page);
    await page.mouse.move(0, 0);
    await page.getByTestId('lightcurve').focus();
    await page.keyboard.press('ArrowRight');
    const first = (await readout.textContent()) ?? '';
    expect(first).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC · [gr] /);
    const firstJd = Math.min(...lc.filter((p) => p.magpsf !== null || p.diffmaglim !== null).map((p) => p.jd));
    expect(first.slice(0, 16)).toBe(new Date((firstJd - 2440587.5) * 86_400_000).toISOString().slice(0, 16).replace('T', ' '));
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await readout.textContent()) ?? '').not.toBe(first);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await readout.textContent()) ?? '').toBe(first);
    expect(await shownCandid(page)).toBe(shown);
    await page.screenshot({ path: join(OUTPUT, 'card-context.png') });
    await page.getByTestId('lightcurve').screenshot({ path: join(OUTPUT, 'card-context-lightcurve.png') });
  });

  it('keeps the cutout triplet on one row at 1280×720 with the Lasair pane open', async () => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.mouse.move(0, 0);
    await page.keyboard.press('l');
    const pane = page.getByTestId('lasair-pane');
    await pane.waitFor();
    const paneBox = (await pane.boundingBox())!;
    const boxes = await Promise.all(['science', 'template', 'difference'].map(async (k) => (await page.getByTestId(`cutout-${k}`).boundingBox())!));
    expect(new Set(boxes.map((b) => Math.round(b.y))).size).toBe(1);
    for (const b of boxes) {
      expect(b.x + b.width).toBeLessThanOrEqual(paneBox.x + 1);
      expect(b.width).toBeGreaterThan(90);
    }
    await page.getByTestId('cutout-difference').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUTPUT, 'card-context-1280x720-lasair.png') });
    await page.keyboard.press('l');
    await page.setViewportSize({ width: 1360, height: 900 });
  });

  it('Settings: the feature set and the dust map are chosen from lists and stored', async () => {
    await page.getByTestId('tab-Settings').click();
    // extended is the default: choose seed first so the list really changes.
    await page.getByTestId('set-features').selectOption('seed');
    await page.getByText('Saved.').waitFor();
    await page.getByTestId('set-dust').selectOption('lowres');
    await expect.poll(async () => ((await call('settings.get', {})) as { dust: string }).dust).toBe('lowres');
    expect(((await call('settings.get', {})) as { featureSet: string }).featureSet).toBe('seed');
    await page.getByTestId('set-features').selectOption('extended');
    await expect.poll(async () => ((await call('settings.get', {})) as { featureSet: string }).featureSet).toBe('extended');
    await page.screenshot({ path: join(OUTPUT, 'settings-context.png') });
  });

  it('Model screen: class names on the confusion matrix, balance in words, runs chosen by keyboard', async () => {
    await labelBatch(); // round 0 → the run of round 1
    await labelBatch(); // round 1 → the run of round 2
    await page.getByTestId('tab-Model').click();
    const rows = page.getByTestId('run-row');
    await rows.nth(1).waitFor({ timeout: 30_000 });
    await page.getByTestId('run-detail').waitFor();
    const head = page.getByTestId('confusion').locator('th');
    await expect(head.allTextContents()).resolves.toEqual(['true ↓ · predicted →', 'not galactic', 'galactic', 'not galactic', 'galactic']);
    await expect(page.getByTestId('balance-words').textContent()).resolves.toMatch(/^\d+ training labels: \d+ (not )?galactic \(\d+%\), \d+ (not )?galactic \(\d+%\)\./);
    const title = async () => (await page.getByTestId('run-detail').locator('h2').textContent()) ?? '';
    const before = await title();
    await rows.nth(0).focus();
    await page.keyboard.press('ArrowDown');
    await expect(rows.nth(1).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(rows.nth(0).getAttribute('aria-selected')).resolves.toBe('false');
    // One Tab stop for the table: the selected row.
    await expect(rows.nth(1).getAttribute('tabindex')).resolves.toBe('0');
    await expect(rows.nth(0).getAttribute('tabindex')).resolves.toBe('-1');
    await expect.poll(title).not.toBe(before);
    expect(await page.evaluate('document.activeElement?.getAttribute("data-testid")')).toBe('run-row');
    await page.keyboard.press('ArrowUp');
    await expect(rows.nth(0).getAttribute('aria-selected')).resolves.toBe('true');
    await expect.poll(title).toBe(before);
    await page.screenshot({ path: join(OUTPUT, 'model-screen-context.png'), fullPage: true });
  });
});
