/**
 * The labelled-set export with a survey column (core/loop/export.ts): a ZTF-only store's seed file is the seed's
 * labeled.csv byte for byte; a store holding ZTF and LSST labels exports every label in the seed format (with the
 * survey) and one survey per full file, LSST rows with diaSourceId, diaObjectId and the lsst features.
 */
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopHandlers } from '../../core/api/handlers/loop.js';
import { JobRegistry } from '../../core/api/jobs.js';
import { FEATURE_NAMES } from '../../core/features/names.js';
import { ExportSurveyError, labelsCsv, META_COLUMNS } from '../../core/loop/export.js';
import type { Db } from '../../core/store/database.js';
import { currentLabels, setLabel } from '../../core/store/labels.js';
import { updateSettings } from '../../core/store/settings.js';
import { LSST_FEATURE_NAMES } from '../../core/surveys/lsst/features.js';
import type { LsstBatch } from '../../core/surveys/lsst/batch.js';
import { addRealLsst, lsstDataOrSkipReason } from '../helpers/lsst-store.js';
import { cid, makeStore, separableAlerts } from './fixture.js';

type Row = Record<string, string>;
const rowsOf = (csv: string): Row[] => parse(csv, { columns: true }) as Row[];

describe('seed export of a ZTF-only store', () => {
  it("is the seed's labeled.csv: candid,objectId,label,timestamp and nothing else", () => {
    const { db } = makeStore(separableAlerts(6));
    setLabel(db, cid(1), 'gal');
    setLabel(db, cid(4), 'bogus');
    const at = new Map(currentLabels(db).map((l) => [l.candid, l.at]));
    const want = [
      'candid,objectId,label,timestamp',
      `${cid(1)},ZTF21obj0,gal,${at.get(cid(1))}`,
      `${cid(4)},ZTF21obj2,bogus,${at.get(cid(4))}`,
      '',
    ].join('\n');
    const got = labelsCsv(db, { format: 'seed', task: 'gal' });
    expect(Buffer.from(got.csv)).toEqual(Buffer.from(want));
    const full = labelsCsv(db, { format: 'full', task: 'gal' });
    expect(full.survey).toBe('ztf');
    expect(rowsOf(full.csv).map((r) => r.survey)).toEqual(['ztf', 'ztf']);
    db.close();
  });
});

const HAS = lsstDataOrSkipReason('export-surveys');

describe.skipIf(!HAS)('export of a store holding ZTF and LSST labels', () => {
  let db: Db;
  let dbPath: string;
  let dir: string;
  let b: LsstBatch;
  let lsstLabelled: string[];
  beforeAll(async () => {
    ({ db, dbPath, dir } = makeStore(separableAlerts(6)));
    [b] = await addRealLsst(db);
    setLabel(db, cid(2), 'varstar');
    // A diaObject alert and a solar-system one.
    lsstLabelled = [b.diaSourceId[b.diaObjectId.findIndex((x) => x !== null)], b.diaSourceId[b.diaObjectId.findIndex((x) => x === null)]];
    setLabel(db, lsstLabelled[0], 'extragal');
    setLabel(db, lsstLabelled[1], 'bogus');
  });
  afterAll(() => db.close());

  it('writes every label in the seed format, with the survey and exact ids', () => {
    const out = labelsCsv(db, { format: 'seed', task: 'gal' });
    expect(out.columns).toEqual(['candid', 'objectId', 'label', 'timestamp', 'survey']);
    const rows = rowsOf(out.csv);
    expect(rows.map((r) => [r.candid, r.survey, r.label])).toEqual([
      [cid(2), 'ztf', 'varstar'],
      [lsstLabelled[0], 'lsst', 'extragal'],
      [lsstLabelled[1], 'lsst', 'bogus'],
    ]);
    const k = b.diaSourceId.indexOf(lsstLabelled[0]);
    expect(BigInt(rows[1].candid)).toBeGreaterThan(2n ** 53n);
    expect(rows[1].objectId).toBe(b.diaObjectId[k]);
    expect(rows[2].objectId).toBe(`ss:${b.ssObjectId[b.diaSourceId.indexOf(lsstLabelled[1])]}`);
  });

  it('refuses a full export that does not say which survey', () => {
    expect(() => labelsCsv(db, { format: 'full', task: 'gal' })).toThrow(ExportSurveyError);
    expect(() => labelsCsv(db, { format: 'full', task: 'gal' })).toThrow(/ZTF and Rubin\/LSST/);
  });

  it("exports the LSST labels with the lsst features and LSST's ids", () => {
    const out = labelsCsv(db, { format: 'full', task: 'gal', survey: 'lsst' });
    expect(out.columns).toEqual([...META_COLUMNS, ...LSST_FEATURE_NAMES]);
    const rows = rowsOf(out.csv);
    expect(rows.map((r) => r.candid)).toEqual(lsstLabelled);
    const k = b.diaSourceId.indexOf(lsstLabelled[0]);
    const r = rows[0];
    expect([r.survey, r.objectId, r.label, r.class, r.fid, r.drb]).toEqual(['lsst', b.diaObjectId[k], 'extragal', '0', '0', '']);
    const f = b.source.psfFlux[k];
    expect(Number(r.magpsf)).toBeCloseTo(31.4 - 2.5 * Math.log10(f), 9);
    expect(Number(r.reliability)).toBeCloseTo(b.source.reliability[k], 6);
    const p = b.prvDiaSources;
    const prv = p.id.slice(p.offsets[k], p.offsets[k + 1]).filter((id) => id !== b.diaSourceId[k]).length;
    expect(Number(r.ndet)).toBe(1 + prv);
    expect(Number(r.ndet_i)).toBe(1 + prv); // every alert of the file is in band i
    expect(r.ndet_g).toBe('0');
  });

  it('exports the ZTF labels with the seed features only', () => {
    const out = labelsCsv(db, { format: 'full', task: 'gal', survey: 'ztf' });
    expect(out.columns).toEqual([...new Set([...META_COLUMNS, ...FEATURE_NAMES])]);
    expect(rowsOf(out.csv).map((r) => [r.candid, r.survey])).toEqual([[cid(2), 'ztf']]);
  });

  it("through the API: the current feature set's survey unless one is asked for", async () => {
    const ctx = { db, dbPath, jobs: new JobRegistry(), homeDir: dir, artifactsDir: join(dir, 'artifacts') };
    const h = loopHandlers(ctx, { autoAdvance: false });
    updateSettings(db, dbPath, { featureSet: 'lsst' });
    const lsst = await h['labels.exportCsv']({ format: 'full' });
    expect(rowsOf(lsst.csv).map((r) => r.survey)).toEqual(['lsst', 'lsst']);
    expect(lsst.filename).toMatch(/^finkvra_labels_lsst_gal_/);
    const ztf = await h['labels.exportCsv']({ format: 'full', survey: 'ztf' });
    expect(rowsOf(ztf.csv).map((r) => r.candid)).toEqual([cid(2)]);
    updateSettings(db, dbPath, { featureSet: 'extended' });
    expect(rowsOf((await h['labels.exportCsv']({ format: 'full' })).csv).map((r) => r.survey)).toEqual(['ztf']);
    await ctx.jobs.idle();
  });
});
