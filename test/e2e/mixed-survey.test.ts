/**
 * A mixed store (real ZTF + the 25 real LSST alerts) in a real browser (web mode, real service): the header shows
 * the current survey and the mix, the Data screen counts per survey and names each night's survey, Settings switches
 * the survey by keyboard, and the Label screen then shows Rubin/LSST proposals. A store with ZTF alerts only, opened
 * on the lsst set, says so on the Label screen and switches back from the keyboard.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openService, type Service } from '../../core/api/service.js';
import type { WebServer } from '../../core/server/server.js';
import { updateSettings } from '../../core/store/settings.js';
import { makeStore, separableAlerts } from '../loop/fixture.js';
import { mixedOrSkipReason, mixedStore } from '../loop/mixed-store.js';
import { hasChromium, NO_CHROMIUM_REASON } from './browser.js';
import { buildRenderer, closeWebSession, openWebSession, OUTPUT, type Browser } from './helpers.js';

if (!hasChromium) console.warn(NO_CHROMIUM_REASON);
const HAS = mixedOrSkipReason('e2e mixed-survey');

const shot = (page: Page, name: string) => page.screenshot({ path: join(OUTPUT, name), fullPage: true });

describe.skipIf(!hasChromium || !HAS)('a mixed store in the browser (web mode)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vra-e2e-mixed-'));
  let service: Service;
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let nZtf = 0;
  let lsstIds = new Set<string>();
  let ui = '';

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const s = await mixedStore();
    updateSettings(s.db, s.dbPath, { featureSet: 'extended', n0: 6, n: 3 });
    nZtf = s.db.prepare("SELECT COUNT(*) FROM alerts WHERE survey = 'ztf'").pluck().get() as number;
    lsstIds = new Set(s.db.prepare("SELECT candid FROM alerts WHERE survey = 'lsst'").pluck().all() as string[]);
    s.db.close();
    ui = buildRenderer();
    service = openService({ dbPath: s.dbPath, homeDir: join(tmp, 'home') });
    ({ server, browser, page } = await openWebSession(service.handlers, ui, { downloadsDir: join(tmp, 'downloads') }));
  }, 240_000);

  afterAll(async () => {
    await closeWebSession({ browser, server, service });
    rmSync(tmp, { recursive: true, force: true });
  });

  it('the header shows the current survey and the store’s mix', async () => {
    await page.goto(server.url);
    await page.getByTestId('survey-current').filter({ hasText: /^ZTF$/ }).waitFor();
    await page.getByTestId('survey-mix').filter({ hasText: `ZTF ${nZtf} · Rubin/LSST 25` }).waitFor();
  });

  it('the Data screen counts per survey and names each night’s survey', async () => {
    await page.getByTestId('tab-Data').click();
    const lsst = page.getByTestId('survey-counts').locator('tr[data-survey=lsst] td');
    await lsst.first().waitFor();
    // survey, alerts, objects, labelled, in pool, nights, files
    expect(await lsst.allInnerTexts()).toEqual(['Rubin/LSST', '25', '25', '0', '25', '1', '1']);
    expect((await page.getByTestId('survey-counts').locator('tr[data-survey=ztf] td').allInnerTexts()).slice(0, 2)).toEqual(['ZTF', String(nZtf)]);
    const night = page.getByTestId('nights').locator('tr', { hasText: '2025-12-31' });
    expect(await night.locator('td').allInnerTexts()).toEqual(['2025-12-31', 'Rubin/LSST', '25', '25', '0']);
    await shot(page, 'mixed-data.png');
  });

  it('Settings switches the survey by keyboard; the Label screen then shows Rubin/LSST proposals', async () => {
    await page.getByTestId('tab-Settings').click();
    const survey = page.getByTestId('set-survey');
    await survey.waitFor();
    // A ZTF night chosen first: it means nothing on Rubin/LSST, so the switch clears it.
    await page.getByTestId('set-night').selectOption('2021-11-22');
    await expect.poll(async () => ((await service.handlers['settings.get']({})) as { night: string | null }).night).toBe('2021-11-22');
    await page.getByTestId('set-task').focus();
    await page.keyboard.press('Tab');
    expect(await survey.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('ArrowDown');
    await page.getByText('Saved.').waitFor();
    expect(await survey.inputValue()).toBe('lsst');
    expect(((await service.handlers['settings.get']({})) as { night: string | null }).night).toBeNull();
    // The night list is Rubin/LSST's now.
    expect(await page.getByTestId('set-night').locator('option').allInnerTexts()).toEqual([
      'all Rubin/LSST nights (round 0 from the busiest)',
      '2025-12-31: 25 in the pool, 0 labelled',
    ]);
    // Only the survey's feature sets are offered, and the header follows.
    expect(await page.getByTestId('set-features').locator('option').allInnerTexts()).toEqual([
      'lsst (Rubin/LSST alerts: per-band fluxes, reliability)',
    ]);
    await page.getByTestId('survey-current').filter({ hasText: 'Rubin/LSST' }).waitFor();
    await shot(page, 'mixed-settings-lsst.png');

    // The cards the Label screen asks for (the LSST card itself is drawn by the card's own code and tests).
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/alerts.card')) asked.push((JSON.parse(r.postData() ?? '{}') as { candid: string }).candid);
    });
    await page.getByTestId('tab-Label').click();
    await page.getByTestId('label-survey').filter({ hasText: 'Rubin/LSST' }).waitFor();
    await page.getByTestId('progress').filter({ hasText: /^\s*0 \/ 6\s*$/ }).waitFor({ timeout: 30_000 });
    await expect.poll(() => asked.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(asked.every((c) => lsstIds.has(c))).toBe(true);
    const st = (await service.handlers['loop.state']({})) as { survey: string; batch: { candid: string }[] };
    expect(st.survey).toBe('lsst');
    expect(st.batch).toHaveLength(6);
    expect(st.batch.every((b) => lsstIds.has(b.candid))).toBe(true);
    await shot(page, 'mixed-label-lsst.png');
  });

  it('the LSST card shows the alert of the batch, and a key press labels that LSST alert in the store', async () => {
    const st = (await service.handlers['loop.state']({})) as { batch: { candid: string }[]; cursor: number };
    const shown = st.batch[st.cursor].candid;
    await page.getByTestId('lsst-diaSourceId').filter({ hasText: shown }).waitFor({ timeout: 20_000 });
    await page.getByTestId('lsst-lightcurve').waitFor();
    expect(await page.getByTestId('lsst-legend-band').first().getAttribute('data-band')).toBe('i');
    await shot(page, 'mixed-lsst-card.png');
    await page.keyboard.press('r');
    await expect
      .poll(async () => ((await service.handlers['loop.state']({})) as { batch: { candid: string; label: string | null }[] }).batch.find((b) => b.candid === shown)?.label, { timeout: 10_000 })
      .toBe('real');
    const card = (await service.handlers['alerts.card']({ candid: shown })) as { survey: string; label: string | null };
    expect(card).toMatchObject({ survey: 'lsst', label: 'real' });
  });

  it('exports the Rubin/LSST labels from the Model screen with the survey and the lsst features', async () => {
    await page.getByTestId('tab-Model').click();
    const [full] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-full').click()]);
    const rows = parse(readFileSync((await full.path()) as string, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.every((r) => r.survey === 'lsst' && lsstIds.has(r.candid))).toBe(true);
    expect(rows.map((r) => r.label)).toContain('real');
    expect(Object.keys(rows[0])).toEqual(expect.arrayContaining(['reliability', 'flux_median_i', 'ndet_i']));
    await page.getByTestId('tab-Label').click();
  });

  it('the Model screen names each run’s survey and feature set', async () => {
    // The batch labelled through the service (the LSST card is another part's test); its completion trains round 2.
    const st = (await service.handlers['loop.state']({})) as { batch: { candid: string }[] };
    for (const [i, b] of st.batch.entries()) await service.handlers['labels.set']({ candid: b.candid, label: i % 2 ? 'gal' : 'extragal' });
    await expect
      .poll(async () => ((await service.handlers['loop.state']({})) as { round: number; pendingJob: unknown }).round, { timeout: 60_000 })
      .toBe(2);
    await page.getByTestId('tab-Model').click();
    const row = page.getByTestId('run-row').first();
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getByTestId('run-survey').innerText()).toBe('Rubin/LSST · lsst');
    await page.getByTestId('run-detail-survey').filter({ hasText: '(Rubin/LSST, lsst features, hrf, 6 labels)' }).waitFor();
    await shot(page, 'mixed-model.png');
  });
});

describe.skipIf(!hasChromium)('a ZTF-only store opened on the lsst set (web mode)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vra-e2e-ztfonly-'));
  let service: Service;
  let server: WebServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const s = makeStore(separableAlerts(40), tmp);
    updateSettings(s.db, s.dbPath, { featureSet: 'lsst', n0: 4, n: 2, night: '2021-11-22' });
    s.db.close();
    service = openService({ dbPath: s.dbPath, homeDir: join(tmp, 'home') });
    ({ server, browser, page } = await openWebSession(service.handlers, buildRenderer()));
  }, 240_000);

  afterAll(async () => {
    await closeWebSession({ browser, server, service });
    rmSync(tmp, { recursive: true, force: true });
  });

  it('Settings explains that the night chosen has no Rubin/LSST alerts', async () => {
    await page.goto(server.url);
    await page.getByTestId('tab-Settings').click();
    const warn = page.getByTestId('night-elsewhere');
    await warn.waitFor();
    expect(await warn.innerText()).toBe(
      'Night 2021-11-22 has no Rubin/LSST alerts: rounds have nothing to propose. Choose one of its nights or all nights.',
    );
    expect(await page.getByTestId('set-night').inputValue()).toBe('2021-11-22');
  });

  it('the Label screen says the store has no Rubin/LSST alerts and switches to ZTF with Enter', async () => {
    await page.goto(server.url);
    const note = page.getByTestId('survey-switch-note');
    await note.waitFor();
    expect(await note.innerText()).toMatch(/The store has no Rubin\/LSST alerts, but 40 ZTF alert\(s\)\./);
    // Instead of the usual 'start a round' message, which could only fail here.
    expect(await page.getByRole('button', { name: 'Start round' }).count()).toBe(0);
    const button = page.getByTestId('switch-survey-ztf');
    expect(await button.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await shot(page, 'ztf-only-on-lsst.png');
    await page.keyboard.press('Enter');
    await page.getByTestId('label-survey').filter({ hasText: /^ZTF$/ }).waitFor();
    await page.locator('[data-testid=card]').waitFor({ timeout: 60_000 });
    await page.getByTestId('survey-current').filter({ hasText: /^ZTF$/ }).waitFor();
  });
});
