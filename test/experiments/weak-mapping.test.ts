import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { listAlertFiles, readAlerts } from '../../core/alerts/reader.js';
import { deriveWeakLabels, type WeakAlertRow } from '../../core/weak/derive.js';
import { lookupWeak, weakLabelOf, WEAK_COLUMNS, type WeakColumn } from '../../core/weak/mapping.js';
import { FINK_ZTF, sharedDataOrSkipReason } from '../helpers/shared-data.js';

describe('weak mapping table', () => {
  it('maps old and new SIMBAD names alike', () => {
    for (const [oldName, newName, label] of [
      ['RRLyr', 'RRLyrae', 'varstar'],
      ['EB*', 'EclBin', 'varstar'],
      ['LPV*', 'LongPeriodV*', 'varstar'],
      ['Candidate_CV*', 'CataclyV*_Candidate', 'gal'],
      ['PN', 'PlanetaryNeb', 'gal'],
      ['XB', 'XrayBin', 'gal'],
      ['Seyfert_2', 'Seyfert2', 'agn'],
      ['SN', 'Supernova', 'extragal'],
    ] as const) {
      expect(weakLabelOf('cdsxmatch', oldName), oldName).toBe(label);
      expect(weakLabelOf('cdsxmatch', newName), newName).toBe(label);
    }
  });

  it('reads prefixed strings in their own table, sentinels as no label, ambiguous types as no label', () => {
    expect(lookupWeak('cdsxmatch', '(TNS) SN Ia-91bg-like')).toEqual({ verdict: 'extragal', rule: 'tns', key: 'SN Ia-91bg-like' });
    expect(lookupWeak('cdsxmatch', '(SIMBAD) LINER')).toEqual({ verdict: 'agn', rule: 'simbad', key: 'LINER' });
    expect(lookupWeak('tnsclass', '(TNS) SLSN-II').verdict).toBe('extragal');
    expect(lookupWeak('cdsxmatch', '(TNS) Nova').verdict).toBe('gal');
    for (const v of ['Unknown', 'Fail', 'Fail 503', 'Fail 418 teapot', 'Inexistent', 'nan', '', null, undefined]) {
      expect(lookupWeak('cdsxmatch', v).verdict, String(v)).toBe('none');
    }
    for (const v of ['(TNS) FRB', '(TNS) LBV', '(TNS) LRN', '(TNS) ILRT', '(TNS) Other', 'Blue', 'blue', 'NearIR', 'EmObj']) {
      expect(lookupWeak('cdsxmatch', v).verdict, v).toBe('ambiguous');
      expect(weakLabelOf('cdsxmatch', v)).toBeNull();
    }
    expect(weakLabelOf('finkclass', 'SN candidate')).toBe('extragal');
    expect(lookupWeak('finkclass', 'Ambiguous').verdict).toBe('ambiguous');
    expect(weakLabelOf('finkclass', 'Unknown')).toBeNull();
    expect(weakLabelOf('finkclass', 'CataclyV*')).toBe('gal'); // a SIMBAD type as a Fink class
    expect(lookupWeak('cdsxmatch', 'NotAType').verdict).toBe('unseen');
    expect(lookupWeak('cdsxmatch', '(TNS) NotAClass').verdict).toBe('unseen');
  });

  it('derives labels with column precedence, excludes roid 3 and reports conflicts', () => {
    const row = (candid: string, o: Partial<WeakAlertRow>): WeakAlertRow => ({
      candid,
      objectId: `ZTF${candid}`,
      roid: 0,
      cdsxmatch: null,
      finkclass: null,
      tnsclass: null,
      ...o,
    });
    const d = deriveWeakLabels([
      row('1', { cdsxmatch: 'RRLyr' }),
      row('2', { cdsxmatch: '(TNS) Nova', tnsclass: '(TNS) SN Ia' }), // tnsclass wins
      row('3', { cdsxmatch: 'Galaxy', roid: 3 }), // asteroid: no label
      row('4', { cdsxmatch: 'Unknown', finkclass: 'SN candidate' }),
      row('5', { cdsxmatch: 'Unknown', finkclass: 'Ambiguous', tnsclass: 'Unknown' }),
      row('6', { cdsxmatch: 'Bogus-type' }),
    ]);
    expect(d.excludedRoid).toBe(1);
    expect(Object.fromEntries([...d.combined].map(([c, v]) => [c, `${v.label}:${v.column}`]))).toEqual({
      '1': 'varstar:cdsxmatch',
      '2': 'extragal:tnsclass',
      '4': 'extragal:finkclass',
    });
    expect(d.conflicts.map((c) => c.candid)).toEqual(['2']);
    expect(d.perColumn.cdsxmatch.get('2')).toBe('gal'); // each column keeps its own label in the store
    expect([...d.unseen.cdsxmatch]).toEqual([['Bogus-type', 1]]);
    expect(d.verdictCounts.finkclass.ambiguous).toBe(1);
  });
});

const HAS = sharedDataOrSkipReason('weak mapping coverage');

/** Distinct values of the weak columns as the app reads them (every parquet and avro file, duplicates included). */
async function readerValues(): Promise<Record<WeakColumn, Set<string>>> {
  const out: Record<WeakColumn, Set<string>> = { tnsclass: new Set(), cdsxmatch: new Set(), finkclass: new Set() };
  for (const file of await listAlertFiles([FINK_ZTF])) {
    for await (const batch of readAlerts(file)) {
      for (const a of batch) for (const c of WEAK_COLUMNS) out[c].add(a[c] ?? '');
    }
  }
  return out;
}

/** The same from DuckDB over the parquet files (an independent reader). */
async function duckdbValues(): Promise<Record<WeakColumn, Set<string>>> {
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  const out: Record<WeakColumn, Set<string>> = { tnsclass: new Set(), cdsxmatch: new Set(), finkclass: new Set() };
  for (const c of WEAK_COLUMNS) {
    const r = await con.runAndReadAll(
      `SELECT DISTINCT CAST(${c} AS VARCHAR) FROM read_parquet('${FINK_ZTF}/*.parquet', union_by_name = true)`,
    );
    for (const [v] of r.getRows()) out[c].add(v === null ? '' : String(v));
  }
  con.closeSync();
  return out;
}

describe.skipIf(!HAS)('weak mapping covers every value in ../shared/data', () => {
  it('every distinct cdsxmatch / tnsclass / finkclass value is mapped or listed as unlabelled / ambiguous', { timeout: 60_000 }, async () => {
    const [viaReader, viaDuck] = await Promise.all([readerValues(), duckdbValues()]);
    for (const c of WEAK_COLUMNS) {
      // The parquet values DuckDB sees are all seen by the app's reader (which adds the avro file).
      for (const v of viaDuck[c]) expect(viaReader[c].has(v), `${c} '${v}'`).toBe(true);
      const unseen = [...viaReader[c]].filter((v) => lookupWeak(c, v).verdict === 'unseen');
      expect(unseen, `${c}: values missing from core/weak/mapping.ts`).toEqual([]);
    }
    // Sanity of the scan itself: the README's counts (132+ cdsxmatch values incl. old names; TNS SLSN classes).
    expect(viaReader.cdsxmatch.size).toBeGreaterThan(130);
    expect(viaReader.cdsxmatch.has('RRLyr') && viaReader.cdsxmatch.has('RRLyrae')).toBe(true);
    expect(viaReader.tnsclass.has('(TNS) SLSN-I')).toBe(true);
    expect(viaReader.finkclass.has('SN candidate')).toBe(true);
  });
});
