#!/usr/bin/env node
// `npm run lint:security`: electronegativity (Doyensec) on the Electron shell's sources. Prints every finding and
// exits 1 on any HIGH severity finding or on a file it could not parse (an unscanned file must not pass silently).
// It reads TypeScript directly (its parser has a TS mode), so no build is needed.
//
// Options: --input <dir|file> (default electron/), --online (also run the check that downloads Electron's release
// list from GitHub; off by default: it needs network, and it reports fixes in Electron releases newer than the
// pinned 41.7.1, the newest that runs on Node 20, so it cannot be acted on here).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function parseArgs(argv) {
  const opts = { input: resolve(root, 'electron'), online: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--input') opts.input = resolve(argv[++i] ?? '');
    else if (argv[i] === '--online') opts.online = true;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return opts;
}

/**
 * The Electron version the app ships with: the one scanned for version-dependent defaults. Read from the builder
 * config, where it is pinned: the electron package is optional and absent where its download failed.
 */
function electronVersion() {
  return require('../build/electron-builder.config.cjs').electronVersion;
}

/**
 * electronegativity downloads fresh translations (and, in one check, Electron's release list) with `got`; offline,
 * retries make each run wait seconds for nothing. Its bundled en-US messages are used instead: the scan itself
 * never needs the network. Done by swapping the `got` it loads for one that fails at once.
 */
function keepOffline() {
  const pkgDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));
  const gotPath = require.resolve('got', { paths: [pkgDir] });
  require(gotPath);
  const offline = () => Promise.reject(new Error('lint:security runs offline'));
  require.cache[gotPath].exports = Object.assign(offline, { default: offline, head: offline, get: offline });
}

const SEVERITY_ORDER = { HIGH: 3, MEDIUM: 2, LOW: 1, INFORMATIONAL: 0 };

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(opts.input)) throw new Error(`input does not exist: ${opts.input}`);
  if (!opts.online) keepOffline();
  const mod = require('@doyensec/electronegativity');
  const run = mod.default ?? mod;
  const version = electronVersion();
  // electronegativity prints a notice when its translation download fails (offline); keep our output readable.
  const log = console.log;
  console.log = (...args) => {
    if (!String(args[0]).startsWith('Could not retrieve updated translations')) log(...args);
  };
  let result;
  try {
    result = await run({
      input: opts.input,
      isRelative: true,
      electronVersionOverride: version,
      excludeFromScan: opts.online ? [] : ['AvailableSecurityFixesGlobalCheck'],
      severitySet: 'informational',
      confidenceSet: 'tentative',
    });
  } finally {
    console.log = log;
  }

  const where = relative(root, opts.input) || '.';
  const issues = [...result.issues].sort(
    (a, b) => (SEVERITY_ORDER[b.severity.name] ?? 0) - (SEVERITY_ORDER[a.severity.name] ?? 0),
  );
  console.log(
    `electronegativity ${require('@doyensec/electronegativity/package.json').version} on ${where} ` +
      `(Electron ${version}): ${result.globalChecks} global + ${result.atomicChecks} atomic checks, ` +
      `${issues.length} finding(s)`,
  );
  for (const i of issues) {
    const loc = i.file === 'N/A' ? '(app)' : `${i.file}:${i.location.line}:${i.location.column}`;
    console.log(`  ${i.severity.name.padEnd(6)} ${i.confidence.name.padEnd(9)} ${i.id}  ${loc}`);
    console.log(`         ${i.description}${i.shortenedURL ? ` (${i.shortenedURL})` : ''}`);
    if (i.sample) console.log(`         > ${String(i.sample).trim().slice(0, 160)}`);
  }
  const parseErrors = result.errors.filter((e) => !e.tolerable);
  for (const e of result.errors) {
    console.log(`  ${e.tolerable ? 'warning' : 'ERROR'}: could not parse ${e.file}: ${e.message}`);
  }
  const high = issues.filter((i) => i.severity.name === 'HIGH');
  if (high.length > 0 || parseErrors.length > 0) {
    console.error(`lint:security failed: ${high.length} HIGH finding(s), ${parseErrors.length} unparsed file(s)`);
    return 1;
  }
  console.log('lint:security ok: no HIGH finding');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`lint:security: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
