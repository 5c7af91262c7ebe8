/** Serves the built renderer: files under one folder only, index.html for unknown paths (one-page app). */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
};

export async function serveStatic(
  root: string,
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const base = resolve(root);
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return notFound(res);
  }
  if (rel.includes('\0')) return notFound(res);
  let file = resolve(join(base, rel));
  // Never leave the build folder (../ and encoded variants end up outside base after resolve).
  if (file !== base && !file.startsWith(base + sep)) return notFound(res);
  let info = await stat(file).catch(() => null);
  if (!info || info.isDirectory()) {
    // Assets that do not exist are a 404; any other path is a client-side route.
    if (rel.startsWith('/assets/')) return notFound(res);
    file = join(base, 'index.html');
    info = await stat(file).catch(() => null);
    if (!info) return notFound(res);
  }
  res.statusCode = 200;
  res.setHeader('content-type', TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
  res.setHeader('content-length', info.size);
  if (req.method === 'HEAD') return void res.end();
  await new Promise<void>((done, fail) => {
    const stream = createReadStream(file);
    stream.on('error', fail);
    res.on('close', () => done());
    stream.pipe(res);
  });
}

function notFound(res: ServerResponse): void {
  res.statusCode = 404;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end('not found');
}
