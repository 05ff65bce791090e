/**
 * `npm start`'s decisions (scripts/start-lib.mjs): when to build, where the Electron binary is
 * (without triggering electron's download-on-require), when to fall back to server mode, and how
 * a launch that dies at once becomes a one-line reason.
 */
import { chmodSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILD_OUTPUTS, buildStatus, chooseLaunch, displayProblem, fallbackLine, lastErrorLine, launchElectron, resolveElectronBinary } from '../../scripts/start-lib.mjs';
import { tempDir } from '../support/temp';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir('desk-start-');
});
afterEach(() => dir.remove());

function touch(path: string, secondsAgo: number, content = ''): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  const when = Date.now() / 1000 - secondsAgo;
  utimesSync(path, when, when);
}

describe('buildStatus', () => {
  it('builds when an output is missing', () => {
    touch(join(dir.path, 'electron', 'main.ts'), 100);
    expect(buildStatus(dir.path)).toEqual({ stale: true, reason: `${BUILD_OUTPUTS[0]} is missing` });
  });

  it('builds when a source is newer than the oldest output, and not otherwise', () => {
    for (const output of BUILD_OUTPUTS) touch(join(dir.path, output), 50);
    touch(join(dir.path, 'electron', 'shell', 'app.ts'), 100);
    touch(join(dir.path, 'renderer', 'src', 'App.tsx'), 100);
    touch(join(dir.path, 'renderer', 'node_modules', 'x', 'index.js'), 0); // not a source
    expect(buildStatus(dir.path).stale).toBe(false);

    touch(join(dir.path, 'renderer', 'src', 'App.tsx'), 10);
    expect(buildStatus(dir.path)).toEqual({ stale: true, reason: 'sources changed since the last build' });
  });
});

describe('resolveElectronBinary', () => {
  const electronDir = () => join(dir.path, 'node_modules', 'electron');

  it('reports a binary that was never downloaded, without trying to download it', () => {
    touch(join(electronDir(), 'package.json'), 0, '{}');
    const result = resolveElectronBinary({ electronDir: electronDir(), env: {} });
    expect(result).toEqual({ ok: false, reason: 'the Electron binary was never downloaded; run "npx install-electron" while online' });
  });

  it('reports a missing package and a binary that went missing', () => {
    expect(resolveElectronBinary({ electronDir: electronDir(), env: {} })).toEqual({ ok: false, reason: 'the electron package is not installed' });
    touch(join(electronDir(), 'package.json'), 0, '{}');
    touch(join(electronDir(), 'path.txt'), 0, 'electron');
    const result = resolveElectronBinary({ electronDir: electronDir(), env: {} });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/the Electron binary is missing/);
  });

  it('finds an installed binary, and honours ELECTRON_OVERRIDE_DIST_PATH like electron/index.js', () => {
    touch(join(electronDir(), 'package.json'), 0, '{}');
    touch(join(electronDir(), 'path.txt'), 0, 'electron');
    touch(join(electronDir(), 'dist', 'electron'), 0);
    expect(resolveElectronBinary({ electronDir: electronDir(), env: {} })).toEqual({ ok: true, path: join(electronDir(), 'dist', 'electron') });

    touch(join(dir.path, 'custom', 'electron'), 0);
    expect(resolveElectronBinary({ electronDir: electronDir(), env: { ELECTRON_OVERRIDE_DIST_PATH: join(dir.path, 'custom') } })).toEqual({
      ok: true,
      path: join(dir.path, 'custom', 'electron'),
    });
    expect(resolveElectronBinary({ electronDir: electronDir(), env: { ELECTRON_OVERRIDE_DIST_PATH: join(dir.path, 'nowhere') } }).ok).toBe(false);
  });
});

