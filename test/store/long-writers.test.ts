/**
 * A long synchronous writer (a labels import) commits in pieces with the lock free between them: a writer in
 * another process gets in during the import, not only after it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nextPieceSize, openStore, writeInPieces } from '../../core/store/database.js';
import { importLabelsCsv } from '../../core/store/labels.js';

const probe = fileURLToPath(new URL('./lock-probe.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

describe('long writers', () => {
  it('size their pieces to the time target, growing at most 4x at a time', () => {
    expect(nextPieceSize(100, 100)).toBe(50); // took twice the 50 ms target: half as many
    expect(nextPieceSize(100, 25)).toBe(200);
    expect(nextPieceSize(100, 1)).toBe(400); // not 5000 at once
    expect(nextPieceSize(100, 10_000)).toBe(10); // never below 10
  });

  it('commit each piece on its own (a failing piece leaves the ones before)', () => {
    const db = openStore(':memory:');
    db.exec('CREATE TABLE t (x INTEGER)');
    const ins = db.prepare('INSERT INTO t VALUES (?)');
    const items = Array.from({ length: 5000 }, (_, i) => i);
    expect(() =>
      writeInPieces(db, items, (x) => {
        if (x === 4999) throw new Error('bad item');
        ins.run(x);
      }),
    ).toThrow('bad item');
    const n = db.prepare('SELECT COUNT(*) FROM t').pluck().get() as number;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(4999);
    db.close();
  });

  it('a labels import lets another process write between its pieces', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vra-long-'));
    const store = join(dir, 's.sqlite');
    openStore(store).close();
    const stop = join(dir, 'stop');
    const child = spawn(process.execPath, ['--import', 'tsx', probe, store, stop], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe('ready');
    // 20,000 labels of alerts not ingested (kept with their objectId): no alerts needed.
    const rows = Array.from({ length: 20_000 }, (_, i) => `${3000000000000000000n + BigInt(i)},ZTF21b${String(i).padStart(6, '0')},gal`);
    const db = openStore(store);
    const t0 = performance.now();
    const report = importLabelsCsv(db, `candid,objectId,label\n${rows.join('\n')}\n`);
    const ms = performance.now() - t0;
    writeFileSync(stop, '');
    const probed = JSON.parse((await lines.next()).value as string) as { writes: number; failures: number; worst: number };
    expect(report.imported).toBe(20_000);
    expect(probed.failures).toBe(0);
    // The probe's events fall between the import's first and last: it wrote while the import ran.
    const span = db.prepare("SELECT MIN(id) AS lo, MAX(id) AS hi FROM label_events WHERE source = 'import'").get() as { lo: number; hi: number };
    const inside = db.prepare("SELECT COUNT(*) FROM label_events WHERE source = 'probe' AND id BETWEEN ? AND ?").pluck().get(span.lo, span.hi) as number;
    console.log(`labels import of 20,000: ${ms.toFixed(0)} ms; another process wrote ${inside} times during it, worst wait ${probed.worst.toFixed(1)} ms`);
    expect(inside).toBeGreaterThan(0);
    db.close();
  });
});
