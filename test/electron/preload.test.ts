import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { transpilePreload } from '../../build/build-preload.mjs';

const PRELOAD = new URL('../../electron/preload.ts', import.meta.url);

/**
 * Runs the shipped preload the way a sandboxed renderer does: a plain script wrapped in a function that receives a
 * restricted `require` (Electron's sandbox polyfill), not a module loader.
 */
function runPreload() {
  const code = transpilePreload(readFileSync(PRELOAD, 'utf8'));
  const exposed = new Map<string, Record<string, unknown>>();
  const listeners = new Map<string, ((...a: unknown[]) => void)[]>();
  const ipcRenderer = {
    invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, result: 'r' })),
    on: vi.fn((ch: string, fn: (...a: unknown[]) => void) => {
      listeners.set(ch, [...(listeners.get(ch) ?? []), fn]);
    }),
    removeListener: vi.fn((ch: string, fn: (...a: unknown[]) => void) => {
      listeners.set(
        ch,
        (listeners.get(ch) ?? []).filter((f) => f !== fn),
      );
    }),
    send: vi.fn(),
    sendSync: vi.fn(),
  };
  const electron = {
    contextBridge: { exposeInMainWorld: vi.fn((key: string, api: Record<string, unknown>) => exposed.set(key, api)) },
    ipcRenderer,
    webUtils: { getPathForFile: vi.fn(() => '/data/dropped.parquet') },
  };
  const required: string[] = [];
  const sandboxRequire = (id: string) => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`module not found: ${id}`);
  };
  const module = { exports: {} };
  const wrapper = runInNewContext(
    `(function (require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {\n${code}\n})`,
    {},
  ) as (...a: unknown[]) => void;
  wrapper(sandboxRequire, {}, undefined, {}, undefined, undefined, module.exports, module);
  return { exposed, ipcRenderer, electron, required, listeners };
}

describe('preload', () => {
  it('runs as a sandboxed script and requires nothing but electron', () => {
    const { required, exposed } = runPreload();
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['vra']);
  });

  it('exposes only the bridge: call, native helpers, subscriptions — never ipcRenderer', () => {
    const api = runPreload().exposed.get('vra')!;
    expect(Object.keys(api).sort()).toEqual(
      ['call', 'onMenu', 'openExternal', 'openFiles', 'pane', 'pathForFile', 'saveFile', 'transport'].sort(),
    );
    expect(Object.keys(api.pane as object).sort()).toEqual(['hide', 'layout', 'navigate', 'onEvent', 'show']);
    expect(api.transport).toBe('ipc');
    const json = JSON.stringify(Object.keys(api));
    expect(json).not.toMatch(/ipcRenderer|invoke|send|require/);
  });

  it('sends contract calls as {method, input} on vra:call and native requests on their channels', async () => {
    const { exposed, ipcRenderer } = runPreload();
    const api = exposed.get('vra') as {
      call: (m: string, i: unknown) => Promise<unknown>;
      openExternal: (u: string) => Promise<unknown>;
      pane: { show: (id: string) => Promise<unknown>; layout: (f: number) => Promise<unknown> };
    };
    expect(await api.call('labels.set', { candid: '1', label: 'gal' })).toEqual({ ok: true, result: 'r' });
    await api.openExternal('https://fink-portal.org/x');
    await api.pane.show('ZTF21abcdefg');
    await api.pane.layout(0.5);
    expect(ipcRenderer.invoke.mock.calls).toEqual([
      ['vra:call', { method: 'labels.set', input: { candid: '1', label: 'gal' } }],
      ['vra:openExternal', 'https://fink-portal.org/x'],
      ['vra:pane:show', 'ZTF21abcdefg'],
      ['vra:pane:layout', 0.5],
    ]);
  });

  it('passes only the payload of events to listeners (not the IPC event) and unsubscribes', () => {
    const { exposed, listeners } = runPreload();
    const api = exposed.get('vra') as { onMenu: (fn: (c: unknown) => void) => () => void };
    const got: unknown[][] = [];
    const off = api.onMenu((...args) => got.push(args));
    const ipcEvent = { sender: { send() {} }, ports: [] };
    for (const fn of listeners.get('vra:menu')!) fn(ipcEvent, 'togglePane');
    expect(got).toEqual([['togglePane']]);
    off();
    expect(listeners.get('vra:menu')).toEqual([]);
  });

  it('the build step rejects a preload that would require a local module', () => {
    expect(() => transpilePreload("import { x } from './other.js';\nconsole.log(x);")).toThrow(
      /cannot load: \.\/other\.js/,
    );
  });
});
