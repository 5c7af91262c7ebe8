/**
 * Bad LSST input gets an AlertFileError naming the file, the field and the reason, never quoting file content.
 * The malformed files are written here with DuckDB (an independent parquet writer).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertFileError } from '../../core/alerts/errors.js';
import { readLsstAlerts } from '../../core/surveys/lsst/read.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lsst-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function firstError(file: string): Promise<AlertFileError> {
  try {
    for await (const _ of readLsstAlerts(file)) void _;
  } catch (e) {
    if (e instanceof AlertFileError) return e;
    throw e;
  }
  throw new Error(`${file}: read without error`);
}

const SOURCE = (id: string) =>
  `{'diaSourceId': ${id}, 'midpointMjdTai': 61041.2, 'ra': 150.0, 'dec': 2.0, 'band': 'i', 'psfFlux': 100.0}`;

describe('bad LSST files', () => {
  beforeAll(async () => {
    const db = await DuckDBInstance.create(':memory:');
    const duck = await db.connect();
    try {
      const write = (name: string, select: string) =>
        duck.run(`COPY (${select}) TO '${path.join(dir, name)}' (FORMAT parquet)`);
      // An id stored as a double: 169813006680588318 cannot be held exactly.
      await write('double-id.parquet', `SELECT ${SOURCE('169813006680588318::DOUBLE')} AS diaSource`);
      await write('null-id.parquet', `SELECT ${SOURCE('1::BIGINT')} AS diaSource UNION ALL SELECT ${SOURCE('NULL::BIGINT')}`);
      await write('no-band.parquet', `SELECT {'diaSourceId': 1::BIGINT, 'midpointMjdTai': 1.0, 'ra': 1.0, 'dec': 1.0, 'psfFlux': 1.0} AS diaSource`);
    } finally {
      duck.closeSync();
      db.closeSync();
    }
    writeFileSync(path.join(dir, 'text.parquet'), 'diaSourceId,psfFlux\n1,2\n');
  });

  it('refuses an id stored as a floating-point number, naming the field', async () => {
    const err = await firstError(path.join(dir, 'double-id.parquet'));
    expect(err.field).toBe('diaSource.diaSourceId');
    expect(err.reason).toMatch(/exact 64-bit id/);
    expect(err.message).not.toContain('169813006680588318');
  });

  it('refuses a null diaSourceId, naming the row', async () => {
    const err = await firstError(path.join(dir, 'null-id.parquet'));
    expect(err.field).toBe('diaSource.diaSourceId');
    expect(err.reason).toBe('null at row 1');
  });

  it('refuses a diaSource without band, naming diaSource.band', async () => {
    const err = await firstError(path.join(dir, 'no-band.parquet'));
    expect(err.field).toBe('diaSource.band');
    expect(err.reason).toMatch(/not an LSST alert file/);
  });

  it('refuses a text file without quoting it', async () => {
    const file = path.join(dir, 'text.parquet');
    const err = await firstError(file);
    expect(err.file).toBe(file);
    expect(err.reason).toMatch(/not a parquet file/);
  });
});
