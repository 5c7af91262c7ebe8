/**
 * Cutouts live in one sidecar SQLite file per ingested source file (`<store>-cutouts/<id>.sqlite`), not in the
 * store. Why: they are ~90% of the bytes; writing them once (while parsing) instead of staging, merging and
 * checkpointing them again made ingest ~2x faster and keeps the merge transaction, and the store that holds the
 * labels, small. The merge records the sidecar in source_files in the same transaction, so a file is still all or
 * nothing; a sidecar that no committed row names is an orphan and is removed.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertColumns } from '../alerts/columns.js';
import type { Db } from './database.js';
import { sqliteOptions } from './native.js';
import { isLeftover, ownedPrefix } from '../util/owner-pid.js';

export interface CutoutBlobs {
  science: Buffer | null;
  template: Buffer | null;
  difference: Buffer | null;
}

export function cutoutsDir(db: Db): string {
  return db.memory ? join(tmpdir(), `finkvra-memory-cutouts-${process.pid}`) : `${db.name}-cutouts`;
}

/** The sidecar folder, created if needed (writers only: readers run on every key press). */
export function ensureCutoutsDir(db: Db): string {
  const dir = cutoutsDir(db);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes one source file's cutouts. Not durable until syncToDisk(path) has settled after close(). */
export class CutoutWriter {
  private readonly db: Database.Database;
  private readonly ins: Database.Statement;

  constructor(readonly path: string) {
    this.db = new Database(path, sqliteOptions());
    // 64 KiB pages: a row (three stamps, a few kB each) fits in one page instead of a chain of overflow pages,
    // which made writing them about 3x faster.
    this.db.exec(`PRAGMA page_size = 65536; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
      CREATE TABLE cutouts (candid TEXT PRIMARY KEY, science BLOB, template BLOB, difference BLOB);`);
    this.ins = this.db.prepare('INSERT OR IGNORE INTO cutouts VALUES (?, ?, ?, ?)');
  }

  /** One batch's stamps in one transaction (a candid seen before in this file keeps its first stamps). */
  addBatch(candids: readonly string[], c: NonNullable<AlertColumns['cutouts']>): void {
    this.db.transaction(() => {
      for (let r = 0; r < candids.length; r++) this.ins.run(candids[r], c.science[r], c.template[r], c.difference[r]);
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * Flush a closed sidecar to disk. Ingest runs the merge meanwhile (the store's own commits are not synced either
 * until its next checkpoint) and waits for this before reporting the file done.
 */
export async function syncToDisk(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

// Read-only connections to sidecars, kept open with their statement: the label card asks for cutouts at every key
// press. At most 16, the least recently used closed first.
const readers = new Map<string, { conn: Database.Database; get: Database.Statement }>();
const sidecarOf = new WeakMap<Db, Database.Statement>();

export function readCutouts(db: Db, candid: string): CutoutBlobs | undefined {
  let lookup = sidecarOf.get(db);
  if (!lookup) {
    lookup = db.prepare(
      `SELECT s.cutouts_file AS f FROM alerts a JOIN source_files s ON s.id = a.source_file_id WHERE a.candid = ?`,
    );
    sidecarOf.set(db, lookup);
  }
  const row = lookup.get(candid) as { f: string | null } | undefined;
  if (!row?.f) return undefined;
  const path = join(cutoutsDir(db), row.f);
  let reader = readers.get(path);
  if (reader) readers.delete(path);
  else {
    if (!existsSync(path)) return undefined;
    if (readers.size >= 16) {
      const [oldest, r] = readers.entries().next().value as [string, { conn: Database.Database }];
      r.conn.close();
      readers.delete(oldest);
    }
    const conn = new Database(path, { ...sqliteOptions(), readonly: true });
    reader = { conn, get: conn.prepare('SELECT science, template, difference FROM cutouts WHERE candid = ?') };
  }
  readers.set(path, reader);
  return reader.get.get(candid) as CutoutBlobs | undefined;
}

/** A new sidecar's file name, tagged with this process's id (see removeOrphanCutoutFiles). */
export function newCutoutsFileName(): string {
  return `${ownedPrefix('')}${randomUUID()}.sqlite`;
}

/**
 * Remove sidecars that no committed source file names and that no live process is writing: left by a crash or a
 * failed ingest. A sidecar of another running process (an ingest into the same store) is not committed yet, but
 * still in use. Untagged names (older versions) go when unnamed, as before.
 */
export function removeOrphanCutoutFiles(db: Db): number {
  const dir = cutoutsDir(db);
  if (!existsSync(dir)) return 0;
  const named = new Set(
    (db.prepare('SELECT cutouts_file AS f FROM source_files WHERE cutouts_file IS NOT NULL').all() as { f: string }[]).map(
      (r) => r.f,
    ),
  );
  let removed = 0;
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.sqlite') && !named.has(f) && isLeftover(f, '', true)) {
      rmSync(join(dir, f), { force: true });
      removed++;
    }
  }
  return removed;
}
