/**
 * The whole job in a real browser, web mode, on the generated sample night: ingest, label round 0 with keys only,
 * undo one, see round 1 proposed, the Model screen's plots, the CSV export.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../core/api/dispatch.js';
import { openService, type Service } from '../../core/api/service.js';
import { loadOnnxScorer } from '../../core/learn/onnx/runtime.js';
import type { WebServer } from '../../core/server/server.js';
import { hasChromium, NO_CHROMIUM_REASON } from './browser.js';
import { buildRenderer, closeWebSession, openWebSession, type Browser, OUTPUT, paintedCandid, pressOnCard, progress, sampleNight, shownCandid, truthKey, waitProgress, waitProgressChange } from './helpers.js';

if (!hasChromium) console.warn(NO_CHROMIUM_REASON);

describe.skipIf(!hasChromium)('label flow in the browser (web mode)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vra-e2e-'));
  let service: Service;
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let sample: Awaited<ReturnType<typeof sampleNight>>;
  const pressed = new Map<string, string>();

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const [ui, s] = await Promise.all([Promise.resolve(buildRenderer()), sampleNight()]);
    sample = s;
    service = openService({ dbPath: join(tmp, 'vra.sqlite'), homeDir: join(tmp, 'home') });
    ({ server, browser, page } = await openWebSession(service.handlers, ui, { downloadsDir: join(tmp, 'downloads') }));
  });

  afterAll(async () => {
    await closeWebSession({ browser, server, service });
    rmSync(tmp, { recursive: true, force: true });
  });

  it('ingests the sample night from the Data screen', async () => {
    await page.goto(server.url);
    await page.getByTestId('tab-Data').click();
    await page.getByTestId('paths').fill(sample.file);
    await page.getByRole('button', { name: 'Ingest' }).click();
    await page.getByTestId('ingest-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('ingest-result').textContent()).toMatch(/400 new/);
    // Each file says which survey it was read as.
    expect(await page.getByTestId('ingest-result').textContent()).toContain(`${sample.file}: ZTF, 400 rows, 400 new`);
    await page.getByTestId('nights').getByText('2025-06-14').waitFor();
    await page.screenshot({ path: join(OUTPUT, 'data-ingest-result.png'), fullPage: true });
  });

  it('lets the user choose the night round 0 draws from, in Settings', async () => {
    await page.getByTestId('tab-Settings').click();
    const select = page.getByTestId('set-night');
    await select.locator('option', { hasText: '2025-06-14' }).waitFor({ state: 'attached' });
    await select.selectOption('2025-06-14');
    await page.getByText('Saved.').waitFor();
    expect((await service.handlers['settings.get']({})).night).toBe('2025-06-14');
  });

  it('labels the 30 alerts of round 0 with keys only, with one undo', async () => {
    await page.getByTestId('tab-Label').click();
    await waitProgress(page, 0, 30, 60_000);
    await page.getByTestId('card').waitFor();
    // The card shows what it should: light curve canvas, three decoded cutouts, features, Fink info.
    await page.locator('[data-testid=lightcurve] canvas').waitFor();
    for (const k of ['science', 'template', 'difference']) await page.getByTestId(`cutout-${k}`).waitFor();
    expect(await page.getByTestId('features').locator('tr').count()).toBeGreaterThanOrEqual(21);
    await expect(page.getByTestId('fink-info').textContent()).resolves.toMatch(/cdsxmatch/);
    // Help overlay lists every key.
    await page.keyboard.press('?');
    const help = (await page.getByTestId('help').textContent()) ?? '';
    for (const k of ['real', 'extragalactic', 'galactic', 'AGN', 'bogus', 'variable star', 'skip', 'undo', 'Lasair', 'Fink']) expect(help).toContain(k);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('help').count()).resolves.toBe(0);
    await page.screenshot({ path: join(OUTPUT, 'label-screen.png') });

    // Labels outside the task's classes (bogus for 'gal') do not count, and the service tops the batch up:
    // label until the batch is complete.
    let text = '0 / 30';
    for (let i = 0; ; i++) {
      const [done, total] = await progress(page);
      if (done >= total) break;
      // A key applies to the card on screen once it is painted: wait for it, as a person would see it.
      const candid = await paintedCandid(page);
      const key = truthKey(sample.truth.get(candid));
      await pressOnCard(page, key);
      pressed.set(candid, key);
      text = await waitProgressChange(page, text);
      if (i === 9) {
        // Undo the 10th label: the card comes back unlabelled, then it is labelled again.
        await pressOnCard(page, 'z');
        text = await waitProgressChange(page, text);
        expect(text).toBe(`${done} / ${total}`);
        expect(await paintedCandid(page)).toBe(candid);
        await expect(page.getByTestId('current-label').textContent()).resolves.toMatch(/not labelled/);
        await pressOnCard(page, key);
        text = await waitProgressChange(page, text);
      }
      if (i > 100) throw new Error('round 0 never completed');
      const [nowDone, nowTotal] = await progress(page);
      if (nowDone < nowTotal) expect(await shownCandid(page)).not.toBe(candid);
    }
    await page.getByTestId('batch-done').or(page.getByTestId('batchbar').getByText(/round 1/)).waitFor();
    expect(pressed.size).toBeGreaterThanOrEqual(30);
  });

  it('proposes round 1 by itself', async () => {
    await page.getByTestId('batchbar').getByText(/round 1/).waitFor({ timeout: 90_000 });
    const [done, total] = await progress(page);
    expect(done).toBe(0);
    expect(total).toBe(10);
    await page.getByTestId('card').waitFor();
    // Round 1 has a model: probability and query score are shown.
    await expect(page.getByTestId('model-box').textContent()).resolves.toMatch(/\d+\.\d %/);
    await page.screenshot({ path: join(OUTPUT, 'label-screen-round1.png') });
  });

  it('shows the metric plots on the Model screen', async () => {
    await page.getByTestId('tab-Model').click();
    await page.getByTestId('metric-plots').waitFor({ timeout: 15_000 });
    const plots = page.getByTestId('metric-plot');
    expect(await plots.count()).toBeGreaterThanOrEqual(4);
    expect(await plots.first().locator('canvas').count()).toBe(1);
    await page.getByTestId('runs').locator('tbody tr').first().waitFor();
    // The run that trained on round 0's labels and proposed round 1.
    expect(await page.getByTestId('runs').locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    await page.getByTestId('run-detail').waitFor();
    await page.screenshot({ path: join(OUTPUT, 'model-screen.png'), fullPage: true });
  });

  it('exports the labelled set as CSV (seed format) with every label pressed', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-seed').click()]);
    const text = readFileSync((await download.path()) as string, 'utf8');
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toBe('candid,objectId,label,timestamp');
    expect(lines.length - 1).toBe(pressed.size);
    const keyOf: Record<string, string> = { real: 'r', extragal: 'x', gal: 'g', agn: 'a', bogus: 'b', varstar: 'v' };
    for (const line of lines.slice(1)) {
      const [candid, , label] = line.split(',');
      expect(keyOf[label]).toBe(pressed.get(candid));
    }
    const [full] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-full').click()]);
    const fullText = readFileSync((await full.path()) as string, 'utf8').trim().split(/\r?\n/);
    expect(fullText.length - 1).toBe(pressed.size);
  });

  it("exports the selected run's model as ONNX, which ONNX Runtime loads with that run's metadata", async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-onnx').click()]);
    expect(download.suggestedFilename()).toMatch(/\.onnx$/);
    const scorer = await loadOnnxScorer((await download.path()) as string);
    await scorer.close();
    const latest = (await dispatch(service.handlers, 'runs.list', {})) as { runId: string }[];
    expect(scorer.meta).toMatchObject({ runId: latest[0].runId, featureSet: 'fx1', survey: 'ztf' });
  });

  it('marks a held-out set from Settings, kept out of training, and refuses to re-mark it silently', async () => {
    await page.getByTestId('tab-Settings').click();
    await page.getByTestId('holdout-mark').click();
    await page.getByTestId('holdout-state').getByText(/held out:/).waitFor();
    await page.screenshot({ path: join(OUTPUT, 'settings-screen.png'), fullPage: true });
    const h = await service.handlers['labels.holdout']({ action: 'show' });
    // 20% of the counted labels, by class, whole objects: some, not all.
    expect(h.marked).toBeGreaterThan(0);
    expect(h.marked).toBeLessThan(pressed.size);
    expect(h.perClass['galactic'] + h.perClass['not galactic']).toBeGreaterThan(0);
    await expect(dispatch(service.handlers, 'labels.holdout', { action: 'mark', fraction: 0.2 })).rejects.toMatchObject({
      code: 'conflict',
    });
    await page.getByRole('button', { name: 'Clear the held-out set' }).click();
    await page.getByTestId('holdout-state').getByText('none marked').waitFor();
  });
});
