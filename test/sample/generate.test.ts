import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tableFromIPC, type Table } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFits, readImage } from '../../core/features/fits.js';
import { generateNight } from '../../core/sample/generate.js';
import { galacticToIcrs as galacticToEquatorial, icrsToGalactic as equatorialToGalactic } from '../../core/features/coords.js';
import { writeSampleNight, type TruthSidecar, type WrittenNight } from '../../core/sample/write.js';

interface PrvRow {
  jd: number;
  fid: number;
  magpsf: number | null;
  sigmapsf: number | null;
  diffmaglim: number | null;
  candid: bigint | null;
  isdiffpos: string | null;
}

function readTable(file: string): Table {
  return tableFromIPC(readParquet(readFileSync(file)).intoIPCStream());
}

function prvOf(t: Table, i: number): PrvRow[] | null {
  const v = t.getChild('prv_candidates')!.get(i) as { toArray(): { toJSON(): PrvRow }[] } | null;
  return v ? v.toArray().map((x) => x.toJSON()) : null;
}

describe('generated night (parquet on disk)', () => {
  let dir: string;
  let night: WrittenNight;
  let table: Table;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vra-sample-'));
    night = await writeSampleNight(join(dir, 'n.parquet'), { seed: 11, nAlerts: 300, night: '2025-06-14', rowGroupSize: 100 });
    table = readTable(night.file);
  });

  it('has the requested rows, in row groups, and a truth sidecar naming every alert', () => {
    expect(table.numRows).toBe(300);
    expect(night.rowGroups).toBe(3);
    expect(table.batches.length).toBeGreaterThanOrEqual(1);
    const side = JSON.parse(readFileSync(night.truthFile!, 'utf8')) as TruthSidecar;
    expect(side.alerts).toHaveLength(300);
    const cands = table.getChild('candid')!.toArray() as BigInt64Array;
    expect(side.alerts.map((a) => a.candid)).toEqual([...cands].map(String));
    // The truth is not a column.
    expect(table.schema.fields.map((f) => f.name)).not.toContain('label');
  });

  it('candid is a 19-digit int64 above 2^53, unique, equal to candidate.candid and derived from jd', () => {
    const cands = table.getChild('candid')!.toArray() as BigInt64Array;
    const cand = table.getChild('candidate')!;
    const inner = cand.getChild('candid')!.toArray() as BigInt64Array;
    const jd = cand.getChild('jd')!.toArray() as Float64Array;
    expect(new Set([...cands].map(String)).size).toBe(300);
    for (let i = 0; i < cands.length; i++) {
      const c = cands[i]!;
      expect(c > 2n ** 53n).toBe(true);
      expect(String(c)).toMatch(/^\d{19}$/);
      expect(inner[i]).toBe(c);
      // ZTF: candid = pid·10^6 + ..., pid starts with the night index (days since 2017-01-01).
      const nid = Math.floor(jd[i]! - 2457754.5);
      expect(String(c).slice(0, 4)).toBe(String(nid));
      // The string round trip is exact (a JS number would not be).
      expect(BigInt(String(c))).toBe(c);
    }
    expect(Number(cands[0]!) === Number(cands[0]! + 1n)).toBe(true); // proof these would collide as doubles
  });

  it('objectIds are ZTF-style', () => {
    const ids = table.getChild('objectId')!.toArray() as string[];
    for (const id of ids) expect(id).toMatch(/^ZTF\d{2}[a-z]{7}$/);
    const objects = new Set(ids).size;
    expect(objects).toBeGreaterThan(120);
    expect(objects).toBeLessThan(300);
  });

  it('history mixes detections and upper limits shaped like ZTF non-detections, and is sometimes null', async () => {
    let dets = 0;
    let limits = 0;
    for (let i = 0; i < table.numRows; i++) {
      const prv = prvOf(table, i);
      if (!prv) continue;
      const jd0 = (table.getChild('candidate')!.get(i) as { jd: number }).jd;
      for (const p of prv) {
        expect(p.jd).toBeLessThan(jd0);
        expect(p.jd).toBeGreaterThanOrEqual(jd0 - 30);
        expect([1, 2]).toContain(p.fid);
        expect(p.diffmaglim).not.toBeNull();
        if (p.magpsf === null) {
          limits++;
          expect(p.sigmapsf).toBeNull();
          expect(p.candid).toBeNull();
          expect(p.isdiffpos).toBeNull();
          expect(p.diffmaglim!).toBeGreaterThan(18);
          expect(p.diffmaglim!).toBeLessThan(21.5);
        } else {
          dets++;
          expect(p.sigmapsf).not.toBeNull();
          expect(typeof p.candid).toBe('bigint');
          expect(['t', 'f']).toContain(p.isdiffpos);
        }
      }
    }
    expect(dets).toBeGreaterThan(1000);
    expect(limits).toBeGreaterThan(1000);
    // Null instead of an empty list happens (rarely): check on a bigger, cheap night.
    const big = generateNight({ seed: 3, nAlerts: 800, night: '2025-06-14', cutouts: 'small' });
    expect(big.table.getChild('prv_candidates')!.nullCount).toBeGreaterThan(0);
  });

  it('errors grow with magnitude and detections respect their limit', () => {
    const cand = table.getChild('candidate')!;
    const m = cand.getChild('magpsf')!.toArray() as Float32Array;
    const s = cand.getChild('sigmapsf')!.toArray() as Float32Array;
    const bright: number[] = [];
    const faint: number[] = [];
    m.forEach((v, i) => (v < 17.5 ? bright : v > 19.5 ? faint : []).push(s[i]!));
    const med = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1]!;
    expect(bright.length).toBeGreaterThan(5);
    expect(faint.length).toBeGreaterThan(5);
    expect(med(faint)).toBeGreaterThan(3 * med(bright));
  });

  it('cutouts gunzip to 63×63 BITPIX -32 FITS, and science − template = difference', () => {
    for (const i of [0, 57, 299]) {
      const get = (c: string): { fileName: string; stampData: Uint8Array } =>
        (table.getChild(c)!.get(i) as { toJSON(): { fileName: string; stampData: Uint8Array } }).toJSON();
      const sci = get('cutoutScience');
      const ref = get('cutoutTemplate');
      const dif = get('cutoutDifference');
      expect(sci.stampData[0]).toBe(0x1f);
      expect(sci.stampData[1]).toBe(0x8b);
      expect(sci.fileName).toMatch(/^candid\d{19}_pid\d{13}_targ_sci\.fits\.gz$/);
      const [s, r, d] = [sci, ref, dif].map((c) => {
        const raw = gunzipSync(c.stampData);
        expect(raw.length).toBe(20160);
        const hdu = parseFits(new Uint8Array(raw))[0];
        return { header: hdu.header, ...readImage(hdu) };
      });
      expect(s!.header.get('SIMPLE')).toBe(true);
      expect(s!.width).toBe(63);
      expect(s!.height).toBe(63);
      expect(s!.header.get('BITPIX')).toBe(-32);
      let maxErr = 0;
      for (let k = 0; k < 63 * 63; k++) maxErr = Math.max(maxErr, Math.abs(s!.pixels[k]! - r!.pixels[k]! - d!.pixels[k]!));
      expect(maxErr).toBeLessThan(0.05);
      // Realistic (noisy) stamps compress like ZTF's, not to almost nothing.
      expect(sci.stampData.length).toBeGreaterThan(8000);
      // The transient sits at the centre of the difference image, with the sign of isdiffpos.
      const sign = (table.getChild('candidate')!.get(i) as { isdiffpos: string }).isdiffpos === 't' ? 1 : -1;
      const centre = d!.pixels[31 * 63 + 31]!;
      const corner = d!.pixels[2 * 63 + 2]!;
      expect(sign * centre).toBeGreaterThan(sign * corner);
    }
  });
});

