import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { registerGenerate } from '../../core/cli/commands/generate.js';
import type { TruthSidecar } from '../../core/sample/write.js';

function program(): Command {
  const p = new Command('finkvra').exitOverride();
  registerGenerate(p);
  return p;
}

describe('finkvra generate', () => {
  it('writes the parquet and its truth sidecar with the requested options', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vra-gen-cli-')), 'night.parquet');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await program().parseAsync(['node', 'finkvra', 'generate', '--out', out, '--alerts', '30', '--seed', '9', '--night', '2024-01-05', '--cutouts', 'small']);
    log.mockRestore();
    expect(existsSync(out)).toBe(true);
    const side = JSON.parse(readFileSync(`${out}.truth.json`, 'utf8')) as TruthSidecar;
    expect(side.alerts).toHaveLength(30);
    expect(side.options).toMatchObject({ seed: 9, nAlerts: 30, night: '2024-01-05', cutouts: 'small' });
  });

  it('refuses bad options with a clear message', async () => {
    const out = join(tmpdir(), 'never.parquet');
    await expect(program().parseAsync(['node', 'finkvra', 'generate', '--out', out, '--cutouts', 'huge'])).rejects.toThrow(/--cutouts/);
    await expect(program().parseAsync(['node', 'finkvra', 'generate', '--out', out, '--alerts', '0'])).rejects.toThrow(/--alerts/);
    await expect(program().parseAsync(['node', 'finkvra', 'generate', '--out', out, '--night', '2024-13-45'])).rejects.toThrow(/night/);
    expect(existsSync(out)).toBe(false);
  });
});
