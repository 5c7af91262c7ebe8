/**
 * The source_files rows of ingest (one per file ingested or attempted), and attaching a staging database to merge
 * it (core/ingest/merge.ts).
 */
import type { Db } from './database.js';

export interface FileRecord {
  path: string;
  sha256: string;
  sizeBytes: number;
}

export function attachStaging(db: Db, stagingPath: string): void {
  db.prepare('ATTACH DATABASE ? AS staging').run(stagingPath);
}

export function detachStaging(db: Db): void {
  db.exec('DETACH DATABASE staging');
}

/** The row of a file being merged, carrying the merge's in-progress mark as its error; returns its id. */
export function insertMergingFile(db: Db, file: FileRecord, rows: number, mark: string, cutoutsFile: string | null): number {
  const r = db
    .prepare(
      `INSERT INTO source_files (path, sha256, size_bytes, rows, new_alerts, ingested_at, error, cutouts_file)
       VALUES (?, ?, ?, ?, 0, ?, ?, ?)`,
    )
    .run(file.path, file.sha256, file.sizeBytes, rows, new Date().toISOString(), mark, cutoutsFile);
  return Number(r.lastInsertRowid);
}

/** Clears the in-progress mark: from now on the file counts as ingested. */
export function markFileIngested(db: Db, id: number, newAlerts: number): void {
  db.prepare('UPDATE source_files SET new_alerts = ?, error = NULL WHERE id = ?').run(newAlerts, id);
}

export function deleteFileRow(db: Db, id: number): void {
  db.prepare('DELETE FROM source_files WHERE id = ?').run(id);
}

/** A failed file is recorded (outside any data transaction) so the user can see what went wrong and when. */
export function recordFailedFile(db: Db, file: FileRecord, error: string): void {
  db.prepare(
    'INSERT INTO source_files (path, sha256, size_bytes, rows, new_alerts, ingested_at, error) VALUES (?, ?, ?, NULL, NULL, ?, ?)',
  ).run(file.path, file.sha256, file.sizeBytes, new Date().toISOString(), error);
}

export function alreadyIngested(db: Db, sha256: string): { id: number; path: string } | undefined {
  return db.prepare('SELECT id, path FROM source_files WHERE sha256 = ? AND error IS NULL').get(sha256) as
    | { id: number; path: string }
    | undefined;
}

/** A file of this path and size was ingested before: probably a re-run, so hash it before reading it. */
export function likelyIngested(db: Db, path: string, sizeBytes: number): boolean {
  return !!db.prepare('SELECT 1 FROM source_files WHERE path = ? AND size_bytes = ? AND error IS NULL').get(path, sizeBytes);
}
