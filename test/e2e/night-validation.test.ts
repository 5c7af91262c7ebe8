/**
 * The night-grouped headline and the held-out nights control in a real browser (web mode, real service), on a store
 * whose nights one feature tells apart: a model that never saw a night gets every alert of it wrong (hand-computed in
 * test/learn/group-folds.test.ts), a model tested on the same nights looks perfect.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openService, type Service } from '../../core/api/service.js';
import { runRound } from '../../core/loop/round.js';
import { setLabel } from '../../core/store/labels.js';
import { updateSettings } from '../../core/store/settings.js';
import type { WebServer } from '../../core/server/server.js';
import { nightAlerts, nightLabel, PER_NIGHT } from '../learn/night-fixture.js';
import { cid, makeStore } from '../loop/fixture.js';
import { hasChromium, NO_CHROMIUM_REASON } from './browser.js';
import { buildRenderer, closeWebSession, openWebSession, type Browser } from './helpers.js';

if (!hasChromium) console.warn(NO_CHROMIUM_REASON);

describe.skipIf(!hasChromium)('night-grouped validation in the browser (web mode)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vra-e2e-night-'));
  let service: Service;
  let server: WebServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // 4 nights × 30 alerts; all but the last alert of each night labelled; one trained round.
    const s = makeStore(nightAlerts(4), tmp);
    updateSettings(s.db, s.dbPath, { n0: 2, n: 2, engine: 'hgb' });
    await runRound(s.db, s.dbPath, { artifactsRoot: join(tmp, 'artifacts'), inline: true });
    for (let i = 0; i < 4 * PER_NIGHT; i++) if (i % PER_NIGHT !== PER_NIGHT - 1) setLabel(s.db, cid(i), nightLabel(i));
    await runRound(s.db, s.dbPath, { artifactsRoot: join(tmp, 'artifacts'), inline: true, importanceRepeats: 1 });
    s.db.close();
    const ui = buildRenderer();
    service = openService({ dbPath: s.dbPath, homeDir: join(tmp, 'home') });
    ({ server, browser, page } = await openWebSession(service.handlers, ui));
  });

  afterAll(async () => {
    await closeWebSession({ browser, server, service });
    rmSync(tmp, { recursive: true, force: true });
  });

  it('the Model screen puts the night-grouped figures first, the object-grouped ones as optimistic', async () => {
    await page.goto(server.url);
    await page.getByTestId('tab-Model').click();
    const head = page.getByTestId('cv-headline');
    await head.waitFor({ timeout: 30_000 });
    const lines = (await head.innerText()).split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^cross-validated by night \(forecast of unseen nights: 4 folds over 4 nights\): accuracy 0\.000, balanced 0\.000/);
    expect(lines[1]).toMatch(/^cross-validated by object \(5-fold; optimistic: same nights\): accuracy 1\.000/);
    await page.getByTestId('metric-plots').getByText('by night (forecast)').first().waitFor();
  });

  it('Settings holds out every alert of the nights ticked', async () => {
    await page.getByTestId('tab-Settings').click();
    const box = page.getByTestId('holdout-nights');
    await box.waitFor();
    expect(await box.locator('input[type=checkbox]').count()).toBe(4);
    await box.getByText('2021-11-11').click();
    await page.getByTestId('holdout-mark-nights').click();
    // Night 2021-11-11: 30 alerts, 29 labelled galactic.
    await page.getByTestId('holdout-state').getByText('30 alert(s) of 30 object(s) held out: not galactic 0, galactic 29, not counted 0').waitFor();
  });
});
