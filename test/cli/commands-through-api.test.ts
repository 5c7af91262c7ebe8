/**
 * Every CLI command reaches the store through core/api (contract + dispatch), like the app: no SQL in CLI code, no
 * import of core/store or core/loop and no store opened by itself (withStore), except the commands listed below,
 * each with its reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const commandsDir = join(root, 'core/cli/commands');

/** The commands that may reach the store, core/store or core/loop directly, and why. */
const EXCEPTIONS: Record<string, string> = {
  'demo.ts': 'creates a temporary store for the generated sample night and ingests it, as ingest does',
  'simulate.ts': 'simulated experiments on copies of the labelled set in worker processes: a research tool, no operation of the app',
  'runs.ts':
    'only for `runs export --format mlflow`: it writes a folder where the user says, with absolute paths inside, and no contract method writes anywhere it is told',
};

/** Module specifiers a file imports (static, re-exports, dynamic import()). */
function importsOf(text: string): string[] {
  const specs = [...text.matchAll(/\b(?:import|export)\s[^;]*?\bfrom\s*['"]([^'"]+)['"]/g), ...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return specs.map((m) => m[1]);
}

/** The top folder under core/ an import resolves to ('store', 'loop', …), or null outside core/. */
function coreArea(file: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const rel = relative(join(root, 'core'), resolve(dirname(file), spec));
  return rel.startsWith('..') ? null : rel.split(/[\\/]/)[0];
}

function violations(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = importsOf(text)
    .filter((spec) => ['store', 'loop'].includes(coreArea(file, spec) ?? ''))
    .map((spec) => `imports ${spec}`);
  if (text.includes('.prepare(')) found.push('runs SQL (.prepare()');
  if (/\b(withStore|openStore|openExistingStore)\(/.test(text)) found.push('opens the store itself');
  return found;
}

describe('CLI commands go through core/api', () => {
  const files = readdirSync(commandsDir).filter((f) => f.endsWith('.ts'));

  it('finds the commands and recognises a direct store import and SQL', () => {
    expect(files).toEqual(expect.arrayContaining(['label.ts', 'labels.ts', 'round.ts', 'train.ts', 'features.ts', 'weak.ts']));
    const here = join(commandsDir, 'x.ts');
    expect(coreArea(here, '../../store/labels.js')).toBe('store');
    expect(coreArea(here, '../../loop/state.js')).toBe('loop');
    expect(coreArea(here, '../../api/dispatch.js')).toBe('api');
    expect(importsOf("import type { Db } from '../../store/database.js';\nconst m = await import('../../loop/round.js');")).toEqual([
      '../../store/database.js',
      '../../loop/round.js',
    ]);
  });

  it('no command outside the exceptions imports core/store or core/loop, runs SQL or opens the store itself', () => {
    const bad = files.filter((f) => !(f in EXCEPTIONS)).flatMap((f) => violations(join(commandsDir, f)).map((v) => `${f}: ${v}`));
    expect(bad).toEqual([]);
  });

  it('no other CLI module runs SQL', () => {
    const cliDir = join(root, 'core/cli');
    const others = readdirSync(cliDir).filter((f) => f.endsWith('.ts'));
    expect(others.filter((f) => readFileSync(join(cliDir, f), 'utf8').includes('.prepare('))).toEqual([]);
  });

  it('every exception is still needed (the list shrinks as commands move)', () => {
    for (const f of Object.keys(EXCEPTIONS)) {
      expect(files, f).toContain(f);
      expect(violations(join(commandsDir, f)).length, `${f} no longer needs its exception`).toBeGreaterThan(0);
    }
  });
});
