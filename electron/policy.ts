/**
 * Security policy of the desktop shell as pure functions (no Electron import), so every rule is unit-tested:
 * which URLs may leave the app for the system browser, where the Lasair pane may navigate, which page counts as the
 * app's own. (The CSP text itself is in window.ts, written literally where it is set, so electronegativity can
 * evaluate it.)
 */
import { PANE_ALLOWED_HOSTS } from '../core/urls.js';

/** Response headers without any Content-Security-Policy (header names are case-insensitive), to set ours. */
export function withoutCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() !== 'content-security-policy') out[k] = v;
  }
  return out;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Only http(s) may be handed to the system browser: file:, javascript:, smb:, custom schemes could run things. */
export function isHttpUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
}

export function isPaneHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return PANE_ALLOWED_HOSTS.some((allowed) => h === allowed || h.endsWith(`.${allowed}`));
}

export type PaneDecision = 'allow' | 'external' | 'refuse';

/**
 * Where a URL requested in the Lasair pane goes: https on Lasair / Fink stays in the pane, any other http(s) opens
 * in the system browser, everything else (javascript:, file:, data:, …) is refused.
 */
export function paneDecision(url: string): PaneDecision {
  const u = parse(url);
  if (u === null) return 'refuse';
  if (u.protocol === 'https:' && isPaneHost(u.hostname)) return 'allow';
  return isHttpUrl(url) ? 'external' : 'refuse';
}

/**
 * Whether `url` is a page of the app itself. For a file:// app only the exact index.html (any hash/query) counts,
 * not any local file; for the dev server, the same origin.
 */
export function isAppPage(url: string | null | undefined, appUrl: string): boolean {
  if (!url) return false;
  const u = parse(url);
  const app = parse(appUrl);
  if (u === null || app === null) return false;
  if (app.protocol === 'file:') return u.protocol === 'file:' && u.pathname === app.pathname && u.host === app.host;
  return u.origin === app.origin;
}

/** An object id as Lasair and Fink spell it (ZTF: "ZTF" + 2 digits + 7 letters); guards the pane's URL. */
export const OBJECT_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
