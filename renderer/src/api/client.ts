/**
 * The renderer's one door to core: `call(method, input)`, typed by the contract.
 * In Electron the preload exposes `window.vra`; in web mode we POST to the loopback server (the token travels in
 * an HttpOnly cookie set on the first page load, so the page's script never sees it).
 */
import type { CallFn, MethodInput, MethodName, MethodResult } from '@core/api/contract.js';
import type { IpcResult, MenuCommand, OpenDialogKind, PaneEvent, VraBridge } from '../../../electron/bridge.js';

declare global {
  interface Window {
    vra?: VraBridge;
  }
}

export class CallError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'CallError';
    this.code = code;
  }
}

export const bridge: VraBridge | null = typeof window !== 'undefined' && window.vra ? window.vra : null;
export const isElectron = bridge !== null;

async function httpCall<K extends MethodName>(method: K, input: MethodInput<K>): Promise<MethodResult<K>> {
  const res = await fetch(`/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input ?? {}),
    credentials: 'same-origin',
  });
  let body: { result?: unknown; error?: { code: string; message: string } };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new CallError('http_' + res.status, `${method}: HTTP ${res.status}`);
  }
  if (!res.ok || body.error) {
    throw new CallError(body.error?.code ?? 'http_' + res.status, body.error?.message ?? `HTTP ${res.status}`);
  }
  return body.result as MethodResult<K>;
}

/**
 * Web mode: send each file's bytes to POST /upload (streamed to disk by the server, never held as JSON), then ingest
 * them by their upload ids in one job.
 */
export async function uploadAndIngest(files: readonly File[]): Promise<{ jobId: string }> {
  // The app ingests files in place; a drop with no path on disk (from a web page) has nowhere to go.
  if (bridge) throw new CallError('invalid_input', 'drop files from your file manager, or use Choose files…');
  const uploads: string[] = [];
  for (const f of files) {
    const res = await fetch(`/upload?name=${encodeURIComponent(f.name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: f,
      credentials: 'same-origin',
    });
    const body = (await res.json().catch(() => ({}))) as { result?: { id: string }; error?: { code: string; message: string } };
    if (!res.ok || !body.result) {
      throw new CallError(body.error?.code ?? 'http_' + res.status, `${f.name}: ${body.error?.message ?? `HTTP ${res.status}`}`);
    }
    uploads.push(body.result.id);
  }
  return call('data.ingestUpload', { uploads });
}

/** IPC answers are envelopes (contextBridge drops an error's code); turn failures back into errors. */
function unwrap<T>(r: IpcResult<T>): T {
  if (r.ok) return r.result;
  throw new CallError(r.error.code, r.error.message);
}

export const call: CallFn = bridge
  ? async (method, input) => unwrap(await bridge.call(method, input))
  : httpCall;

/** Electron's file dialog (paths on disk), or null in web mode. */
export async function openFilesDialog(kind: OpenDialogKind): Promise<string[] | null> {
  if (!bridge) return null;
  return unwrap(await bridge.openFiles({ kind }));
}

/** A dropped File's path on disk (Electron only; '' otherwise). */
export function pathOfDroppedFile(file: File): string {
  return bridge ? bridge.pathForFile(file) : '';
}

export async function paneShow(objectId: string): Promise<void> {
  if (bridge) unwrap(await bridge.pane.show(objectId));
}

export async function paneHide(): Promise<void> {
  if (bridge) unwrap(await bridge.pane.hide());
}

export function onPaneEvent(listener: (e: PaneEvent) => void): () => void {
  return bridge ? bridge.pane.onEvent(listener) : () => undefined;
}

export function onMenu(listener: (command: MenuCommand) => void): () => void {
  return bridge ? bridge.onMenu(listener) : () => undefined;
}

/** Save text as a file: the app's save dialog, or a Blob download in the browser. */
export async function saveText(filename: string, text: string, mime = 'text/csv'): Promise<string | null> {
  if (bridge) return unwrap(await bridge.saveFile({ defaultName: filename, content: text })).path;
  return download(filename, new Blob([text], { type: mime }));
}

/** A browser download of `blob` (web mode). */
function download(filename: string, blob: Blob): string {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return filename;
}

/** Save bytes given as base64 (e.g. an ONNX model): the app's save dialog, or a Blob download in the browser. */
export async function saveBase64(filename: string, base64: string, mime = 'application/octet-stream'): Promise<string | null> {
  if (bridge) return unwrap(await bridge.saveFile({ defaultName: filename, content: base64, encoding: 'base64' })).path;
  return download(filename, new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: mime }));
}

export function openExternal(url: string): void {
  if (bridge) void bridge.openExternal(url);
  else window.open(url, '_blank', 'noopener,noreferrer');
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
