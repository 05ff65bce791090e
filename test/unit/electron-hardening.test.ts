/**
 * The shell's security rules, each driven through a double of the Electron object it guards:
 * navigation and window.open, webviews, permissions, the CSP header, the app://desk/ file
 * handler, and the menu's developer tools. (Window preferences: electron-app.test.ts.)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Session, WebContents } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/shell/csp';
import { applyContentsPolicy, applySessionPolicy, isSafeExternalUrl } from '../../electron/shell/hardening';
import { buildMenuTemplate } from '../../electron/shell/menu';
import { isRendererUrl, RENDERER_ENTRY_URL } from '../../electron/shell/renderer-origin';
import { createRendererRequestHandler } from '../../electron/shell/renderer-protocol';
import { tempDir } from '../support/temp';
import { FakeSession, FakeWebContents } from './electron-double';

describe('renderer origin', () => {
  it('is app://desk/ and nothing that merely starts like it', () => {
    expect(isRendererUrl(RENDERER_ENTRY_URL)).toBe(true);
    expect(isRendererUrl('app://desk/index.html#/queue?x=1')).toBe(true);
    for (const url of ['app://desk.evil/', 'app://desk@evil/', 'app://evil/desk', 'app://desk:8080/', 'file:///app/index.html', 'https://desk/', 'not a url', '']) {
      expect(isRendererUrl(url), url).toBe(false);
    }
  });
});

describe('contents policy', () => {
  let contents: FakeWebContents;
  let opened: string[];
  let logged: string[];

  beforeEach(() => {
    contents = new FakeWebContents();
    opened = [];
    logged = [];
    applyContentsPolicy(contents as unknown as WebContents, {
      openInBrowser: async (url) => {
        opened.push(url);
      },
      log: (event) => logged.push(event),
    });
  });

  it('lets the console move within its own origin', () => {
    expect(contents.tryNavigate('will-navigate', 'app://desk/index.html#/settings')).toBe(true);
    expect(logged).toEqual([]);
  });

  it('refuses every navigation away from the console, in any frame and by redirect', () => {
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect'] as const) {
      for (const url of ['https://evil.example/', 'file:///etc/passwd', 'http://127.0.0.1:8080/', 'javascript:alert(1)', 'app://other/']) {
        expect(contents.tryNavigate(event, url), `${event} ${url}`).toBe(false);
      }
    }
    expect(logged).toContain('shell.navigation-refused');
  });

  it('hands a refused https link to the browser, and nothing else', () => {
    contents.tryNavigate('will-navigate', 'https://x.com/someone');
    contents.tryNavigate('will-navigate', 'file:///etc/passwd');
    contents.tryNavigate('will-navigate', 'http://example.com/');
    expect(opened).toEqual(['https://x.com/someone']);
  });

  it('opens nothing for a frame navigation or a redirect (one click, one tab)', () => {
    contents.tryNavigate('will-frame-navigate', 'https://x.com/someone');
    contents.tryNavigate('will-redirect', 'https://x.com/someone');
    expect(opened).toEqual([]);
  });

  it('denies every window.open, opening only plain https links outside', () => {
    const handler = contents.windowOpenHandler;
    expect(handler).not.toBeNull();
    for (const url of ['https://www.facebook.com/page', 'app://desk/index.html', 'file:///etc/passwd', 'https://user:pw@example.com/', 'smb://server/share', 'javascript:alert(1)']) {
      expect(handler?.({ url }), url).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://www.facebook.com/page']);
  });

  it('refuses to attach a webview', () => {
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('judges external links by parsing, not by prefix', () => {
    expect(isSafeExternalUrl('https://x.com/a?b=c')).toBe(true);
    expect(isSafeExternalUrl('HTTPS://X.COM/')).toBe(true);
    expect(isSafeExternalUrl('https://user@x.com/')).toBe(false);
    expect(isSafeExternalUrl('http://x.com/')).toBe(false);
    expect(isSafeExternalUrl('https:x')).toBe(true); // the URL parser makes it https://x/
    expect(isSafeExternalUrl(' javascript:alert(1)')).toBe(false);
    expect(isSafeExternalUrl('')).toBe(false);
  });
});

describe('session policy', () => {
  let session: FakeSession;
  beforeEach(() => {
    session = new FakeSession();
    applySessionPolicy(session as unknown as Session, { csp: CONTENT_SECURITY_POLICY, log: () => {} });
  });

  it('denies permission requests', async () => {
    for (const permission of ['media', 'geolocation', 'openExternal', 'midiSysex', 'fullscreen', 'clipboard-read', 'display-capture']) {
      expect(await session.request(permission, RENDERER_ENTRY_URL), permission).toBe(false);
    }
  });

  it('allows only a sanitized clipboard write and notifications, and only to the console', async () => {
    expect(await session.request('clipboard-sanitized-write', RENDERER_ENTRY_URL)).toBe(true);
    expect(await session.request('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    // The agent desk's desktop notification for new work; only for the console itself.
    expect(await session.request('notifications', RENDERER_ENTRY_URL)).toBe(true);
    expect(await session.request('notifications', 'https://evil.example/')).toBe(false);
    expect(session.permissionCheckHandler?.(null, 'clipboard-sanitized-write', 'app://desk', {})).toBe(true);
    expect(session.permissionCheckHandler?.(null, 'clipboard-read', 'app://desk', {})).toBe(false);
    expect(session.permissionCheckHandler?.(null, 'media', 'app://desk', {})).toBe(false);
    expect(session.permissionCheckHandler?.(null, 'clipboard-sanitized-write', 'https://evil.example', {})).toBe(false);
  });

  it('refuses device access', () => {
    expect(session.devicePermissionHandler?.({ deviceType: 'usb' })).toBe(false);
  });

  it('adds the CSP header to responses', () => {
    let headers: Record<string, string | string[]> | undefined;
    session.headersListener?.({ url: RENDERER_ENTRY_URL, responseHeaders: { 'Content-Type': ['text/html'] } }, (response) => {
      headers = response.responseHeaders;
    });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('content security policy', () => {
  it('allows nothing by default, no inline script, no eval, no remote host', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/(^|; )default-src 'none'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/(^|; )script-src 'self'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/(^|; )object-src 'none'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/(^|; )frame-ancestors 'none'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|https?:|\*/);
  });
});

