/** The feature set is selectable everywhere: `features --set`, `train` / `round` / `simulate --features`, Settings. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerFeatures } from '../../core/cli/commands/features.js';
import { registerRound } from '../../core/cli/commands/round.js';
import { registerSimulate } from '../../core/cli/commands/simulate.js';
import { registerTrain } from '../../core/cli/commands/train.js';
import { loadSimDataset } from '../../core/loop/simulate/dataset.js';
import { EXTENDED_FEATURE_NAMES, FEATURE_NAMES } from '../../core/features/names.js';
import { openStore } from '../../core/store/database.js';
import { setLabel } from '../../core/store/labels.js';
import { getSettings, updateSettings } from '../../core/store/settings.js';
import { cid, makeStore, separableAlerts } from '../loop/fixture.js';
import { cliRunner } from '../helpers/cli.js';

describe('feature sets from the command line', () => {
  const s = makeStore(separableAlerts(80));
  for (let i = 0; i < 40; i++) setLabel(s.db, cid(i), i % 2 === 0 ? 'gal' : 'extragal');
  s.db.close();
  const home = join(s.dir, 'home');
  const run = cliRunner(s.dbPath, home, registerFeatures, registerRound, registerTrain, registerSimulate);
  const header = (file: string) => readFileSync(file, 'utf8').split('\n')[0].split(',');

  it('features --set seed|extended writes each set’s columns; a bad set names the option', async () => {
    const seed = join(s.dir, 'seed.csv');
    const ext = join(s.dir, 'ext.csv');
    await run('features', '--out', seed);
    await run('features', '--out', ext, '--set', 'extended');
    expect(header(seed)).toEqual(['candid', ...FEATURE_NAMES]);
    expect(header(ext)).toEqual(['candid', ...EXTENDED_FEATURE_NAMES]);
    // Same rows, and the extended file starts with the seed's columns, value for value.
    const rows = (f: string) => readFileSync(f, 'utf8').trim().split('\n').slice(1);
    const a = rows(seed);
    const b = rows(ext);
    expect(b.length).toBe(a.length);
    b.forEach((line, i) => expect(line.split(',').slice(0, FEATURE_NAMES.length + 1)).toEqual(a[i].split(',')));
    await expect(run('features', '--out', ext, '--set', 'all')).rejects.toThrow(/--set must be one of seed, extended/);
  });

  it('train and round use --features, else the Settings choice; the run logs it', async () => {
    expect(await run('train', '--features', 'seed', '--repeats', '1', '--folds', '2')).toContain(
      `seed features (${FEATURE_NAMES.length}): 40 counted labels`,
    );
    expect(await run('train', '--repeats', '1', '--folds', '2')).toContain(`extended features (${EXTENDED_FEATURE_NAMES.length})`);
    await run('round', '--n0', '5');
    await run('round', '--force', '--n', '3', '--features', 'seed');
    const db = openStore(s.dbPath);
    try {
      // 40 labels already count (≥ n0): the first round trains too (on the default extended set), the forced one on seed.
      const p = db.prepare("SELECT p.value FROM params p JOIN runs r USING (run_id) WHERE p.key = 'feature_set' ORDER BY r.start_time, r.name").all() as { value: string }[];
      expect(p.map((r) => r.value)).toEqual(['extended', 'seed']);
      updateSettings(db, s.dbPath, { featureSet: 'seed' });
      expect(getSettings(db, s.dbPath).featureSet).toBe('seed');
    } finally {
      db.close();
    }
    expect(await run('train', '--repeats', '1', '--folds', '2')).toContain('seed features');
    // The simulation's labelled set is loaded with the chosen set.
    const again = openStore(s.dbPath);
    try {
      expect(loadSimDataset(again, 'gal', 'human', undefined, 'extended').names).toEqual([...EXTENDED_FEATURE_NAMES]);
      expect(loadSimDataset(again, 'gal', 'human').d).toBe(FEATURE_NAMES.length);
    } finally {
      again.close();
    }
    await expect(run('train', '--features', 'x')).rejects.toThrow(/--features must be one of seed, extended/);
    await expect(run('simulate', '--features', 'x')).rejects.toThrow(/--features must be one of seed, extended/);
  });
});

describe('the contract and the settings agree on the choices', () => {
  it('settings.set accepts exactly the feature sets and dust choices the core defines', async () => {
    const { CONTRACT } = await import('../../core/api/contract.js');
    const { FEATURE_SETS } = await import('../../core/features/names.js');
    const { DUST_CHOICES } = await import('../../core/ingest/dust-choice.js');
    const input = CONTRACT['settings.set'].input;
    for (const featureSet of FEATURE_SETS) expect(input.safeParse({ featureSet }).success).toBe(true);
    for (const dust of DUST_CHOICES) expect(input.safeParse({ dust }).success).toBe(true);
    expect(input.safeParse({ featureSet: 'all' }).success).toBe(false);
    expect(input.safeParse({ dust: '/some/file.fits' }).success).toBe(false);
  });
});
