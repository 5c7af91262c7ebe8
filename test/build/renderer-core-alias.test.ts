/** The renderer reaches core through the @core alias only: no `../../core/…` paths that break when a file moves. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../renderer/src/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('renderer imports of core', () => {
  it('use @core/…, never a relative path into core/', () => {
    const relative = files(SRC).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) => (/(from|import\()\s*'(\.\.\/)+core\//.test(line) ? [`${f.slice(SRC.length)}:${i + 1}`] : [])),
    );
    expect(relative).toEqual([]);
    const viaAlias = files(SRC).filter((f) => readFileSync(f, 'utf8').includes("from '@core/"));
    expect(viaAlias.length).toBeGreaterThan(10);
  });
});
