/**
 * Security policy of the desktop shell as pure functions (no Electron import), so every rule is unit-tested:
 * the Content-Security-Policy, which URLs may leave the app for the system browser, where the Lasair pane may
 * navigate, and which page counts as the app's own.
 */
import { PANE_ALLOWED_HOSTS } from '../core/urls.js';

/**
 * The app's CSP: only our own scripts and styles, no 'unsafe-eval', no inline code; the same policy web mode sends
 * (core/server), so the browser tests exercise it. Images may be data:/blob: (cutout canvases).
 */
const PROD_CSP: Record<string, string> = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data: blob:",
  'font-src': "'self' data:",
  'connect-src': "'self'",
  'worker-src': "'self' blob:",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-src': "'none'",
  'frame-ancestors': "'none'",
};

/** The Vite dev server needs its inline React-refresh preamble and the HMR websocket; never used when packaged. */
const DEV_OVERRIDES: Record<string, string> = {
  'script-src': "'self' 'unsafe-inline'",
  'style-src': "'self' 'unsafe-inline'",
  'connect-src': "'self' ws://localhost:* ws://127.0.0.1:*",
};

export function contentSecurityPolicy(dev = false): string {
  const d = dev ? { ...PROD_CSP, ...DEV_OVERRIDES } : PROD_CSP;
  return Object.entries(d)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');
}

/** Response headers with our CSP replacing any CSP already there (header names are case-insensitive). */
export function withCsp(
  headers: Record<string, string[]> | undefined,
  csp: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() !== 'content-security-policy') out[k] = v;
  }
  out['Content-Security-Policy'] = [csp];
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
