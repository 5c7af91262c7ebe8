/** `finkvra labels holdout` and the held-out lines of `train` / `round`, on a small synthetic store (no shared data). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerLabels } from '../../core/cli/commands/labels.js';
import { registerRound } from '../../core/cli/commands/round.js';
import { registerTrain } from '../../core/cli/commands/train.js';
import { setLabel } from '../../core/store/labels.js';
import { cid, makeStore, separableAlerts } from '../loop/fixture.js';
import { cliRunner } from '../helpers/cli.js';

describe('finkvra labels holdout', () => {
  const s = makeStore(separableAlerts(120));
  for (let i = 0; i < 60; i++) setLabel(s.db, cid(i), i % 2 === 0 ? 'gal' : 'extragal');
  s.db.close();
  const home = join(s.dir, 'home');
  const run = cliRunner(s.dbPath, home, registerLabels, registerRound, registerTrain);

  it('marks a stratified fraction, shows counts per class, refuses to re-mark, clears', async () => {
    expect(await run('labels', 'holdout', '--show')).toBe('no held-out set marked');
    const text = await run('labels', 'holdout', '--fraction', '0.25', '--seed', '2');
    const m = /marked (\d+) alert\(s\)/.exec(text);
    expect(m).not.toBeNull();
    const n = Number(m![1]);
    const counts = /per class: not galactic (\d+), galactic (\d+), not counted 0/.exec(text);
    expect(counts).not.toBeNull();
    expect(Number(counts![1]) + Number(counts![2])).toBe(n);
    expect(Math.abs(Number(counts![1]) - 8)).toBeLessThanOrEqual(2);
    expect(Math.abs(Number(counts![2]) - 8)).toBeLessThanOrEqual(2);
    await expect(run('labels', 'holdout', '--fraction', '0.3')).rejects.toThrow(/clear it first/);
    await expect(run('labels', 'holdout', '--fraction', '0.3', '--clear', '--file', 'x')).rejects.toThrow(/one of/);
    expect(await run('labels', 'holdout', '--clear')).toContain(`cleared the held-out set (${n} alert(s))`);
  });

  it('--file marks candids; train and round print held-out metrics; the export keeps held-out labels', async () => {
    const ids = join(s.dir, 'ids.csv');
    // 6 gal and 6 extragal, objects of their own (i >= 20).
    writeFileSync(ids, `candid\n${Array.from({ length: 12 }, (_, k) => cid(40 + k)).join('\n')}\n`);
    const text = await run('labels', 'holdout', '--file', ids);
    expect(text).toContain('marked 12 alert(s) as held out (0 already were)');
    expect(text).toContain('per class: not galactic 6, galactic 6, not counted 0');

    const train = await run('train', '--folds', '3', '--repeats', '1');
    expect(train).toContain('48 counted labels');
    expect(train).toContain('12 counted label(s) are held out');
    expect(train).toMatch(/held-out \(the final model on the marked held-out set, 12 labels, never trained on\):\n {2}accuracy \d/);

    // Round 0 is there already: marking the held-out set started it through the service, as in the app.
    const r1 = await run('round', '--force', '--n', '4');
    expect(r1).toMatch(/cross-validated by object \(\d-fold; optimistic: same nights\): accuracy/);
    expect(r1).toMatch(/held-out \(12 labels, never trained on\): accuracy [\d.]+, balanced/);
    const heldOut = new Set(Array.from({ length: 12 }, (_, k) => cid(40 + k)));
    const proposed = r1.split('\n').flatMap((line) => /^\s+\d+\s+(\d{19})\s/.exec(line)?.[1] ?? []);
    expect(proposed).toHaveLength(4);
    for (const c of proposed) expect(heldOut.has(c)).toBe(false);

    const out = join(s.dir, 'labels.csv');
    await run('labels', 'export', '--out', out, '--format', 'seed');
    const exported = readFileSync(out, 'utf8');
    for (const c of heldOut) expect(exported).toContain(c);
  });
});
