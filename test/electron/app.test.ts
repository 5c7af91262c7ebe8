import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock.js'));

import * as E from './electron-mock.js';
import type { Handlers } from '../../core/api/contract.js';
import { resolveAppUrl, runMain } from '../../electron/app.js';
import type { BackendFactory } from '../../electron/backend.js';
import { settingsFile } from '../../electron/settings.js';

const PATHS = { preloadPath: '/app/dist/electron/preload.cjs', rendererIndex: '/app/dist/renderer/index.html' };

function fakeFactory(alerts = 5) {
  const opened: string[] = [];
  const ingested: unknown[] = [];
  const close = vi.fn(async () => {});
  const handlers = {
    'data.summary': () => ({ alerts }),
    'data.ingest': (input: unknown) => {
      ingested.push(input);
      return { jobId: 'job-1' };
    },
  } as unknown as Handlers;
  const factory: BackendFactory = {
    open: vi.fn(async (dbPath: string) => {
      if (dbPath.includes('broken')) throw new Error('schema version 99 is newer than this app');
      opened.push(dbPath);
      return { handlers, dbPath, close };
    }),
    sampleNight: vi.fn(async (dir: string) => ({ dbPath: join(dir, 'sample.sqlite'), files: [join(dir, 'night.parquet')] })),
  };
  return { factory, opened, ingested, close };
}

function userData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'finkvra-app-'));
  E.app.paths = { userData: dir, downloads: dir };
  return dir;
}

beforeEach(() => E.resetElectronMock());

describe('single-instance lock', () => {
  it('a second instance quits without opening a window or the database', async () => {
    userData();
    E.app.requestSingleInstanceLock.mockReturnValue(false);
    const { factory } = fakeFactory();
    expect(await runMain({ factory, paths: PATHS, env: {} })).toBeNull();
    expect(E.app.quit).toHaveBeenCalledTimes(1);
    expect(E.BrowserWindow.instances).toHaveLength(0);
    expect(factory.open).not.toHaveBeenCalled();
  });

  it('the first instance focuses its window when a second one starts', async () => {
    userData();
    const { factory } = fakeFactory();
    const running = await runMain({ factory, paths: PATHS, env: {} });
    const win = running!.window as unknown as E.BrowserWindow;
    win.minimized = true;
    E.app.emit('second-instance', {}, ['electron', '.'], '/');
    expect(win.restore).toHaveBeenCalledTimes(1);
    expect(win.focus).toHaveBeenCalledTimes(1);
  });
});

