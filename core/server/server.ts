/**
 * Web mode: the contract over HTTP for a browser on the same machine.
 * Loopback only, a per-launch token on every request, no CORS, a Host check against DNS rebinding and a strict CSP.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Handlers } from '../api/contract.js';
import { dispatch, toErrorBody } from '../api/dispatch.js';
import { ApiError } from '../api/define.js';
import { serveStatic } from './static.js';
import { LaunchCodes } from './launch-codes.js';
import { receiveUpload, UploadError } from './upload.js';

export interface WebServerOptions {
  handlers: Handlers;
  /** Only loopback is accepted; anything else throws. */
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** The built renderer (dist/renderer). When absent, only the API is served. */
  staticDir?: string | null;
  /** Fixed token (tests); default: 32 random bytes. */
  token?: string;
  /** Largest accepted API request body in bytes. */
  maxBodyBytes?: number;
  /** Where `POST /upload` streams files (the app's uploads folder); null: no uploads. */
  uploadsDir?: string | null;
  /** Largest accepted uploaded file in bytes. */
  maxUploadBytes?: number;
  /** How long a launch code stays valid (ms). */
  launchCodeTtlMs?: number;
}

export interface WebServer {
  /** Base URL with the token for the first page load. */
  url: string;
  /** Base URL without the token. */
  origin: string;
  token: string;
  port: number;
  /**
   * A URL for a browser this process starts: it carries a one-time launch code, traded for the session cookie on
   * first use and dead after it (or after a minute), so the token never appears in the browser's command line.
   */
  launchUrl(): string;
  close(): Promise<void>;
}

const DEFAULT_LAUNCH_CODE_TTL_MS = 60_000;

/** API calls carry ids and settings; files go through /upload. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** A whole night of Fink alerts with cutouts can be a few GB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 8 * 1024 * 1024 * 1024;

/** The CSP of every page: only our own scripts, styles and API; images may be data:/blob: (cutout canvases). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) throw new Error(`web mode listens on 127.0.0.1 only (asked for ${host})`);
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxUpload = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const launchCodes = new LaunchCodes(opts.launchCodeTtlMs ?? DEFAULT_LAUNCH_CODE_TTL_MS);
  let port = 0;
  // Cookies are shared by every port of a host, so the name carries the port.
  const cookieName = () => `vra_token_${port}`;

  const tokenOk = (candidate: string | null | undefined): boolean => {
    if (!candidate) return false;
    const buf = Buffer.from(candidate);
    return buf.length === tokenBuf.length && timingSafeEqual(buf, tokenBuf);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, toErrorBody(err));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const allowed = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    // DNS rebinding: a page of evil.example resolved to 127.0.0.1 still sends Host: evil.example.
    if (!req.headers.host || !allowed.has(req.headers.host.toLowerCase())) {
      return sendJson(res, 403, errBody('bad_host', 'Host not allowed'));
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !(origin.startsWith('http://') && allowed.has(origin.slice(7).toLowerCase()))) {
      return sendJson(res, 403, errBody('bad_origin', 'cross-origin requests are refused'));
    }
    if (req.headers['sec-fetch-site'] === 'cross-site') {
      return sendJson(res, 403, errBody('bad_origin', 'cross-site requests are refused'));
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);

    const launch = url.searchParams.get('launch');
    if (req.method === 'GET' && launch !== null) {
      if (!launchCodes.take(launch)) return sendJson(res, 401, errBody('unauthorized', 'launch code used or expired'));
      return sessionRedirect(res);
    }
    const queryToken = url.searchParams.get('token');
    if (req.method === 'GET' && queryToken !== null) {
      if (!tokenOk(queryToken)) return sendJson(res, 401, errBody('unauthorized', 'bad token'));
      return sessionRedirect(res);
    }
    if (!tokenOk(bearer(req) ?? readCookie(req, cookieName()))) {
      return sendJson(res, 401, errBody('unauthorized', 'missing or bad token: open the URL printed by `finkvra web`'));
    }

    if (url.pathname === '/upload') return upload(req, res, url);
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return sendJson(res, 405, errBody('method_not_allowed', 'use POST'));
      // A JSON content type cannot be sent cross-origin without a preflight, which we never answer.
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
        return sendJson(res, 415, errBody('unsupported_media_type', 'send application/json'));
      }
      const name = decodePath(url.pathname.slice('/api/'.length));
      if (name === null) return sendJson(res, 400, errBody('bad_path', 'malformed percent-encoding in the address'));
      let input: unknown;
      try {
        const body = await readBody(req, maxBody);
        input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch (err) {
        if (err instanceof BodyTooLarge) {
          res.setHeader('connection', 'close');
          return sendJson(res, 413, errBody('too_large', err.message));
        }
        return sendJson(res, 400, errBody('bad_json', 'request body is not valid JSON'));
      }
      try {
        const result = await dispatch(opts.handlers, name, input);
        return sendJson(res, 200, { result: result ?? null });
      } catch (err) {
        return sendJson(res, statusOf(err), toErrorBody(err));
      }
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, errBody('method_not_allowed', 'only GET for pages'));
    }
    if (!opts.staticDir) return sendJson(res, 404, errBody('not_found', 'no UI build is served'));
    await serveStatic(opts.staticDir, url.pathname, req, res);
  }

  /** Trade a token or launch code in the address for a cookie, and drop it from the address bar and history. */
  function sessionRedirect(res: ServerResponse): void {
    res.setHeader('set-cookie', `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    // Always to our root: echoing the path would make `/.//evil.example/` a redirect to another site.
    res.statusCode = 303;
    res.setHeader('location', '/');
    res.end();
  }

  async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, errBody('method_not_allowed', 'use POST'));
    if (!opts.uploadsDir) return sendJson(res, 404, errBody('not_found', 'uploads are not served'));
    // Not a CORS-safelisted type: a cross-origin page cannot send it without a preflight, which we never answer.
    if (!/^application\/octet-stream\b/i.test(req.headers['content-type'] ?? '')) {
      return sendJson(res, 415, errBody('unsupported_media_type', 'send application/octet-stream'));
    }
    try {
      const r = await receiveUpload(req, opts.uploadsDir, url.searchParams.get('name'), maxUpload);
      return sendJson(res, 200, { result: r });
    } catch (err) {
      // The rest of a refused body is not read: close the connection rather than drain it.
      res.setHeader('connection', 'close');
      if (err instanceof UploadError) return sendJson(res, err.status, errBody(err.code, err.message));
      if (req.destroyed || (err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return void res.destroy();
      throw err;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    launchUrl: () => `${origin}/?launch=${launchCodes.issue()}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function errBody(code: string, message: string) {
  return { error: { code, message } };
}

/** invalid input 400, unknown method / missing thing 404, our bugs 500. */
function statusOf(err: unknown): number {
  if (!(err instanceof ApiError)) return 500;
  if (err.code === 'unknown_method' || err.code === 'not_found') return 404;
  if (err.code === 'internal') return 500;
  return 400;
}

/** decodeURIComponent, or null for a malformed escape (a client error, not ours). */
function decodePath(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1] : null;
}

function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      return reject(new BodyTooLarge(`body larger than ${limit} bytes`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return; // keep draining so the 413 reaches the client
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(new BodyTooLarge(`body larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
