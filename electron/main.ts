/** Electron entry (package.json "main" → dist/electron/main.js): real paths and the core-backed service. */
import { fileURLToPath } from 'node:url';
import { app, dialog } from 'electron';
import { runMain } from './app.js';
import { coreBackendFactory } from './backend.js';

runMain({
  factory: coreBackendFactory(),
  paths: {
    preloadPath: fileURLToPath(new URL('./preload.cjs', import.meta.url)),
    rendererIndex: fileURLToPath(new URL('../renderer/index.html', import.meta.url)),
  },
}).catch((err: unknown) => {
  dialog.showErrorBox('Fink VRA could not start', err instanceof Error ? (err.stack ?? err.message) : String(err));
  app.exit(1);
});
