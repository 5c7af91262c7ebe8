/**
 * The renderer's one door to core: `call(method, input)`, typed by the contract.
 * In Electron the preload exposes `window.vra`; in web mode we POST to the loopback server (the token travels in
 * an HttpOnly cookie set on the first page load, so the page's script never sees it).
 */
import type { CallFn, MethodInput, MethodName, MethodResult } from '../../../core/api/contract.js';

/** What the Electron preload exposes (a subset is enough here; electron/bridge.ts holds the full type). */
export interface VraBridge {
  call: CallFn;
  openFiles?: () => Promise<string[]>;
  saveFile?: (name: string, text: string) => Promise<string | null>;
  openExternal?: (url: string) => Promise<void> | void;
  pane?: { show(objectId: string): Promise<void> | void; hide(): Promise<void> | void };
}

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

export const call: CallFn = bridge ? (method, input) => bridge.call(method, input) : httpCall;

/** Save text as a file: the app's save dialog, or a Blob download in the browser. */
export async function saveText(filename: string, text: string, mime = 'text/csv'): Promise<string | null> {
  if (bridge?.saveFile) return bridge.saveFile(filename, text);
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return filename;
}

export function openExternal(url: string): void {
  if (bridge?.openExternal) void bridge.openExternal(url);
  else window.open(url, '_blank', 'noopener,noreferrer');
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
