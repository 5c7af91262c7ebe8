/** Files that are not readable ZTF alert files: each gives one AlertFileError naming the file and the reason. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertFileError } from '../../core/alerts/errors.js';
import { countRows, readAlerts } from '../../core/alerts/reader.js';
import { alertTable, foreignCandidateTable, lsstTable, rng, sampleRows, toParquet } from './fixtures.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'finkvra-bad-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array | string): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** Reads the whole file; returns the error and how many alerts were yielded before it. */
async function failure(file: string): Promise<{ error: AlertFileError; yielded: number }> {
  let yielded = 0;
  try {
    for await (const batch of readAlerts(file)) yielded += batch.length;
  } catch (e) {
    expect(e).toBeInstanceOf(AlertFileError);
    return { error: e as AlertFileError, yielded };
  }
  throw new Error(`${file} was read without error (${yielded} alerts)`);
}

async function expectBad(file: string, reason: RegExp, field: string | null = null): Promise<void> {
  const { error, yielded } = await failure(file);
  expect(yielded).toBe(0);
  expect(error.file).toBe(file);
  expect(error.message).toContain(file);
  expect(error.reason).toMatch(reason);
  expect(error.field).toBe(field);
}

const good = (): Uint8Array => toParquet(alertTable(sampleRows(20, 5)));

describe('bad input files', () => {
  it('empty file', async () => {
    await expectBad(write('empty.parquet', ''), /^empty file/);
  });

  it('truncated parquet (first half of a generated file)', async () => {
    const bytes = good();
    await expectBad(write('half.parquet', bytes.subarray(0, bytes.length >> 1)), /^truncated parquet file/);
  });

  it('parquet with a damaged footer length', async () => {
    const bytes = good().slice();
    // Footer length (the 4 bytes before the final magic) made larger than the file.
    new DataView(bytes.buffer).setUint32(bytes.length - 8, 0x7fffffff, true);
    await expectBad(write('footer.parquet', bytes), /footer length/);
  });

  it('random bytes named .parquet', async () => {
    const rand = rng(42);
    const bytes = Uint8Array.from({ length: 4096 }, () => Math.floor(rand() * 256));
    bytes[0] = 0x00; // never 'P' or 'O' by chance
    await expectBad(write('random.parquet', bytes), /^not a parquet file \(bad magic\): binary data of an unknown kind/);
  });

  it('a CSV renamed .parquet', async () => {
    const csv = 'candid,objectId,magpsf\n2600000000000001,ZTF24aaaaaaa,18.2\n';
    await expectBad(write('table.parquet', csv), /^not a parquet file \(bad magic\): looks like a CSV/);
  });

  it('random bytes named .avro', async () => {
    await expectBad(write('junk.avro', 'hello world, this is not avro'), /^not an avro file \(bad magic\)/);
  });

  it('a parquet with no candidate column', async () => {
    const table = alertTable(sampleRows(3, 1));
    const noCandidate = table.select(['objectId', 'candid', 'prv_candidates']);
    await expectBad(write('nocand.parquet', toParquet(noCandidate)), /^no 'candidate' column/, 'candidate');
  });

  it('an LSST/Rubin alert parquet', async () => {
    await expectBad(write('lsst.parquet', toParquet(lsstTable(4))), /not a ZTF alert file: looks like an LSST\/Rubin/, 'candidate');
  });

  it('a candidate struct without the ZTF fields', async () => {
    await expectBad(
      write('foreign.parquet', toParquet(foreignCandidateTable(4))),
      /^not a ZTF alert file: no candidate\.magpsf, candidate\.fid, candidate\.jd/,
      'candidate.magpsf',
    );
  });

  it('a row with a null objectId, even in a later row group, fails before anything is yielded', async () => {
    const rows = sampleRows(9, 3);
    rows[7].objectId = null;
    await expectBad(write('nullobj.parquet', toParquet(alertTable(rows), 4)), /^row 7 has a null objectId/, 'objectId');
  });

  it('a row with a null candid', async () => {
    const rows = sampleRows(5, 3);
    rows[2].candid = null;
    await expectBad(write('nullcandid.parquet', toParquet(alertTable(rows))), /^row 2 has a null candid/, 'candid');
  });

  it('a missing file', async () => {
    await expectBad(path.join(dir, 'nope.parquet'), /^no such file/);
  });

  it('countRows refuses the same files', async () => {
    await expect(countRows(write('empty2.parquet', ''))).rejects.toBeInstanceOf(AlertFileError);
    await expect(countRows(write('lsst2.parquet', toParquet(lsstTable(2))))).rejects.toThrow(/LSST/);
  });

  it('a good file next to them still reads', async () => {
    const file = write('good.parquet', good());
    let n = 0;
    for await (const batch of readAlerts(file)) n += batch.length;
    expect(n).toBe(20);
  });
});
