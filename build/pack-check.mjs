#!/usr/bin/env node
// `npm run pack:check`: proves the desktop package on a machine without the Electron binary.
//  1. npm run build;
//  2. electron-builder --dir from build/electron-builder.config.cjs, with the installed Electron when there is one,
//     else a stand-in Electron directory; native rebuild, fuses and the after-pack ABI check are skipped (they need
//     the real binary and its headers: `npm run dist` keeps them);
//  3. app.asar and app.asar.unpacked checked against build/pack-contents.mjs's expected set;
//  4. the archive extracted and its main entry run under Node with the electron mock (test/build/packed-main.test.ts).
// Options: --no-build (use the current dist/), --keep (leave the temporary folders and print them).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPacked, expectedContents } from './pack-contents.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));

function run(command, argv, env = process.env) {
  const r = spawnSync(command, argv, { cwd: root, stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (r.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** The installed Electron's unpacked distribution, or a stand-in one (an executable that only says what it is). */
function electronDist(work) {
  const installed = join(root, 'node_modules/electron/dist');
  if (existsSync(installed) && readdirSync(installed).length > 0) return { dir: installed, standIn: false };
  if (process.platform === 'darwin') throw new Error('pack:check on macOS needs the installed Electron (npm ci with network)');
  const dir = join(work, 'electron-stand-in');
  mkdirSync(dir, { recursive: true });
  const exe = join(dir, process.platform === 'win32' ? 'electron.exe' : 'electron');
  writeFileSync(exe, '#!/bin/sh\necho "stand-in Electron made by pack:check: not runnable" >&2\nexit 1\n');
  chmodSync(exe, 0o755);
  return { dir, standIn: true };
}

/** The folder holding app.asar under electron-builder's output. */
function findResources(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'app.asar') return dir;
    if (statSync(p).isDirectory()) {
      const found = findResources(p);
      if (found) return found;
    }
  }
  return null;
}

async function pack(work) {
  const { build, Platform } = require('electron-builder');
  const base = require('./electron-builder.config.cjs');
  const electron = electronDist(work);
  console.log(
    electron.standIn
      ? 'pack:check: Electron binary not installed: packing with a stand-in Electron directory'
      : `pack:check: packing with the installed Electron (${electron.dir})`,
  );
  console.log('pack:check: native rebuild, fuses and the ABI check skipped (npm run dist does them)');
  const output = join(work, 'out');
  await build({
    projectDir: root,
    targets: Platform.current().createTarget('dir'),
    publish: 'never',
    // A copy: electron-builder normalises the configuration it is given in place.
    config: {
      ...structuredClone(base),
      directories: { ...base.directories, output },
      electronDist: electron.dir,
      npmRebuild: false,
      electronFuses: null,
      afterPack: null,
    },
  });
  const resources = findResources(output);
  if (!resources) throw new Error(`pack:check: electron-builder wrote no app.asar under ${output}`);
  return resources;
}

async function main() {
  const t0 = performance.now();
  if (!args.has('--no-build')) run('npm', ['run', 'build']);
  const work = mkdtempSync(join(tmpdir(), 'finkvra-pack-check-'));
  try {
    const expected = expectedContents(root, require('./electron-builder.config.cjs'));
    const resources = await pack(work);
    const problems = checkPacked(resources, expected);
    if (problems.length) {
      throw new Error(`pack:check: the package lacks what the app loads at run time:\n  ${problems.join('\n  ')}`);
    }
    console.log(
      `pack:check: ${expected.asar.length} files in app.asar, ${expected.unpacked.length} unpacked, ` +
        `runtime packages ${expected.imports.filter((n) => n !== 'electron').join(', ')}: all present (electron is the runtime's)`,
    );
    const app = join(work, 'app');
    require('@electron/asar').extractAll(join(resources, 'app.asar'), app);
    const vitest = join(root, 'node_modules/vitest/vitest.mjs');
    const report = join(work, 'vitest.json');
    const reporters = ['--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
    run(process.execPath, [vitest, 'run', '--config', 'build/vitest.packed.config.mjs', ...reporters], { ...process.env, FINKVRA_PACKED_APP: app });
    // A skipped test passes too: make sure it ran.
    const { numPassedTests, numTotalTests } = JSON.parse(readFileSync(report, 'utf8'));
    if (numPassedTests === 0 || numPassedTests !== numTotalTests) throw new Error(`pack:check: the packed-main test did not run (${numPassedTests}/${numTotalTests} passed)`);
    console.log(`pack:check: passed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    if (args.has('--keep')) console.log(`pack:check: kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

// process.exit, not process.exitCode: after electron-builder ran, an exitCode of 1 was seen to end with status 0.
main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
