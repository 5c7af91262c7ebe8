import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock.js'));

import * as E from './electron-mock.js';
import type { PaneEvent } from '../../electron/bridge.js';
import { LasairPane, PANE_PARTITION, resetPaneSessionForTests } from '../../electron/lasair-pane.js';

function setup(fraction?: number) {
  const win = new E.BrowserWindow({});
  const events: PaneEvent[] = [];
  const pane = new LasairPane(win as never, { fraction, notify: (e) => events.push(e) });
  return { win, pane, events };
}

const view = () => E.WebContentsView.instances[0];

beforeEach(() => {
  E.resetElectronMock();
  resetPaneSessionForTests();
});

describe('Lasair pane', () => {
  it('shows the Lasair page of the object on the right 45% of the window', () => {
    const { win, pane, events } = setup();
    const state = pane.show('ZTF21abcdefg');
    expect(state).toEqual({
      visible: true,
      objectId: 'ZTF21abcdefg',
      url: 'https://lasair-ztf.lsst.ac.uk/objects/ZTF21abcdefg/',
      fraction: 0.45,
    });
    expect(view().webContents.loadURL).toHaveBeenCalledWith('https://lasair-ztf.lsst.ac.uk/objects/ZTF21abcdefg/');
    expect(win.contentView.addChildView).toHaveBeenCalledWith(view());
    // 1000 × 800 window: 450 px pane starting at x = 550
    expect(view().bounds).toEqual({ x: 550, y: 0, width: 450, height: 800 });
    expect(view().visible).toBe(true);
    expect(events).toEqual([{ type: 'loading', url: 'https://lasair-ztf.lsst.ac.uk/objects/ZTF21abcdefg/' }]);
    // same object again: no reload
    pane.show('ZTF21abcdefg');
    expect(view().webContents.loadURL).toHaveBeenCalledTimes(1);
  });

  it('is sandboxed, without preload or Node, in its own partition with no permissions', () => {
    const { pane } = setup();
    pane.show('ZTF21abcdefg');
    const prefs = view().options.webPreferences!;
    expect(prefs).toMatchObject({
      partition: PANE_PARTITION,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(prefs).not.toHaveProperty('preload');
    const ses = E.session.fromPartition(PANE_PARTITION);
    const cb = vi.fn();
    ses.permissionRequest!({}, 'geolocation', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(ses.permissionCheck!({}, 'notifications', 'https://lasair-ztf.lsst.ac.uk')).toBe(false);
  });

  it('follows the window size and the chosen width, and hides', () => {
    const { win, pane, events } = setup();
    pane.show('ZTF21abcdefg');
    win.size = { width: 2000, height: 1000 };
    win.emit('resize');
    expect(view().bounds).toEqual({ x: 1100, y: 0, width: 900, height: 1000 });
    pane.layout(0.3);
    expect(view().bounds).toEqual({ x: 1400, y: 0, width: 600, height: 1000 });
    expect(pane.layout(5).fraction).toBe(0.8);
    expect(pane.hide().visible).toBe(false);
    expect(view().visible).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'hidden' });
  });

  it('rejects object ids that could alter the URL', () => {
    const { pane } = setup();
    expect(() => pane.show('../../admin')).toThrow(/not an object id/);
    expect(() => pane.show('ZTF21?x=1')).toThrow(/not an object id/);
  });

  it('lets navigation stay within Lasair and Fink, sends other links out, refuses javascript: and file:', () => {
    const { pane, events } = setup();
    pane.show('ZTF21abcdefg');
    const wc = view().webContents;

    const fink = E.fakeEvent('https://fink-portal.org/ZTF21abcdefg');
    wc.emit('will-navigate', fink);
    expect(fink.defaultPrevented).toBe(false);

    const simbad = E.fakeEvent('https://simbad.cds.unistra.fr/simbad/sim-id?Ident=x');
    wc.emit('will-navigate', simbad);
    expect(simbad.defaultPrevented).toBe(true);
    expect(E.shell.openExternal).toHaveBeenCalledWith('https://simbad.cds.unistra.fr/simbad/sim-id?Ident=x');
    expect(events.at(-1)).toEqual({ type: 'external', url: 'https://simbad.cds.unistra.fr/simbad/sim-id?Ident=x' });

    for (const url of ['javascript:alert(1)', 'file:///etc/passwd']) {
      const e = E.fakeEvent(url);
      wc.emit('will-navigate', e);
      expect(e.defaultPrevented, url).toBe(true);
    }
    const redirect = E.fakeEvent('https://tracker.example/');
    wc.emit('will-redirect', redirect);
    expect(redirect.defaultPrevented).toBe(true);
    expect(E.shell.openExternal).toHaveBeenCalledTimes(2);
  });

  it('opens allowed popups in the pane itself and never a new window', () => {
    const { pane } = setup();
    pane.show('ZTF21abcdefg');
    const wc = view().webContents;
    expect(wc.windowOpenHandler!({ url: 'https://fink-portal.org/ZTF21abcdefg' })).toEqual({ action: 'deny' });
    expect(wc.loadURL).toHaveBeenLastCalledWith('https://fink-portal.org/ZTF21abcdefg');
    expect(wc.windowOpenHandler!({ url: 'https://arxiv.org/' })).toEqual({ action: 'deny' });
    expect(E.shell.openExternal).toHaveBeenCalledWith('https://arxiv.org/');
    expect(wc.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(E.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('navigate(): allowed hosts load, others go to the system browser, other schemes are refused', () => {
    const { pane } = setup();
    pane.navigate('https://fink-portal.org/ZTF21abcdefg');
    expect(view().webContents.loadURL).toHaveBeenCalledWith('https://fink-portal.org/ZTF21abcdefg');
    pane.navigate('https://example.org/');
    expect(E.shell.openExternal).toHaveBeenCalledWith('https://example.org/');
    expect(() => pane.navigate('javascript:alert(1)')).toThrow(/does not open/);
    expect(() => pane.navigate('file:///etc/passwd')).toThrow(/does not open/);
    expect(view().webContents.loadURL).toHaveBeenCalledTimes(1);
  });

  it('tells the renderer when the page fails to load (offline), but not for aborted or subframe loads', () => {
    const { pane, events } = setup();
    pane.show('ZTF21abcdefg');
    const wc = view().webContents;
    wc.emit('did-fail-load', {}, -3, 'ERR_ABORTED', 'https://lasair-ztf.lsst.ac.uk/objects/ZTF21abcdefg/', true);
    wc.emit('did-fail-load', {}, -106, 'ERR_INTERNET_DISCONNECTED', 'https://ads.example/', false);
    wc.emit('did-fail-load', {}, -106, 'ERR_INTERNET_DISCONNECTED', 'https://lasair-ztf.lsst.ac.uk/objects/ZTF21abcdefg/', true);
    expect(events.filter((e) => e.type === 'failed')).toEqual([
      {
        type: 'failed',
        url: 'https://lasair-ztf.lsst.ac.uk/objects/ZTF21abcdefg/',
        errorCode: -106,
        errorDescription: 'ERR_INTERNET_DISCONNECTED',
      },
    ]);
    wc.url = 'https://lasair-ztf.lsst.ac.uk/objects/ZTF21abcdefg/';
    wc.emit('did-finish-load');
    expect(events.at(-1)).toEqual({ type: 'loaded', url: 'https://lasair-ztf.lsst.ac.uk/objects/ZTF21abcdefg/' });
  });
});
