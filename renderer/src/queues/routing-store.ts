/**
 * Routing as the desk sees it now (getRouting: agents, queues, groups, a tile per queue), shared
 * by the Queues and Agents pages. Read while a page shows it; kept current by routingChanged,
 * interactionsChanged and rulesChanged events through a throttle (at most about three reads a
 * second, whatever the storm), and read again when the event stream comes back.
 *
 * `pulse` grows with every event that may change what waits, so the waiting list and the
 * interaction details can follow the same rhythm.
 */
import { useSyncExternalStore } from 'react';
import type { Agent, RoutingView } from '../../../electron/core/contract';
import { DeskCallError, type DeskClient } from '../client/desk-client';
import { useDeskClient } from '../state/hooks';
import { throttledRefresh, type Throttled } from './throttle';

export const REFRESH_INTERVAL_MS = 350;

export interface RoutingSnapshot {
  readonly view: RoutingView | null;
  readonly error: string | null;
  /** Grows after each read: a cue for whatever is derived from routing to read again too. */
  readonly pulse: number;
}

export interface RoutingStore {
  getSnapshot(): RoutingSnapshot;
  subscribe(listener: () => void): () => void;
  /** Something this console did changed routing: read again soon. */
  changed(): void;
  /** A command answered with the agent as it is now: show it before the next read. */
  acceptAgent(agent: Agent): void;
}

function messageOf(error: unknown): string {
  return error instanceof DeskCallError ? error.message : 'Something went wrong while asking the desk.';
}

function createRoutingStore(client: DeskClient): RoutingStore {
  let snapshot: RoutingSnapshot = { view: null, error: null, pulse: 0 };
  const listeners = new Set<() => void>();
  let stale = true;
  let connection = client.connection();

  function update(next: RoutingSnapshot): void {
    snapshot = next;
    for (const listener of [...listeners]) listener();
  }

  const reader: Throttled = throttledRefresh(async () => {
    stale = false;
    try {
      const view = await client.getRouting({});
      update({ view, error: null, pulse: snapshot.pulse + 1 });
    } catch (error) {
      // Keep what was there: a read that fails is no reason to blank the page.
      update({ view: snapshot.view, error: messageOf(error), pulse: snapshot.pulse });
    }
  }, REFRESH_INTERVAL_MS);

  function changed(): void {
    if (listeners.size === 0) stale = true;
    else reader.request();
  }

  client.subscribe((events) => {
    for (const event of events) {
      if (event.type === 'routingChanged' || event.type === 'interactionsChanged' || event.type === 'rulesChanged') {
        changed();
        return;
      }
    }
  });
  client.onConnection((state) => {
    const wasDown = connection === 'reconnecting' || connection === 'connecting';
    connection = state;
    // Events sent while the stream was down are lost: read again.
    if (state === 'live' && wasDown) {
      if (listeners.size > 0) reader.now();
      else stale = true;
    }
  });

  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1 && stale) reader.now();
      return () => {
        listeners.delete(listener);
        // Nobody is looking: read afresh when someone looks again.
        if (listeners.size === 0) stale = true;
      };
    },
    changed,
    acceptAgent(agent) {
      const view = snapshot.view;
      if (view === null) return;
      const known = view.agents.some((a) => a.id === agent.id);
      const agents = known ? view.agents.map((a) => (a.id === agent.id ? agent : a)) : [...view.agents, agent];
      update({ ...snapshot, view: { ...view, agents } });
      reader.request();
    },
  };
}

const stores = new WeakMap<DeskClient, RoutingStore>();

export function routingStoreFor(client: DeskClient): RoutingStore {
  let store = stores.get(client);
  if (store === undefined) {
    store = createRoutingStore(client);
    stores.set(client, store);
  }
  return store;
}

export function useRoutingStore(): RoutingStore {
  return routingStoreFor(useDeskClient());
}

export function useRouting(): RoutingSnapshot {
  const store = useRoutingStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
