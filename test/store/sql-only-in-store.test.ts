/**
 * All SQL lives in core/store (issue #12): no module elsewhere in core/ prepares a statement, runs SQL text or sets
 * a pragma on a database.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Paths (relative to the repository, '/'-separated) whose SQL is not checked here: a folder ends with '/'. */
const EXCLUDED = ['core/store/'];

/** `.exec(` counts only on a receiver named like a database: regular expressions have an exec too. */
const DB_RECEIVER = /(?:db|database)$/i;

/** Each call of `.prepare(`, `.pragma(` or `<db>.exec(` in a TypeScript text: its 1-based line and the method. */
function databaseCalls(fileName: string, text: string): { line: number; method: string }[] {
  const src = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: { line: number; method: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const receiver = node.expression.expression;
      const receiverName = ts.isIdentifier(receiver)
        ? receiver.text
        : ts.isPropertyAccessExpression(receiver)
          ? receiver.name.text
          : '';
      if (method === 'prepare' || method === 'pragma' || (method === 'exec' && DB_RECEIVER.test(receiverName))) {
        found.push({ line: src.getLineAndCharacterOfPosition(node.expression.name.getStart(src)).line + 1, method });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  return found;
}

/** The .ts files under `dir`, as '/'-separated paths relative to `root`. */
function tsFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return tsFiles(root, path);
    return e.isFile() && e.name.endsWith('.ts') ? [path] : [];
  });
}

/** `file:line: .method( …` for every database call in core/ outside the excluded paths. */
function sqlOutsideStore(root: string): string[] {
  return tsFiles(root, 'core')
    .filter((f) => !EXCLUDED.some((x) => (x.endsWith('/') ? f.startsWith(x) : f === x)))
    .flatMap((f) =>
      databaseCalls(f, readFileSync(join(root, f), 'utf8')).map(
        (c) => `${f}:${c.line}: .${c.method}( on a database outside core/store`,
      ),
    );
}

describe('SQL lives in core/store', () => {
  it('no module of core/ outside core/store (and the excluded paths) calls .prepare(, db.exec( or .pragma(', () => {
    expect(tsFiles(ROOT, 'core').length).toBeGreaterThan(100);
    expect(sqlOutsideStore(ROOT)).toEqual([]);
  });

  it('the scan finds prepare (with type arguments too), pragma and exec on a database, with their lines', () => {
    const text = [
      "const a = db.prepare('SELECT 1').get();", // 1
      'const b = this.db', // 2
      "  .prepare<[string], Row>('SELECT 2');", // 3
      "ctx.db.exec('DELETE FROM x');", // 4
      "store.pragma('journal_mode = WAL');", // 5
      "database.exec('VACUUM');", // 6
      'const m = /^(\\d+)$/.exec(night);', // 7: a regular expression, not a database
      'const n = re.exec(text);', // 8
      "// db.prepare('in a comment') is not a call", // 9
      "const s = 'db.exec(in a string)';", // 10
    ].join('\n');
    expect(databaseCalls('x.ts', text)).toEqual([
      { line: 1, method: 'prepare' },
      { line: 3, method: 'prepare' },
      { line: 4, method: 'exec' },
      { line: 5, method: 'pragma' },
      { line: 6, method: 'exec' },
    ]);
  });
});
