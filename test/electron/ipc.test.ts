import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock.js'));

import * as E from './electron-mock.js';
import type { Handlers } from '../../core/api/contract.js';
import { ApiError } from '../../core/api/define.js';
import type { IpcResult } from '../../electron/bridge.js';
import { registerIpc, type IpcDeps } from '../../electron/ipc.js';

const APP_URL = 'file:///opt/finkvra/dist/renderer/index.html';

/** Only the methods a test calls are real; the others throw if reached. */
function fakeHandlers(over: Partial<Record<string, (input: unknown) => unknown>>): Handlers {
  return new Proxy({} as Handlers, {
    get: (_t, name: string) =>
      over[name] ??
      (() => {
        throw new Error(`unexpected call ${name}`);
      }),
  });
}

function setup(over: Partial<Record<string, (input: unknown) => unknown>> = {}, extra: Partial<IpcDeps> = {}) {
  const win = new E.BrowserWindow({});
  const pane = {
    show: vi.fn((id: string) => ({ visible: true, objectId: id, url: `https://lasair-ztf.lsst.ac.uk/objects/${id}/`, fraction: 0.45 })),
    hide: vi.fn(() => ({ visible: false, objectId: null, url: null, fraction: 0.45 })),
    navigate: vi.fn(() => ({ visible: true, objectId: null, url: null, fraction: 0.45 })),
    layout: vi.fn((f: number) => ({ visible: false, objectId: null, url: null, fraction: f })),
  };
  const unregister = registerIpc({
    handlers: fakeHandlers(over),
    appUrl: APP_URL,
    getWindow: () => win as never,
    pane,
    ...extra,
  });
  const appEvent = (url = `${APP_URL}#/label`) => ({ sender: win.webContents, senderFrame: { url, parent: null } });
  const invoke = async (channel: string, event: unknown, ...args: unknown[]) =>
    (await E.ipcMain.handlers.get(channel)!(event, ...args)) as IpcResult<unknown>;
  return { win, pane, unregister, appEvent, invoke };
}

beforeEach(() => E.resetElectronMock());

describe('vra:call', () => {
  it('registers the call channel and the native channels, and removes them again', () => {
    const { unregister } = setup();
    expect([...E.ipcMain.handlers.keys()].sort()).toEqual(
      [
        'vra:call',
        'vra:openExternal',
        'vra:openFiles',
        'vra:pane:hide',
        'vra:pane:layout',
        'vra:pane:navigate',
        'vra:pane:show',
        'vra:saveFile',
      ].sort(),
    );
    unregister();
    expect(E.ipcMain.handlers.size).toBe(0);
  });

  it('dispatches a valid call with the parsed input and wraps the result', async () => {
    const setLabel = vi.fn((input: unknown) => ({ eventId: 7, input }));
    const { invoke, appEvent } = setup({ 'labels.set': setLabel });
    const r = await invoke('vra:call', appEvent(), { method: 'labels.set', input: { candid: '1234567890123456789', label: 'gal' } });
    expect(r).toEqual({ ok: true, result: { eventId: 7, input: { candid: '1234567890123456789', label: 'gal' } } });
    expect(setLabel).toHaveBeenCalledTimes(1);
  });

  it('answers an unknown method with an error object, never a throw', async () => {
    const { invoke, appEvent } = setup();
    const r = await invoke('vra:call', appEvent(), { method: 'fs.readFile', input: {} });
    expect(r).toEqual({ ok: false, error: { code: 'unknown_method', message: "unknown method 'fs.readFile'" } });
  });

  it('answers bad input with invalid_input and does not reach the handler', async () => {
    const setLabel = vi.fn();
    const { invoke, appEvent } = setup({ 'labels.set': setLabel });
    const r1 = await invoke('vra:call', appEvent(), { method: 'labels.set', input: { candid: '12', label: 'dog' } });
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.error.code).toBe('invalid_input');
    const r2 = await invoke('vra:call', appEvent(), { method: 'labels.set', input: { candid: 12.5, label: 'gal' } });
    expect(!r2.ok && r2.error.code).toBe('invalid_input');
    // the envelope itself is validated too
    for (const payload of [null, 'labels.set', { method: 'labels.set' , input: {}, extra: 1 }, { method: 42 }]) {
      const r = await invoke('vra:call', appEvent(), payload);
      expect(!r.ok && r.error.code, JSON.stringify(payload)).toBe('invalid_input');
    }
    expect(setLabel).not.toHaveBeenCalled();
  });

  it('refuses callers that are not the app page', async () => {
    const summary = vi.fn(() => ({ alerts: 1 }));
    const { invoke, appEvent, win } = setup({ 'data.summary': summary });
    const forbidden = { ok: false, error: { code: 'forbidden', message: 'IPC refused: sender is not the app page' } };
    // another origin in the same window
    expect(await invoke('vra:call', appEvent('https://evil.example/'), { method: 'data.summary', input: {} })).toEqual(forbidden);
    // another local file
    expect(await invoke('vra:call', appEvent('file:///tmp/evil.html'), { method: 'data.summary', input: {} })).toEqual(forbidden);
    // a subframe of the app page
    expect(
      await invoke('vra:call', { sender: win.webContents, senderFrame: { url: APP_URL, parent: {} } }, { method: 'data.summary', input: {} }),
    ).toEqual(forbidden);
    // a frame that is gone
    expect(await invoke('vra:call', { sender: win.webContents, senderFrame: null }, { method: 'data.summary', input: {} })).toEqual(forbidden);
    // other web contents (e.g. the Lasair pane) even with a matching URL
    expect(
      await invoke('vra:call', { sender: new E.FakeWebContents(), senderFrame: { url: APP_URL, parent: null } }, { method: 'data.summary', input: {} }),
    ).toEqual(forbidden);
    expect(summary).not.toHaveBeenCalled();
    expect(await invoke('vra:call', appEvent(), { method: 'data.summary', input: {} })).toEqual({ ok: true, result: { alerts: 1 } });
  });

  it('keeps the code of an ApiError and turns other errors into internal', async () => {
    const { invoke, appEvent } = setup({
      'runs.get': () => {
        throw new ApiError('not_found', 'no run r1');
      },
      'runs.list': async () => {
        throw new Error('disk full');
      },
    });
    expect(await invoke('vra:call', appEvent(), { method: 'runs.get', input: { runId: 'r1' } })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'no run r1' },
    });
    expect(await invoke('vra:call', appEvent(), { method: 'runs.list', input: {} })).toEqual({
      ok: false,
      error: { code: 'internal', message: 'disk full' },
    });
  });
});

