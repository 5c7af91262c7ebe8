/**
 * Preload of the app window. It runs sandboxed, where `require` only knows a few built-ins, so this file imports
 * nothing at run time but 'electron' and is shipped as CommonJS (build/build-preload.mjs → dist/electron/preload.cjs).
 * It exposes exactly the bridge: the typed contract `call`, the native helpers and two event subscriptions; never
 * ipcRenderer itself, and never the IPC event object (it carries the sender).
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { IpcChannel, IpcEvent, MenuCommand, PaneEvent, VraBridge } from './bridge.js';

const invoke = (channel: IpcChannel, ...args: unknown[]) => ipcRenderer.invoke(channel, ...args);

function subscribe<T>(channel: IpcEvent, listener: (payload: T) => void): () => void {
  const wrapped = (_event: IpcRendererEvent, payload: T) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.removeListener(channel, wrapped);
  };
}

const api = {
  transport: 'ipc',
  call: (method, input) => invoke('vra:call', { method, input }),
  openFiles: (req) => invoke('vra:openFiles', req),
  saveFile: (req) => invoke('vra:saveFile', req),
  openExternal: (url) => invoke('vra:openExternal', url),
  pane: {
    show: (objectId) => invoke('vra:pane:show', objectId),
    hide: () => invoke('vra:pane:hide'),
    navigate: (url) => invoke('vra:pane:navigate', url),
    layout: (fraction) => invoke('vra:pane:layout', fraction),
    onEvent: (listener) => subscribe<PaneEvent>('vra:pane:event', listener),
  },
  pathForFile: (file) => webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]),
  onMenu: (listener) => subscribe<MenuCommand>('vra:menu', listener),
} satisfies VraBridge;

contextBridge.exposeInMainWorld('vra', api);