describe('chooseLaunch', () => {
  const installed = () => {
    const electronDir = join(dir.path, 'electron');
    touch(join(electronDir, 'package.json'), 0, '{}');
    touch(join(electronDir, 'path.txt'), 0, 'electron');
    touch(join(electronDir, 'dist', 'electron'), 0);
    return electronDir;
  };

  it('needs a display on Linux only', () => {
    expect(displayProblem({ platform: 'linux', env: {} })).toBe('no display: DISPLAY and WAYLAND_DISPLAY are unset');
    expect(displayProblem({ platform: 'linux', env: { DISPLAY: ':0' } })).toBeNull();
    expect(displayProblem({ platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' } })).toBeNull();
    expect(displayProblem({ platform: 'darwin', env: {} })).toBeNull();
    expect(displayProblem({ platform: 'win32', env: {} })).toBeNull();
  });

  it('runs Electron when it is installed and can show a window', () => {
    const electronDir = installed();
    expect(chooseLaunch({ electronDir, platform: 'linux', env: { DISPLAY: ':0' } })).toEqual({ mode: 'electron', binary: join(electronDir, 'dist', 'electron') });
  });

  it('falls back to server mode, with the reason, otherwise', () => {
    const electronDir = installed();
    expect(chooseLaunch({ electronDir, platform: 'linux', env: {} })).toEqual({ mode: 'server', reason: 'no display: DISPLAY and WAYLAND_DISPLAY are unset' });
    expect(chooseLaunch({ electronDir, platform: 'linux', env: { DISPLAY: ':0', DESK_START_MODE: 'server' } })).toEqual({ mode: 'server', reason: 'DESK_START_MODE=server' });
    expect(chooseLaunch({ electronDir: join(dir.path, 'none'), platform: 'darwin', env: {} })).toMatchObject({ mode: 'server' });
  });

  it('says it in one line', () => {
    const line = fallbackLine('no display: DISPLAY and WAYLAND_DISPLAY are unset');
    expect(line).toBe('Electron runtime unavailable (no display: DISPLAY and WAYLAND_DISPLAY are unset); starting server mode instead.');
    expect(line).not.toContain('\n');
  });
});

describe.skipIf(process.platform === 'win32')('launchElectron', () => {
  const fakeElectron = (script: string): string => {
    const path = join(dir.path, 'fake-electron');
    writeFileSync(path, `#!/bin/sh\n${script}\n`);
    chmodSync(path, 0o755);
    return path;
  };
  const sink = () => {
    const chunks: string[] = [];
    return { chunks, write: (chunk: string | Uint8Array) => chunks.push(chunk.toString()) };
  };

  it('turns a quick failing exit into a one-line reason, holding its stderr back', async () => {
    const stderr = sink();
    const binary = fakeElectron(
      'echo "[1234:ERROR:ozone_platform_x11.cc(240)] Missing X server or \\$DISPLAY" >&2\necho "The platform failed to initialize.  Exiting." >&2\nexit 1',
    );
    const result = await launchElectron({ binary, args: ['.'], graceMs: 5000, stderr });
    expect(result).toEqual({
      outcome: 'failed',
      reason: 'Electron exited with code 1 at startup: The platform failed to initialize.  Exiting.',
    });
    expect(stderr.chunks).toEqual([]);
  });

  it('reports a binary that cannot be executed', async () => {
    const result = await launchElectron({ binary: join(dir.path, 'no-such-electron'), args: [], graceMs: 5000, stderr: sink() });
    expect(result.outcome).toBe('failed');
    expect(result.outcome === 'failed' && result.reason).toMatch(/^cannot start .*no-such-electron: spawn .* ENOENT$/);
  });

  it('treats a process still alive after the grace period as running, then lets stderr through', async () => {
    const stderr = sink();
    const binary = fakeElectron('echo "warming up" >&2\nsleep 1\necho "later" >&2\nexit 3');
    const result = await launchElectron({ binary, args: [], graceMs: 300, stderr, env: { PATH: process.env.PATH, ELECTRON_RUN_AS_NODE: '1' } });
    expect(result.outcome).toBe('running');
    if (result.outcome !== 'running') return;
    expect(await result.exited).toBe(3);
    expect(stderr.chunks.join('')).toBe('warming up\nlater\n');
  });

  it('treats a quick clean exit (a second instance handing over) as success', async () => {
    const result = await launchElectron({ binary: fakeElectron('exit 0'), args: [], graceMs: 5000, stderr: sink() });
    expect(result.outcome).toBe('running');
    expect(result.outcome === 'running' && (await result.exited)).toBe(0);
  });

  it('does not pass ELECTRON_RUN_AS_NODE on', async () => {
    const binary = fakeElectron('if [ -n "$ELECTRON_RUN_AS_NODE" ]; then echo "as node" >&2; exit 9; fi; exit 0');
    const result = await launchElectron({ binary, args: [], graceMs: 5000, stderr: sink(), env: { PATH: process.env.PATH, ELECTRON_RUN_AS_NODE: '1' } });
    expect(result.outcome).toBe('running');
  });
});

describe('lastErrorLine', () => {
  it('picks the most telling line and keeps it short', () => {
    expect(lastErrorLine('a\n[FATAL:setuid_sandbox_host.cc] The SUID sandbox helper binary was found, but is not configured correctly\n\n')).toMatch(/^\[FATAL/);
    expect(lastErrorLine('')).toBe('');
    expect(lastErrorLine(`error ${'x'.repeat(500)}`)).toHaveLength(160);
  });
});
