import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { registerGenerate } from '../../core/cli/commands/generate.js';
import type { LsstTruthSidecar } from '../../core/sample/lsst/write.js';
import type { TruthSidecar } from '../../core/sample/write.js';
import { readLsstAlerts } from '../../core/surveys/lsst/read.js';

function program(): Command {
  const p = new Command('finkvra').exitOverride();
  registerGenerate(p);
  return p;
}

async function run(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
  try {
    await program().parseAsync(['node', 'finkvra', 'generate', ...args]);
  } finally {
    log.mockRestore();
  }
  return lines;
}

async function readIds(file: string): Promise<{ ids: string[]; stamps: (Uint8Array | null)[] }> {
  const ids: string[] = [];
  const stamps: (Uint8Array | null)[] = [];
  for await (const b of readLsstAlerts(file, { withCutouts: true })) {
    ids.push(...b.diaSourceId);
    stamps.push(...b.cutouts!.science);
  }
  return { ids, stamps };
}

describe('finkvra generate --survey lsst', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vra-gen-lsst-cli-'));

  it('writes an LSST night the LSST reader takes, with its truth sidecar and the options given', async () => {
    const out = join(dir, 'lsst.parquet');
    const lines = await run(['--survey', 'lsst', '--out', out, '--alerts', '25', '--seed', '4', '--night', '2025-10-02', '--row-group', '10']);
    expect(lines[0]).toMatch(/25 LSST alerts in 3 row group/);
    const side = JSON.parse(readFileSync(`${out}.truth.json`, 'utf8')) as LsstTruthSidecar;
    expect(side.generator).toBe('finkvra-sample-lsst');
    expect(side.options).toMatchObject({ seed: 4, alerts: 25, night: '2025-10-02', rowGroup: 10, withCutouts: true });
    const { ids, stamps } = await readIds(out);
    expect(ids).toEqual(side.alerts.map((a) => a.candid));
    expect(stamps.every((s) => s !== null)).toBe(true);
  });

  it('leaves the stamps out with --cutouts none', async () => {
    const out = join(dir, 'bare.parquet');
    await run(['--survey', 'lsst', '--out', out, '--alerts', '5', '--cutouts', 'none', '--no-truth']);
    expect(existsSync(`${out}.truth.json`)).toBe(false);
    expect((await readIds(out)).stamps).toEqual([null, null, null, null, null]);
  });

  it('still writes ZTF by default', async () => {
    const out = join(dir, 'ztf.parquet');
    await run(['--out', out, '--alerts', '5', '--cutouts', 'small']);
    const side = JSON.parse(readFileSync(`${out}.truth.json`, 'utf8')) as TruthSidecar;
    expect(side.generator).toBe('finkvra-sample');
    await expect(readIds(out)).rejects.toThrow(/not an LSST alert file/);
  });

  it('refuses an unknown survey and ZTF-only cutout modes for LSST, writing nothing', async () => {
    const out = join(dir, 'never.parquet');
    await expect(run(['--survey', 'hubble', '--out', out])).rejects.toThrow(/--survey must be ztf or lsst/);
    await expect(run(['--survey', 'lsst', '--out', out, '--cutouts', 'small'])).rejects.toThrow(/--cutouts must be realistic or none for LSST/);
    await expect(run(['--survey', 'ztf', '--out', out, '--cutouts', 'none'])).rejects.toThrow(/--cutouts must be realistic or small/);
    await expect(run(['--survey', 'lsst', '--out', out, '--night', '2019-01-01'])).rejects.toThrow(/night/);
    expect(existsSync(out)).toBe(false);
  });
});
