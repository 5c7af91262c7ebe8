/**
 * The app window and the guards on its session and web contents: secure webPreferences, CSP on the app's own
 * responses, every permission denied, navigation pinned to the app page, new windows sent to the system browser.
 */
import { BrowserWindow, shell } from 'electron';
import type { Session, WebContents } from 'electron';
import { isAppPage, isHttpUrl, withoutCsp } from './policy.js';

/** Opens an http(s) URL in the system browser; refuses (false) file:, javascript:, custom schemes, garbage. */
export async function openExternalSafe(url: string): Promise<boolean> {
  if (!isHttpUrl(url)) return false;
  await shell.openExternal(url); /* eng-disable OPEN_EXTERNAL_JS_CHECK -- checked just above: http(s) URLs only */
  return true;
}

/** Does a response belong to the app (so it gets our CSP)? file:// app: any local file; dev server: its origin. */
export function isAppResource(url: string, appUrl: string): boolean {
  try {
    const u = new URL(url);
    const app = new URL(appUrl);
    return app.protocol === 'file:' ? u.protocol === 'file:' : u.origin === app.origin;
  } catch {
    return false;
  }
}

/**
 * CSP on the app's responses and a deny-all permission policy.
 *
 * The CSP: only our own scripts and styles, no eval, no inline code, no plugins, no frames; images may be
 * data:/blob: (cutout canvases). Its script, style, image, connect, framing, base and form rules are those of web
 * mode's policy (core/server), so the browser tests exercise them (test/electron/policy.test.ts checks); it differs
 * in default-src ('self', web mode 'none'), font-src (adds data:) and worker-src (web mode sets none). The
 * dev server additionally needs its inline React-refresh preamble and the HMR websocket. The policies are written as
 * literals at the call so electronegativity's CSP evaluator can read them.
 *
 * Permissions: the one exception is writing text to the clipboard from the app page itself (the copy buttons for
 * ra/dec and ids); reading the clipboard stays denied.
 */
export function hardenSession(ses: Session, opts: { appUrl: string; dev: boolean }): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppResource(details.url, opts.appUrl)) {
      callback({});
      return;
    }
    const rest = withoutCsp(details.responseHeaders);
    if (opts.dev) {
      callback({
        responseHeaders: {
          ...rest,
          'Content-Security-Policy': [
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws://localhost:* ws://127.0.0.1:*; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'; frame-ancestors 'none'",
          ],
        },
      });
      return;
    }
    callback({
      responseHeaders: {
        ...rest,
        'Content-Security-Policy': [
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'; frame-ancestors 'none'",
        ],
      },
    });
  });
  ses.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(
    (_webContents, permission, requestingOrigin) =>
      permission === 'clipboard-sanitized-write' && isAppResource(requestingOrigin, opts.appUrl),
  );
}

/** Navigation guards of the app's web contents. */
export function guardAppContents(contents: WebContents, appUrl: string): void {
  contents.on('will-navigate', (event) => {
    if (isAppPage(event.url, appUrl)) return;
    event.preventDefault();
    void openExternalSafe(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (!isAppPage(event.url, appUrl)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalSafe(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export interface MainWindowOptions {
  preloadPath: string;
  /** file:// URL of dist/renderer/index.html, or the dev server URL. */
  appUrl: string;
  title?: string;
  /** Developer tools: only in an unpackaged (development) app. */
  devTools?: boolean;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: opts.title ?? 'Fink VRA',
    show: false,
    backgroundColor: '#111418',
    webPreferences: {
      preload: opts.preloadPath, // eng-disable PRELOAD_JS_CHECK -- reviewed: exposes only the typed bridge (preload.ts)
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: opts.devTools ?? false,
      // Middle-click would ask for a new window; the open handler denies it anyway, this avoids the request.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  guardAppContents(win.webContents, opts.appUrl);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(opts.appUrl);
  return win;
}
