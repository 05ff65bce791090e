/**
 * A test double of the parts of the `electron` module the shell uses. The Electron runtime cannot
 * run here, so the shell's tests replace the module with this one:
 *
 *   vi.mock('electron', async () => (await import('./electron-double')).electronModule);
 *
 * The double keeps what the shell did (windows created, handlers registered, menus set) and lets a
 * test play Electron's part (become ready, emit events, invoke IPC). It copies Electron's
 * observable behaviour where the shell depends on it: a BrowserWindow emits the app's
 * 'web-contents-created', `app.quit()` emits a cancellable 'before-quit', `ipcMain.handle` refuses
 * a second handler for the same channel.
 */
import { EventEmitter } from 'node:events';

export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function fakeEvent<T extends object>(fields: T = {} as T): FakeEvent & T {
  return {
    ...fields,
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

export class FakeWebFrame {
  constructor(
    public url: string,
    public processId = 1,
    public routingId = 1,
    public parent: FakeWebFrame | null = null,
  ) {}
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame = new FakeWebFrame('', this.id, 1);
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Plays a navigation attempt; returns whether the shell let it happen. */
  tryNavigate(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', url: string): boolean {
    const e = fakeEvent({ url, isMainFrame: true, isSameDocument: false });
    this.emit(event, e, url);
    return !e.defaultPrevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadedUrls: string[] = [];
  shown = false;
  focused = false;
  minimized = false;
  destroyed = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
    fake.app.emit('web-contents-created', fakeEvent(), this.webContents);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    this.webContents.mainFrame.url = url;
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused = true;
  }
  restore(): void {
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

export class FakeApp extends EventEmitter {
  gotLock = true;
  isPackaged = false;
  userData = '';
  sandboxEnabled = false;
  quitRequests = 0;
  /** Set once a quit went through (no before-quit listener prevented it). */
  quitted = false;
  exitCode: number | null = null;
  private readyDeferred = deferred();

  requestSingleInstanceLock(): boolean {
    return this.gotLock;
  }
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  quit(): void {
    this.quitRequests += 1;
    const event = fakeEvent();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.quitted = true;
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
  whenReady(): Promise<void> {
    return this.readyDeferred.promise;
  }
  becomeReady(): void {
    this.readyDeferred.resolve();
  }
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`the double knows only userData, not ${name}`);
    return this.userData;
  }
  getVersion(): string {
    return '0.1.0-test';
  }
  getName(): string {
    return 'Social Care Desk';
  }
  reset(): void {
    this.removeAllListeners();
    Object.assign(this, { gotLock: true, isPackaged: false, userData: '', sandboxEnabled: false, quitRequests: 0, quitted: false, exitCode: null });
    this.readyDeferred = deferred();
  }
}

type IpcListener = (event: unknown, ...args: unknown[]) => unknown;

export class FakeIpcMain {
  readonly handlers = new Map<string, IpcListener>();
  handle(channel: string, listener: IpcListener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Plays ipcRenderer.invoke arriving from `event.sender` / `event.senderFrame`. */
  async invoke(channel: string, event: { sender: unknown; senderFrame: FakeWebFrame | null }, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, requestingOrigin: string, details: object) => boolean;
type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string | string[]>; cancel?: boolean }) => void,
) => void;

export class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  devicePermissionHandler: ((details: object) => boolean) | null = null;
  headersListener: HeadersListener | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: ((details: object) => boolean) | null): void {
    this.devicePermissionHandler = handler;
  }
  /** Asks the installed request handler, as Chromium would. */
  request(permission: string, requestingUrl: string): Promise<boolean> {
    const handler = this.permissionRequestHandler;
    if (!handler) return Promise.resolve(true); // Electron's default grants everything
    return new Promise((resolve) => handler({ getURL: () => requestingUrl }, permission, resolve, { requestingUrl }));
  }
}

