/**
 * The packed desktop app in the real Electron (Playwright's _electron), on the sample night: five labels by keyboard,
 * one undo, the CSV export, the Lasair pane opened and closed, a round trained on its worker thread. Runs where `npm run dist` (or electron-builder --dir)
 * packed the app and the Electron binary is installed, on Linux under a display (CI: xvfb-run); skips with the reason
 * elsewhere. The archive is started with the installed Electron rather than the packed executable: the packed one has
 * the inspect-arguments fuse off, which Playwright needs to drive it.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progress, shownCandid, waitProgress, waitProgressChange } from '../e2e/helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const archive = process.env.FINKVRA_E2E_ASAR ?? join(root, 'out/linux-unpacked/resources/app.asar');

function electronBinary(): string | null {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const skipReason =
  process.platform !== 'linux'
    ? 'the Electron e2e runs on Linux only'
    : !binary
      ? 'the Electron binary is not installed (offline install?)'
      : !existsSync(archive)
        ? `no packed app at ${archive} (run npm run dist first)`
        : !process.env.DISPLAY
          ? 'no display (run under xvfb-run)'
          : null;
if (skipReason) console.log(`Electron e2e skipped: ${skipReason}`);

/** The Lasair pane's view in the main window: whether it is shown (null when it was never created). */
async function paneVisible(app: ElectronApplication): Promise<boolean | null> {
  return app.evaluate(({ BrowserWindow }) => {
    const win = BrowserWindow.getAllWindows()[0];
    const views = win.contentView.children;
    return views.length === 0 ? null : views[views.length - 1].getVisible();
  });
}

describe.skipIf(skipReason !== null)('the packed app in Electron', () => {
  const home = mkdtempSync(join(tmpdir(), 'finkvra-electron-e2e-'));
  let app: ElectronApplication;
  let page: Page;
  const labelled: string[] = [];

  beforeAll(async () => {
    app = await _electron.launch({
      executablePath: binary!,
      args: [archive, '--no-sandbox'],
      // A fresh user-data folder (Electron's appData is $XDG_CONFIG_HOME on Linux): the app opens the sample night.
      env: { ...(process.env as Record<string, string>), XDG_CONFIG_HOME: home },
      timeout: 60_000,
    });
    page = await app.firstWindow();
    page.on('pageerror', (e) => console.error('page error:', e.message));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('labels five cards by keyboard and undoes one', async () => {
    await page.getByTestId('tab-Label').click();
    await waitProgress(page, 0, undefined, 120_000);
    let text = (await page.getByTestId('progress').textContent())!.trim();
    for (let i = 0; i < 5; i++) {
      labelled.push(await shownCandid(page));
      await page.keyboard.press(i % 2 ? 'g' : 'x');
      text = await waitProgressChange(page, text);
    }
    expect((await progress(page))[0]).toBe(5);
    await page.keyboard.press('z');
    text = await waitProgressChange(page, text);
    expect((await progress(page))[0]).toBe(4);
    expect(await shownCandid(page)).toBe(labelled[4]);
  });

  it('exports the labels as CSV through the save dialog', async () => {
    const target = join(home, 'labeled.csv');
    await app.evaluate(({ dialog }, filePath) => {
      dialog.showSaveDialog = () => Promise.resolve({ canceled: false, filePath });
    }, target);
    await page.getByTestId('tab-Model').click();
    await page.getByTestId('export-seed').click();
    await expect.poll(() => existsSync(target), { timeout: 15_000 }).toBe(true);
    const lines = readFileSync(target, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('candid,objectId,label,timestamp');
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(labelled.slice(0, 4).sort());
  });

  it('opens and closes the Lasair pane with l', async () => {
    await page.getByTestId('tab-Label').click();
    await page.getByTestId('card').waitFor();
    await page.keyboard.press('l');
    await expect.poll(() => paneVisible(app), { timeout: 10_000 }).toBe(true);
    await page.keyboard.press('l');
    await expect.poll(() => paneVisible(app), { timeout: 10_000 }).toBe(false);
  });

  it('trains a round on a worker thread started from inside the archive', async () => {
    // Four labels, both classes of the gal task: a forced round trains a model (round-worker, in dist/workers/).
    type Call = (method: string, input: unknown) => Promise<{ ok: boolean; result?: { round: number; pendingJob: unknown } }>;
    const call = (method: string, input: unknown) =>
      page.evaluate(([m, i]) => (globalThis as unknown as { vra: { call: Call } }).vra.call(m as string, i), [method, input] as const);
    expect((await call('loop.startRound', { force: true })).ok).toBe(true);
    await expect
      .poll(async () => {
        const r = await call('loop.state', {});
        return r.ok && r.result!.round === 1 && r.result!.pendingJob === null;
      }, { timeout: 60_000 })
      .toBe(true);
  });
});