describe('start-up', () => {
  it('sandboxes everything, secures the session, opens the window on the built renderer, registers IPC and menu', async () => {
    userData();
    const { factory } = fakeFactory();
    const running = await runMain({ factory, paths: PATHS, env: {} });
    expect(E.app.enableSandbox).toHaveBeenCalledTimes(1);
    expect(running!.appUrl).toBe('file:///app/dist/renderer/index.html');
    const win = E.BrowserWindow.instances[0];
    expect((win.options.webPreferences as { preload: string }).preload).toBe(PATHS.preloadPath);
    expect(win.webContents.loadURL).toHaveBeenCalledWith('file:///app/dist/renderer/index.html');
    expect(E.session.defaultSession.headersListener).not.toBeNull();
    expect(E.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(E.ipcMain.handlers.has('vra:call')).toBe(true);
    expect(E.Menu.setApplicationMenu).toHaveBeenCalledTimes(1);
    // any other web contents: no <webview>, no popups
    const other = new E.FakeWebContents();
    E.app.emit('web-contents-created', {}, other);
    expect(other.windowOpenHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
  });

  it('turns developer tools off in a packaged app and closes the Lasair pane with the window', async () => {
    userData();
    E.app.isPackaged = true;
    const { factory } = fakeFactory();
    const running = await runMain({ factory, paths: PATHS, env: { FINKVRA_DEV_URL: 'http://localhost:5173/' } });
    const win = running!.window as unknown as E.BrowserWindow;
    expect((win.options.webPreferences as { devTools: boolean }).devTools).toBe(false);
    // packaged: the dev server URL is ignored
    expect(running!.appUrl).toBe('file:///app/dist/renderer/index.html');
    const menu = E.Menu.buildFromTemplate.mock.calls[0][0] as { label?: string; submenu?: { label?: string }[] }[];
    const view = menu.find((m) => m.label === 'View')!.submenu!;
    expect(view.some((i) => /developer/i.test(String(i.label)))).toBe(false);
    // show the pane through IPC, then close the window: the pane's page is closed too
    const ev = { sender: win.webContents, senderFrame: { url: running!.appUrl, parent: null } };
    const shown = (await E.ipcMain.handlers.get('vra:pane:show')!(ev, 'ZTF21abcdefg')) as { ok: boolean };
    expect(shown.ok).toBe(true);
    const paneContents = E.WebContentsView.instances[0].webContents;
    win.emit('close');
    expect(paneContents.close).toHaveBeenCalledTimes(1);
    expect(win.contentView.children).toEqual([]);
  });

  it('opens the sample night when there is no last database, ingests it when empty, and remembers it', async () => {
    const dir = userData();
    const { factory, opened, ingested } = fakeFactory(0);
    await runMain({ factory, paths: PATHS, env: {} });
    expect(opened).toEqual([join(dir, 'sample', 'sample.sqlite')]);
    expect(ingested).toEqual([{ paths: [join(dir, 'sample', 'night.parquet')] }]);
    expect(JSON.parse(readFileSync(settingsFile(dir), 'utf8'))).toEqual({ lastDbPath: join(dir, 'sample', 'sample.sqlite') });
  });

  it('reopens the last database used', async () => {
    const dir = userData();
    const last = join(dir, 'mine.sqlite');
    writeFileSync(last, '');
    writeFileSync(settingsFile(dir), JSON.stringify({ lastDbPath: last }));
    const { factory, opened, ingested } = fakeFactory();
    await runMain({ factory, paths: PATHS, env: {} });
    expect(opened).toEqual([last]);
    expect(ingested).toEqual([]);
  });

  it('falls back to the sample night, telling the user, when the last database cannot be opened', async () => {
    const dir = userData();
    const last = join(dir, 'broken.sqlite');
    writeFileSync(last, '');
    writeFileSync(settingsFile(dir), JSON.stringify({ lastDbPath: last }));
    const { factory, opened } = fakeFactory();
    await runMain({ factory, paths: PATHS, env: {} });
    expect(opened).toEqual([join(dir, 'sample', 'sample.sqlite')]);
    expect(E.dialog.showErrorBox).toHaveBeenCalledTimes(1);
    expect(String(E.dialog.showErrorBox.mock.calls[0][1])).toContain('schema version 99');
  });

  it('closes the store before quitting', async () => {
    userData();
    const { factory, close } = fakeFactory();
    await runMain({ factory, paths: PATHS, env: {} });
    const ev = E.fakeEvent();
    E.app.emit('before-quit', ev);
    expect(ev.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(E.app.quit).toHaveBeenCalledTimes(1));
    expect(close).toHaveBeenCalledTimes(1);
    expect(E.ipcMain.handlers.size).toBe(0);
    // the second before-quit (from app.quit) goes through
    const again = E.fakeEvent();
    E.app.emit('before-quit', again);
    expect(again.defaultPrevented).toBe(false);
  });
});

describe('resolveAppUrl', () => {
  it('uses a loopback dev server only when unpackaged', () => {
    const base = { rendererIndex: '/app/dist/renderer/index.html' };
    expect(resolveAppUrl({ ...base, packaged: false, devUrl: 'http://localhost:5173/' })).toEqual({ appUrl: 'http://localhost:5173/', dev: true });
    expect(resolveAppUrl({ ...base, packaged: true, devUrl: 'http://localhost:5173/' }).dev).toBe(false);
    expect(resolveAppUrl({ ...base, packaged: false, devUrl: 'https://evil.example/' })).toEqual({
      appUrl: 'file:///app/dist/renderer/index.html',
      dev: false,
    });
  });
});
