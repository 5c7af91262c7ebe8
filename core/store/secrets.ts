/**
 * The Lasair API token kept in the store (0600, in the private app folder), so it need not be typed as a command-line
 * argument, which every user of the machine can read. LASAIR_TOKEN in the environment, when set, wins.
 */
import type { Db } from './database.js';

const KEY = 'lasair_token';

export function storedLasairToken(db: Db): string | null {
  const row = db.prepare('SELECT value_json FROM settings WHERE key = ?').get(KEY) as { value_json: string } | undefined;
  const v: unknown = row ? JSON.parse(row.value_json) : null;
  return typeof v === 'string' && v !== '' ? v : null;
}

export function storeLasairToken(db: Db, token: string | null): void {
  if (token === null) return void db.prepare('DELETE FROM settings WHERE key = ?').run(KEY);
  db.prepare(
    'INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json',
  ).run(KEY, JSON.stringify(token));
}

/** The token to use: an explicit one (the visible --lasair-token), else LASAIR_TOKEN, else the stored one. */
export function lasairTokenFor(db: Db, explicit?: string | null): string | null {
  return explicit || process.env.LASAIR_TOKEN || storedLasairToken(db);
}
