/**
 * A second process writing labels through the API as fast as it can, for the concurrent-writers test:
 * `node --import tsx label-writer.ts <db> <stopFile>`. Prints "ready" once it writes, then, when stopFile appears,
 * one JSON line: writes, failures (with their distinct messages) and the waits per write in ms.
 */
import { existsSync } from 'node:fs';
import { dispatch } from '../../core/api/dispatch.js';
import { openService } from '../../core/api/service.js';
import { LABELS } from '../../core/labels.js';

const [dbPath, stopFile] = process.argv.slice(2);
const service = openService({ dbPath, mustExist: true });
const candids = service.ctx.db.prepare('SELECT candid FROM alerts ORDER BY candid LIMIT 200').pluck().all() as string[];
process.stdout.write('ready\n');
const waits: number[] = [];
const errors = new Set<string>();
let failures = 0;
while (!existsSync(stopFile)) {
  const i = waits.length;
  const t0 = performance.now();
  try {
    await dispatch(service.handlers, 'labels.set', { candid: candids[i % candids.length], label: LABELS[i % LABELS.length] });
  } catch (e) {
    failures++;
    errors.add(e instanceof Error ? e.message : String(e));
  }
  waits.push(performance.now() - t0);
}
await service.close();
process.stdout.write(JSON.stringify({ writes: waits.length, failures, errors: [...errors], waits }) + '\n');
