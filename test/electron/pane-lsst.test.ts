/** The Lasair pane beside an LSST card: the object's Lasair-LSST page, not Lasair-ZTF's. */
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock.js'));

import * as E from './electron-mock.js';
import { LasairPane, resetPaneSessionForTests } from '../../electron/lasair-pane.js';
import { finkPageOf, lasairPageOf } from '../../core/urls.js';

beforeEach(() => {
  E.resetElectronMock();
  resetPaneSessionForTests();
});

describe('Lasair page of a store object id', () => {
  it('is Lasair-ZTF for a ZTF objectId, Lasair-LSST for a diaObjectId, none for a solar-system source', () => {
    expect(lasairPageOf('ZTF21abcdefg')).toBe('https://lasair-ztf.lsst.ac.uk/objects/ZTF21abcdefg/');
    expect(lasairPageOf('169813006111211570')).toBe('https://lasair.lsst.ac.uk/objects/169813006111211570/');
    expect(lasairPageOf('ss:20892066498361688')).toBeNull();
    expect(lasairPageOf('src:169813007065940063')).toBeNull();
    expect(finkPageOf('ZTF21abcdefg')).toBe('https://ztf.fink-portal.org/ZTF21abcdefg');
    expect(finkPageOf('169813006111211570')).toBe('https://lsst.fink-portal.org/169813006111211570');
    expect(finkPageOf('ss:20892066498361688')).toBeNull();
  });

  it('the pane loads the Lasair-LSST page of a diaObjectId', () => {
    const win = new E.BrowserWindow({});
    const pane = new LasairPane(win as never, { notify: () => {} });
    const state = pane.show('169813006111211570');
    expect(state.url).toBe('https://lasair.lsst.ac.uk/objects/169813006111211570/');
    expect(E.WebContentsView.instances[0].webContents.loadURL).toHaveBeenCalledWith('https://lasair.lsst.ac.uk/objects/169813006111211570/');
  });
});
