/** The reader on parquet files generated in the test (no shared data needed), in both writer flavours. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alerts/alert.js';
import { countRows, dedupeByCandid, readAlertBatches, readAlerts, type AlertBatch } from '../../core/alerts/reader.js';
import { alertTable, sampleRows, toParquet, type FixtureRow, type Flavour } from './fixtures.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'finkvra-alerts-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(file: string, opts?: Parameters<typeof readAlertBatches>[1]): Promise<AlertBatch[]> {
  const out: AlertBatch[] = [];
  for await (const b of readAlertBatches(file, opts)) out.push(b);
  return out;
}

/** Spark files store float32: the value read back is the float32 rounding of what was written. */
function stored(v: number, flavour: Flavour): number {
  return flavour === 'spark' ? Math.fround(v) : v;
}

describe.each(['spark', 'pandas'] as const)('parquet written %s-style', (flavour) => {
  const rows = sampleRows(12, 7);
  let file: string;
  let batches: AlertBatch[];
  let alerts: Alert[];

  beforeAll(async () => {
    file = path.join(dir, `alerts-${flavour}.parquet`);
    // Row groups of 5 rows, read in batches of at most 4: batches must follow row groups, then batchSize.
    writeFileSync(file, toParquet(alertTable(rows, { flavour }), 5));
    batches = await collect(file, { batchSize: 4 });
    alerts = batches.flatMap((b) => b.alerts);
  });

  it('yields row-group-bounded batches of at most batchSize rows, in file order', () => {
    expect(batches.map((b) => [b.firstRow, b.alerts.length])).toEqual([
      [0, 4],
      [4, 1],
      [5, 4],
      [9, 1],
      [10, 2],
    ]);
    expect(alerts.map((a) => a.objectId)).toEqual(rows.map((r) => r.objectId));
  });

  it('keeps candid exact above 2^53', () => {
    expect(alerts.map((a) => a.candid)).toEqual(rows.map((r) => (r.candid as bigint).toString()));
    expect(alerts[11].candid).toBe('2600000000000011001');
  });

  it('normalises the candidate fields', () => {
    alerts.forEach((a, i) => {
      const c = rows[i].candidate;
      expect(a.jd).toBe(c.jd);
      expect(a.fid).toBe(c.fid);
      expect(a.ra).toBe(c.ra);
      expect(a.dec).toBe(c.dec);
      expect(a.magpsf).toBe(stored(c.magpsf, flavour));
      expect(a.drb).toBe(stored(c.drb, flavour));
      expect(a.ndethist).toBe(c.ndethist);
      expect(a.isdiffpos).toBe(c.isdiffpos);
      expect(a.ssdistnr).toBe(-999);
      // ZTF's "null" string means no solar-system object.
      expect(a.ssnamenr).toBeNull();
    });
  });

  it('reads history: null prv_candidates → [], upper limits with magpsf null and diffmaglim set', () => {
    alerts.forEach((a, i) => {
      const prv = rows[i].prv;
      if (prv === null) {
        expect(a.history).toEqual([]);
        return;
      }
      expect(a.history).toEqual(
        prv.map((p) => ({
          jd: p.jd,
          fid: p.fid,
          magpsf: p.magpsf === null ? null : stored(p.magpsf, flavour),
          sigmapsf: p.sigmapsf === null ? null : stored(p.sigmapsf, flavour),
          diffmaglim: p.diffmaglim === null ? null : stored(p.diffmaglim, flavour),
          isdiffpos: p.isdiffpos as 't' | 'f' | null,
        })),
      );
    });
    expect(alerts[4].history).toEqual([]);
    expect(alerts[0].history[0]).toMatchObject({ magpsf: null, isdiffpos: null });
    expect(alerts[0].history[0].diffmaglim).not.toBeNull();
  });

  it('gives the same history as typed arrays', () => {
    for (const b of batches) {
      b.alerts.forEach((a, r) => {
        const { offsets, jd, fid, magpsf, isdiffpos } = b.history;
        expect(offsets[r + 1] - offsets[r]).toBe(a.history.length);
        a.history.forEach((p, k) => {
          const j = offsets[r] + k;
          expect(jd[j]).toBe(p.jd);
          expect(fid[j]).toBe(p.fid);
          expect(Number.isNaN(magpsf[j]) ? null : magpsf[j]).toBe(p.magpsf);
          expect(isdiffpos[j]).toBe(p.isdiffpos === 't' ? 1 : p.isdiffpos === 'f' ? -1 : 0);
        });
      });
    }
  });

  it('reads Fink columns, scores (map or struct t2), lc features and Sherlock text', () => {
    alerts.forEach((a, i) => {
      const r: FixtureRow = rows[i];
      expect(a.cdsxmatch).toBe(r.cdsxmatch);
      expect(a.roid).toBe(r.roid);
      expect(a.finkclass).toBe(r.finkclass);
      expect(a.tnsclass).toBeNull();
      const scores: Record<string, number> = {};
      if (r.rf_snia_vs_nonia !== null) scores.rf_snia_vs_nonia = r.rf_snia_vs_nonia;
      if (r.t2) for (const [k, v] of Object.entries(r.t2)) scores[`t2_${k}`] = stored(v, flavour);
      expect(a.scores).toEqual(scores);
      const allNull = !r.lcG || Object.values(r.lcG).every((v) => v === null);
      expect(a.lcFeaturesG).toEqual(allNull ? null : r.lcG);
      expect(a.lcFeaturesR).toBeNull();
      expect(a.sherlockSepArcsec).toBe(r.sepArcsec === null ? null : Number(r.sepArcsec));
      expect(a.cutouts).toBeUndefined();
    });
  });

  it('reads cutouts only when asked, as the gzipped bytes', async () => {
    const withCutouts = (await collect(file, { withCutouts: true })).flatMap((b) => b.alerts);
    withCutouts.forEach((a, i) => {
      expect(a.cutouts?.science).toEqual(rows[i].stamp);
      expect(a.cutouts?.difference).toEqual(rows[i].stamp);
      expect(Buffer.from(gunzipSync(a.cutouts?.template as Uint8Array)).toString('latin1', 0, 6)).toBe('SIMPLE');
    });
  });

  it('builds history objects lazily but visibly: spread, JSON, structuredClone and assignment all work', () => {
    const a = alerts[0];
    const expected = a.history;
    expect(expected).toHaveLength(6);
    expect(a.history).toBe(expected); // cached after the first read
    expect({ ...alerts[1] }.history).toEqual(alerts[1].history);
    expect(JSON.parse(JSON.stringify(alerts[2])).history).toEqual(alerts[2].history);
    expect(structuredClone(alerts[3]).history).toEqual(alerts[3].history);
    const b = alerts[5];
    b.history = [];
    expect(b.history).toEqual([]);
    expect(Object.keys(a)).toContain('history');
  });

  it('counts rows from the footer', async () => {
    expect(await countRows(file)).toBe(12);
  });
});

