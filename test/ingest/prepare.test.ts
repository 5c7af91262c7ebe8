import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAlertBatches } from '../../core/alerts/reader.js';
import { computeFeatures, N_FEATURES } from '../../core/features/build.js';
import { decodeLc, packAlert } from '../../core/features/packed-lc.js';
import { prepareBatch } from '../../core/ingest/prepare.js';
import { writeSampleNight } from '../../core/sample/write.js';

describe('prepareBatch', () => {
  it('gives each alert the features and stored light curve that the one-alert functions give', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vra-prep-')), 'n.parquet');
    await writeSampleNight(file, { seed: 3, nAlerts: 120, night: '2024-02-02', cutouts: 'small' });
    const sep = (id: string): number | null => (id.endsWith('a') ? 1.5 : null);
    let rows = 0;
    for await (const b of readAlertBatches(file, { batchSize: 50 })) {
      const { X, lcBlobs } = prepareBatch(b.columns, b.history, null, sep);
      b.alerts.forEach((a, r) => {
        expect([...X.subarray(r * N_FEATURES, (r + 1) * N_FEATURES)]).toEqual([...computeFeatures(a, null, sep)]);
        // Stored curves share one buffer but decode independently, to the alert's own curve (float32 photometry).
        const want = packAlert(a).map((v, i) => ([2, 3, 4].includes(i % 6) ? Math.fround(v) : v));
        expect([...decodeLc(lcBlobs[r])]).toEqual([...want]);
      });
      expect(new Set(lcBlobs.map((x) => x.buffer)).size).toBe(1);
      rows += b.columns.n;
    }
    expect(rows).toBe(120);
  });
});
