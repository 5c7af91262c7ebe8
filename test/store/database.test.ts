import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, schemaVersion, StoreVersionError } from '../../core/store/database.js';
import { MIGRATIONS } from '../../core/store/migrations/index.js';

describe('store', () => {
  it('creates the schema in WAL mode and records every migration', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vra-db-')), 's.sqlite');
    const db = openStore(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as { version: number }[];
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
    expect(schemaVersion(db)).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    db.close();
    // Re-opening applies nothing twice.
    const again = openStore(file);
    expect((again.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(MIGRATIONS.length);
    again.close();
  });

  it('gives a new store 16 KiB pages and leaves an existing store its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vra-db-'));
    const fresh = openStore(join(dir, 'new.sqlite'));
    expect(fresh.pragma('page_size', { simple: true })).toBe(16384);
    fresh.close();
    // A store made with the old default keeps 4 KiB pages (changing them needs a VACUUM).
    const old = new Database(join(dir, 'old.sqlite'));
    old.pragma('page_size = 4096');
    old.exec(MIGRATIONS[0].up);
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    old.prepare("INSERT INTO schema_migrations VALUES (1, 'initial', 'x')").run();
    old.close();
    const reopened = openStore(join(dir, 'old.sqlite'));
    expect(reopened.pragma('page_size', { simple: true })).toBe(4096);
    reopened.close();
  });

  it('refuses a database written by a newer version, naming the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vra-db-')), 'newer.sqlite');
    const db = openStore(file);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
    db.close();
    expect(() => openStore(file)).toThrow(StoreVersionError);
    expect(() => openStore(file)).toThrow(/newer.sqlite.*version 999/);
  });

  it('applies a new migration file on top of an existing store, in order', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vra-db-')), 'm.sqlite');
    openStore(file).close();
    const extra = { version: 1000, name: 'extra', up: 'CREATE TABLE extra_t (x INTEGER);' };
    const db = openStore(file, [...MIGRATIONS, extra]);
    expect(schemaVersion(db)).toBe(1000);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra_t'").get()).toBeTruthy();
    db.close();
  });
});
