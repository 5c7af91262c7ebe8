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

  /** The real paths to read (symlinks resolved, so none leads out of an allowed folder); ApiError otherwise. */
  admit(paths: readonly string[], method = 'data.ingest'): string[] {
    const checked = paths.map((p) => this.check(p, method));
    for (const c of checked) if (c.folder) this.roots.add(c.real);
    return checked.map((c) => c.real);
  }

  /** One file to read (a model): under an allowed folder; a folder is refused, not allowed. */
  admitFile(p: string, method: string): string {
    const c = this.check(p, method);
    if (c.folder) throw refuse(p, 'a file is needed here, not a folder', method);
    return c.real;
  }

  private check(p: string, method: string): { real: string; folder: boolean } {
    const refuse_ = (reason: string) => refuse(p, reason, method);
    if (!isAbsolute(p)) throw refuse_('give a full path (web mode has no current folder)');
    let real: string;
    try {
      real = realpathSync(p);
    } catch {
      // Patterns are not expanded here: a pattern could reach outside the allowed folders.
      throw refuse_('no such file or folder (patterns are not expanded in web mode: type the folder)');
    }
    if (statSync(real).isDirectory()) return { real, folder: true };
    if ([...this.roots].some((r) => real === r || real.startsWith(r.endsWith(sep) ? r : r + sep))) {
      return { real, folder: false };
    }
    throw refuse_('web mode reads files only under the uploads folder or a folder typed here: type its folder, or drop the file');
  }
}

function refuse(p: string, reason: string, method: string): ApiError {
  return new ApiError('invalid_input', `${method}: ${p}: ${reason}`);
}

/**
 * The service's handlers with every method that reads typed paths (data.ingest, model.score, labels.import by path)
 * behind the allow-list (web mode).
 */
export function withIngestAllowList(handlers: Handlers, allow: IngestAllowList): Handlers {
  return {
    ...handlers,
    'data.ingest': (input) =>
      handlers['data.ingest']({
        ...input,
        paths: allow.admit(input.paths),
        ...(input.dust ? { dust: allow.admit([input.dust], 'data.ingest')[0] } : {}),
      }),
    'model.score': (input) => {
      // Both checked before the handler runs: a refused call reads nothing.
      const model = allow.admitFile(input.model, 'model.score');
      const files = input.files && allow.admit(input.files, 'model.score');
      return handlers['model.score']({ ...input, model, ...(files ? { files } : {}) });
    },
    // A label file uploaded as text needs no check; one named by path is read only under an allowed folder.
    'labels.import': (input) =>
      handlers['labels.import']('path' in input ? { ...input, path: allow.admitFile(input.path, 'labels.import') } : input),
  };
}
