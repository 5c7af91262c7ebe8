/**
 * The IPC transport of the contract. One channel, `vra:call`, carries every contract method through dispatch()
 * (which validates the method's input with zod); a few native-only channels cover dialogs, the system browser and the
 * Lasair pane. Every channel: payload shape checked with zod, sender checked to be the app's own page, and the answer
 * is always an envelope — errors never cross IPC as exceptions.
 */
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { dialog, ipcMain } from 'electron';
import type { BrowserWindow, IpcMainInvokeEvent, OpenDialogOptions } from 'electron';
import { z } from 'zod';
import type { Handlers } from '../core/api/contract.js';
import { ApiError } from '../core/api/define.js';
import { dispatch, toErrorBody } from '../core/api/dispatch.js';
import { OPEN_DIALOG_KINDS, type IpcChannel, type IpcResult, type OpenDialogKind, type PaneState, type SaveFileResult } from './bridge.js';
import { isAppPage } from './policy.js';
import { openExternalSafe } from './window.js';

export interface PaneControl {
  show(objectId: string): PaneState;
  hide(): PaneState;
  navigate(url: string): PaneState;
  layout(fraction: number): PaneState;
}

export interface IpcDeps {
  handlers: Handlers;
  /** URL of the app page; only frames showing it may call. */
  appUrl: string;
  getWindow: () => BrowserWindow | null;
  pane: PaneControl;
  /** Where the save dialog starts (e.g. app.getPath('downloads')). */
  saveDir?: string;
}

const CallPayload = z.object({ method: z.string().min(1).max(100), input: z.unknown() }).strict();
const OpenFilesPayload = z.object({ kind: z.enum(OPEN_DIALOG_KINDS) }).strict();
const SaveFilePayload = z
  .object({
    defaultName: z.string().min(1).max(255),
    content: z.string().max(512 * 1024 * 1024),
    // base64: binary files (an ONNX model) cross IPC as text.
    encoding: z.enum(['utf8', 'base64']).optional(),
  })
  .strict();
const UrlPayload = z.string().min(1).max(4096);
const ObjectIdPayload = z.string().min(1).max(64);
const FractionPayload = z.number().finite();

/** The sender must be the app window's main frame showing the app page (not the pane, not a stray frame). */
export function isTrustedSender(event: IpcMainInvokeEvent, appUrl: string, win: BrowserWindow | null): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (!isAppPage(frame.url, appUrl)) return false;
  return win !== null && !win.isDestroyed() && event.sender.id === win.webContents.id;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new ApiError('invalid_input', `${what}: ${r.error.issues.map((i) => i.message).join('; ')}`);
  }
  return r.data;
}

type ChannelHandler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<IpcResult<unknown>>;

/** Wraps a channel body: sender check first, then the body; any throw becomes `{ ok: false, error }`. */
export function guarded<T>(
  deps: Pick<IpcDeps, 'appUrl' | 'getWindow'>,
  body: (...args: unknown[]) => Promise<T> | T,
): ChannelHandler {
  return async (event, ...args) => {
    if (!isTrustedSender(event, deps.appUrl, deps.getWindow())) {
      return { ok: false, error: { code: 'forbidden', message: 'IPC refused: sender is not the app page' } };
    }
    try {
      return { ok: true, result: await body(...args) };
    } catch (err) {
      return { ok: false, error: toErrorBody(err).error };
    }
  };
}

/** The file dialogs the renderer may ask for, by kind; it chooses none of their options. */
const OPEN_DIALOGS: Record<OpenDialogKind, OpenDialogOptions> = {
  files: {
    title: 'Add alert files',
    properties: ['openFile', 'multiSelections'],
    filters: [
      { name: 'Fink alerts', extensions: ['parquet', 'avro'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
  folder: { title: 'Add folders of alert files', properties: ['openDirectory', 'multiSelections'] },
  labels: {
    title: 'Import labels',
    properties: ['openFile'],
    filters: [
      { name: 'Labels (CSV)', extensions: ['csv'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
};

/** The channel bodies, without the Electron registration (exported for tests). */
export function channelBodies(deps: IpcDeps): Record<IpcChannel, (...args: unknown[]) => Promise<unknown> | unknown> {
  return {
    'vra:call': async (payload) => {
      const { method, input } = parse(CallPayload, payload, 'vra:call');
      return await dispatch(deps.handlers, method, input);
    },
    'vra:openFiles': async (payload) => {
      const { kind } = parse(OpenFilesPayload, payload, 'vra:openFiles');
      const options = OPEN_DIALOGS[kind];
      const win = deps.getWindow();
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled ? [] : r.filePaths;
    },
    'vra:saveFile': async (payload): Promise<SaveFileResult> => {
      const { defaultName, content, encoding } = parse(SaveFilePayload, payload, 'vra:saveFile');
      // Only a bare name is accepted as the suggestion: the renderer must not steer the dialog to another folder.
      const name = basename(defaultName);
      const options = { title: 'Save', defaultPath: deps.saveDir ? join(deps.saveDir, name) : name };
      const win = deps.getWindow();
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      if (r.canceled || !r.filePath) return { path: null, bytes: 0 };
      const data = Buffer.from(content, encoding ?? 'utf8');
      await writeFile(r.filePath, data);
      return { path: r.filePath, bytes: data.byteLength };
    },
    'vra:openExternal': async (payload) => {
      const url = parse(UrlPayload, payload, 'vra:openExternal');
      if (!(await openExternalSafe(url))) throw new ApiError('refused', 'only http(s) links open outside the app');
      return true;
    },
    'vra:pane:show': (payload) => deps.pane.show(parse(ObjectIdPayload, payload, 'vra:pane:show')),
    'vra:pane:hide': () => deps.pane.hide(),
    'vra:pane:navigate': (payload) => deps.pane.navigate(parse(UrlPayload, payload, 'vra:pane:navigate')),
    'vra:pane:layout': (payload) => deps.pane.layout(parse(FractionPayload, payload, 'vra:pane:layout')),
  };
}

/** Register every channel with ipcMain.handle; returns a function that removes them. */
export function registerIpc(deps: IpcDeps): () => void {
  const bodies = channelBodies(deps);
  const channels = Object.keys(bodies) as IpcChannel[];
  for (const channel of channels) ipcMain.handle(channel, guarded(deps, bodies[channel]));
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
