import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../core/api/dispatch.js';
import type { DataSummary } from '../../core/api/types.js';
import { coreBackendFactory } from '../../electron/backend.js';

describe('core backend factory', () => {
  it('opens a real store through core/api/service and answers the contract', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finkvra-backend-'));
    const dbPath = join(dir, 'app.sqlite');
    const backend = await coreBackendFactory().open(dbPath);
    try {
      expect(backend.dbPath).toBe(dbPath);
      const summary = (await dispatch(backend.handlers, 'data.summary', {})) as DataSummary;
      expect(summary.dbPath).toBe(dbPath);
      expect(summary.alerts).toBe(0);
      expect(summary.labelled).toBe(0);
    } finally {
      await backend.close();
    }
  });
});
