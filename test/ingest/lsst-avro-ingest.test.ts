/**
 * A Rubin avro alert file (object container, schema in the header, as lsst/alert_packet writes them; written here
 * with avsc from hand-built rows, a subset of lsst.v10_0) ingests like a Fink LSST parquet: exact ids, the first
 * row of a repeated diaSourceId kept, stamps stored as they are.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALERT_V10, SRC, source, writeLsstAvro } from '../helpers/lsst-avro.js';
import { ingestFiles } from '../../core/ingest/ingest.js';
import { readCutouts } from '../../core/store/cutouts.js';
import { openStore } from '../../core/store/database.js';
import { surveyOfFile } from '../../core/surveys/file-survey.js';
import { lsstTable, toParquet } from '../alerts/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'lsst-avro-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STAMP = Buffer.from('SIMPLE  =                    T / uncompressed FITS');

/** An alert of the shared v10 schema: a g-band source of the object OBJ, a difference stamp, nothing else. */
function alert(id: bigint, mjd: number, flux: number) {
  const none = { prvDiaSources: null, prvDiaForcedSources: null, diaObject: null, ssSource: null, mpc_orbits: null };
  return { diaSourceId: id, diaSource: source(id, mjd, 'g', flux), ...none, cutoutDifference: STAMP, cutoutScience: null, cutoutTemplate: null };
}

const writeAvro = (file: string, rows: unknown[]): Promise<string> => writeLsstAvro(file, ALERT_V10, rows);

describe('an LSST avro file through ingestFiles', () => {
  it.each([1, 10_000])('stores each diaSourceId once (the first row), exactly, with its stamps (batches of %i)', async (batchSize) => {
    // Row 3 repeats row 1's id with another flux: the first row wins, the repeat is a duplicate.
    const file = await writeAvro(join(dir, 'rubin.avro'), [alert(SRC, 61041.25, 1000), alert(SRC + 1n, 61041.3, 2000), alert(SRC, 61041.25, 9999)]);
    expect(await surveyOfFile(file)).toBe('lsst');
    const db = openStore(join(dir, `vra-${batchSize}.sqlite`));
    const s = await ingestFiles(db, [file], { stagingDir: dir, batchSize });
    expect(s.files[0]).toMatchObject({ ok: true, rows: 3, newAlerts: 2, duplicates: 1 });
    const rows = db.prepare("SELECT a.candid, a.object_id, a.night, l.psf_flux, l.declared_version FROM alerts a JOIN lsst_alerts l USING (candid) WHERE a.survey = 'lsst' ORDER BY a.candid").all();
    // MJD 61041.25 is 2026-01-01 06:00 UTC (MJD 60676 = 2025-01-01, plus 365 days): dayObs (UTC−12h) 2025-12-31.
    expect(rows).toEqual([
      { candid: '169813006680588318', object_id: '169747015154532428', night: '2025-12-31', psf_flux: 1000, declared_version: 'lsst.v10_0' },
      { candid: '169813006680588319', object_id: '169747015154532428', night: '2025-12-31', psf_flux: 2000, declared_version: 'lsst.v10_0' },
    ]);
    const c = readCutouts(db, '169813006680588318');
    expect(c?.difference && Buffer.compare(c.difference, STAMP)).toBe(0);
    expect(c?.science).toBeNull();
    db.close();
  });
});

describe('a file LSST does not recognise either', () => {
  it('fails with the ZTF reader\'s words, as before LSST files were ingested', async () => {
    // A diaSource struct without ra, dec or band: not an LSST alert as LSST recognises one.
    const file = join(dir, 'half-lsst.parquet');
    writeFileSync(file, toParquet(lsstTable(4)));
    const db = openStore(join(dir, 'other.sqlite'));
    const s = await ingestFiles(db, [file], { stagingDir: dir });
    expect(s.files[0].ok).toBe(false);
    expect(s.files[0].error).toBe(`${file}: field 'candidate': not a ZTF alert file: looks like an LSST/Rubin alert (diaSource); no 'candidate' column`);
    expect(db.prepare('SELECT COUNT(*) FROM alerts').pluck().get()).toBe(0);
    db.close();
  });
});
