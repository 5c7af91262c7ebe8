/** Web mode's data.ingest reads only under the uploads folder and folders the user typed in this session. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Handlers } from '../../core/api/contract.js';
import { dispatch } from '../../core/api/dispatch.js';
import { IngestAllowList, withIngestAllowList } from '../../core/api/ingest-allow.js';
import { tempDir } from '../loop/fixture.js';

function setup() {
  const root = tempDir('finkvra-allow-');
  const uploads = join(root, 'home', 'uploads');
  const data = join(root, 'data');
  const secret = join(root, 'secret');
  mkdirSync(join(data, 'night1'), { recursive: true });
  mkdirSync(secret);
  writeFileSync(join(data, 'night1', 'a.parquet'), 'x');
  writeFileSync(join(secret, 'key.parquet'), 'x');
  const seen: string[][] = [];
  const base = { 'data.ingest': ({ paths }: { paths: string[] }) => (seen.push(paths), { jobId: 'j' }) } as unknown as Handlers;
  const handlers = withIngestAllowList(base, new IngestAllowList(uploads));
  const ingest = (...paths: string[]) => dispatch(handlers, 'data.ingest', { paths });
  return { root, uploads, data, secret, seen, ingest };
}

describe('web-mode ingest allow-list', () => {
  it('refuses a file outside the allowed folders', async () => {
    const t = setup();
    await expect(t.ingest(join(t.secret, 'key.parquet'))).rejects.toMatchObject({
      code: 'invalid_input',
      message: /key\.parquet: web mode reads files only under the uploads folder or a folder typed here/,
    });
    await expect(t.ingest('/etc/passwd')).rejects.toThrow(/only under the uploads folder/);
    expect(t.seen).toEqual([]);
  });

  it('allows files under the uploads folder', async () => {
    const t = setup();
    mkdirSync(join(t.uploads, 'x'));
    writeFileSync(join(t.uploads, 'x', 'u.parquet'), 'x');
    await t.ingest(join(t.uploads, 'x', 'u.parquet'));
    expect(t.seen).toHaveLength(1);
  });

  it('a typed folder is allowed, and then files under it', async () => {
    const t = setup();
    const file = join(t.data, 'night1', 'a.parquet');
    await expect(t.ingest(file)).rejects.toThrow(/only under/);
    await t.ingest(t.data);
    await t.ingest(file);
    expect(t.seen.length).toBe(2);
    await expect(t.ingest(join(t.secret, 'key.parquet'))).rejects.toThrow(/only under/);
  });

  it('no way around it: relative paths, patterns, .. and symlinks', async () => {
    const t = setup();
    await t.ingest(t.data);
    await expect(t.ingest('secret/key.parquet')).rejects.toThrow(/full path/);
    await expect(t.ingest(join(t.secret, '*.parquet'))).rejects.toThrow(/patterns are not expanded/);
    await expect(t.ingest(join(t.data, '..', 'secret', 'key.parquet'))).rejects.toThrow(/only under/);
    symlinkSync(join(t.secret, 'key.parquet'), join(t.data, 'link.parquet'));
    await expect(t.ingest(join(t.data, 'link.parquet'))).rejects.toThrow(/only under/);
    mkdirSync(`${t.data}-evil`);
    writeFileSync(join(`${t.data}-evil`, 'b.parquet'), 'x');
    await expect(t.ingest(join(`${t.data}-evil`, 'b.parquet'))).rejects.toThrow(/only under/);
  });
});

describe('web-mode labels.import by path', () => {
  it('reads a label file only under the allowed folders (web mode); uploaded text is unaffected', async () => {
    const t = setup();
    const read: string[] = [];
    const base = {
      'labels.import': (input: { path?: string; text?: string; name?: string }) => (read.push(input.path ?? `text:${input.name}`), {}),
    } as unknown as Handlers;
    const handlers = withIngestAllowList(base, new IngestAllowList(t.uploads));
    const secretCsv = join(t.secret, 'labels.csv');
    writeFileSync(secretCsv, 'candid,label\n1,gal\n');
    await expect(dispatch(handlers, 'labels.import', { path: secretCsv })).rejects.toMatchObject({
      code: 'invalid_input',
      message: /labels\.import: .*labels\.csv: web mode reads files only under the uploads folder/,
    });
    await expect(dispatch(handlers, 'labels.import', { path: '/etc/passwd' })).rejects.toThrow(/only under/);
    expect(read).toEqual([]);
    mkdirSync(join(t.uploads, 'u'));
    writeFileSync(join(t.uploads, 'u', 'l.csv'), 'candid,label\n');
    await dispatch(handlers, 'labels.import', { path: join(t.uploads, 'u', 'l.csv') });
    await dispatch(handlers, 'labels.import', { name: 'l.csv', text: 'candid,label\n' });
    expect(read).toEqual([join(t.uploads, 'u', 'l.csv'), 'text:l.csv']);
  });
});
