import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock.js'));

import * as E from './electron-mock.js';
import { createMainWindow, guardAppContents, hardenSession, openExternalSafe } from '../../electron/window.js';

const APP_URL = 'file:///opt/finkvra/dist/renderer/index.html';

beforeEach(() => E.resetElectronMock());

describe('main window', () => {
  it('is created with the secure webPreferences and loads the app page', () => {
    const win = createMainWindow({ preloadPath: '/opt/finkvra/dist/electron/preload.cjs', appUrl: APP_URL });
    const fake = win as unknown as E.BrowserWindow;
    const prefs = fake.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/opt/finkvra/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(prefs).not.toHaveProperty('enableRemoteModule');
    expect(fake.webContents.loadURL).toHaveBeenCalledWith(APP_URL);
    // shown only once painted
    expect(fake.options.show).toBe(false);
    fake.emit('ready-to-show');
    expect(fake.show).toHaveBeenCalledTimes(1);
  });

  it('blocks navigation away from the app and opens http(s) in the system browser instead', () => {
    const wc = new E.FakeWebContents();
    guardAppContents(wc as never, APP_URL);
    const away = E.fakeEvent('https://example.org/');
    wc.emit('will-navigate', away);
    expect(away.defaultPrevented).toBe(true);
    expect(E.shell.openExternal).toHaveBeenCalledWith('https://example.org/');

    const evil = E.fakeEvent('file:///home/u/evil.html');
    wc.emit('will-navigate', evil);
    expect(evil.defaultPrevented).toBe(true);
    expect(E.shell.openExternal).toHaveBeenCalledTimes(1);

    const inApp = E.fakeEvent(`${APP_URL}#/model`);
    wc.emit('will-navigate', inApp);
    expect(inApp.defaultPrevented).toBe(false);

    const webview = E.fakeEvent();
    wc.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
  });

  it('denies every new window; only http(s) goes to the system browser', () => {
    const wc = new E.FakeWebContents();
    guardAppContents(wc as never, APP_URL);
    expect(wc.windowOpenHandler!({ url: 'https://fink-portal.org/ZTF21abcdefg' })).toEqual({ action: 'deny' });
    expect(E.shell.openExternal).toHaveBeenCalledWith('https://fink-portal.org/ZTF21abcdefg');
    expect(wc.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(E.shell.openExternal).toHaveBeenCalledTimes(1);
  });
});

describe('session policy', () => {
  it('sets the CSP header on the app responses only', () => {
    hardenSession(E.session.defaultSession as never, { appUrl: APP_URL, dev: false });
    const listener = E.session.defaultSession.headersListener!;
    let out: { responseHeaders?: Record<string, string[]> } = {};
    listener({ url: APP_URL, responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (out = r));
    const csp = out.responseHeaders?.['Content-Security-Policy']?.[0] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(out.responseHeaders?.['Content-Type']).toEqual(['text/html']);

    listener({ url: 'https://lasair-ztf.lsst.ac.uk/objects/x/', responseHeaders: {} }, (r) => (out = r));
    expect(out).toEqual({});
  });

  it('denies every permission request and check, except clipboard writes from the app page', () => {
    hardenSession(E.session.defaultSession as never, { appUrl: APP_URL, dev: false });
    const s = E.session.defaultSession;
    for (const perm of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen']) {
      const cb = vi.fn();
      s.permissionRequest!({}, perm, cb);
      expect(cb, perm).toHaveBeenCalledWith(false);
      expect(s.permissionCheck!({}, perm, 'file:///'), perm).toBe(false);
    }
    expect(s.permissionCheck!({}, 'clipboard-sanitized-write', 'file:///')).toBe(true);
    expect(s.permissionCheck!({}, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false);
  });
});

describe('openExternalSafe', () => {
  it('refuses anything but http(s)', async () => {
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'smb://x/y', 'ms-msdt:/id', 'garbage']) {
      expect(await openExternalSafe(url), url).toBe(false);
    }
    expect(E.shell.openExternal).not.toHaveBeenCalled();
    expect(await openExternalSafe('https://lasair-ztf.lsst.ac.uk/')).toBe(true);
    expect(E.shell.openExternal).toHaveBeenCalledWith('https://lasair-ztf.lsst.ac.uk/');
  });
});
