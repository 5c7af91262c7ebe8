/**
 * model.score on files (finkvra score FILES…, web mode) reads them with the dust map of the store's Settings, as
 * data.ingest does: with `none`, files are scored as the store's own alerts are (ebv missing), not with the bundled
 * map. The model is trained on labels that depend on ebv, so a different ebv gives different probabilities.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { registerIngest } from '../../core/cli/commands/ingest.js';
import { registerScore } from '../../core/cli/commands/score.js';
import { registerTrain } from '../../core/cli/commands/train.js';
import { openStore } from '../../core/store/database.js';
import { loadFeatureMatrix } from '../../core/store/features.js';
import { setLabel } from '../../core/store/labels.js';
import { updateSettings } from '../../core/store/settings.js';
import { cliRunner } from '../helpers/cli.js';
import { FINK_ZTF, sharedDataOrSkipReason } from '../helpers/shared-data.js';

const present = sharedDataOrSkipReason('model.score dust setting on real alerts');
const FILES = ['ztf_20211122_xmatch_sample_a.parquet', 'ztf_20211122_xmatch_sample_b.parquet', 'ztf_20220804_alert_samples.parquet'];

type Row = Record<string, string>;
const readCsv = (f: string): Row[] => parse(readFileSync(f), { columns: true }) as Row[];

describe.skipIf(!present)('model.score on files uses the Settings dust map', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vra-score-dust-'));
  const f = (name: string) => join(dir, name);
  const files = FILES.map((n) => join(FINK_ZTF, n));
  const run = (db: string, ...args: string[]) => cliRunner(db, f('home'), registerIngest, registerTrain, registerScore)(...args);

  it('with dust none in Settings, files score as the store scores its own alerts', async () => {
    // Store A (default: the bundled map): a model whose labels follow ebv.
    const a = f('a.sqlite');
    await run(a, 'ingest', '--no-cutouts', ...files);
    const dbA = openStore(a);
    const m = loadFeatureMatrix(dbA);
    const ebv = Array.from({ length: m.n }, (_, i) => m.X[i * m.d + m.names.indexOf('ebv')]);
    const median = [...ebv].sort((x, y) => x - y)[m.n >> 1];
    m.candids.forEach((c, i) => setLabel(dbA, c, ebv[i] > median ? 'gal' : 'extragal'));
    dbA.close();
    await run(a, 'train', '--engine', 'hgb', '--folds', '2', '--repeats', '1', '--out', f('m.json'));

    // Store B: the same files ingested with dust none (ebv missing).
    const b = f('b.sqlite');
    const dbB = openStore(b);
    updateSettings(dbB, b, { dust: 'none' });
    dbB.close();
    await run(b, 'ingest', '--no-cutouts', ...files);
    await run(b, 'score', '--model', f('m.json'), '--out', f('b-store.csv'));
    await run(b, 'score', '--model', f('m.json'), '--out', f('b-files.csv'), ...files);
    await run(a, 'score', '--model', f('m.json'), '--out', f('a-store.csv'));
    const p = (file: string) => new Map(readCsv(file).map((r) => [r.candid, r.p_class1]));
    const [store, viaFiles, withEbv] = [p(f('b-store.csv')), p(f('b-files.csv')), p(f('a-store.csv'))];
    expect(viaFiles.size).toBe(store.size);
    expect([...viaFiles].filter(([c, v]) => store.get(c) !== v)).toEqual([]);
    // The model does read ebv: with the bundled map's values the same alerts score otherwise.
    expect([...withEbv].filter(([c, v]) => store.get(c) !== v).length).toBeGreaterThan(0);
  }, 120_000);
});