describe('native channels', () => {
  it('openExternal opens http(s) only', async () => {
    const { invoke, appEvent } = setup();
    expect(await invoke('vra:openExternal', appEvent(), 'https://fink-portal.org/ZTF21abcdefg')).toEqual({ ok: true, result: true });
    const bad = await invoke('vra:openExternal', appEvent(), 'file:///etc/passwd');
    expect(!bad.ok && bad.error.code).toBe('refused');
    const js = await invoke('vra:openExternal', appEvent(), 'javascript:alert(1)');
    expect(js.ok).toBe(false);
    expect(E.shell.openExternal).toHaveBeenCalledTimes(1);
    // and not for a foreign sender
    const r = await invoke('vra:openExternal', appEvent('https://evil.example/'), 'https://fink-portal.org/');
    expect(!r.ok && r.error.code).toBe('forbidden');
    expect(E.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('openFiles returns the chosen paths, [] when cancelled, and validates its request', async () => {
    const { invoke, appEvent } = setup();
    expect(await invoke('vra:openFiles', appEvent(), { kind: 'files' })).toEqual({ ok: true, result: [] });
    E.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/data/a.parquet', '/data/b.parquet'] });
    expect(await invoke('vra:openFiles', appEvent(), { kind: 'folder' })).toEqual({ ok: true, result: ['/data/a.parquet', '/data/b.parquet'] });
    const opts = E.dialog.showOpenDialog.mock.calls[1][1] as { properties: string[] };
    expect(opts.properties).toContain('openDirectory');
    // Import labels opens on CSV files, one at a time (the alert dialog's parquet/avro filter hid them).
    await invoke('vra:openFiles', appEvent(), { kind: 'labels' });
    const labelsOpts = E.dialog.showOpenDialog.mock.calls[2][1] as { properties: string[]; filters: { extensions: string[] }[] };
    expect(labelsOpts.filters[0].extensions).toEqual(['csv']);
    expect(labelsOpts.properties).toEqual(['openFile']);
    const bad = await invoke('vra:openFiles', appEvent(), { kind: 'anything' });
    expect(!bad.ok && bad.error.code).toBe('invalid_input');
  });

  it('saveFile writes the text where the user chose, suggesting only a bare file name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finkvra-ipc-'));
    const { invoke, appEvent } = setup({}, { saveDir: dir });
    const target = join(dir, 'labels.csv');
    E.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
    const content = 'candid,objectId,label,timestamp\n1,ZTF21a,gal,2026-01-01T00:00:00Z\n';
    const r = await invoke('vra:saveFile', appEvent(), { defaultName: '../../etc/labels.csv', content });
    expect(r).toEqual({ ok: true, result: { path: target, bytes: Buffer.byteLength(content) } });
    expect(readFileSync(target, 'utf8')).toBe(content);
    const opts = E.dialog.showSaveDialog.mock.calls[0][1] as { defaultPath: string };
    expect(opts.defaultPath).toBe(join(dir, 'labels.csv'));
    // cancelled: nothing written
    expect(await invoke('vra:saveFile', appEvent(), { defaultName: 'x.csv', content: 'x' })).toEqual({ ok: true, result: { path: null, bytes: 0 } });
  });

  it('saveFile writes base64 content as bytes (an ONNX model), and refuses an unknown encoding', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finkvra-ipc-'));
    const { invoke, appEvent } = setup({}, { saveDir: dir });
    const target = join(dir, 'model.onnx');
    E.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
    const bytes = Buffer.from([0x08, 0x08, 0x00, 0xff, 0xfe, 0x80]);
    const r = await invoke('vra:saveFile', appEvent(), { defaultName: 'model.onnx', content: bytes.toString('base64'), encoding: 'base64' });
    expect(r).toEqual({ ok: true, result: { path: target, bytes: 6 } });
    expect(readFileSync(target)).toEqual(bytes);
    expect((await invoke('vra:saveFile', appEvent(), { defaultName: 'x', content: 'x', encoding: 'hex' })).ok).toBe(false);
  });

  it('pane channels validate and forward', async () => {
    const { invoke, appEvent, pane } = setup();
    const r = await invoke('vra:pane:show', appEvent(), 'ZTF21abcdefg');
    expect(r.ok && r.result).toMatchObject({ visible: true, objectId: 'ZTF21abcdefg' });
    expect(pane.show).toHaveBeenCalledWith('ZTF21abcdefg');
    expect((await invoke('vra:pane:show', appEvent(), 42)).ok).toBe(false);
    expect((await invoke('vra:pane:layout', appEvent(), 'wide')).ok).toBe(false);
    expect((await invoke('vra:pane:layout', appEvent(), 0.5)).ok).toBe(true);
    expect((await invoke('vra:pane:hide', appEvent())).ok).toBe(true);
    expect(pane.hide).toHaveBeenCalledTimes(1);
    expect(pane.layout).toHaveBeenCalledTimes(1);
  });
});
