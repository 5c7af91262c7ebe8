/**
 * The export records which dust map the store's ebv came from only when the values show it: the bundled map's sha256
 * for a default store, 'none' for a store ingested without a map, nothing for a store ingested with several maps (or
 * another map). Real files; the map's checksum is the one resources/dust/README.md gives.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerIngest } from '../../core/cli/commands/ingest.js';
import { registerScore } from '../../core/cli/commands/score.js';
import { registerTrain } from '../../core/cli/commands/train.js';
import { storeDustRecord } from '../../core/learn/onnx/dust-record.js';
import { readOnnxMeta } from '../../core/learn/onnx/runtime.js';
import { openStore } from '../../core/store/database.js';
import { setLabel } from '../../core/store/labels.js';
import { loadFeatureMatrix } from '../../core/store/features.js';
import { updateSettings } from '../../core/store/settings.js';
import { cliRunner } from '../helpers/cli.js';
import { FINK_ZTF, SHARED_DATA, sharedDataOrSkipReason } from '../helpers/shared-data.js';

const present = sharedDataOrSkipReason('dust map record on real alerts');
const BUNDLED_SHA = '3da57e8acca9a66db0c5ee12754fed6eab4fe6a45184a9a0d35d21ee00b5bf06';
const A = 'ztf_20211122_xmatch_sample_a.parquet';
const LSST_FILE = join(SHARED_DATA, 'fink-lsst', 'lsstcam_ddf_20260105_v10_0.parquet');
const B = 'tde_ZTF20abfcszi_202008.parquet';

describe.skipIf(!present)('the dust map a store was ingested with, in the ONNX metadata', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vra-dust-record-'));
  const run = (db: string, ...args: string[]) => cliRunner(db, join(dir, 'home'), registerIngest, registerTrain, registerScore)(...args);
  /** A store of `files`, each ingested with its dust setting. */
  async function store(name: string, ...files: [string, 'auto' | 'none'][]): Promise<string> {
    const path = join(dir, `${name}.sqlite`);
    for (const [file, dust] of files) {
      const db = openStore(path);
      updateSettings(db, path, { dust });
      db.close();
      await run(path, 'ingest', '--no-cutouts', join(FINK_ZTF, file));
    }
    return path;
  }
  const record = (path: string) => {
    const db = openStore(path);
    try {
      return storeDustRecord(db);
    } finally {
      db.close();
    }
  };

  it('bundled map: its sha256; no map: none; two maps in one store: nothing', async () => {
    expect(record(await store('default', [A, 'auto'], [B, 'auto']))).toBe(`sha256:${BUNDLED_SHA}`);
    expect(record(await store('none', [A, 'none'], [B, 'none']))).toBe('none');
    expect(record(await store('mixed', [A, 'auto'], [B, 'none']))).toBeUndefined();
  });

  it('finkvra train --onnx writes it as finkvra.dust_map', async () => {
    const path = await store('train', [A, 'auto']);
    const db = openStore(path);
    const m = loadFeatureMatrix(db);
    m.candids.forEach((c, i) => setLabel(db, c, i % 2 ? 'gal' : 'extragal'));
    db.close();
    await run(path, 'train', '--engine', 'hgb', '--folds', '2', '--repeats', '1', '--onnx', join(dir, 'm.onnx'));
    expect(readOnnxMeta(readFileSync(join(dir, 'm.onnx')), 'm.onnx').dustMap).toBe(`sha256:${BUNDLED_SHA}`);
  });

  it("an lsst-set model records the dust map of the LSST alerts' ebv, not the ZTF alerts'", async () => {
    // ZTF alerts ingested without a map, the LSST ones with the bundled map.
    const path = await store('survey', [A, 'none']);
    const db = openStore(path);
    updateSettings(db, path, { dust: 'auto' });
    db.close();
    await run(path, 'ingest', '--no-cutouts', LSST_FILE);
    const db2 = openStore(path);
    expect(storeDustRecord(db2, 'seed')).toBe('none');
    expect(storeDustRecord(db2, 'lsst')).toBe(`sha256:${BUNDLED_SHA}`);
    const m = loadFeatureMatrix(db2, { featureSet: 'lsst' });
    m.candids.forEach((c, i) => setLabel(db2, c, i % 2 ? 'gal' : 'extragal'));
    updateSettings(db2, path, { featureSet: 'lsst' });
    db2.close();
    await run(path, 'train', '--engine', 'hgb', '--folds', '2', '--repeats', '1', '--onnx', join(dir, 'lsst.onnx'));
    const meta = readOnnxMeta(readFileSync(join(dir, 'lsst.onnx')), 'lsst.onnx');
    expect(meta.featureSet).toBe('ls1');
    expect(meta.dustMap).toBe(`sha256:${BUNDLED_SHA}`);
  });

  it('finkvra score refuses that model on a store whose ebv came from no map, and scores it on a mixed one', async () => {
    const none = await store('score-none', [A, 'none']);
    const onnx = join(dir, 'm.onnx');
    await expect(run(none, 'score', '--model', onnx, '--out', join(dir, 's.csv'))).rejects.toThrow(
      `${onnx}: field dust_map: the model was trained on ebv from the dust map sha256:${BUNDLED_SHA}; this store's ebv is from none`,
    );
    // A store that cannot tell (two maps) is scored: nothing shows a mismatch.
    await run(await store('score-mixed', [A, 'auto'], [B, 'none']), 'score', '--model', onnx, '--out', join(dir, 's.csv'));
    expect(readFileSync(join(dir, 's.csv'), 'utf8').split('\n').length).toBeGreaterThan(20);
  });
});
