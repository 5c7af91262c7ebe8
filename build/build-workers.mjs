#!/usr/bin/env node
// Bundles every worker-thread entry into dist/workers/<name>.js at build time (npm run build), packages left as
// imports. Why: a packed app has no esbuild and no TypeScript sources, so core/util/worker.ts cannot bundle at run
// time there; each worker then starts from one prebuilt file instead of a tree of compiled modules.
// The name of a bundle is the entry's path under core/ with '/' → '-' (core/ingest/read-thread.ts →
// ingest-read-thread.js); core/util/worker.ts (prebuiltWorker) derives the same name from the worker's module URL.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Worker entries, relative to core/. */
export const WORKER_ENTRIES = [
  'ingest/read-thread.ts',
  'ingest/file-hash.ts',
  'loop/round-worker.ts',
  'learn/worker.ts',
  'loop/simulate/worker.ts',
];

/** 'ingest/read-thread.ts' → 'ingest-read-thread.js' */
export function workerBundleName(entry) {
  return `${entry.replace(/\.(ts|js)$/, '').split('/').join('-')}.js`;
}

export function buildWorkers(outDir = resolve(root, 'dist/workers')) {
  mkdirSync(outDir, { recursive: true });
  const written = [];
  for (const entry of WORKER_ENTRIES) {
    const outfile = resolve(outDir, workerBundleName(entry));
    buildSync({
      entryPoints: [resolve(root, 'core', entry)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile,
      logLevel: 'warning',
    });
    written.push(outfile);
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = buildWorkers();
  console.log(`workers → ${files.length} bundles in ${dirname(files[0])}`);
}
