/**
 * The desktop app's lifecycle: one instance, one window, the desk core behind IPC.
 *
 * main.ts only calls `runDesktopApp`; everything here takes its collaborators (the desk factory,
 * the logger factory, paths) as options so the unit tests can drive the whole lifecycle against
 * a double of the `electron` module.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, dialog, ipcMain, Menu, protocol, safeStorage, session, shell, type BrowserWindow } from 'electron';
import type { Desk, DeskOptions } from '../core/desk';
import type { Logger, LoggerOptions } from '../core/logger';
import type { SandboxFactory } from '../core/network';
import { CONTENT_SECURITY_POLICY } from './csp';
import { applyContentsPolicy, applySessionPolicy, type ShellLog } from './hardening';
import { registerDeskIpc, relayDeskEvents } from './ipc';
import { buildMenuTemplate } from './menu';
import { RENDERER_ENTRY_URL, RENDERER_SCHEME } from './renderer-origin';
import { createRendererRequestHandler } from './renderer-protocol';
import { SafeStorageSecretStore } from './safe-storage-secrets';
import { createConsoleWindow } from './window';

export interface DesktopAppOptions {
  /** The folder holding main.js and preload.cjs (dist-electron/). */
  distDir: string;
  createDesk: (options: DeskOptions) => Desk;
  /** The simulated network for a desk with no real account yet (given the data directory). */
  sandbox?: (dataDir: string) => SandboxFactory;
  createLogger: (options: LoggerOptions) => Logger;
  platform?: NodeJS.Platform;
}

/** What a running shell exposes to tests. */
export interface DesktopApp {
  /** Settles when the desk has started and the window exists (or startup failed and the app is exiting). */
  readonly ready: Promise<void>;
  window(): BrowserWindow | null;
}

/** Who the audit log names for changes made from the desktop console (same word as server mode). */
const ACTOR = 'console';

/**
 * Must run before the app's `ready` event (so: when main.js is loaded). Returns null when another
 * instance already runs; that instance gets focused and this one quits.
 */
export function runDesktopApp(options: DesktopAppOptions): DesktopApp | null {
  const platform = options.platform ?? process.platform;

  // The lock comes first, so a second launch quits before it touches the data directory.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }

  // Every renderer in the OS sandbox, whatever a future BrowserWindow forgets to say.
  app.enableSandbox();
  // Must happen before ready. standard + secure: relative URLs, web storage and a secure context
  // work as on https. No bypassCSP, no corsEnabled, no service workers.
  protocol.registerSchemesAsPrivileged([
    { scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);

  const appRoot = join(options.distDir, '..');
  const development = !app.isPackaged;
  let window: BrowserWindow | null = null;
  let desk: Desk | null = null;
  let logger: Logger | null = null;
  const log: ShellLog = (event, fields) => logger?.warn(event, fields);

  app.on('web-contents-created', (_event, contents) => {
    // The policy hands over only URLs that isSafeExternalUrl accepts (https, a host, no credentials).
    applyContentsPolicy(contents, { openInBrowser: (url) => shell.openExternal(url), log });
  });

  app.on('second-instance', () => {
    if (window === null || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });

  const createWindow = (): BrowserWindow => {
    const icon = join(appRoot, 'build', 'icon.png');
    const created = createConsoleWindow({
      preloadPath: join(options.distDir, 'preload.cjs'),
      title: app.getName(),
      devTools: development,
      ...(platform === 'linux' && existsSync(icon) ? { icon } : {}),
    });
    created.once('ready-to-show', () => created.show());
    created.webContents.on('render-process-gone', (_event, details) => logger?.error('shell.console-process-gone', { ...details }));
    created.on('closed', () => {
      if (window === created) window = null;
    });
    created.loadURL(RENDERER_ENTRY_URL).catch((error: unknown) => logger?.error('shell.console-load-failed', { error }));
    window = created;
    return created;
  };

  let stopDesk: () => Promise<void> = async () => {};

  const fail = async (error: unknown): Promise<void> => {
    const message = error instanceof Error ? error.message : String(error);
    logger?.error('shell.startup-failed', { error });
    dialog.showErrorBox(`${app.getName()} could not start`, message);
    // app.exit skips before-quit, so close the store here if it got that far.
    await stopDesk().catch(() => undefined);
    app.exit(1);
  };

  const start = async (): Promise<void> => {
    const dataDir = app.getPath('userData');
    const logsDir = join(dataDir, 'logs');
    logger = options.createLogger({ file: join(logsDir, 'desk.log'), stderrLevel: development ? 'info' : 'warn' });
    const secrets = new SafeStorageSecretStore({ file: join(dataDir, 'secrets.enc.json'), safeStorage, platform });
    const created = options.createDesk({ dataDir, version: app.getVersion(), secrets, logger, ...(options.sandbox ? { sandbox: options.sandbox(dataDir) } : {}) });
    desk = created;
    const started = created.start();
    stopDesk = async () => {
      await started.catch(() => undefined);
      await created.stop();
    };
    await started;

    protocol.handle(RENDERER_SCHEME, createRendererRequestHandler({ root: join(appRoot, 'dist', 'renderer'), csp: CONTENT_SECURITY_POLICY }));
    applySessionPolicy(session.defaultSession, { csp: CONTENT_SECURITY_POLICY, log });

    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({
          appName: app.getName(),
          platform,
          development,
          actions: {
            showDataFolder: () => void shell.openPath(dataDir),
            showLogsFolder: () => void shell.openPath(logsDir),
          },
        }),
      ),
    );

    const getWindow = (): BrowserWindow | null => window;
    const removeIpc = registerDeskIpc({ ipcMain, desk: created, getWindow, actor: ACTOR, log });
    const unsubscribe = relayDeskEvents(created, getWindow);
    const stopCore = stopDesk;
    stopDesk = async () => {
      unsubscribe();
      removeIpc();
      await stopCore();
    };

    createWindow();
    app.on('activate', () => {
      // macOS: clicking the dock icon with no window open brings the console back.
      if (window === null) createWindow();
    });
  };

  app.on('window-all-closed', () => {
    // macOS apps stay in the dock with no window; elsewhere closing the window ends the app.
    if (platform !== 'darwin') app.quit();
  });

  // Quitting waits for the desk to stop, so a write in flight commits and the database closes
  // cleanly. The first before-quit is cancelled, the desk stops, then the app quits for real.
  let quitting: 'no' | 'stopping' | 'stopped' = 'no';
  app.on('before-quit', (event) => {
    if (quitting === 'stopped' || desk === null) return;
    event.preventDefault();
    if (quitting === 'stopping') return;
    quitting = 'stopping';
    stopDesk()
      .catch((error: unknown) => logger?.error('shell.desk-stop-failed', { error }))
      .finally(() => {
        quitting = 'stopped';
        app.quit();
      });
  });

  const ready = app
    .whenReady()
    .then(start)
    .catch(fail);

  return { ready, window: () => window };
}
