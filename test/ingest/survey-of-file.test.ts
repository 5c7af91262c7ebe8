/**
 * Files are routed by survey from their schema alone: every real ZTF file (parquet and avro) is ZTF, every real
 * LSST file (the 25 LSSTCam alerts and the empty 7.4 / 9.0 / 10.0 templates) is LSST, and a parquet file of neither
 * is refused naming the file and what each survey missed.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableToIPC, tableFromArrays } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertFileError } from '../../core/alerts/errors.js';
import { SURVEYS, SURVEY_IDS } from '../../core/surveys/registry.js';
import { surveyOfFile } from '../../core/surveys/file-survey.js';
import { FINK_ZTF, SHARED_DATA, sharedDataOrSkipReason } from '../helpers/shared-data.js';

const HAS = sharedDataOrSkipReason('survey-of-file');
const LSST_DIR = `${SHARED_DATA}/fink-lsst`;
const dir = mkdtempSync(join(tmpdir(), 'survey-of-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alertFiles = (d: string): string[] => readdirSync(d).filter((n) => /\.(parquet|avro)$/.test(n)).sort();

describe('the survey registry', () => {
  it('has one Survey per id, each naming itself', () => {
    expect(Object.keys(SURVEYS).sort()).toEqual([...SURVEY_IDS].sort());
    for (const id of SURVEY_IDS) expect(SURVEYS[id].id).toBe(id);
    expect(SURVEYS.ztf.photometry).toBe('magnitude');
    expect(SURVEYS.ztf.bands).toEqual(['g', 'r', 'i']);
    expect(SURVEYS.ztf.links.lasair({ objectId: 'ZTF21abc' })).toBe('https://lasair-ztf.lsst.ac.uk/objects/ZTF21abc/');
  });

  it('ZTF recognises a candidate struct with the fields the reader needs, and nothing less', () => {
    const cand = ['candid', 'magpsf', 'fid', 'jd', 'ra', 'dec'];
    expect(SURVEYS.ztf.recognise({ fields: ['objectId', 'candidate'], children: { candidate: cand } })).toBe(true);
    expect(SURVEYS.ztf.recognise({ fields: ['objectId', 'candidate'], children: { candidate: cand.slice(1) } })).toBe(false);
    expect(SURVEYS.ztf.recognise({ fields: ['objectId', 'candid', 'candidate'], children: { candidate: cand.slice(1) } })).toBe(true);
    expect(SURVEYS.ztf.recognise({ fields: ['candidate'], children: { candidate: cand } })).toBe(false);
    expect(SURVEYS.ztf.recognise({ fields: ['diaSource'], children: { diaSource: ['diaSourceId'] } })).toBe(false);
  });
});

describe.skipIf(!HAS)('surveyOfFile on the real data', () => {
  it('finds ZTF in all 15 files of fink-ztf', async () => {
    const names = alertFiles(FINK_ZTF);
    expect(names.length).toBe(15);
    for (const n of names) expect(await surveyOfFile(join(FINK_ZTF, n)), n).toBe('ztf');
  });

  it('finds LSST in all 4 files of fink-lsst (the real alerts and the three empty templates)', async () => {
    const names = alertFiles(LSST_DIR);
    expect(names.length).toBe(4);
    for (const n of names) expect(await surveyOfFile(join(LSST_DIR, n)), n).toBe('lsst');
  });
});

describe('surveyOfFile on a file of neither survey', () => {
  it('names the file and what each survey missed', async () => {
    const file = join(dir, 'other.parquet');
    const table = tableFromArrays({ id: Int32Array.from([1, 2]), x: Float64Array.from([0.5, 1.5]) });
    writeFileSync(file, writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream'))));
    const err = await surveyOfFile(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlertFileError);
    const msg = (err as Error).message;
    expect(msg.startsWith(`${file}: field 'candidate'`)).toBe(true);
    expect(msg).toMatch(/not ZTF \(no candidate\)/);
    expect(msg).toMatch(/not LSST \(no diaSource\)/);
  });

  it('passes on the reason of a file that is not parquet or avro at all', async () => {
    const file = join(dir, 'notes.parquet');
    writeFileSync(file, 'a,b\n1,2\n');
    await expect(surveyOfFile(file)).rejects.toThrow(/notes\.parquet: not a parquet file \(bad magic\)/);
  });
});
