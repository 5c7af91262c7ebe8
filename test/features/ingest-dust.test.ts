/** Ingest from the Data screen (data.ingest) uses the Settings dust choice: by default ebv is never missing. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../core/api/context.js';
import { dataHandlers } from '../../core/api/handlers/data.js';
import { JobRegistry } from '../../core/api/jobs.js';
import type { IngestSummary } from '../../core/api/types.js';
import { loadDustMap } from '../../core/features/dust.js';
import { openStore } from '../../core/store/database.js';
import { loadFeatureMatrix } from '../../core/store/features.js';

const DATA = fileURLToPath(new URL('../../../shared/data', import.meta.url));
const FILES = [`${DATA}/fink-ztf/ztf_20250614_regular.parquet`, `${DATA}/fink-ztf/dwarf_agn_20231101.parquet`];
const SFD = `${DATA}/dust/dust_ebv_SFD_healpix_lowres.fits`;
const present = [...FILES, SFD].every(existsSync);
if (!present) console.warn('skipping ingest-dust tests: ../shared/data is absent');

describe.skipIf(!present)('data.ingest and the dust map', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vra-ingest-dust-'));
  const saved = process.env.FINKVRA_DUST;
  delete process.env.FINKVRA_DUST;
  const db = openStore(join(dir, 's.sqlite'));
  const ctx: ServiceContext = { db, dbPath: join(dir, 's.sqlite'), jobs: new JobRegistry(), homeDir: join(dir, 'home'), artifactsDir: join(dir, 'a') };
  const h = dataHandlers(ctx);
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    if (saved !== undefined) process.env.FINKVRA_DUST = saved;
  });
  const ingest = async (file: string): Promise<IngestSummary> => {
    const { jobId } = h['data.ingest']({ paths: [file] }) as { jobId: string };
    await ctx.jobs.idle();
    const job = h['jobs.get']({ id: jobId }) as { state: string; result: IngestSummary; error: string | null };
    expect(job.error).toBeNull();
    return job.result;
  };
  const ebvOf = () => {
    const m = loadFeatureMatrix(db);
    const at = (i: number, n: string) => m.X[i * m.d + m.names.indexOf(n)];
    return m.candids.map((c, i) => ({ c, ra: at(i, 'ra'), dec: at(i, 'dec'), ebv: at(i, 'ebv') }));
  };

  it('with no map configured, every alert gets E(B-V) from the bundled SFD map', async () => {
    const s = await ingest(FILES[0]);
    expect(s.warnings.join(' ')).not.toMatch(/ebv/);
    const ref = loadDustMap(SFD);
    const rows = ebvOf();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.ebv, r.c).toBeCloseTo(ref.ebv(r.ra, r.dec), 10);
  });

  it("the Settings choice 'none' leaves ebv missing and says so once", async () => {
    h['settings.set']({ dust: 'none' });
    const s = await ingest(FILES[1]);
    expect(s.warnings.filter((w) => /ebv is missing/.test(w))).toHaveLength(1);
    const fresh = ebvOf().filter((r) => Number.isNaN(r.ebv));
    expect(fresh.length).toBe(s.newAlerts);
  });
});
