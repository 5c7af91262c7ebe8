/**
 * Web mode in its own process, for the crash-safety test: `node --import tsx serve-child.ts <db> <home> <staticDir>`.
 * Prints one JSON line {url, origin} once listening.
 */
import { openService } from '../../core/api/service.js';
import { startWebServer } from '../../core/server/server.js';

const [dbPath, homeDir, staticDir] = process.argv.slice(2);
const service = openService({ dbPath, homeDir });
const server = await startWebServer({ handlers: service.handlers, staticDir });
process.stdout.write(JSON.stringify({ url: server.url, origin: server.origin, token: server.token }) + '\n');
