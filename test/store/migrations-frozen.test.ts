import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../core/store/migrations');

/** Every module a file loads at run time (type-only imports and exports erase, so they do not count). */
function runtimeImports(file: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const typeOnly = c !== undefined && (c.isTypeOnly || (!c.name && c.namedBindings !== undefined &&
        ts.isNamedImports(c.namedBindings) && c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0]) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  return found;
}

/** Why a module a migration loads breaks its freezing, or null when it stays inside the migrations folder. */
function outside(spec: string): string | null {
  if (!spec.startsWith('.')) return `package '${spec}'`;
  const target = resolve(DIR, spec);
  return relative(DIR, target).startsWith('..') ? `live code '${spec}'` : null;
}

describe('migrations are frozen text', () => {
  it('no migration loads code from outside core/store/migrations (type-only imports excepted)', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(8);
    const problems = files.flatMap((f) =>
      runtimeImports(join(DIR, f)).flatMap((spec) => {
        const why = outside(spec);
        return why ? [`${f}: ${why}`] : [];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('the scan counts value imports, re-exports and dynamic imports, not type-only ones', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vra-scan-')), 'm.ts');
    writeFileSync(file, [
      "import type { Migration } from '../migration.js';",
      "import { type Db } from '../database.js';",
      "import { encodeLc } from '../../features/packed-lc.js';",
      "import './side-effect.js';",
      "export { x } from '../queries.js';",
      "export type { Y } from '../labels.js';",
      "const m = await import('../cutouts.js');",
    ].join('\n'));
    expect(runtimeImports(file)).toEqual(['../../features/packed-lc.js', './side-effect.js', '../queries.js', '../cutouts.js']);
    expect(runtimeImports(file).map(outside)).toEqual([expect.stringMatching(/live code/), null, expect.stringMatching(/live code/),
      expect.stringMatching(/live code/)]);
    expect(outside('better-sqlite3')).toMatch(/package/);
  });
});
