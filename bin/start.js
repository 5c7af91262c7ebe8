#!/usr/bin/env node
// `npm start`: the desktop app when the Electron binary is installed, otherwise web mode (one line says so).
// The decision lives in electron/launch.ts (unit-tested); tsx runs it from source, as bin/finkvra.js does.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { runStart } = await import('../electron/launch.ts');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.exitCode = await runStart(root, process.argv.slice(2));
