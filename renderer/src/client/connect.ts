/**
 * Picks the transport for this window: the preload bridge inside Electron, HTTP + WebSocket
 * in an ordinary browser (server mode). Must run before the router looks at location.hash,
 * because in server mode the fragment first carries the token, not a page.
 */
import { createDeskClient, type DeskClient } from './desk-client';
import { createHttpTransport } from './http-transport';
import { createIpcTransport } from './ipc-transport';
import { resolveToken, TOKEN_STORAGE_KEY } from './token';

export type ConnectResult =
  | { ok: true; client: DeskClient }
  | { ok: false; reason: 'no-token' };

/**
 * Flushes on the next animation frame, or after 250 ms when frames are not coming
 * (a hidden window gets none), so events never pile up unbounded while the console is hidden.
 */
export function animationFrameScheduler(flush: () => void): void {
  let done = false;
  const run = (): void => {
    if (done) return;
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    flush();
  };
  const frame = requestAnimationFrame(run);
  const timer = setTimeout(run, 250);
}

function reportProblem(message: string): void {
  console.warn(`[desk client] ${message}`);
}

function readStoredToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

function storeToken(token: string): void {
  try {
    sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // Storage disabled: the console still works until the next reload.
  }
}

export function connectToDesk(): ConnectResult {
  if (typeof window.desk === 'object' && window.desk !== null) {
    return { ok: true, client: createDeskClient(createIpcTransport(window.desk), { schedule: animationFrameScheduler, reportProblem }) };
  }

  const { token, mustCleanAddressBar } = resolveToken(location.hash, readStoredToken());
  if (mustCleanAddressBar) {
    // Keep path and query, drop the fragment: the router then shows the default page.
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  }
  if (token === null) return { ok: false, reason: 'no-token' };
  storeToken(token);
  const transport = createHttpTransport({ token, origin: location.origin });
  return { ok: true, client: createDeskClient(transport, { schedule: animationFrameScheduler, reportProblem }) };
}
