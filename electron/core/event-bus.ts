/**
 * Events leave the core in batches: everything emitted within one short window is sent as one
 * batch, so a storm of a thousand messages a second costs the transports a few sends a second.
 */
import type { DeskEvent, EventBatch } from './contract';

export type EventListener = (batch: EventBatch) => void;

export interface EventBus {
  emit(event: DeskEvent): void;
  subscribe(listener: EventListener): () => void;
  /** Sends what is pending now (used at stop, so nothing is left behind). */
  flush(): void;
  close(): void;
}

export function createEventBus(options: { windowMs?: number; onListenerError?: (error: unknown) => void } = {}): EventBus {
  const windowMs = options.windowMs ?? 50;
  const listeners = new Set<EventListener>();
  let pending: DeskEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const batch: EventBatch = { events: pending };
    pending = [];
    for (const listener of listeners) {
      try {
        listener(batch);
      } catch (error) {
        // One broken transport must not starve the others.
        options.onListenerError?.(error);
      }
    }
  };

  return {
    emit(event) {
      if (closed) return;
      pending.push(event);
      timer ??= setTimeout(flush, windowMs);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flush,
    close() {
      flush();
      closed = true;
      listeners.clear();
    },
  };
}
