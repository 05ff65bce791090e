/**
 * Event coalescing between the transport and React.
 *
 * The desk already batches events before they cross the transport, but a storm can still
 * bring many batches per frame. React only needs to hear about them once per frame, so
 * everything that arrives in between is gathered here and delivered as one array.
 *
 * DOM-free on purpose: the scheduler is injected, so unit tests drive frames by hand.
 */
import type { DeskEvent } from '../../../electron/core/contract';

/** Runs `flush` once, at the next convenient moment (in the browser: the next animation frame). */
export type FrameScheduler = (flush: () => void) => void;

export class EventCoalescer<E> {
  private pending: E[] = [];
  private scheduled = false;

  constructor(
    private readonly schedule: FrameScheduler,
    private readonly deliver: (batch: E[]) => void,
    private readonly compact: (batch: E[]) => E[] = (batch) => batch,
  ) {}

  push(events: readonly E[]): void {
    if (events.length === 0) return;
    // A loop, not push(...events): spreading a 100k-event batch overflows the call stack.
    for (const event of events) this.pending.push(event);
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.flush());
    }
  }

  /** Delivers everything gathered so far as one batch; a no-op when nothing is waiting. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.compact(this.pending);
    this.pending = [];
    if (batch.length > 0) this.deliver(batch);
  }

  get pendingCount(): number {
    return this.pending.length;
  }
}

/** Events that carry a whole snapshot: only the newest of each kind in a batch matters. */
const SNAPSHOT_EVENTS = new Set<DeskEvent['type']>(['statusChanged', 'settingsChanged']);

/**
 * Drops snapshot events superseded later in the same batch. Order is otherwise kept, so the
 * surviving snapshot sits where its newest copy arrived, after any audit entries before it.
 */
export function compactDeskEvents(batch: DeskEvent[]): DeskEvent[] {
  const lastIndex = new Map<DeskEvent['type'], number>();
  batch.forEach((event, index) => {
    if (SNAPSHOT_EVENTS.has(event.type)) lastIndex.set(event.type, index);
  });
  if (lastIndex.size === 0) return batch;
  return batch.filter((event, index) => !SNAPSHOT_EVENTS.has(event.type) || lastIndex.get(event.type) === index);
}
