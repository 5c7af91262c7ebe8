/** Shared steps of the browser tests and the UI benchmark: build the UI once, a sample night, truth keys. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { Handlers } from '../../core/api/contract.js';
import type { Service } from '../../core/api/service.js';
import { DEFAULT_LABEL_KEYS, isLabel } from '../../core/labels.js';
import { ensureSampleNight } from '../../core/sample/sample-night.js';
import { truthFileFor } from '../../core/sample/write.js';
import { startWebServer, type WebServer } from '../../core/server/server.js';
import { launchBrowser } from './browser.js';

export const REPO = resolve(import.meta.dirname, '../..');
export const OUTPUT = join(REPO, 'test-output');

/** A fresh Vite build of the renderer in a temp folder (leaves dist/ alone). */
export function buildRenderer(): string {
  const out = mkdtempSync(join(tmpdir(), 'vra-ui-'));
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'error', '--outDir', out], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(join(out, 'index.html'))) throw new Error(`vite build failed: ${r.stderr}${r.stdout}`);
  return out;
}

/** The generated sample night (cached per machine under the OS temp folder) and its truth labels by candid. */
export async function sampleNight(): Promise<{ file: string; truth: Map<string, string> }> {
  const dir = join(tmpdir(), 'finkvra-e2e-sample');
  mkdirSync(dir, { recursive: true });
  const file = await ensureSampleNight(dir);
  const sidecar = JSON.parse(readFileSync(truthFileFor(file), 'utf8')) as { alerts: { candid: string; label: string }[] };
  return { file, truth: new Map(sidecar.alerts.map((a) => [a.candid, a.label])) };
}

/** The key a careful person would press for an alert of this truth (asteroids are not a label: skip→ 'bogus'). */
export function truthKey(truth: string | undefined): string {
  return isLabel(truth) ? DEFAULT_LABEL_KEYS[truth] : DEFAULT_LABEL_KEYS.bogus;
}

export async function progress(page: Page): Promise<[number, number]> {
  const t = (await page.locator('[data-testid=progress]').textContent()) ?? '';
  const m = /(\d+)\s*\/\s*(\d+)/.exec(t);
  if (!m) throw new Error(`no progress in '${t}'`);
  return [Number(m[1]), Number(m[2])];
}

export async function waitProgress(page: Page, done: number, total?: number, timeout = 10_000): Promise<void> {
  const re = new RegExp(total === undefined ? `^\\s*${done} / \\d+\\s*$` : `^\\s*${done} / ${total}\\s*$`);
  try {
    await page.getByTestId('progress').filter({ hasText: re }).waitFor({ timeout });
  } catch (err) {
    // Leave evidence: what the page showed instead.
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'failure.png') }).catch(() => undefined);
    const shown = await page.getByTestId('progress').textContent().catch(() => '?');
    const alerts = await page.locator('[role=alert]').allTextContents().catch(() => []);
    throw new Error(`progress '${shown}' never became ${re} (alerts: ${alerts.join(' | ') || 'none'})`, { cause: err });
  }
}

/** Wait until the progress text is no longer `prev` (a label was acknowledged, or a new batch came). */
export async function waitProgressChange(page: Page, prev: string, timeout = 10_000): Promise<string> {
  const esc = prev.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  await page.getByTestId('progress').filter({ hasNotText: new RegExp(`^\\s*${esc}\\s*$`) }).waitFor({ timeout });
  return ((await page.getByTestId('progress').textContent()) ?? '').trim();
}

export async function shownCandid(page: Page): Promise<string> {
  const c = await page.locator('[data-testid=card]').getAttribute('data-candid');
  if (!c) throw new Error('no card shown');
  return c;
}

/** How many cards the label screen has painted so far (its 'painted' performance marks). */
export async function paintedCount(page: Page): Promise<number> {
  return page.evaluate(() => performance.getEntriesByName('painted').length);
}

/** Wait until a card is painted after the first `n` (keys apply only to a card on screen), or the batch is done. */
export async function waitPaintedAfter(page: Page, n: number, timeout = 15_000): Promise<void> {
  await Promise.race([
    page.waitForFunction((k) => performance.getEntriesByName('painted').length > k, n, { timeout }),
    page.getByTestId('batch-done').waitFor({ timeout }),
  ]);
}

/** The candid of the card on screen, once it is painted (a key pressed before would not apply to it). */
export async function paintedCandid(page: Page, timeout = 15_000): Promise<string> {
  const end = Date.now() + timeout;
  for (;;) {
    const shown = await page.locator('[data-testid=card]').getAttribute('data-candid', { timeout });
    const last = await page.evaluate(() => {
      const marks = performance.getEntriesByName('painted');
      return ((marks[marks.length - 1] as { detail?: unknown } | undefined)?.detail ?? null) as string | null;
    });
    if (shown && last === shown) return shown;
    if (Date.now() > end) throw new Error(`card ${shown ?? '(none)'} was never painted (last painted: ${last ?? 'none'})`);
    await page.waitForTimeout(20);
  }
}

/** Press a key on the card on screen, then wait for the next card to be painted (or the batch to be done). */
export async function pressOnCard(page: Page, key: string): Promise<void> {
  const n = await paintedCount(page);
  await page.keyboard.press(key);
  await waitPaintedAfter(page, n);
}

export type Browser = Awaited<ReturnType<typeof launchBrowser>>;

/** A web-mode server over `handlers` serving the built UI `ui`, and a browser page on it (page errors logged). */
export async function openWebSession(
  handlers: Handlers,
  ui: string,
  opts: { downloadsDir?: string } = {},
): Promise<{ server: WebServer; browser: Browser; page: Page }> {
  const server = await startWebServer({ handlers, staticDir: ui });
  const browser = await launchBrowser(opts);
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  return { server, browser, page };
}

/** Closes what a browser test opened, browser first; each part is unset when the setup failed before it. */
export async function closeWebSession(parts: { browser?: Browser; server?: WebServer; service?: Service }): Promise<void> {
  await parts.browser?.close();
  await parts.server?.close();
  await parts.service?.close();
}
