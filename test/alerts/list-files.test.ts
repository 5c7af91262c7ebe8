import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertFileError } from '../../core/alerts/errors.js';
import { listAlertFiles } from '../../core/alerts/reader.js';

let root: string;
const p = (...parts: string[]) => path.join(root, ...parts);

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'finkvra-list-'));
  for (const d of ['night1', 'night2/sub', 'night2/.hidden', 'spark.parquet']) mkdirSync(p(d), { recursive: true });
  for (const f of [
    'night1/a.parquet',
    'night1/b.avro',
    'night1/notes.txt',
    'night1/.a.parquet.crc',
    'night2/sub/c.parquet',
    'night2/sub/D.PARQUET',
    'night2/.hidden/e.parquet',
    'night2/_SUCCESS',
    // Spark writes a folder named *.parquet holding part files.
    'spark.parquet/part-00000.snappy.parquet',
    'loose.csv',
  ]) {
    writeFileSync(p(f), 'x');
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('listAlertFiles', () => {
  it('walks folders recursively for *.parquet and *.avro, skipping hidden entries', async () => {
    expect(await listAlertFiles([root])).toEqual(
      [
        'night1/a.parquet',
        'night1/b.avro',
        'night2/sub/D.PARQUET',
        'night2/sub/c.parquet',
        'spark.parquet/part-00000.snappy.parquet',
      ]
        .map((f) => p(f))
        .sort(),
    );
  });

  it('takes explicit files whatever their extension, sorted and de-duplicated', async () => {
    const files = await listAlertFiles([p('night2/sub/c.parquet'), p('loose.csv'), p('night1/a.parquet'), p('night1/../night1/a.parquet')]);
    expect(files).toEqual([p('loose.csv'), p('night1/a.parquet'), p('night2/sub/c.parquet')].sort());
  });

  it('expands globs, keeping alert files only', async () => {
    const pattern = `${root.split(path.sep).join('/')}/night*/**/*`;
    expect(await listAlertFiles([pattern])).toEqual(
      [p('night1/a.parquet'), p('night1/b.avro'), p('night2/sub/D.PARQUET'), p('night2/sub/c.parquet')].sort(),
    );
    expect(await listAlertFiles([`${root.split(path.sep).join('/')}/night1/*.avro`, p('night1')])).toEqual([
      p('night1/a.parquet'),
      p('night1/b.avro'),
    ]);
  });

  it('mixes folders, files and globs without duplicates', async () => {
    const files = await listAlertFiles([p('night1'), p('night1/a.parquet'), `${root.split(path.sep).join('/')}/night1/*.parquet`]);
    expect(files).toEqual([p('night1/a.parquet'), p('night1/b.avro')]);
  });

  it('reports a missing path or an empty pattern as AlertFileError', async () => {
    await expect(listAlertFiles([p('missing.parquet')])).rejects.toThrow(AlertFileError);
    await expect(listAlertFiles([p('missing.parquet')])).rejects.toThrow(/no such file or directory/);
    await expect(listAlertFiles([`${root.split(path.sep).join('/')}/nothing-*.parquet`])).rejects.toThrow(
      /no \.parquet or \.avro file matches/,
    );
  });
});
