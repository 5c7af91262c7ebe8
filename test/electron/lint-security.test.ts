import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../bin/lint-security.js', import.meta.url));

function lint(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, out: stdout + stderr });
    });
  });
}

describe('npm run lint:security', () => {
  it('passes on the shell and fails on an insecure window', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'finkvra-eng-'));
    writeFileSync(
      join(bad, 'main.ts'),
      [
        "import { BrowserWindow } from 'electron';",
        'export const w = new BrowserWindow({',
        '  webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false },',
        '});',
        "w.loadURL('http://example.org/');",
      ].join('\n'),
    );
    const [ours, theirs] = await Promise.all([lint([]), lint(['--input', bad])]);
    expect(ours.out).toContain('no HIGH finding');
    expect(ours.code).toBe(0);
    expect(theirs.code).toBe(1);
    expect(theirs.out).toMatch(/HIGH\s+\S+\s+CONTEXT_ISOLATION_JS_CHECK\s+main\.ts:3/);
    expect(theirs.out).toMatch(/HIGH\s+\S+\s+LIMIT_NAVIGATION_GLOBAL_CHECK/);
    expect(theirs.out).toContain('lint:security failed: 2 HIGH finding(s)');
    // our shell sets navigation limits, a permission handler and a CSP, which these global checks look for
    for (const id of ['LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', 'No CSP has been detected']) {
      expect(ours.out).not.toContain(id);
    }
  });
});
