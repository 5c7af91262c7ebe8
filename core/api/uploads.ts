/**
 * Uploaded files (web mode): each lives alone in uploads/<id>/, written by the web server and ingested by
 * data.ingestUpload, which removes the folder once the ingest job is over (its rows are in the store then).
 */
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
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
