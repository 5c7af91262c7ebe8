/**
 * Writers that share a store: every transaction takes the write lock up front (so busy_timeout can make it wait),
 * and the ingest merge holds the lock one short piece at a time, undoing its committed pieces when a later one fails
 * or when its process died mid-merge.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnsFromAlerts } from '../../core/alerts/columns.js';
import { FEATURE_NAMES } from '../../core/features/names.js';
import { encodeLc, packAlert } from '../../core/features/packed-lc.js';
import { alreadyIngested, mergeStaging, rollBackInterruptedMerges } from '../../core/ingest/merge.js';
import { StagingWriter } from '../../core/ingest/staging.js';
import { openStore, type Db } from '../../core/store/database.js';
import { currentLabel, setLabel } from '../../core/store/labels.js';
import { makeAlert } from '../helpers/alerts.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'vra-writers-'));
const count = (db: Db, table: string): number => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

/** A staged file of n alerts with candids from `first` on (one object per alert). */
function stage(dir: string, n: number, first = 1000000000000000000n): string {
  const alerts = Array.from({ length: n }, (_, i) =>
    makeAlert({ candid: String(first + BigInt(i)), objectId: `ZTF21a${String(i).padStart(6, '0')}` }),
  );
  const w = new StagingWriter(join(dir, `staged-${first}.sqlite`));
  const d = FEATURE_NAMES.length;
  w.writeBatch(columnsFromAlerts(alerts), new Float64Array(n * d).fill(1), d, alerts.map(() => 2), alerts.map((a) => encodeLc(packAlert(a))));
  w.close();
  return w.path;
}

/** Another connection to the same store that gives up at once instead of waiting: shows who holds the lock. */
function impatient(file: string): Database.Database {
  const other = new Database(file);
  other.pragma('busy_timeout = 0');
  return other;
}

describe('write transactions', () => {
  it('take the write lock at BEGIN, so a transaction that reads first cannot lose its write to another writer', () => {
    const file = join(tmp(), 's.sqlite');
    const db = openStore(file);
    const other = impatient(file);
    const note = (conn: Database.Database, v: string) => conn.prepare("INSERT INTO settings (key, value_json) VALUES (?, '1')").run(v);
    let otherError = '';
    db.transaction(() => {
      db.prepare('SELECT COUNT(*) FROM settings').get();
      // A deferred BEGIN would let this other writer in, and this transaction's write below would then fail at once
      // with SQLITE_BUSY (busy_timeout cannot help a reader that must upgrade). Immediate: the other one waits.
      try {
        note(other, 'other');
      } catch (e) {
        otherError = (e as { code?: string }).code ?? String(e);
      }
      note(db, 'mine');
    })();
    expect(otherError).toBe('SQLITE_BUSY');
    expect(db.prepare('SELECT key FROM settings ORDER BY key').pluck().all()).toEqual(['mine']);
    other.close();
    db.close();
  });
});

