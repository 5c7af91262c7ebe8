import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandGrid } from '../../core/loop/simulate/grid.js';
import { readResults } from '../../core/loop/simulate/results.js';
import { runSimulation } from '../../core/loop/simulate/run.js';
import { KILL_GRID } from './kill-grid.js';
import { separableDataset } from './synthetic.js';

const CHILD = fileURLToPath(new URL('./sim-child.ts', import.meta.url));

const lines = (f: string): number => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).length : 0);

describe('a SIGKILLed simulation continues where it stopped', () => {
  it('resumes the cells finished before the kill and ends with the same results as an uninterrupted run', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finkvra-sim-kill-'));
    const out = join(dir, 'killed');
    const results = join(out, 'results.jsonl');
    const total = expandGrid(KILL_GRID).length;
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, out], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, sig) => r(sig)));
    // Kill once a few cells are written (well before the end).
    const t0 = Date.now();
    while (lines(results) < 3 && Date.now() - t0 < 90_000) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const before = readResults(results).size;
    expect(before).toBeGreaterThanOrEqual(3);
    expect(before).toBeLessThan(total);

    const ds = separableDataset({ n: 160 });
    const resumed = await runSimulation({ db: null, datasets: { gal: ds }, grid: KILL_GRID, source: 'weak', outDir: out, workers: 0, track: null });
    expect(resumed.resumed).toBe(before);
    expect(resumed.ran).toBe(total - before);
    const fresh = await runSimulation({ db: null, datasets: { gal: ds }, grid: KILL_GRID, source: 'weak', outDir: join(dir, 'fresh'), workers: 0, track: null });
    const seedsOf = (f: string) => new Map([...readResults(f)].map(([k, v]) => [k, v.result.seeds]));
    expect(seedsOf(resumed.resultsFile)).toEqual(seedsOf(fresh.resultsFile));

    // A changed labelled set refuses to resume into the old results.
    const flipped = separableDataset({ n: 160 });
    flipped.y[0] = 1 - flipped.y[0];
    await expect(
      runSimulation({ db: null, datasets: { gal: flipped }, grid: KILL_GRID, source: 'weak', outDir: out, workers: 0, track: null }),
    ).rejects.toThrow(/labelled set changed.*--fresh/);
  });
});
