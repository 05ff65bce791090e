import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const rendererDir = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/renderer', import.meta.url));

export default defineConfig({
  root: rendererDir,
  // Relative asset URLs so the same build loads from file:// in Electron and from / in server mode.
  base: './',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    // Electron's Chromium and the test browser are both current; no legacy transforms needed.
    target: 'chrome120',
    // The polyfill is only for old browsers and would add code the CSP review has to read.
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
  server: { host: '127.0.0.1' },
});
