/**
 * Cutouts are read apart from the other columns, in windows of the batch size (parquet.ts readCutoutWindow): the
 * stamps each alert gets are still its own, compared with a whole-file read by parquet-wasm itself.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { readAlertBatches } from '../../core/alerts/reader.js';
import { writeSampleNight } from '../../core/sample/write.js';

type Stamp = { stampData: Uint8Array } | null;
const b64 = (s: Uint8Array | null | undefined): string | null => (s ? Buffer.from(s).toString('base64') : null);

describe('cutouts read in windows', () => {
  it('gives every alert its own three stamps, across row groups and batches that do not line up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vra-cutout-window-'));
    const file = join(dir, 'n.parquet');
    await writeSampleNight(file, { seed: 4, nAlerts: 250, night: '2024-05-06', cutouts: 'small', rowGroupSize: 100 });
    const got: [string, (string | null)[]][] = [];
    for await (const b of readAlertBatches(file, { withCutouts: true, batchSize: 40 })) {
      const c = b.columns.cutouts!;
      for (let r = 0; r < b.columns.n; r++) got.push([b.columns.candid[r], [c.science[r], c.template[r], c.difference[r]].map(b64)]);
    }
    const t = tableFromIPC(readParquet(readFileSync(file)).intoIPCStream());
    const col = (name: string): (string | null)[] => [...t.getChild(name)!].map((s) => b64((s as Stamp)?.stampData));
    const [sci, tpl, dif] = ['cutoutScience', 'cutoutTemplate', 'cutoutDifference'].map(col);
    const candids = [...t.getChild('candid')!].map(String);
    expect(got).toEqual(candids.map((c, i) => [c, [sci[i], tpl[i], dif[i]]]));
  });
});
