/**
 * The calendar and the emergency switch as the desk has them saved: read once with getCalendar,
 * kept current by calendarChanged events, read again when the event stream comes back. Shared
 * by the Calendar page, the header's emergency switch and the emergency banner (one store per
 * desk client), so switching emergency mode anywhere shows everywhere at once.
 */
import { useSyncExternalStore } from 'react';
import type { CalendarView } from '../../../electron/core/contract';
import { DeskCallError, type DeskClient } from '../client/desk-client';
import { useDeskClient } from '../state/hooks';

export interface CalendarSnapshot {
  readonly view: CalendarView | null;
  readonly error: string | null;
}

export interface CalendarStore {
  getSnapshot(): CalendarSnapshot;
  subscribe(listener: () => void): () => void;
  /** After a command returned the new view: show it now, before its event arrives. */
  accept(view: CalendarView): void;
  refresh(): Promise<void>;
}

function createCalendarStore(client: DeskClient): CalendarStore {
  let snapshot: CalendarSnapshot = { view: null, error: null };
  const listeners = new Set<() => void>();
  let connection = client.connection();

  function update(next: CalendarSnapshot): void {
    snapshot = next;
    for (const listener of [...listeners]) listener();
  }

  async function refresh(): Promise<void> {
    try {
      update({ view: await client.getCalendar({}), error: null });
    } catch (error) {
      // Keep what was there: a reconnect that fails to read is no reason to blank the page.
      update({ view: snapshot.view, error: error instanceof DeskCallError ? error.message : 'Something went wrong while asking the desk.' });
    }
  }

  client.subscribe((events) => {
    let view: CalendarView | null = null;
    for (const event of events) if (event.type === 'calendarChanged') view = event.payload;
    if (view !== null) update({ view, error: null });
  });
  client.onConnection((state) => {
    const wasDown = connection === 'reconnecting' || connection === 'connecting';
    connection = state;
    if (state === 'live' && (wasDown || snapshot.error !== null)) void refresh();
  });
  void refresh();

  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    accept(view) {
      update({ view, error: null });
    },
    refresh,
  };
}

const stores = new WeakMap<DeskClient, CalendarStore>();

export function calendarStoreFor(client: DeskClient): CalendarStore {
  let store = stores.get(client);
  if (store === undefined) {
    store = createCalendarStore(client);
    stores.set(client, store);
  }
  return store;
}

export function useCalendarStore(): CalendarStore {
  return calendarStoreFor(useDeskClient());
}

export function useCalendarView(): CalendarSnapshot {
  const store = useCalendarStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
