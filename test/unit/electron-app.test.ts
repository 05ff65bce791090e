/**
 * The whole desktop lifecycle against a double of the `electron` module and a real desk on a temp
 * directory: single-instance lock, one hardened window on app://desk/, the menu, IPC through to the
 * core, focus on a second launch, and a quit that waits for the desk to stop.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { transport, type DeskResult } from '../../electron/core/contract';
import { createDesk, type Desk, type DeskOptions } from '../../electron/core/desk';
import { silentLogger } from '../../electron/core/logger';
import { tempDir } from '../support/temp';
import { fake, FakeBrowserWindow, resetFake } from './electron-double';

vi.mock('electron', async () => (await import('./electron-double')).electronModule);

const { runDesktopApp } = await import('../../electron/shell/app');
const { createConsoleWindow } = await import('../../electron/shell/window');

describe('console window', () => {
  beforeEach(() => resetFake());

  it('isolates, sandboxes and keeps Node out of the page', () => {
    createConsoleWindow({ preloadPath: '/app/dist-electron/preload.cjs', title: 'Social Care Desk', devTools: false });
    const options = FakeBrowserWindow.instances[0]?.options;
    expect(options?.show).toBe(false);
    expect(options?.webPreferences).toEqual({
      preload: '/app/dist-electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: true,
      devTools: false,
    });
  });
});

describe('desktop app', () => {
  let dir: ReturnType<typeof tempDir>;
  let desks: Desk[];
  const trackedDesk = (options: DeskOptions): Desk => {
    const desk = createDesk({ ...options, eventWindowMs: 5 });
    desks.push(desk);
    return desk;
  };
  const start = (overrides: Partial<Parameters<typeof runDesktopApp>[0]> = {}) =>
    runDesktopApp({ distDir: join(dir.path, 'app', 'dist-electron'), createDesk: trackedDesk, createLogger: () => silentLogger, platform: 'linux', ...overrides });

  beforeEach(() => {
    resetFake();
    dir = tempDir('desk-app-');
    fake.app.userData = join(dir.path, 'userData');
    desks = [];
  });
  afterEach(async () => {
    await Promise.all(desks.map((desk) => desk.stop()));
    dir.remove();
  });

  it('quits at once, touching nothing, when another instance holds the lock', () => {
    fake.app.gotLock = false;
    expect(start()).toBeNull();
    expect(fake.app.quitRequests).toBe(1);
    expect(fake.app.quitted).toBe(true);
    fake.app.becomeReady();
    expect(desks).toEqual([]);
    expect(FakeBrowserWindow.instances).toEqual([]);
    expect(existsSync(fake.app.userData)).toBe(false);
  });

  it('prepares the sandbox and the app:// scheme before ready', () => {
    start();
    expect(fake.app.sandboxEnabled).toBe(true);
    expect(fake.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
    expect(FakeBrowserWindow.instances).toEqual([]);
  });

  it('opens one hardened window on the console once the desk runs in userData', async () => {
    const shell = start();
    fake.app.becomeReady();
    await shell?.ready;

    expect(desks).toHaveLength(1);
    expect(existsSync(join(fake.app.userData, 'logs'))).toBe(false); // the silent logger writes nothing
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    const window = FakeBrowserWindow.instances[0]!;
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      preload: join(dir.path, 'app', 'dist-electron', 'preload.cjs'),
    });
    expect(window.loadedUrls).toEqual(['app://desk/index.html']);
    expect(fake.protocolHandlers.has('app')).toBe(true);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);

    // The policy reached the window's contents through app 'web-contents-created'.
    expect(window.webContents.tryNavigate('will-navigate', 'https://evil.example/')).toBe(false);
    expect(window.webContents.windowOpenHandler?.({ url: 'https://x.com/' })).toEqual({ action: 'deny' });
    expect(window.webContents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    // The refused https navigation above and the https window.open went to the browser; file: did not.
    expect(fake.openedExternally).toEqual(['https://evil.example/', 'https://x.com/']);
    expect(await fake.session.request('media', 'app://desk/index.html')).toBe(false);
    expect(fake.session.headersListener).not.toBeNull();
  });

  it('answers IPC from its window through the real desk, and refuses other senders', async () => {
    const shell = start();
    fake.app.becomeReady();
    await shell?.ready;
    const window = FakeBrowserWindow.instances[0]!;

    const answer = (await fake.ipcMain.invoke(transport.ipcCallChannel, { sender: window.webContents, senderFrame: window.webContents.mainFrame }, 'getStatus', {})) as DeskResult<{ store: { dataDir: string }; version: string }>;
    expect(answer.ok).toBe(true);
    expect(answer.ok && answer.value.store.dataDir).toBe(fake.app.userData);
    expect(answer.ok && answer.value.version).toBe('0.1.0-test');

    const stranger = new FakeBrowserWindow({});
    await stranger.loadURL('app://desk/index.html');
    const refused = await fake.ipcMain.invoke(transport.ipcCallChannel, { sender: stranger.webContents, senderFrame: stranger.webContents.mainFrame }, 'getStatus', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    await fake.ipcMain.invoke(transport.ipcCallChannel, { sender: window.webContents, senderFrame: window.webContents.mainFrame }, 'updateSettings', { deskName: 'Weekend desk' });
    await vi.waitFor(() => expect(window.webContents.sent.some((sent) => sent.channel === transport.ipcEventsChannel)).toBe(true));
    expect(stranger.webContents.sent).toEqual([]);
  });

  it('hides developer tools in packaged builds', async () => {
    fake.app.isPackaged = true;
    const shell = start();
    fake.app.becomeReady();
    await shell?.ready;
    expect(JSON.stringify(fake.menuTemplate)).not.toContain('toggleDevTools');
    expect(FakeBrowserWindow.instances[0]?.options.webPreferences).toMatchObject({ devTools: false });
  });

  it('focuses the existing window when a second instance starts', async () => {
    const shell = start();
    fake.app.becomeReady();
    await shell?.ready;
    const window = FakeBrowserWindow.instances[0]!;
    window.minimized = true;
    fake.app.emit('second-instance', {}, ['social-care-desk'], '/');
    expect(window.minimized).toBe(false);
    expect(window.focused).toBe(true);
    expect(FakeBrowserWindow.instances).toHaveLength(1);
  });

  it('stops the desk before the app quits', async () => {
    const shell = start();
    fake.app.becomeReady();
    await shell?.ready;
    const desk = desks[0]!;
    let stopped = false;
    const realStop = desk.stop.bind(desk);
    vi.spyOn(desk, 'stop').mockImplementation(async () => {
      await realStop();
      stopped = true;
    });

    fake.app.quit();
    expect(fake.app.quitted).toBe(false); // held back while the desk stops
    fake.app.quit(); // a second request while stopping does not stop twice
    await vi.waitFor(() => expect(fake.app.quitted).toBe(true));
    expect(stopped).toBe(true);
    expect(desk.stop).toHaveBeenCalledTimes(1);
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('quits when the window closes, except on macOS', async () => {
    const shell = start();
    fake.app.becomeReady();
    await shell?.ready;
    FakeBrowserWindow.instances[0]?.close();
    fake.app.emit('window-all-closed');
    await vi.waitFor(() => expect(fake.app.quitted).toBe(true));
    expect(shell?.window()).toBeNull();
  });

  it('says why in an error box and exits when the desk cannot start', async () => {
    const shell = start({
      createDesk: (options) => {
        const desk = trackedDesk(options);
        vi.spyOn(desk, 'start').mockRejectedValue(new Error('the database was made by a newer desk'));
        return desk;
      },
    });
    fake.app.becomeReady();
    await shell?.ready;
    expect(fake.errorBoxes).toEqual([{ title: 'Social Care Desk could not start', content: 'the database was made by a newer desk' }]);
    expect(fake.app.exitCode).toBe(1);
    expect(FakeBrowserWindow.instances).toEqual([]);
  });
});