describe('determinism', () => {
  it('the same seed writes a byte-identical file; another seed does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vra-det-'));
    const opts = { nAlerts: 60, night: '2024-11-02', rowGroupSize: 25 } as const;
    await writeSampleNight(join(dir, 'a.parquet'), { seed: 99, ...opts });
    await writeSampleNight(join(dir, 'b.parquet'), { seed: 99, ...opts });
    await writeSampleNight(join(dir, 'c.parquet'), { seed: 100, ...opts });
    const a = readFileSync(join(dir, 'a.parquet'));
    expect(a.equals(readFileSync(join(dir, 'b.parquet')))).toBe(true);
    expect(a.equals(readFileSync(join(dir, 'c.parquet')))).toBe(false);
    expect(readFileSync(join(dir, 'a.parquet.truth.json')).equals(readFileSync(join(dir, 'b.parquet.truth.json')))).toBe(true);
  });
});

describe('populations', () => {
  const { table, truth } = generateNight({ seed: 21, nAlerts: 2000, night: '2025-06-14', cutouts: 'small' });
  const cand = table.getChild('candidate')!;
  const col = <T>(name: string): T => cand.getChild(name)!.toArray() as T;
  const ra = col<Float64Array>('ra');
  const dec = col<Float64Array>('dec');
  const sg = col<Float32Array>('sgscore1');
  const dist = col<Float32Array>('distpsnr1');
  const drb = col<Float32Array>('drb');
  const roid = table.getChild('roid')!.toArray() as Int32Array;
  const byLabel = (label: string): number[] => truth.flatMap((t, i) => (t.label === label ? [i] : []));
  const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1]!;

  it('has every class in sensible proportions', () => {
    const n = (l: string): number => byLabel(l).length / truth.length;
    expect(n('varstar')).toBeGreaterThan(0.2);
    expect(n('varstar')).toBeLessThan(0.45);
    expect(n('extragal')).toBeGreaterThan(0.15);
    expect(n('extragal')).toBeLessThan(0.4);
    expect(n('gal')).toBeGreaterThan(0.03);
    expect(n('agn')).toBeGreaterThan(0.05);
    expect(n('bogus')).toBeGreaterThan(0.05);
    expect(n('sso')).toBeGreaterThan(0.01);
    const galactic = truth.filter((t) => t.galactic === true).length;
    const extragalactic = truth.filter((t) => t.galactic === false).length;
    expect(galactic / (galactic + extragalactic)).toBeGreaterThan(0.35);
    expect(galactic / (galactic + extragalactic)).toBeLessThan(0.65);
  });

  it('galactic sources crowd the plane and sit on stars; extragalactic ones have hosts at 0.5–3″', () => {
    const absB = (i: number): number => Math.abs(equatorialToGalactic(ra[i]!, dec[i]!).b);
    const gal = [...byLabel('varstar'), ...byLabel('gal')];
    const sn = byLabel('extragal');
    expect(median(gal.map(absB))).toBeLessThan(15);
    expect(median(sn.map(absB))).toBeGreaterThan(25);
    expect(median(gal.map((i) => sg[i]!))).toBeGreaterThan(0.8);
    expect(median(sn.map((i) => sg[i]!))).toBeLessThan(0.35);
    expect(median(gal.map((i) => dist[i]!))).toBeLessThan(0.4);
    const snDist = median(sn.map((i) => dist[i]!));
    expect(snDist).toBeGreaterThan(0.5);
    expect(snDist).toBeLessThan(3);
    // Overlap, on purpose: some stars have low sgscore1 and some hosts look stellar.
    expect(gal.some((i) => sg[i]! < 0.5)).toBe(true);
    expect(sn.some((i) => sg[i]! > 0.7)).toBe(true);
  });

  it('bogus alerts have low drb more often; asteroids are roid 3 with a solar-system match', () => {
    const bog = byLabel('bogus');
    const real = [...byLabel('varstar'), ...byLabel('extragal')];
    expect(median(bog.map((i) => drb[i]!))).toBeLessThan(0.4);
    expect(median(real.map((i) => drb[i]!))).toBeGreaterThan(0.9);
    const sso = byLabel('sso');
    const ssd = col<Float32Array>('ssdistnr');
    for (const i of sso) {
      expect(roid[i]).toBe(3);
      expect(ssd[i]!).toBeGreaterThanOrEqual(0);
    }
    expect(truth.filter((t, i) => t.label !== 'sso' && roid[i] === 3)).toHaveLength(0);
    expect(truth.filter((t, i) => t.label !== 'sso' && ssd[i] !== -999)).toHaveLength(0);
  });

  it('cdsxmatch is mostly Unknown, with stellar types for galactic objects and Galaxy/QSO-like for the rest', () => {
    const cds = table.getChild('cdsxmatch')!.toArray() as string[];
    const unknown = cds.filter((c) => c === 'Unknown').length / cds.length;
    expect(unknown).toBeGreaterThan(0.4);
    expect(unknown).toBeLessThan(0.8);
    const galTypes = new Set(byLabel('varstar').map((i) => cds[i]!));
    const exTypes = new Set([...byLabel('extragal'), ...byLabel('agn')].map((i) => cds[i]!));
    expect([...galTypes].some((c) => /RRLyr|EclBin|EB\*|LongPeriodV|Mira|YSO/.test(c))).toBe(true);
    expect(galTypes.has('Galaxy')).toBe(false);
    expect(exTypes.has('Galaxy')).toBe(true);
    expect([...exTypes].some((c) => /QSO|AGN|Seyfert/.test(c))).toBe(true);
  });

  it('galactic → equatorial → galactic round-trips, and the Galactic centre lands where it should', () => {
    const gc = galacticToEquatorial(0, 0);
    expect(gc.ra).toBeCloseTo(266.405, 2);
    expect(gc.dec).toBeCloseTo(-28.936, 2);
    const back = equatorialToGalactic(galacticToEquatorial(123.4, -56.7).ra, galacticToEquatorial(123.4, -56.7).dec);
    expect(back.l).toBeCloseTo(123.4, 8);
    expect(back.b).toBeCloseTo(-56.7, 8);
  });
});
