#!/usr/bin/env node
// Emits the sandboxed preload as CommonJS: dist/electron/preload.cjs from electron/preload.ts.
// Why a separate step: tsc compiles electron/ as ESM (package "type": "module"), but a sandboxed preload is
// evaluated by Electron as a plain script with a restricted `require` (no import statements, no local files).
// TypeScript's own transpiler is enough for one self-contained file; no bundler needed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Modules a sandboxed preload may require (Electron's sandbox polyfill). */
export const SANDBOX_REQUIRABLE = ['electron', 'events', 'timers', 'url'];

/** TypeScript source → CommonJS text; throws if it would require anything the sandbox cannot provide. */
export function transpilePreload(source, fileName = 'preload.ts') {
  const out = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: false,
      esModuleInterop: false,
      sourceMap: false,
    },
  });
  if (out.diagnostics?.length) {
    const msg = out.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n');
    throw new Error(`preload: ${msg}`);
  }
  const code = out.outputText;
  const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
  const bad = required.filter((m) => !SANDBOX_REQUIRABLE.includes(m));
  if (bad.length) throw new Error(`preload requires modules a sandboxed preload cannot load: ${bad.join(', ')}`);
  if (/^\s*(import|export)\s/m.test(code)) throw new Error('preload output still has ESM syntax');
  return code;
}

export function buildPreload(src = resolve(root, 'electron/preload.ts'), dest = resolve(root, 'dist/electron/preload.cjs')) {
  const code = transpilePreload(readFileSync(src, 'utf8'), src);
  mkdirSync(dirname(dest), { recursive: true });
  writeFileSync(dest, code);
  return dest;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dest = buildPreload();
  console.log(`preload → ${dest}`);
}
