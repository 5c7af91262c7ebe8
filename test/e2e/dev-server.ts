/** Dev harness: `node --import tsx test/e2e/dev-server.ts [--fake] [--db FILE]` serves dist/renderer. */
import { join } from 'node:path';
import { startWebServer } from '../../core/server/server.js';
import { fakeHandlers } from './fake-service.js';

const args = process.argv.slice(2);
const port = Number(args[args.indexOf('--port') + 1]) || 0;
let handlers;
if (args.includes('--fake')) handlers = fakeHandlers();
else {
  const { openService } = await import('../../core/api/service.js');
  const db = args.includes('--db') ? args[args.indexOf('--db') + 1] : undefined;
  handlers = openService({ dbPath: db }).handlers;
}
const srv = await startWebServer({ handlers, port, staticDir: join(import.meta.dirname, '../../dist/renderer') });
console.log(srv.url);
