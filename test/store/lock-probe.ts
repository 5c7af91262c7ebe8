/**
 * Another process's small writes, for the tests of long writers: `node --import tsx lock-probe.ts <db> <stopFile>`.
 * Appends a 'probe' label event every few ms (waiting for the lock as the app does) and prints "ready", then, when
 * stopFile appears, one JSON line: writes, failures and the worst wait in ms.
 */
import { existsSync } from 'node:fs';
import { openExistingStore } from '../../core/store/database.js';

const [dbPath, stopFile] = process.argv.slice(2);
const db = openExistingStore(dbPath);
const append = db.transaction(() =>
  db
    .prepare("INSERT INTO label_events (candid, object_id, label, source, action, created_at) VALUES ('0', 'probe', NULL, 'probe', 'set', ?)")
    .run(new Date().toISOString()),
);
process.stdout.write('ready\n');
let writes = 0;
let failures = 0;
let worst = 0;
while (!existsSync(stopFile)) {
  const t0 = performance.now();
  try {
    append();
    writes++;
  } catch {
    failures++;
  }
  worst = Math.max(worst, performance.now() - t0);
  await new Promise((ok) => setTimeout(ok, 2));
}
db.close();
process.stdout.write(JSON.stringify({ writes, failures, worst }) + '\n');
