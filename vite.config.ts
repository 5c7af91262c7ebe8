import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./renderer', import.meta.url));
/** The renderer imports core's pure modules (contract types, registries, formatting) as @core/…. */
export const coreAlias = { '@core': fileURLToPath(new URL('./core', import.meta.url)) };
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));

// The renderer: relative asset URLs (file:// in Electron, / in web mode), no inline scripts (strict CSP).
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  resolve: { alias: coreAlias },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
  },
  server: { host: '127.0.0.1', fs: { allow: [fileURLToPath(new URL('.', import.meta.url))] } },
});
