import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LSST_SURVEY } from '../../core/surveys/lsst/survey.js';
import { LSST_FEATURE_NAMES } from '../../core/surveys/lsst/features.js';
import { lsstSchemaVersion } from '../../core/surveys/lsst/schema.js';
import { parquetSchemaShape } from '../../core/surveys/lsst/read.js';
import { FINK_ZTF, SHARED_DATA } from '../helpers/shared-data.js';

const LSST_DIR = `${SHARED_DATA}/fink-lsst`;
const HAS = existsSync(LSST_DIR) && existsSync(FINK_ZTF);
if (!HAS) console.warn(`[lsst-survey] real-file checks skipped: ${LSST_DIR} or ${FINK_ZTF} is absent`);

describe('the LSST survey', () => {
  it('recognises a diaSource struct with the identifying fields, and nothing else', () => {
    const source = ['diaSourceId', 'midpointMjdTai', 'ra', 'dec', 'band', 'psfFlux'];
    expect(LSST_SURVEY.recognise({ fields: ['diaSource'], children: { diaSource: source } })).toBe(true);
    expect(LSST_SURVEY.recognise({ fields: ['diaSource'], children: { diaSource: source.slice(1) } })).toBe(false);
    expect(LSST_SURVEY.recognise({ fields: ['candidate', 'objectId'], children: { candidate: ['candid', 'jd'] } })).toBe(false);
  });

  it('tells the schema versions apart by the fields that changed', () => {
    const v = (fields: string[]) => lsstSchemaVersion({ fields, children: {} });
    expect(v(['alertId', 'diaSource', 'ssObject', 'prvDiaNondetectionLimits'])).toBe('7.x');
    // 8.0 and 9.0 have the same top-level fields (lsst/alert_packet schema/8/0 and 9/0).
    expect(v(['diaSourceId', 'diaSource', 'ssSource', 'MPCORB'])).toBe('8.0/9.0');
    expect(v(['diaSourceId', 'diaSource', 'ssSource', 'mpc_orbits'])).toBe('10.0');
    expect(v(['diaSource'])).toBe('unknown');
  });

  it('declares its ids, bands, photometry, feature set and links', () => {
    expect(LSST_SURVEY.ids).toEqual({ object: 'diaSource.diaObjectId', alert: 'diaSource.diaSourceId' });
    expect(LSST_SURVEY.bands).toEqual(['u', 'g', 'r', 'i', 'z', 'y']);
    expect(LSST_SURVEY.photometry).toBe('flux-nJy');
    expect(LSST_SURVEY.featureSets.lsst).toBe(LSST_FEATURE_NAMES);
    expect(LSST_SURVEY.links.lasair({ objectId: '169747015154532428' })).toBe('https://lasair.lsst.ac.uk/objects/169747015154532428/');
    expect(LSST_SURVEY.links.fink({ objectId: null, solarSystemDesignation: 'J99JB9X' })).toBe('https://lsst.fink-portal.org/J99JB9X');
    expect(LSST_SURVEY.links.lasair({ objectId: null, solarSystemDesignation: 'J99JB9X' })).toBeNull();
  });
});

describe.skipIf(!HAS)('the LSST survey on real files', () => {
  it('recognises the real file and all three templates, and not a ZTF file', async () => {
    for (const f of ['lsstcam_ddf_20260105_v10_0', 'schema_lsst.v10_0_empty', 'schema_lsst.v9_0_empty', 'schema_lsst.v7_4_empty']) {
      expect(LSST_SURVEY.recognise(await parquetSchemaShape(`${LSST_DIR}/${f}.parquet`)), f).toBe(true);
    }
    expect(LSST_SURVEY.recognise(await parquetSchemaShape(`${FINK_ZTF}/ztf_20250614_regular.parquet`))).toBe(false);
  });
});
