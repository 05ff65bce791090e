// The decisions behind `npm start`, kept apart from start.mjs so unit tests can drive them
// (test/unit/electron-start.test.ts). Plain Node, no dependencies: it runs before anything is built.
import { spawn as nodeSpawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the build produces; all four must exist and be newer than every source. */
export const BUILD_OUTPUTS = ['dist-electron/main.js', 'dist-electron/preload.cjs', 'dist-electron/server.js', 'dist/renderer/index.html'];
/** What the build reads. Folders are walked (node_modules and dot-folders skipped). */
export const BUILD_INPUTS = ['electron', 'renderer', 'package.json', 'package-lock.json', 'scripts/build-electron.mjs'];

function newestIn(path, fs) {
  let stat;
  try {
    stat = fs.statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestIn(join(path, entry), fs));
  }
  return newest;
}

/**
 * Whether `npm run build` must run first: an output is missing, or a source changed after the
 * oldest output was written. A plain mtime comparison; good enough for a developer's tree.
 * @returns {{ stale: boolean, reason: string }}
 */
export function buildStatus(root, fs = { statSync, readdirSync }) {
  let oldestOutput = Infinity;
  for (const output of BUILD_OUTPUTS) {
    let stat;
    try {
      stat = fs.statSync(join(root, output));
    } catch {
      return { stale: true, reason: `${output} is missing` };
    }
    oldestOutput = Math.min(oldestOutput, stat.mtimeMs);
  }
  const newestInput = Math.max(0, ...BUILD_INPUTS.map((input) => newestIn(join(root, input), fs)));
  return newestInput > oldestOutput ? { stale: true, reason: 'sources changed since the last build' } : { stale: false, reason: 'up to date' };
}

/**
 * Finds the Electron executable the way node_modules/electron/index.js does, minus its side
 * effect: `require('electron')` runs install.js synchronously to download a missing binary,
 * which offline means a long hang and a stack trace. Here a missing binary is just a reason.
 * @returns {{ ok: true, path: string } | { ok: false, reason: string }}
 */
export function resolveElectronBinary({ electronDir, env = process.env, fs = { existsSync, readFileSync } }) {
  const pathFile = join(electronDir, 'path.txt');
  const executable = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(env.ELECTRON_OVERRIDE_DIST_PATH, executable || 'electron');
    return fs.existsSync(path) ? { ok: true, path } : { ok: false, reason: `no Electron binary at ELECTRON_OVERRIDE_DIST_PATH (${path})` };
  }
  if (!fs.existsSync(join(electronDir, 'package.json'))) return { ok: false, reason: 'the electron package is not installed' };
  if (!executable) return { ok: false, reason: 'the Electron binary was never downloaded; run "npx install-electron" while online' };
  const path = join(electronDir, 'dist', executable);
  return fs.existsSync(path) ? { ok: true, path } : { ok: false, reason: `the Electron binary is missing (${path}); run "npx install-electron" while online` };
}

/** Linux needs an X11 or Wayland display; macOS and Windows always have one for a logged-in user. */
export function displayProblem({ platform = process.platform, env = process.env } = {}) {
  if (platform !== 'linux') return null;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'no display: DISPLAY and WAYLAND_DISPLAY are unset';
}

/**
 * Electron, or server mode and why.
 * @returns {{ mode: 'electron', binary: string } | { mode: 'server', reason: string }}
 */
export function chooseLaunch({ electronDir, platform = process.platform, env = process.env, fs }) {
  if (env.DESK_START_MODE === 'server') return { mode: 'server', reason: 'DESK_START_MODE=server' };
  const binary = resolveElectronBinary({ electronDir, env, ...(fs ? { fs } : {}) });
  if (!binary.ok) return { mode: 'server', reason: binary.reason };
  const noDisplay = displayProblem({ platform, env });
  if (noDisplay) return { mode: 'server', reason: noDisplay };
  return { mode: 'electron', binary: binary.path };
}

export function fallbackLine(reason) {
  return `Electron runtime unavailable (${reason}); starting server mode instead.`;
}

/** The last meaningful stderr line, trimmed to fit the one-line notice. */
export function lastErrorLine(text) {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const line = lines.findLast((candidate) => /error|fatal|cannot|failed|missing|not supported/i.test(candidate)) ?? lines.at(-1) ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/**
 * Starts Electron and watches the first `graceMs`: an exit with an error (or a spawn failure) in
 * that window means the runtime cannot run here (missing shared libraries, no usable display,
 * running as root without a sandbox). Electron's stderr is held back during the window so such a
 * failure becomes one line instead of a wall of Chromium messages; after it, stderr flows through.
 *
 * Resolves { outcome: 'failed', reason } or { outcome: 'running', child, exited } where `exited`
 * resolves with the exit code. `onSpawn` gets the child at once, so signals can reach it even
 * during the grace window.
 */
export function launchElectron({ binary, args, cwd, env = process.env, graceMs = 4000, spawn = nodeSpawn, stderr = process.stderr, onSpawn = () => {} }) {
  const childEnv = { ...env };
  // Set in the parent environment, it would make Electron behave as plain Node.
  delete childEnv.ELECTRON_RUN_AS_NODE;
  return new Promise((resolve) => {
    let settled = false;
    let held = '';
    let exitCode = null;
    let resolveExit;
    const exited = new Promise((settle) => (resolveExit = settle));
    const child = spawn(binary, args, {
      cwd,
      env: childEnv,
      stdio: ['ignore', 'inherit', 'pipe'],
      // Its own process group: a terminal Ctrl+C reaches it once, through our forwarding.
      detached: process.platform !== 'win32',
    });
    onSpawn(child);
    const onData = (chunk) => {
      if (settled) stderr.write(chunk);
      else held += chunk.toString();
    };
    child.stderr?.on('data', onData);
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      if (held) stderr.write(held);
      resolve({ outcome: 'running', child, exited });
    }, graceMs);
    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ outcome: 'failed', reason: `cannot start ${binary}: ${error.message}` });
    });
    child.on('exit', (code, signal) => {
      exitCode = code ?? (signal ? 1 : 0);
      resolveExit(exitCode);
      if (settled) return;
      if (exitCode === 0) {
        // A clean quick exit (a second instance handing over to the first) is not a failure.
        settled = true;
        clearTimeout(timer);
        if (held) stderr.write(held);
        resolve({ outcome: 'running', child, exited });
        return;
      }
      settled = true;
      clearTimeout(timer);
      const detail = lastErrorLine(held);
      resolve({ outcome: 'failed', reason: `Electron exited with ${signal ?? `code ${code}`} at startup${detail ? `: ${detail}` : ''}` });
    });
  });
}
