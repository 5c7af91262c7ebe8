/**
 * The main-process life cycle: single-instance lock, sandbox for every renderer, global web-contents guards, then on
 * ready: session policy, database, window, Lasair pane, IPC and menu. main.ts only supplies the real paths/factory.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { app, dialog, session } from 'electron';
import type { BrowserWindow } from 'electron';
import { openDatabase, type Backend, type BackendFactory } from './backend.js';
import type { MenuCommand, PaneEvent } from './bridge.js';
import { registerIpc } from './ipc.js';
import { LasairPane } from './lasair-pane.js';
import { installMenu } from './menu.js';
import { readAppSettings, writeAppSettings } from './settings.js';
import { createMainWindow, hardenSession } from './window.js';

export interface AppPaths {
  /** dist/electron/preload.cjs */
  preloadPath: string;
  /** dist/renderer/index.html */
  rendererIndex: string;
}

export interface RunOptions {
  factory: BackendFactory;
  paths: AppPaths;
  env?: Record<string, string | undefined>;
}

export interface Running {
  window: BrowserWindow;
  backend: Backend;
  appUrl: string;
}

/**
 * The dev server URL (FINKVRA_DEV_URL) is honoured only in an unpackaged app and only on loopback, so an environment
 * variable can never point the privileged window at a remote page.
 */
export function resolveAppUrl(opts: { packaged: boolean; devUrl?: string; rendererIndex: string }): {
  appUrl: string;
  dev: boolean;
} {
  if (!opts.packaged && opts.devUrl) {
    try {
      const u = new URL(opts.devUrl);
      if (u.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '127.0.0.1')) {
        return { appUrl: u.href, dev: true };
      }
    } catch {
      // fall through to the built renderer
    }
  }
  return { appUrl: pathToFileURL(opts.rendererIndex).href, dev: false };
}

/** Returns null when another instance already runs (this one quits and that one is focused). */
export async function runMain(opts: RunOptions): Promise<Running | null> {
  const env = opts.env ?? process.env;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  // Every renderer sandboxed, whatever its webPreferences say. Only possible before 'ready' (which an ESM main
  // should not have reached yet); each window and the pane also set sandbox: true themselves.
  if (!app.isReady()) app.enableSandbox();

  let win: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  // Baseline for any web contents, before the window and pane install their own, narrower handlers.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  app.on('window-all-closed', () => app.quit());

  await app.whenReady();

  const { appUrl, dev } = resolveAppUrl({
    packaged: app.isPackaged,
    devUrl: env.FINKVRA_DEV_URL,
    rendererIndex: opts.paths.rendererIndex,
  });
  hardenSession(session.defaultSession, { appUrl, dev });

  const userData = app.getPath('userData');
  const settings = readAppSettings(userData);
  const { backend } = await openDatabase(
    opts.factory,
    { userDataDir: userData, envDb: env.FINKVRA_DB, home: env.FINKVRA_HOME, lastDbPath: settings.lastDbPath, exists: existsSync },
    (dbPath, err) =>
      dialog.showErrorBox(
        'Database not opened',
        `${dbPath} could not be opened (${err instanceof Error ? err.message : String(err)}). Opening the sample night.`,
      ),
  );
  writeAppSettings(userData, { lastDbPath: backend.dbPath });

  const window = createMainWindow({ preloadPath: opts.paths.preloadPath, appUrl, devTools: !app.isPackaged });
  win = window;
  const send = (channel: 'vra:pane:event' | 'vra:menu', payload: PaneEvent | MenuCommand) => {
    if (!window.isDestroyed()) window.webContents.send(channel, payload);
  };
  const pane = new LasairPane(window, { fraction: settings.paneFraction, notify: (e) => send('vra:pane:event', e) });
  const unregister = registerIpc({
    handlers: backend.handlers,
    appUrl,
    getWindow: () => (window.isDestroyed() ? null : window),
    saveDir: app.getPath('downloads'),
    pane: {
      show: (id) => pane.show(id),
      hide: () => pane.hide(),
      navigate: (url) => pane.navigate(url),
      layout: (fraction) => {
        const state = pane.layout(fraction);
        writeAppSettings(userData, { paneFraction: state.fraction });
        return state;
      },
    },
  });
  installMenu({
    dev: !app.isPackaged,
    isMac: process.platform === 'darwin',
    actions: {
      send: (command) => send('vra:menu', command),
      reload: () => window.webContents.reload(),
      toggleDevTools: () => window.webContents.toggleDevTools(),
      quit: () => app.quit(),
    },
  });
  window.on('close', () => pane.destroy());
  window.on('closed', () => {
    win = null;
  });
  // Let background jobs finish and the store close before the process ends (labels are already committed).
  let closed = false;
  let closing = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    unregister();
    void Promise.resolve()
      .then(() => backend.close())
      .catch((err: unknown) => console.error('closing the store failed:', err))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
  return { window, backend, appUrl };
}
