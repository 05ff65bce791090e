/**
 * The monitoring feed, kept outside React.
 *
 * Items are held in two plain arrays so that nothing is ever copied as the feed grows:
 * - `pages`: what readFeed returned, newest first; "load older" appends to its end.
 * - `live`: what arrived by feedAppended since the first page was read, oldest first; a new
 *   batch is pushed onto its end.
 * Index 0 of the view is the newest item (the end of `live`), so a batch of thousands costs
 * O(batch) and the list component only reads the few indices it shows.
 *
 * While the user has scrolled away from the top the view is paused: new items wait in
 * `pending` and the indices of what is on screen do not move. Resuming moves them in.
 *
 * DOM-free on purpose: unit tests drive it with a fake client.
 */
import type { ContactSummary, DeskEvent, FeedItem, MessageKind, Platform } from '../../../electron/core/contract';
import type { ConnectionState, DeskCallError } from '../client/desk-client';

/** The subset of the desk client the feed needs. */
export interface FeedClient {
  readFeed(input: {
    platform?: Platform;
    kinds?: MessageKind[];
    text?: string;
    before?: string;
    limit?: number;
  }): Promise<{ items: FeedItem[]; nextCursor: string | null }>;
  subscribe(listener: (events: readonly DeskEvent[]) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

export interface FeedFilter {
  readonly platform: Platform | null;
  readonly kind: MessageKind | null;
  /** Matched against the message text, case-insensitively. */
  readonly text: string;
}

export const NO_FILTER: FeedFilter = { platform: null, kind: null, text: '' };

export type FeedCounts = Readonly<Record<Platform, number>>;

export interface FeedSnapshot {
  /** Bumped on every change of what the view shows; rows re-read items when it moves. */
  readonly version: number;
  readonly filter: FeedFilter;
  readonly size: number;
  readonly status: 'idle' | 'loading' | 'ready' | 'failed';
  readonly error: string | null;
  readonly paused: boolean;
  /** Items that match the filter and arrived while paused. */
  readonly pendingCount: number;
  readonly hasOlder: boolean;
  readonly loadingOlder: boolean;
  readonly olderError: string | null;
  /** The oldest items were let go to stay under MAX_ITEMS; the desk still has them. */
  readonly truncated: boolean;
  /** Messages received per channel (whatever the filter) since this console started listening. */
  readonly received: FeedCounts;
  /** When the console started counting (this machine's clock). */
  readonly countingSince: number;
}

export interface FeedStoreOptions {
  /**
   * Live arrivals reach the screen at most this often. The first one after a quiet spell is
   * shown at once; during a storm the list moves five times a second instead of sixty, which
   * nobody can read faster anyway and which leaves the main thread free. 0: every batch.
   */
  liveIntervalMs?: number;
}

export const FIRST_PAGE = 200;
export const OLDER_PAGE = 500;
/** Beyond this many items the oldest are let go (the desk still has them). */
export const MAX_ITEMS = 250_000;

function errorText(error: unknown): string {
  return error !== null && typeof error === 'object' && 'message' in error && typeof (error as DeskCallError).message === 'string'
    ? (error as DeskCallError).message
    : 'Something went wrong while asking the desk.';
}

export function matchesFilter(item: FeedItem, filter: FeedFilter, needle: string = filter.text.trim().toLowerCase()): boolean {
  if (filter.platform !== null && item.platform !== filter.platform) return false;
  if (filter.kind !== null && item.kind !== filter.kind) return false;
  if (needle !== '' && !item.text.toLowerCase().includes(needle)) return false;
  return true;
}

function queryFor(filter: FeedFilter): { platform?: Platform; kinds?: MessageKind[]; text?: string } {
  const query: { platform?: Platform; kinds?: MessageKind[]; text?: string } = {};
  if (filter.platform !== null) query.platform = filter.platform;
  if (filter.kind !== null) query.kinds = [filter.kind];
  const text = filter.text.trim().slice(0, 100);
  if (text !== '') query.text = text;
  return query;
}

export class FeedStore {
  private pages: FeedItem[] = [];
  private live: FeedItem[] = [];
  private pending: FeedItem[] = [];
  /** Ids in `live` and `pending`, to drop a message delivered twice. */
  private liveIds = new Set<number>();
  /** The newest message id the first page held: anything at or below it is already in `pages`. */
  private pageNewestId = 0;
  private nextCursor: string | null = null;
  private generation = 0;
  private needle = '';
  private started = false;
  private wasDown = false;
  private readonly listeners = new Set<() => void>();
  private readonly stops: (() => void)[] = [];
  private snapshot: FeedSnapshot;
  private readonly liveIntervalMs: number;
  private lastNotified = Number.NEGATIVE_INFINITY;
  private trailing: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly client: FeedClient,
    options: FeedStoreOptions = {},
  ) {
    this.liveIntervalMs = options.liveIntervalMs ?? 200;
    this.snapshot = {
      version: 0,
      filter: NO_FILTER,
      size: 0,
      status: 'idle',
      error: null,
      paused: false,
      pendingCount: 0,
      hasOlder: false,
      loadingOlder: false,
      olderError: null,
      truncated: false,
      received: { x: 0, facebook: 0, messenger: 0 },
      countingSince: Date.now(),
    };
    this.stops.push(client.subscribe((events) => this.onEvents(events)));
    this.stops.push(
      client.onConnection((state) => {
        if (state === 'reconnecting' || state === 'connecting') this.wasDown = true;
        else if (state === 'live' && this.wasDown) {
          this.wasDown = false;
          void this.catchUp();
        }
      }),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  getSnapshot = (): FeedSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The item at a view index; 0 is the newest. */
  at(index: number): FeedItem | undefined {
    const liveCount = this.live.length;
    if (index < liveCount) return this.live[liveCount - 1 - index];
    return this.pages[index - liveCount];
  }

  get size(): number {
    return this.live.length + this.pages.length;
  }

  // -------------------------------------------------------------------------------------------
  // Commands from the page

  /** Reads the first page unless that already happened (the feed outlives page changes). */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.reload();
  }

  setFilter(filter: FeedFilter): void {
    const current = this.snapshot.filter;
    if (current.platform === filter.platform && current.kind === filter.kind && current.text === filter.text) return;
    // Live items are matched here; what is already stored is asked of the desk with the same filter.
    this.needle = filter.text.trim().toLowerCase();
    this.update({ filter, paused: false });
    this.started = true;
    void this.reload();
  }

  /** The user scrolled away from the newest items (true) or back to them (false). */
  setPaused(paused: boolean): void {
    if (paused === this.snapshot.paused) return;
    if (!paused) this.movePendingIn();
    this.update({ paused, pendingCount: this.pending.length });
  }

  async loadOlder(): Promise<void> {
    const snap = this.snapshot;
    if (snap.status !== 'ready' || snap.loadingOlder || this.nextCursor === null) return;
    const ticket = this.generation;
    const before = this.nextCursor;
    this.update({ loadingOlder: true, olderError: null });
    try {
      const page = await this.client.readFeed({ ...queryFor(snap.filter), before, limit: OLDER_PAGE });
      if (ticket !== this.generation) return;
      for (const item of page.items) this.pages.push(item);
      this.nextCursor = page.nextCursor;
      this.trim();
      this.update({ loadingOlder: false, hasOlder: page.nextCursor !== null }, true);
    } catch (error) {
      if (ticket === this.generation) this.update({ loadingOlder: false, olderError: errorText(error) });
    }
  }

  dispose(): void {
    if (this.trailing !== null) clearTimeout(this.trailing);
    for (const stop of this.stops) stop();
    this.listeners.clear();
  }

  // -------------------------------------------------------------------------------------------

  /** Reads the first page for the current filter and starts over from it. */
  async reload(): Promise<void> {
    const ticket = ++this.generation;
    const filter = this.snapshot.filter;
    // Live items that arrive while the page is read are kept; the page decides which are new.
    this.pages = [];
    this.nextCursor = null;
    this.pageNewestId = 0;
    this.live = [];
    this.pending = [];
    this.liveIds.clear();
    this.update({ status: 'loading', error: null, loadingOlder: false, olderError: null, hasOlder: false, truncated: false, pendingCount: 0 }, true);
    try {
      const page = await this.client.readFeed({ ...queryFor(filter), limit: FIRST_PAGE });
      if (ticket !== this.generation) return;
      this.pages = page.items;
      this.nextCursor = page.nextCursor;
      this.pageNewestId = page.items[0]?.messageId ?? 0;
      this.live = this.live.filter((item) => item.messageId > this.pageNewestId);
      this.pending = this.pending.filter((item) => item.messageId > this.pageNewestId);
      this.liveIds = new Set([...this.live, ...this.pending].map((item) => item.messageId));
      this.update({ status: 'ready', hasOlder: page.nextCursor !== null, pendingCount: this.pending.length }, true);
    } catch (error) {
      if (ticket === this.generation) this.update({ status: 'failed', error: errorText(error) }, true);
    }
  }

  /** After the event stream dropped: what arrived meanwhile is read back, or the view starts over. */
  private async catchUp(): Promise<void> {
    if (this.snapshot.status !== 'ready') {
      if (this.started) await this.reload();
      return;
    }
    const ticket = this.generation;
    try {
      const page = await this.client.readFeed({ ...queryFor(this.snapshot.filter), limit: FIRST_PAGE });
      if (ticket !== this.generation) return;
      const newestKnown = Math.max(this.pageNewestId, ...this.live.slice(-1).map((item) => item.messageId), ...this.pending.slice(-1).map((item) => item.messageId));
      const missed = page.items.filter((item) => item.messageId > newestKnown && !this.liveIds.has(item.messageId));
      // A full page of missed items may hide a gap behind it: start over rather than show a hole.
      if (missed.length >= FIRST_PAGE) {
        await this.reload();
        return;
      }
      this.accept(missed.reverse());
    } catch {
      // The next reconnect tries again; what is shown stays.
    }
  }

  private onEvents(events: readonly DeskEvent[]): void {
    for (const event of events) {
      if (event.type === 'feedAppended') this.append(event.payload.items);
      else if (event.type === 'contactsMerged') this.merged(event.payload.kept, event.payload.mergedContactId);
      else if (event.type === 'interactionsChanged') this.restate(event.payload.changes);
    }
  }

  /** Interactions moved on (queued, waiting for the desk to open...): their rows show it. */
  restate(changes: readonly { interactionId: number; state: FeedItem['interactionState'] }[]): void {
    if (changes.length === 0) return;
    const states = new Map(changes.map((change) => [change.interactionId, change.state]));
    let changed = false;
    for (const list of [this.live, this.pending, this.pages]) {
      for (let i = 0; i < list.length; i += 1) {
        const item = list[i]!;
        const state = item.interactionId === null ? undefined : states.get(item.interactionId);
        if (state !== undefined && state !== item.interactionState) {
          list[i] = { ...item, interactionState: state };
          changed = true;
        }
      }
    }
    if (changed) this.bump();
  }

  /** New items in arrival order: counted, and added to the view when they match the filter. */
  append(items: readonly FeedItem[]): void {
    if (items.length === 0) return;
    const received = { ...this.snapshot.received };
    for (const item of items) received[item.platform] += 1;
    if (this.snapshot.status === 'idle') {
      this.update({ received });
      return;
    }
    const changed = this.accept(items, true);
    this.update({ received, pendingCount: this.pending.length }, changed, true);
  }

  /** Adds what matches and is not already shown; returns whether the visible list moved. */
  private accept(items: readonly FeedItem[], quiet = false): boolean {
    const filter = this.snapshot.filter;
    const target = this.snapshot.paused ? this.pending : this.live;
    let added = 0;
    for (const item of items) {
      if (item.messageId <= this.pageNewestId || this.liveIds.has(item.messageId)) continue;
      if (!matchesFilter(item, filter, this.needle)) continue;
      this.liveIds.add(item.messageId);
      target.push(item);
      added += 1;
    }
    if (added > 0) this.trim();
    const moved = added > 0 && target === this.live;
    if (!quiet && added > 0) this.update({ pendingCount: this.pending.length }, moved);
    return moved;
  }

  private movePendingIn(): void {
    if (this.pending.length === 0) return;
    for (const item of this.pending) this.live.push(item);
    this.pending = [];
    this.trim();
    this.bump();
  }

  /** Drops the oldest items beyond MAX_ITEMS: first from the loaded pages, else from the oldest live ones. */
  private trim(): void {
    const excess = this.live.length + this.pages.length + this.pending.length - MAX_ITEMS;
    if (excess <= 0) return;
    const fromPages = Math.min(excess, this.pages.length);
    if (fromPages > 0) {
      this.pages.length -= fromPages;
      // The cursor points past what was dropped: paging on would leave a hole, so it stops here.
      this.nextCursor = null;
    }
    const rest = excess - fromPages;
    if (rest > 0) {
      // Rare (a storm longer than MAX_ITEMS): one splice of many, not one per item.
      const dropped = this.live.splice(0, Math.min(rest, this.live.length));
      for (const item of dropped) this.liveIds.delete(item.messageId);
    }
    if (fromPages > 0 || rest > 0) this.snapshot = { ...this.snapshot, hasOlder: this.nextCursor !== null, truncated: true };
  }

  private merged(kept: ContactSummary, mergedContactId: number): void {
    let changed = false;
    const rename = (list: FeedItem[]): void => {
      for (let i = 0; i < list.length; i += 1) {
        const item = list[i]!;
        if (item.contactId === mergedContactId || (item.contactId === kept.id && item.contactName !== kept.displayName)) {
          list[i] = { ...item, contactId: kept.id, contactName: kept.displayName };
          changed = true;
        }
      }
    };
    rename(this.pages);
    rename(this.live);
    rename(this.pending);
    if (changed) this.bump();
  }

  private bump(): void {
    this.update({}, true);
  }

  private update(patch: Partial<FeedSnapshot>, moved = false, live = false): void {
    this.snapshot = {
      ...this.snapshot,
      ...patch,
      size: this.live.length + this.pages.length,
      version: moved ? this.snapshot.version + 1 : this.snapshot.version,
    };
    if (live) this.notifyLive();
    else this.notify();
  }

  private notify(): void {
    if (this.trailing !== null) {
      clearTimeout(this.trailing);
      this.trailing = null;
    }
    this.lastNotified = Date.now();
    for (const listener of [...this.listeners]) listener();
  }

  /** Leading edge at once, then at most one notification per interval (the snapshot itself is always current). */
  private notifyLive(): void {
    if (this.trailing !== null) return;
    const wait = this.lastNotified + this.liveIntervalMs - Date.now();
    if (wait <= 0) {
      this.notify();
      return;
    }
    this.trailing = setTimeout(() => {
      this.trailing = null;
      this.notify();
    }, wait);
  }
}
