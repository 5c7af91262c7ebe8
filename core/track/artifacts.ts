/** Artifact files of a run on disk: safe writes inside the run's artifacts folder, listing and reading. */
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InvalidNameError } from './errors.js';
import { checkArtifactPath } from './names.js';

const TMP_RE = /\.tmp-[0-9a-f]{12}$/;

/** Absolute path of `relPath` inside `dir`, refusing any path that would leave it. */
export function artifactPath(dir: string, relPath: string): string {
  checkArtifactPath(relPath);
  const base = resolve(dir);
  const target = resolve(base, ...relPath.split('/'));
  if (!target.startsWith(base + sep)) throw new InvalidNameError('artifact path', relPath, 'leaves the run folder');
  return target;
}

/**
 * Write an artifact (overwriting an earlier one of the same path). Written to a temporary file then renamed, so a
 * reader never sees half a file. Refuses paths that leave `dir`, also through a symlinked sub-folder.
 */
export function writeArtifactFile(dir: string, relPath: string, content: string | Uint8Array): string {
  const target = artifactPath(dir, relPath);
  mkdirSync(dirname(target), { recursive: true });
  const realBase = realpathSync(resolve(dir));
  const realParent = realpathSync(dirname(target));
  if (realParent !== realBase && !realParent.startsWith(realBase + sep)) {
    throw new InvalidNameError('artifact path', relPath, 'resolves outside the run folder (symlink)');
  }
  const tmp = `${target}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return target;
}

/** Relative POSIX paths of all files under `dir`, sorted; [] when the folder does not exist. */
export function listArtifacts(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return entries
    .filter((d) => d.isFile() && !TMP_RE.test(d.name))
    .map((d) => relative(dir, join(d.parentPath, d.name)).split(sep).join('/'))
    .sort();
}

/** The artifact's bytes, or null when it does not exist. */
export function readArtifactFile(dir: string, relPath: string): Buffer | null {
  try {
    return readFileSync(artifactPath(dir, relPath));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
