/** In a real browser (web mode): the launch code opens a session, and dropped files go up by POST /upload. */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openService, type Service } from '../../core/api/service.js';
import { startWebServer, type WebServer } from '../../core/server/server.js';
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
});
