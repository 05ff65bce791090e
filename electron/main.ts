/**
 * Electron entry point. Thin on purpose: the lifecycle lives in shell/app.ts, where the unit
 * tests can reach it; this file only supplies the real collaborators.
 *
 * Bundled by scripts/build-electron.mjs to dist-electron/main.js (ESM); preload.cjs sits beside
 * it and the built console in ../dist/renderer.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from 'electron';
import { createDesk } from './core/desk';
import { createLogger } from './core/logger';
import { inProcessSandbox } from './server/sandbox';
import { runDesktopApp } from './shell/app';

const shell = runDesktopApp({
  distDir: dirname(fileURLToPath(import.meta.url)),
  createDesk,
  createLogger,
  // With no real account configured the desk runs on the simulated network, customers included.
  sandbox: (dataDir) => inProcessSandbox(dataDir, 'steady'),
});

if (shell !== null) {
  // Ctrl+C in the terminal that started a development build, or a service manager's TERM:
  // leave through before-quit, so the desk stops cleanly.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());
}
