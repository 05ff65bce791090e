/**
 * What every page shares: the desk status (name, zone, open/closed/emergency, network) and
 * the connection state. Kept outside React and read with useSyncExternalStore, so one
 * coalesced event batch becomes at most one render of the components that read it.
 */
import type { DeskStatus } from '../../../electron/core/contract';
import type { ConnectionState, DeskCallError, DeskClient } from '../client/desk-client';

export interface DeskSnapshot {
  readonly status: DeskStatus | null;
  readonly statusError: DeskCallError | null;
  readonly connection: ConnectionState;
  /** desk clock minus this machine's clock, so the header clock shows the desk's time. */
  readonly clockOffsetMs: number;
}

export interface DeskStore {
  getSnapshot(): DeskSnapshot;
  subscribe(listener: () => void): () => void;
  refreshStatus(): Promise<void>;
  dispose(): void;
}

export function createDeskStore(client: DeskClient): DeskStore {
  let snapshot: DeskSnapshot = { status: null, statusError: null, connection: client.connection(), clockOffsetMs: 0 };
  const listeners = new Set<() => void>();

  function update(patch: Partial<DeskSnapshot>): void {
    snapshot = { ...snapshot, ...patch };
    for (const listener of [...listeners]) listener();
  }

  function acceptStatus(status: DeskStatus): void {
    update({ status, statusError: null, clockOffsetMs: status.now - Date.now() });
  }

  async function refreshStatus(): Promise<void> {
    try {
      acceptStatus(await client.getStatus({}));
    } catch (error) {
      update({ statusError: error as DeskCallError });
    }
  }

  const stopEvents = client.subscribe((events) => {
    let status = snapshot.status;
    let clockOffsetMs = snapshot.clockOffsetMs;
    for (const event of events) {
      if (event.type === 'statusChanged') {
        status = event.payload;
        clockOffsetMs = event.payload.now - Date.now();
      } else if (event.type === 'settingsChanged' && status !== null) {
        // Settings arrive on their own event too; fold them in so the header never lags.
        status = { ...status, ...event.payload };
      }
    }
    if (status !== snapshot.status) update({ status, statusError: null, clockOffsetMs });
  });

  const stopConnection = client.onConnection((connection) => {
    const wasDown = snapshot.connection === 'reconnecting' || snapshot.connection === 'connecting';
    update({ connection });
    // Events sent while the socket was down are lost; read the status again.
    if (connection === 'live' && wasDown) void refreshStatus();
  });

  void refreshStatus();

  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refreshStatus,
    dispose(): void {
      stopEvents();
      stopConnection();
      listeners.clear();
    },
  };
}
