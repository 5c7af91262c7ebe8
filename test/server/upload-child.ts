/**
 * A web server alone in its process, for the upload memory test: `node --import tsx upload-child.ts <uploadsDir>`.
 * Prints {port, token} once listening; samples its own RSS, and prints {baseRss, peakRss} for each line on stdin.
 */
import type { Handlers } from '../../core/api/contract.js';
import { startWebServer } from '../../core/server/server.js';

const [uploadsDir] = process.argv.slice(2);
const handlers = new Proxy({} as Handlers, { get: () => () => null });
const server = await startWebServer({ handlers, uploadsDir });
const baseRss = process.memoryUsage.rss();
let peakRss = baseRss;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 10).unref();
process.stdin.setEncoding('utf8');
process.stdin.on('data', () => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  process.stdout.write(JSON.stringify({ baseRss, peakRss }) + '\n');
});
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
process.stdout.write(JSON.stringify({ port: server.port, token: server.token }) + '\n');
