/** Electron entry (package.json "main" → dist/electron/main.js): real paths and the core-backed service. */
import { fileURLToPath } from 'node:url';
import { app, dialog } from 'electron';
import { runMain } from './app.js';
import { coreBackendFactory } from './backend.js';
import { usePrivateFileModes } from '../core/util/paths.js';

usePrivateFileModes();
runMain({
  factory: coreBackendFactory(),
  paths: {
    preloadPath: fileURLToPath(new URL('./preload.cjs', import.meta.url)),
    rendererIndex: fileURLToPath(new URL('../renderer/index.html', import.meta.url)),
  },
}).catch((err: unknown) => {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  // The usual cause in a development checkout: node_modules' better-sqlite3 is the Node build (CLI, web mode).
  const hint = /NODE_MODULE_VERSION/.test(text)
    ? '\n\nbetter-sqlite3 is built for Node, not Electron: run `npx electron-builder install-app-deps` ' +
      '(and `npm rebuild better-sqlite3` to go back to the CLI / web mode).'
    : '';
  dialog.showErrorBox('Fink VRA could not start', text + hint);
  app.exit(1);
});
