/**
 * In a real browser (web mode): the launch code opens a session, dropped files go up by POST /upload, and the Lasair
 * token is typed in Settings.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openService, type Service } from '../../core/api/service.js';
import { startWebServer, type WebServer } from '../../core/server/server.js';
import { storedLasairToken } from '../../core/store/secrets.js';
import { alertTable, sampleRows, toParquet } from '../alerts/fixtures.js';
import { hasChromium, launchBrowser, NO_CHROMIUM_REASON } from '../e2e/browser.js';
import { buildRenderer } from '../e2e/helpers.js';

if (!hasChromium) console.warn(NO_CHROMIUM_REASON);

describe.skipIf(!hasChromium)('uploads from the browser', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vra-upload-ui-'));
  const uploadsDir = join(tmp, 'home', 'uploads');
  let service: Service;
  let server: WebServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    vi.stubEnv('LASAIR_TOKEN', '');
    const ui = buildRenderer();
    service = openService({ dbPath: join(tmp, 'vra.sqlite'), homeDir: join(tmp, 'home') });
    server = await startWebServer({ handlers: service.handlers, staticDir: ui, uploadsDir });
    browser = await launchBrowser();
    page = await browser.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await service?.close();
    rmSync(tmp, { recursive: true, force: true });
    vi.unstubAllEnvs();
  });

  it('opens with a launch code and ingests two files of one name', async () => {
    const files = [1, 2].map((k) => {
      const dir = join(tmp, `src${k}`);
      mkdirSync(dir);
      const rows = sampleRows(4, k).map((r) => ({ ...r, candid: (r.candid ?? 0n) + BigInt(k * 100_000) }));
      const file = join(dir, 'same.parquet');
      writeFileSync(file, toParquet(alertTable(rows)));
      return file;
    });
    await page.goto(server.launchUrl());
    expect(page.url()).toBe(`${server.origin}/`);
    await page.getByTestId('tab-Data').click();
    await page.getByTestId('file-input').setInputFiles(files);
    await page.getByTestId('ingest-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('ingest-result').textContent()).toMatch(/Read 8 alerts, 8 new, 0 file\(s\) failed/);
    expect(readdirSync(uploadsDir)).toEqual([]);
  }, 90_000);

  it('keeps a Lasair token typed in Settings, never showing it back', async () => {
    const token = 'abcdef0123456789abcdef0123456789';
    await page.getByTestId('tab-Settings').click();
    await page.getByTestId('lasair-token-state').getByText(/Token: none/).waitFor();
    await page.getByTestId('lasair-token-input').fill(token);
    await page.getByRole('button', { name: 'Save token' }).click();
    await page.getByTestId('lasair-token-state').getByText('Token: stored').waitFor();
    expect(storedLasairToken(service.ctx.db)).toBe(token);
    expect(await page.content()).not.toContain(token);
  }, 30_000);
});
