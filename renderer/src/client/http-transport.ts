/**
 * Server-mode transport: commands over HTTP POST, events over one WebSocket, both carrying
 * the per-launch token. The socket reconnects with capped, jittered backoff; after a drop the
 * app re-reads what it shows, because events sent while disconnected are gone.
 */
import { transport as wire, type CommandName } from '../../../electron/core/contract';
import { DeskCallError, type ConnectionState, type DeskTransport } from './desk-client';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

export interface HttpTransportOptions {
  token: string;
  /** The page's origin, e.g. http://127.0.0.1:4312 */
  origin: string;
}

export function createHttpTransport({ token, origin }: HttpTransportOptions): DeskTransport {
  const eventListeners = new Set<(batch: unknown) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let socket: WebSocket | null = null;
  let retryDelay = FIRST_RETRY_MS;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    for (const listener of [...connectionListeners]) listener(next);
  }

  async function call(name: CommandName, input: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${origin}${wire.httpCommandPrefix}${name}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch {
      throw new DeskCallError('unavailable', 'The desk is not reachable. Is it still running?', name);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new DeskCallError('internal', `The desk answered ${name} with HTTP ${response.status} and no readable body.`, name);
    }
    if (response.status === 401 && state !== 'unauthorized') {
      setState('unauthorized');
      stopSocket();
    }
    return body;
  }

  function webSocketUrl(): string {
    const url = new URL(wire.webSocketPath, origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.toString();
  }

  function connect(): void {
    if (closed || state === 'unauthorized') return;
    let opened = false;
    const ws = new WebSocket(webSocketUrl(), [wire.webSocketProtocol, `${wire.webSocketTokenPrefix}${token}`]);
    socket = ws;
    ws.addEventListener('open', () => {
      opened = true;
      retryDelay = FIRST_RETRY_MS;
      setState('live');
    });
    ws.addEventListener('message', (message: MessageEvent<unknown>) => {
      if (typeof message.data !== 'string') return;
      let batch: unknown;
      try {
        batch = JSON.parse(message.data);
      } catch {
        return;
      }
      for (const listener of [...eventListeners]) listener(batch);
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      if (closed || state === 'unauthorized') return;
      setState(state === 'connecting' && !opened ? 'connecting' : 'reconnecting');
      if (!opened) void checkAuthorization();
      scheduleReconnect();
    });
  }

  /**
   * A refused WebSocket handshake looks the same as a dead desk from the browser's side.
   * One cheap command tells them apart, so a stale token stops the retry loop.
   */
  async function checkAuthorization(): Promise<void> {
    try {
      await call('getStatus', {});
    } catch {
      // Unreachable desk: keep retrying.
    }
  }

  function scheduleReconnect(): void {
    if (retryTimer !== null || closed) return;
    const delay = retryDelay * (0.8 + Math.random() * 0.4);
    retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay);
  }

  function stopSocket(): void {
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
    const ws = socket;
    socket = null;
    ws?.close();
  }

  connect();

  return {
    kind: 'server',
    call,
    onEvents(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    connection: () => state,
    close(): void {
      closed = true;
      stopSocket();
    },
  };
}
