/** `finkvra labels import`: a label file that cannot be what it claims is one clear error, never its bytes. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentLabel, importLabelsCsv } from '../../core/store/labels.js';
import { cid, makeStore, tempDir } from '../loop/fixture.js';

const HEADER = 'candid,objectId,label,timestamp';

describe('labels import validation', () => {
  it('a misspelled header is one error naming the expected column', () => {
    const { db } = makeStore([]);
    const csv = `Candid,ObjectId,label,timestamp\n${cid(0)},ZTF0,gal,2025-06-01T10:00:00Z\n`;
    expect(() => importLabelsCsv(db, csv, 'my.csv')).toThrow(/my\.csv: no 'candid' column/);
    expect(() => importLabelsCsv(db, `candid,objectId,lbl\n${cid(0)},ZTF0,gal\n`, 'x.csv')).toThrow(
      /x\.csv: no 'label' column/,
    );
    expect(currentLabel(db, cid(0))).toBeNull();
  });

  it('refuses candids outside 1…2^63−1', () => {
    const { db } = makeStore([]);
    const rows = ['0', '9223372036854775807', '9223372036854775808', '99999999999999999999'];
    const csv = [HEADER, ...rows.map((c) => `${c},ZTF0,gal,2025-06-01T10:00:00Z`)].join('\n');
    const r = importLabelsCsv(db, csv, 'f.csv');
    expect(r.invalid.map((i) => i.row)).toEqual([2, 4, 5]);
    for (const i of r.invalid) expect(i.reason).toMatch(/candid out of range 1…2\^63−1/);
    expect(r.imported).toBe(1);
  });

  it('reports a bad timestamp instead of replacing it with now', () => {
    const { db } = makeStore([]);
    const csv = [
      HEADER,
      `${cid(0)},ZTF0,gal,yesterday`,
      `${cid(1)},ZTF1,gal,2025-02-30T10:00:00Z`,
      `${cid(2)},ZTF2,gal,2025-06-01T10:00:00Z`,
    ].join('\n');
    const r = importLabelsCsv(db, csv, 'f.csv');
    expect(r.invalid).toEqual([
      { row: 2, reason: 'field timestamp: not an ISO 8601 time (e.g. 2025-06-01T10:00:00Z)' },
      { row: 3, reason: 'field timestamp: not an ISO 8601 time (e.g. 2025-06-01T10:00:00Z)' },
    ]);
    expect(currentLabel(db, cid(0))).toBeNull();
    expect(currentLabel(db, cid(2))?.at).toBe('2025-06-01T10:00:00.000Z');
  });

  it('a text file that is no label CSV is refused without quoting its first line', () => {
    const { db } = makeStore([]);
    expect(() => importLabelsCsv(db, 'root:*:20228:0:99999:7:::\n', 'shadow')).toThrow(
      /^shadow: no 'candid' column \(the seed's labeled.csv has the header candid,objectId,label,timestamp\)$/,
    );
  });

  it('refuses a binary file without quoting it', () => {
    const { db } = makeStore([]);
    const bin = Buffer.concat([Buffer.from('PAR1'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0]), Buffer.from('SECRETSTUFF')]);
    let msg = '';
    try {
      importLabelsCsv(db, bin, 'cut.parquet');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/cut\.parquet: not a CSV text file \(binary data\)/);
    expect(msg).not.toMatch(/SECRET|PAR1/);
  });

  it('the CLI exits 1 with the header error, and prints no row rejections', () => {
    const dir = tempDir();
    const { dbPath, db } = makeStore([], dir);
    db.close();
    const file = join(dir, 'labeled.csv');
    writeFileSync(file, `Candid,ObjectId,Label,Timestamp\n${cid(0)},ZTF0,gal,2025-06-01T10:00:00Z\n`);
    const r = spawnSync(process.execPath, ['bin/finkvra.js', '--db', dbPath, '--home', dir, 'labels', 'import', file], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `${file}: no 'candid' column (the seed's labeled.csv has the header candid,objectId,label,timestamp; column names are case-sensitive)`,
    );
    expect(r.stdout).not.toMatch(/bad candid/);
  }, 60_000);
});
