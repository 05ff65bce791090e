import { createContext, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import type { DeskClient, DeskEventListener } from '../client/desk-client';
import type { DeskSnapshot, DeskStore } from './desk-store';
import type { FeedSnapshot, FeedStore } from './feed-store';

export interface DeskContextValue {
  readonly client: DeskClient;
  readonly store: DeskStore;
  /** The monitoring feed; outlives the Monitor page so returning to it keeps the scroll-back. */
  readonly feed: FeedStore;
}

export const DeskContext = createContext<DeskContextValue | null>(null);

function useDeskContext(): DeskContextValue {
  const value = useContext(DeskContext);
  if (value === null) throw new Error('Desk hooks must be used inside <DeskContext.Provider>');
  return value;
}

export function useDeskClient(): DeskClient {
  return useDeskContext().client;
}

export function useDeskSnapshot(): DeskSnapshot {
  const { store } = useDeskContext();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

export function useFeedStore(): FeedStore {
  return useDeskContext().feed;
}

export function useFeedSnapshot(): FeedSnapshot {
  const { feed } = useDeskContext();
  return useSyncExternalStore(feed.subscribe, feed.getSnapshot);
}

/** Calls the latest `listener` for every coalesced event batch, without resubscribing on each render. */
export function useDeskEvents(listener: DeskEventListener): void {
  const { client } = useDeskContext();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => client.subscribe((events) => latest.current(events)), [client]);
}

// One shared once-a-second ticker, aligned to the second boundary, for every clock on screen.
let currentSecond = Math.floor(Date.now() / 1000);
const tickListeners = new Set<() => void>();
let tickTimer: ReturnType<typeof setTimeout> | null = null;

function scheduleTick(): void {
  tickTimer = setTimeout(() => {
    currentSecond = Math.floor(Date.now() / 1000);
    for (const listener of [...tickListeners]) listener();
    scheduleTick();
  }, 1000 - (Date.now() % 1000) + 5);
}

function subscribeTick(listener: () => void): () => void {
  tickListeners.add(listener);
  if (tickTimer === null) {
    currentSecond = Math.floor(Date.now() / 1000);
    scheduleTick();
  }
  return () => {
    tickListeners.delete(listener);
    if (tickListeners.size === 0 && tickTimer !== null) {
      clearTimeout(tickTimer);
      tickTimer = null;
    }
  };
}

// A stored value, not Date.now(): React requires the snapshot to be stable between ticks.
const getSecond = (): number => currentSecond;

/** The desk's current time (this machine's clock plus the measured offset), updated once a second. */
export function useNow(offsetMs: number): number {
  const second = useSyncExternalStore(subscribeTick, getSecond);
  return second * 1000 + offsetMs;
}
