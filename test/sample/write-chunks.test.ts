/**
 * The writer is fed chunks smaller than a row group (a whole 20k-alert row group with realistic cutouts made
 * parquet-wasm trap): row groups still have exactly `rowGroupSize` rows, and the rows are those generateNight makes.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { openParquetAlerts } from '../../core/alerts/parquet.js';
import { generateNight } from '../../core/sample/generate.js';
import { writeSampleNight } from '../../core/sample/write.js';

describe('writing a night with row groups larger than the write chunk', () => {
  it('cuts row groups of exactly rowGroupSize rows, with the generated rows in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vra-write-chunks-'));
    const opts = { seed: 21, nAlerts: 470, night: '2024-05-05', cutouts: 'small', rowGroupSize: 450 } as const;
    const w = await writeSampleNight(join(dir, 'n.parquet'), { ...opts, truthSidecar: false, chunkRows: 100 });
    const pq = await openParquetAlerts(w.file);
    pq.handle.free();
    expect(pq.rowGroupRows).toEqual([450, 20]);
    expect(w.rowGroups).toBe(2);
    const written = tableFromIPC(readParquet(readFileSync(w.file)).intoIPCStream());
    const expected = generateNight(opts).table;
    expect(written.numRows).toBe(470);
    for (const col of ['candid', 'objectId']) {
      expect(written.getChild(col)!.toArray()).toEqual(expected.getChild(col)!.toArray());
    }
    const mag = (t: typeof written): unknown[] => [...t.getChild('candidate')!].map((c) => (c as { magpsf: number }).magpsf);
    expect(mag(written)).toEqual(mag(expected));
  });
});