describe('raw ZTF parquet (no Fink columns)', () => {
  it('reads with Fink fields null and no scores', async () => {
    const rows = sampleRows(3, 2);
    const file = path.join(dir, 'raw.parquet');
    writeFileSync(file, toParquet(alertTable(rows, { raw: true, withCutouts: false })));
    const alerts: Alert[] = [];
    for await (const batch of readAlerts(file)) alerts.push(...batch);
    expect(alerts).toHaveLength(3);
    for (const a of alerts) {
      expect(a).toMatchObject({ cdsxmatch: null, roid: null, finkclass: null, tnsclass: null, lcFeaturesG: null });
      expect(a.scores).toEqual({});
      expect(a.sherlockSepArcsec).toBeNull();
    }
    // Asking for cutouts from a file without them gives null stamps, not an error.
    const withCutouts: Alert[] = [];
    for await (const batch of readAlerts(file, { withCutouts: true })) withCutouts.push(...batch);
    expect(withCutouts[0].cutouts).toEqual({ science: null, template: null, difference: null });
  });
});

describe('edge cases', () => {
  it('a parquet with the alert schema and no rows yields nothing and counts 0', async () => {
    const file = path.join(dir, 'zero.parquet');
    writeFileSync(file, toParquet(alertTable(sampleRows(3, 1), { raw: true }).slice(0, 0)));
    expect(await collect(file)).toEqual([]);
    expect(await countRows(file)).toBe(0);
  });

  it('a consumer may stop early; the file reads again afterwards', async () => {
    const file = path.join(dir, 'early.parquet');
    writeFileSync(file, toParquet(alertTable(sampleRows(30, 4)), 10));
    for await (const batch of readAlertBatches(file, { batchSize: 4 })) {
      expect(batch.alerts).toHaveLength(4);
      break;
    }
    expect((await collect(file)).reduce((n, b) => n + b.alerts.length, 0)).toBe(30);
  });
});

describe('dedupeByCandid', () => {
  it('keeps the first alert of each candid, in order', () => {
    const a = [{ candid: '1', n: 1 }, { candid: '2', n: 2 }, { candid: '1', n: 3 }, { candid: '3', n: 4 }];
    expect(dedupeByCandid(a).map((x) => x.n)).toEqual([1, 2, 4]);
  });
});