describe('app://desk/ file handler', () => {
  let root: ReturnType<typeof tempDir>;
  let handle: (request: Request) => Promise<Response>;

  beforeEach(() => {
    root = tempDir('desk-renderer-');
    mkdirSync(join(root.path, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(root.path, 'renderer', 'index.html'), '<!doctype html><title>Desk</title>');
    writeFileSync(join(root.path, 'renderer', 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(root.path, 'secrets.json'), '{"x":"top secret"}');
    handle = createRendererRequestHandler({ root: join(root.path, 'renderer'), csp: CONTENT_SECURITY_POLICY });
  });
  afterEach(() => root.remove());

  it('serves the console with its type, the CSP and nosniff', async () => {
    const response = await handle(new Request('app://desk/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Desk</title>');

    const script = await handle(new Request('app://desk/assets/app.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await handle(new Request('app://desk/'))).status).toBe(200);
  });

  it('never leaves the renderer folder', async () => {
    for (const url of [
      'app://desk/../secrets.json',
      'app://desk/%2e%2e/secrets.json',
      'app://desk/assets/%2e%2e%2f%2e%2e%2fsecrets.json',
      'app://desk/..%5csecrets.json',
      'app://desk/%00index.html',
    ]) {
      const response = await handle(new Request(url));
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(await response.text(), url).not.toContain('top secret');
    }
  });

  it('answers only GET and HEAD, only for app://desk/, only for files that exist', async () => {
    expect((await handle(new Request('app://desk/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    expect((await handle(new Request('app://other/index.html'))).status).toBe(404);
    expect((await handle(new Request('app://desk/missing.js'))).status).toBe(404);
    expect((await handle(new Request('app://desk/assets'))).status).toBe(404);
    const head = await handle(new Request('app://desk/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('menu', () => {
  const roles = (template: ReturnType<typeof buildMenuTemplate>): string[] =>
    JSON.stringify(template)
      .match(/"role":"[a-zA-Z]+"/g)
      ?.map((match) => match.slice(8, -1)) ?? [];
  const actions = { showDataFolder: () => {}, showLogsFolder: () => {} };

  it('has File, Edit, View, Window and Help', () => {
    const labels = buildMenuTemplate({ appName: 'Desk', platform: 'linux', development: false, actions }).map((item) => item.label);
    expect(labels).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
  });

  it('offers developer tools in development builds only', () => {
    expect(roles(buildMenuTemplate({ appName: 'Desk', platform: 'linux', development: false, actions }))).not.toContain('toggleDevTools');
    expect(roles(buildMenuTemplate({ appName: 'Desk', platform: 'linux', development: true, actions }))).toContain('toggleDevTools');
  });

  it('follows the macOS conventions on macOS', () => {
    const template = buildMenuTemplate({ appName: 'Desk', platform: 'darwin', development: false, actions });
    expect(template[0]?.label).toBe('Desk');
    expect(roles(template)).toEqual(expect.arrayContaining(['about', 'hideOthers', 'quit', 'front']));
  });
});
