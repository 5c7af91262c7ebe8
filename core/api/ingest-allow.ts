/**
 * Web mode reads files only under folders the user allowed: the uploads folder, and folders typed on the Data screen
 * in this session. A page in a browser is a weaker principal than a person at the app's file dialog, so a typed file
 * path must lie under one of those folders; a typed folder is taken as the user's choice and allowed from then on.
 */
import { mkdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, sep } from 'node:path';
import type { Handlers } from './contract.js';
import { ApiError } from './define.js';

export class IngestAllowList {
  private readonly roots = new Set<string>();

  /** `uploadsDir` is created if needed: it is always allowed. */
  constructor(uploadsDir: string) {
    mkdirSync(uploadsDir, { recursive: true, mode: 0o700 });
    this.roots.add(realpathSync(uploadsDir));
  }

  /** The real paths to ingest (symlinks resolved, so none leads out of an allowed folder); ApiError otherwise. */
  admit(paths: readonly string[]): string[] {
    const checked = paths.map((p) => this.check(p));
    for (const c of checked) if (c.folder) this.roots.add(c.real);
    return checked.map((c) => c.real);
  }

  private check(p: string): { real: string; folder: boolean } {
    if (!isAbsolute(p)) throw refuse(p, 'give a full path (web mode has no current folder)');
    let real: string;
    try {
      real = realpathSync(p);
    } catch {
      // Patterns are not expanded here: a pattern could reach outside the allowed folders.
      throw refuse(p, 'no such file or folder (patterns are not expanded in web mode: type the folder)');
    }
    if (statSync(real).isDirectory()) return { real, folder: true };
    if ([...this.roots].some((r) => real === r || real.startsWith(r.endsWith(sep) ? r : r + sep))) {
      return { real, folder: false };
    }
    throw refuse(p, 'web mode reads files only under the uploads folder or a folder typed here: type its folder, or drop the file');
  }
}

function refuse(p: string, reason: string): ApiError {
  return new ApiError('invalid_input', `data.ingest: ${p}: ${reason}`);
}

/** The service's handlers with data.ingest behind the allow-list (web mode). */
export function withIngestAllowList(handlers: Handlers, allow: IngestAllowList): Handlers {
  return { ...handlers, 'data.ingest': (input) => handlers['data.ingest']({ paths: allow.admit(input.paths) }) };
}