describe('the ingest merge', () => {
  it('commits in pieces: another connection writes a label between two pieces, and the file counts once, whole', async () => {
    const dir = tmp();
    const file = join(dir, 's.sqlite');
    const db = openStore(file);
    const staged = stage(dir, 1000);
    const other = openStore(file);
    const labeller = impatient(file);
    let pieces = 0;
    const m = await mergeStaging(db, staged, { path: '/x/f.parquet', sha256: 'f1', sizeBytes: 1 }, 1000, null, {
      pieceRows: 100,
      between: async () => {
        pieces++;
        // Until the last piece the file is not ingested; the alerts merged so far can be labelled meanwhile.
        expect(alreadyIngested(other, 'f1')).toBeUndefined();
        if (pieces === 3) setLabel(labeller as Db, '1000000000000000000', 'gal');
      },
    });
    expect(pieces).toBe(9); // between the 10 pieces
    expect(m.newAlerts).toBe(1000);
    expect([count(db, 'alerts'), count(db, 'alert_lc'), count(db, 'features')]).toEqual([1000, 1000, 1000]);
    expect(alreadyIngested(db, 'f1')?.id).toBe(m.sourceFileId);
    expect(db.prepare('SELECT new_alerts FROM source_files').pluck().all()).toEqual([1000]);
    expect(currentLabel(db, '1000000000000000000')?.label).toBe('gal');
    labeller.close();
    other.close();
    db.close();
  });

  it('undoes the pieces it committed when a later piece fails; labels written meanwhile stay', async () => {
    const dir = tmp();
    const file = join(dir, 's.sqlite');
    const db = openStore(file);
    const first = stage(dir, 50, 2000000000000000000n);
    await mergeStaging(db, first, { path: '/x/a.parquet', sha256: 'a', sizeBytes: 1 }, 50);
    const staged = stage(dir, 1000);
    let pieces = 0;
    const failing = mergeStaging(db, staged, { path: '/x/b.parquet', sha256: 'b', sizeBytes: 1 }, 1000, null, {
      pieceRows: 100,
      between: async () => {
        if (++pieces === 1) setLabel(db, '2000000000000000001', 'agn');
        // From the 4th piece on, the store refuses feature rows (as a full disk or an I/O error would).
        if (pieces === 3) db.exec("CREATE TEMP TRIGGER boom BEFORE INSERT ON main.features BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
      },
    });
    await expect(failing).rejects.toThrow(/disk on fire/);
    db.exec('DROP TRIGGER temp.boom');
    expect(pieces).toBe(4); // three pieces committed, then one pause while undoing them
    // Nothing of b: the first file's 50 alerts, its row, and the label.
    expect([count(db, 'alerts'), count(db, 'alert_lc'), count(db, 'features'), count(db, 'source_files')]).toEqual([50, 50, 50, 1]);
    expect(currentLabel(db, '2000000000000000001')?.label).toBe('agn');
    // Re-ingesting it then works and adds exactly its alerts.
    expect((await mergeStaging(db, staged, { path: '/x/b.parquet', sha256: 'b', sizeBytes: 1 }, 1000)).newAlerts).toBe(1000);
    db.close();
  });

  it('rolls back a merge whose process died half-way, when the next merge starts', async () => {
    const dir = tmp();
    const file = join(dir, 's.sqlite');
    const db = openStore(file);
    const staged = stage(dir, 500);
    // A merge that stops after its second piece and never resumes (its process is about to be killed).
    let pieces = 0;
    void mergeStaging(db, staged, { path: '/x/c.parquet', sha256: 'c', sizeBytes: 1 }, 500, null, {
      pieceRows: 100,
      between: () => (++pieces === 2 ? new Promise<void>(() => {}) : Promise.resolve()),
    });
    await new Promise((ok) => setTimeout(ok, 50));
    expect(pieces).toBe(2);
    const other = openStore(file);
    expect(count(other, 'alerts')).toBe(200);
    // While its process lives, nobody touches it.
    expect(rollBackInterruptedMerges(other)).toBe(0);
    // The process is gone (pid 2^22 + 1 is above Linux's pid_max, so no live process has it).
    other.prepare("UPDATE source_files SET error = replace(error, ?, '4194305')").run(String(process.pid));
    expect(rollBackInterruptedMerges(other)).toBe(1);
    expect([count(other, 'alerts'), count(other, 'alert_lc'), count(other, 'features')]).toEqual([0, 0, 0]);
    const row = other.prepare('SELECT error, cutouts_file FROM source_files').get() as { error: string; cutouts_file: null };
    expect(row.error).toMatch(/interrupted/);
    expect(alreadyIngested(other, 'c')).toBeUndefined();
    other.close();
  });
});

describe('two merges into one store', () => {
  it('run one after the other, so rolling one back cannot take alerts from the other', async () => {
    const dir = tmp();
    const file = join(dir, 's.sqlite');
    const db = openStore(file);
    const other = openStore(file);
    const x = stage(dir, 1000); // candids …000 to …999
    const y = stage(tmp(), 500); // the first 500 of x again
    let pieces = 0;
    let second: Promise<unknown> | null = null;
    const first = mergeStaging(db, x, { path: '/x/x.parquet', sha256: 'x', sizeBytes: 1 }, 1000, null, {
      pieceRows: 100,
      between: async () => {
        if (++pieces !== 3) return;
        // x has 300 alerts in; y starts now, on another connection, and x fails on its next piece.
        second = mergeStaging(other, y, { path: '/x/y.parquet', sha256: 'y', sizeBytes: 1 }, 500);
        await new Promise((ok) => setTimeout(ok, 100));
        db.exec("CREATE TEMP TRIGGER boom BEFORE INSERT ON main.features BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
      },
    });
    await expect(first).rejects.toThrow(/disk on fire/);
    const m = (await second!) as { sourceFileId: number; newAlerts: number };
    // y holds all of its 500 alerts, x nothing.
    expect(m.newAlerts).toBe(500);
    expect(count(other, 'alerts')).toBe(500);
    expect(other.prepare('SELECT COUNT(*) FROM alerts WHERE source_file_id = ?').pluck().get(m.sourceFileId)).toBe(500);
    expect(other.prepare('SELECT sha256 FROM source_files').pluck().all()).toEqual(['y']);
    db.close();
    other.close();
  });
});
