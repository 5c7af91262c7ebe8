/**
 * Web mode's file upload: the body of `POST /upload?name=F` is streamed to its own folder under the uploads folder,
 * so memory stays flat whatever the file's size and two files of one name never meet. The answer is an upload id
 * that `data.ingestUpload` takes; a refused or broken upload leaves nothing on disk.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { ALERT_FILE_NAME } from '../api/upload-id.js';

export class UploadError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/** A file name as the browser gave it, reduced to one safe path component (its extension kept for the reader). */
export function safeUploadName(name: string): string {
  const base = basename(name.replace(/\\/g, '/')).normalize('NFC');
  // Letters of any script are fine on disk; path separators, controls and dots at the start are not.
  const safe = base.replace(/[^\p{L}\p{N}._+-]/gu, '_').replace(/^\.+/, '_');
  return safe.slice(-120);
}

/** Fails the stream past `limit` bytes, so a huge body is cut off instead of filling the disk. */
function byteLimit(limit: number, name: string): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > limit) return done(new UploadError(413, 'too_large', `upload: ${name}: larger than ${limit} bytes`));
      done(null, chunk);
    },
  });
}

/** Streams the request body to uploadsDir/<id>/<name>; returns the id. Folder 0700, file 0600. */
export async function receiveUpload(
  req: IncomingMessage,
  uploadsDir: string,
  rawName: string | null,
  limit: number,
): Promise<{ id: string; name: string }> {
  if (!rawName) throw new UploadError(400, 'invalid_input', 'upload: the name parameter is missing');
  const name = safeUploadName(rawName);
  if (!ALERT_FILE_NAME.test(name)) {
    throw new UploadError(400, 'invalid_input', `upload: ${name}: only .parquet and .avro alert files can be ingested`);
  }
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    throw new UploadError(413, 'too_large', `upload: ${name}: larger than ${limit} bytes`);
  }
  const id = randomBytes(16).toString('hex'); // the form of UPLOAD_ID
  const dir = join(uploadsDir, id);
  await mkdir(uploadsDir, { recursive: true, mode: 0o700 });
  await mkdir(dir, { mode: 0o700 });
  try {
    await pipeline(req, byteLimit(limit, name), createWriteStream(join(dir, name), { mode: 0o600, flags: 'wx' }));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { id, name };
}
