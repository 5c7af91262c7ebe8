/**
 * Uploaded files (web mode): each lives alone in uploads/<id>/, written by the web server and ingested by
 * data.ingestUpload, which removes the folder once the ingest job is over (its rows are in the store then).
 */
import { readdirSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from './define.js';
import { ALERT_FILE_NAME, UPLOAD_ID } from './upload-id.js';

export function uploadsDirOf(homeDir: string): string {
  return join(homeDir, 'uploads');
}

/** The file of each upload id; ApiError for an id that is malformed or not there. */
export function uploadedFiles(uploadsDir: string, ids: readonly string[]): string[] {
  return ids.map((id) => {
    if (!UPLOAD_ID.test(id)) throw new ApiError('invalid_input', 'data.ingestUpload: field uploads: not an upload id');
    let names: string[];
    try {
      names = readdirSync(join(uploadsDir, id));
    } catch {
      throw new ApiError('not_found', `data.ingestUpload: no upload ${id} (upload the file again)`);
    }
    const name = names.find((n) => ALERT_FILE_NAME.test(n));
    if (!name) throw new ApiError('not_found', `data.ingestUpload: no upload ${id} (upload the file again)`);
    return join(uploadsDir, id, name);
  });
}

/** Removes the folders of these uploads (ids already checked or not: a malformed one is skipped). */
export async function removeUploads(uploadsDir: string, ids: readonly string[]): Promise<void> {
  await Promise.all(
    ids.filter((id) => UPLOAD_ID.test(id)).map((id) => rm(join(uploadsDir, id), { recursive: true, force: true })),
  );
}

/** An upload never ingested (its page closed, a later file of the batch refused) is dropped after this long. */
export const STALE_UPLOAD_MS = 24 * 3600 * 1000;

/** Removes upload folders older than `maxAgeMs` (at web-mode start); returns how many went. */
export async function removeStaleUploads(uploadsDir: string, maxAgeMs = STALE_UPLOAD_MS, now = Date.now()): Promise<number> {
  const entries = await readdir(uploadsDir, { withFileTypes: true }).catch(() => []);
  let removed = 0;
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const p = join(uploadsDir, e.name);
    const st = await stat(p).catch(() => null);
    if (st && now - st.mtimeMs > maxAgeMs) {
      await rm(p, { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}
