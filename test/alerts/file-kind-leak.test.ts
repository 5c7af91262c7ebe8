/** A refused file is described by its kind, never by its content: the message lands in logs and in source_files. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertFileError } from '../../core/alerts/errors.js';
import { detectAlertFileKind } from '../../core/alerts/file-kind.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'finkvra-kind-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function reasonFor(name: string, bytes: Uint8Array | string): Promise<string> {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  try {
    await detectAlertFileKind(file);
  } catch (e) {
    expect(e).toBeInstanceOf(AlertFileError);
    return (e as AlertFileError).message;
  }
  throw new Error(`${name} was accepted`);
}

describe('refused files: what kind, not what it says', () => {
  it('a shadow-like text file: says text, quotes nothing', async () => {
    const msg = await reasonFor('shadow', 'root:*:20228:0:99999:7:::\ndaemon:*:20228:0:99999:7:::\n');
    expect(msg).toMatch(/looks like a text file/);
    expect(msg).not.toMatch(/root|20228|daemon/);
  });

  it('a CSV: says CSV, quotes no header', async () => {
    const msg = await reasonFor('secret.parquet', 'password,user\nhunter2,alice\n');
    expect(msg).toMatch(/looks like a CSV or text file/);
    expect(msg).not.toMatch(/password|hunter2|alice/);
  });

  it('binary of an unknown kind: no bytes in hex', async () => {
    const bytes = Uint8Array.from([0x00, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03]);
    const msg = await reasonFor('blob.parquet', bytes);
    expect(msg).toMatch(/binary data of an unknown kind/);
    expect(msg).not.toMatch(/dead|beef|0x/i);
  });

  it('known binary kinds are named', async () => {
    expect(await reasonFor('a.parquet', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4]))).toMatch(/gzip/);
    expect(await reasonFor('b.parquet', Buffer.from('PK\x03\x04rest-of-zip', 'latin1'))).toMatch(/zip/);
    expect(await reasonFor('c.parquet', Buffer.from('\x7fELF\x02\x01\x01\x00', 'latin1'))).toMatch(/executable/);
    expect(await reasonFor('d.parquet', '%PDF-1.7\n%secret')).toMatch(/PDF/);
  });
});