/** XORs every byte, so the "ciphertext" differs from the plaintext but round-trips. */
export class FakeSafeStorage {
  available = true;
  backend: 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown' = 'gnome_libsecret';
  reEncrypt = false;
  failDecrypt = false;
  encryptions = 0;

  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return this.available;
  }
  async encryptStringAsync(plainText: string): Promise<Buffer> {
    if (!this.available) throw new Error('Encryption is not available.');
    this.encryptions += 1;
    return Buffer.concat([Buffer.from('v10'), Buffer.from(plainText, 'utf8').map((byte) => byte ^ 0x5a)]);
  }
  async decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    if (this.failDecrypt || !encrypted.subarray(0, 3).equals(Buffer.from('v10'))) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return { result: Buffer.from(encrypted.subarray(3).map((byte) => byte ^ 0x5a)).toString('utf8'), shouldReEncrypt: this.reEncrypt };
  }
  getSelectedStorageBackend(): FakeSafeStorage['backend'] {
    return this.backend;
  }
}

export class FakeIpcRenderer extends EventEmitter {
  readonly invocations: Array<{ channel: string; args: unknown[] }> = [];
  answer: unknown = { ok: true, value: null };
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args });
    return this.answer;
  }
}

function createFake() {
  return {
    app: new FakeApp(),
    ipcMain: new FakeIpcMain(),
    session: new FakeSession(),
    safeStorage: new FakeSafeStorage(),
    ipcRenderer: new FakeIpcRenderer(),
    privilegedSchemes: [] as Array<{ scheme: string; privileges?: Record<string, boolean> }>,
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    menuTemplate: null as Array<Record<string, unknown>> | null,
    openedExternally: [] as string[],
    openedPaths: [] as string[],
    errorBoxes: [] as Array<{ title: string; content: string }>,
    exposed: new Map<string, unknown>(),
  };
}

/** What the test controls and inspects. Reset between tests with `resetFake()`. */
export const fake = createFake();

export function resetFake(): void {
  const fresh = createFake();
  fake.app.reset();
  Object.assign(fake, { ...fresh, app: fake.app });
  FakeBrowserWindow.instances = [];
}

/** The module that replaces `electron`. Each member reads `fake` at call time, so resets apply. */
export const electronModule = {
  app: new Proxy({} as FakeApp, {
    get: (_target, key: keyof FakeApp) => {
      const value = fake.app[key];
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(fake.app) : value;
    },
  }),
  BrowserWindow: FakeBrowserWindow,
  ipcMain: {
    handle: (channel: string, listener: IpcListener) => fake.ipcMain.handle(channel, listener),
    removeHandler: (channel: string) => fake.ipcMain.removeHandler(channel),
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes: Array<{ scheme: string; privileges?: Record<string, boolean> }>) => {
      fake.privilegedSchemes.push(...schemes);
    },
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
      fake.protocolHandlers.set(scheme, handler);
    },
  },
  session: {
    get defaultSession() {
      return fake.session;
    },
  },
  safeStorage: new Proxy({} as FakeSafeStorage, {
    get: (_target, key: keyof FakeSafeStorage) => {
      const value = fake.safeStorage[key];
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(fake.safeStorage) : value;
    },
  }),
  Menu: {
    buildFromTemplate: (template: Array<Record<string, unknown>>) => ({ template }),
    setApplicationMenu: (menu: { template: Array<Record<string, unknown>> } | null) => {
      fake.menuTemplate = menu?.template ?? null;
    },
  },
  shell: {
    openExternal: async (url: string) => {
      fake.openedExternally.push(url);
    },
    openPath: async (path: string) => {
      fake.openedPaths.push(path);
      return '';
    },
  },
  dialog: {
    showErrorBox: (title: string, content: string) => {
      fake.errorBoxes.push({ title, content });
    },
  },
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      if (fake.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
      fake.exposed.set(key, api);
    },
  },
  ipcRenderer: new Proxy({} as FakeIpcRenderer, {
    get: (_target, key: keyof FakeIpcRenderer) => {
      const value = fake.ipcRenderer[key];
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(fake.ipcRenderer) : value;
    },
  }),
};
