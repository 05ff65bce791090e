/**
 * What every web page in the app may and may not do, enforced in the main process.
 *
 * The console is a single page on app://desk/. It never needs to navigate elsewhere, open a
 * window, embed a webview, or use a device or a permission-gated web API, so all of that is
 * refused here, whatever the page asks. A link to the outside (a customer's profile, a platform
 * help page) opens in the user's browser, and only if it is a plain https:// URL.
 */
import type { Event, Session, WebContents } from 'electron';
import { isRendererUrl } from './renderer-origin';

/** Hands a URL to the user's default browser (shell.openExternal in the app). */
export type OpenInBrowser = (url: string) => Promise<void>;
export type ShellLog = (event: string, fields: Record<string, unknown>) => void;

/** https only, with a host and no embedded credentials; anything else is not handed to the OS. */
export function isSafeExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.hostname !== '' && parsed.username === '' && parsed.password === '';
}

export interface ContentsPolicyDeps {
  /** Called only with URLs that passed isSafeExternalUrl. */
  openInBrowser: OpenInBrowser;
  log: ShellLog;
}

function openOutside(url: string, deps: ContentsPolicyDeps): void {
  if (!isSafeExternalUrl(url)) {
    deps.log('shell.external-link-refused', { url: url.slice(0, 200) });
    return;
  }
  deps.openInBrowser(url).catch((error: unknown) => deps.log('shell.external-link-failed', { error }));
}

/**
 * Applied to every WebContents the app creates (app 'web-contents-created'), so a window or
 * frame that slipped past the other checks gets the same rules.
 */
export function applyContentsPolicy(contents: WebContents, deps: ContentsPolicyDeps): void {
  const refuseNavigation = (event: Event, url: string): boolean => {
    if (isRendererUrl(url)) return false;
    event.preventDefault();
    deps.log('shell.navigation-refused', { url: url.slice(0, 200) });
    return true;
  };
  // will-navigate: the top frame, e.g. a plain link clicked in the console; an https link opens
  // in the browser instead. will-frame-navigate (fired for every frame, the top one included) and
  // will-redirect are refused without opening anything, so one click never opens two tabs and a
  // frame or redirect cannot open the browser.
  contents.on('will-navigate', (event) => {
    if (refuseNavigation(event, event.url)) openOutside(event.url, deps);
  });
  contents.on('will-frame-navigate', (event) => refuseNavigation(event, event.url));
  contents.on('will-redirect', (event) => refuseNavigation(event, event.url));

  contents.setWindowOpenHandler((details) => {
    openOutside(details.url, deps);
    return { action: 'deny' };
  });

  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    deps.log('shell.webview-refused', {});
  });
}

/**
 * Permissions the console may use: a sanitized clipboard write (a "copy" button) and
 * notifications (the agent desk announces new work with a desktop notification), nothing else.
 */
const GRANTED_TO_CONSOLE = new Set(['clipboard-sanitized-write', 'notifications']);

function mayUse(permission: string, requestingUrl: string): boolean {
  return GRANTED_TO_CONSOLE.has(permission) && isRendererUrl(requestingUrl);
}

export interface SessionPolicyOptions {
  csp: string;
  log: ShellLog;
}

/** Permission handlers and the CSP header for the session the console window uses. */
export function applySessionPolicy(session: Session, options: SessionPolicyOptions): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const granted = mayUse(permission, details.requestingUrl);
    if (!granted) options.log('shell.permission-refused', { permission, url: contents.getURL().slice(0, 200) });
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    mayUse(permission, requestingOrigin.endsWith('/') ? requestingOrigin : `${requestingOrigin}/`),
  );
  // USB, HID, serial and Bluetooth devices: never.
  session.setDevicePermissionHandler(() => false);

  // Second layer behind the renderer's meta CSP and the protocol handler's header: any response
  // this session receives carries our policy too.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [options.csp] } });
  });
}
