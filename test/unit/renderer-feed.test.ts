/**
 * The monitoring feed's store, without a browser: first page, live batches at the top,
 * duplicates, filters, the paused view, paging, merges, reconnects. The desk is a fake that
 * pages an array the way readFeed does.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeskEvent, FeedItem, MessageKind, Platform } from '../../electron/core/contract';
import type { ConnectionState } from '../../renderer/src/client/desk-client';
import { FeedStore, FIRST_PAGE, matchesFilter, NO_FILTER, OLDER_PAGE, type FeedClient } from '../../renderer/src/state/feed-store';
import { splitLinks } from '../../renderer/src/app/links';

function item(id: number, platform: Platform = 'x', kind: MessageKind = 'x.mention', text = `message ${id}`, contactId = 1): FeedItem {
  return {
    messageId: id,
    interactionId: id,
    contactId,
    contactName: `Contact ${contactId}`,
    handle: platform === 'x' ? `c${contactId}` : null,
    platform,
    kind,
    direction: 'inbound',
    visibility: kind === 'x.dm' || platform === 'messenger' ? 'private' : 'public',
    text,
    createdAt: 1_700_000_000_000 + id * 1000,
    interactionState: 'new',
  };
}

/** A desk with `stored` messages (ids ascending) that answers readFeed like the real one. */
function fakeDesk(stored: FeedItem[]) {
  const eventListeners = new Set<(events: readonly DeskEvent[]) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  const calls: Parameters<FeedClient['readFeed']>[0][] = [];
  const client: FeedClient = {
    async readFeed(input) {
      calls.push(input);
      const needle = input.text?.toLowerCase() ?? '';
      const before = input.before === undefined ? Infinity : Number(input.before);
      const matching = stored
        .filter((m) => m.messageId < before)
        .filter((m) => input.platform === undefined || m.platform === input.platform)
        .filter((m) => input.kinds === undefined || input.kinds.includes(m.kind))
        .filter((m) => needle === '' || m.text.toLowerCase().includes(needle))
        .reverse();
      const limit = input.limit ?? 200;
      const items = matching.slice(0, limit);
      const last = items[items.length - 1];
      return { items, nextCursor: matching.length > limit && last ? String(last.messageId) : null };
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
  return {
    client,
    calls,
    stored,
    /** New messages reach the desk and are pushed to the console. */
    arrive(items: FeedItem[]): void {
      stored.push(...items);
      const events: DeskEvent[] = [{ type: 'feedAppended', payload: { items } }];
      for (const listener of eventListeners) listener(events);
    },
    /** Stored while the console was not listening. */
    storeQuietly(items: FeedItem[]): void {
      stored.push(...items);
    },
    emit(events: DeskEvent[]): void {
      for (const listener of eventListeners) listener(events);
    },
    connection(state: ConnectionState): void {
      for (const listener of connectionListeners) listener(state);
    },
  };
}

function range(from: number, to: number, make: (id: number) => FeedItem = (id) => item(id)): FeedItem[] {
  return Array.from({ length: to - from + 1 }, (_, i) => make(from + i));
}

function ids(store: FeedStore, count = store.size): number[] {
  return Array.from({ length: Math.min(count, store.size) }, (_, i) => store.at(i)?.messageId ?? -1);
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

async function started(desk: ReturnType<typeof fakeDesk>): Promise<FeedStore> {
  const store = new FeedStore(desk.client, { liveIntervalMs: 0 });
  store.start();
  await settle();
  return store;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('feed store', () => {
  it('reads the first page of the feed, newest first', async () => {
    const desk = fakeDesk(range(1, 500));
    const store = await started(desk);
    expect(desk.calls).toEqual([{ limit: FIRST_PAGE }]);
    expect(store.getSnapshot()).toMatchObject({ status: 'ready', size: FIRST_PAGE, hasOlder: true });
    expect(ids(store, 3)).toEqual([500, 499, 498]);
    expect(store.at(FIRST_PAGE - 1)?.messageId).toBe(301);
    expect(store.at(FIRST_PAGE)).toBeUndefined();
  });

  it('puts a live batch on top in arrival order and counts it per channel', async () => {
    const desk = fakeDesk(range(1, 10));
    const store = await started(desk);
    const before = store.getSnapshot().version;
    desk.arrive([item(11), item(12, 'facebook', 'facebook.comment'), item(13, 'messenger', 'messenger.message')]);
    expect(ids(store, 4)).toEqual([13, 12, 11, 10]);
    expect(store.getSnapshot()).toMatchObject({ size: 13, received: { x: 1, facebook: 1, messenger: 1 } });
    expect(store.getSnapshot().version).toBeGreaterThan(before);
  });

  it('drops what it already shows: messages from the first page, and messages delivered twice', async () => {
    const desk = fakeDesk(range(1, 10));
    const store = await started(desk);
    desk.emit([{ type: 'feedAppended', payload: { items: [item(9), item(10)] } }]);
    expect(store.size).toBe(10);
    desk.arrive([item(11)]);
    desk.emit([{ type: 'feedAppended', payload: { items: [item(11)] } }]);
    expect(ids(store, 3)).toEqual([11, 10, 9]);
    expect(store.size).toBe(11);
  });

  it('keeps what arrives while the first page is read, without showing anything twice', async () => {
    const desk = fakeDesk(range(1, 10));
    const store = new FeedStore(desk.client, { liveIntervalMs: 0 });
    store.start();
    // Arrives before the page is back; 10 will be on the page, 11 will not.
    desk.emit([{ type: 'feedAppended', payload: { items: [item(10)] } }]);
    desk.storeQuietly([item(11)]);
    desk.emit([{ type: 'feedAppended', payload: { items: [item(11)] } }]);
    await settle();
    expect(ids(store, 3)).toEqual([11, 10, 9]);
    expect(ids(store).filter((id) => id === 10)).toHaveLength(1);
  });

  it('matches live messages against the filter the desk was asked for, and counts the others anyway', async () => {
    const stored = [item(1, 'x', 'x.mention', 'Where is my REFUND'), item(2, 'facebook', 'facebook.comment', 'refund please'), item(3, 'x', 'x.dm', 'refund?')];
    const desk = fakeDesk(stored);
    const store = await started(desk);
    store.setFilter({ platform: 'x', kind: 'x.mention', text: ' Refund ' });
    await settle();
    expect(desk.calls.at(-1)).toEqual({ platform: 'x', kinds: ['x.mention'], text: 'Refund', limit: FIRST_PAGE });
    expect(ids(store)).toEqual([1]);

    desk.arrive([item(4, 'x', 'x.mention', 'no refund yet'), item(5, 'x', 'x.mention', 'hello'), item(6, 'facebook', 'facebook.comment', 'refund')]);
    expect(ids(store)).toEqual([4, 1]);
    expect(store.getSnapshot().received).toEqual({ x: 2, facebook: 1, messenger: 0 });

    expect(matchesFilter(item(7, 'x', 'x.mention', 'ÉTÉ refund'), { platform: null, kind: null, text: 'été' })).toBe(true);
    expect(matchesFilter(item(8), NO_FILTER)).toBe(true);
  });

  it('holds new messages while the reader is scrolled away, then shows them on request', async () => {
    const desk = fakeDesk(range(1, 50));
    const store = await started(desk);
    store.setPaused(true);
    const shown = ids(store);
    const version = store.getSnapshot().version;
    desk.arrive([item(51), item(52)]);
    desk.arrive([item(53)]);
    expect(ids(store)).toEqual(shown);
    expect(store.getSnapshot()).toMatchObject({ paused: true, pendingCount: 3, version });

    store.setPaused(false);
    expect(store.getSnapshot()).toMatchObject({ paused: false, pendingCount: 0 });
    expect(ids(store, 4)).toEqual([53, 52, 51, 50]);
  });

  it('pages older messages in with the cursor until the beginning', async () => {
    const desk = fakeDesk(range(1, FIRST_PAGE + OLDER_PAGE + 10));
    const store = await started(desk);
    await store.loadOlder();
    expect(desk.calls.at(-1)).toEqual({ before: String(OLDER_PAGE + 11), limit: OLDER_PAGE });
    expect(store.size).toBe(FIRST_PAGE + OLDER_PAGE);
    expect(store.getSnapshot().hasOlder).toBe(true);
    await store.loadOlder();
    expect(store.size).toBe(FIRST_PAGE + OLDER_PAGE + 10);
    expect(store.getSnapshot().hasOlder).toBe(false);
    expect(store.at(store.size - 1)?.messageId).toBe(1);
    const calls = desk.calls.length;
    await store.loadOlder();
    expect(desk.calls).toHaveLength(calls);
  });

  it('shows a merged contact’s messages under the contact they became', async () => {
    const desk = fakeDesk([item(1, 'x', 'x.mention', 'a', 1), item(2, 'messenger', 'messenger.message', 'b', 2)]);
    const store = await started(desk);
    desk.emit([
      {
        type: 'contactsMerged',
        payload: { kept: { id: 1, displayName: 'Sam Carter', identities: [], messageCount: 2, lastMessageAt: null }, mergedContactId: 2 },
      },
    ]);
    expect([store.at(0)?.contactName, store.at(1)?.contactName]).toEqual(['Sam Carter', 'Sam Carter']);
    expect(store.at(0)?.contactId).toBe(1);
  });

  it('shows where each interaction went next (queued, waiting for the desk to open)', async () => {
    const desk = fakeDesk(range(1, 3));
    const store = await started(desk);
    desk.arrive([item(4)]);
    const before = store.getSnapshot().version;
    desk.emit([{ type: 'interactionsChanged', payload: { changes: [{ interactionId: 4, state: 'waiting-for-open' }, { interactionId: 1, state: 'queued' }, { interactionId: 99, state: 'queued' }] } }]);
    expect(ids(store)).toEqual([4, 3, 2, 1]);
    expect([store.at(0)?.interactionState, store.at(1)?.interactionState, store.at(3)?.interactionState]).toEqual(['waiting-for-open', 'new', 'queued']);
    expect(store.getSnapshot().version).toBeGreaterThan(before);
  });

  it('reads back what it missed while the event stream was down, or starts over after a long gap', async () => {
    const desk = fakeDesk(range(1, 20));
    const store = await started(desk);
    desk.connection('reconnecting');
    desk.storeQuietly(range(21, 25));
    desk.connection('live');
    await settle();
    expect(ids(store, 6)).toEqual([25, 24, 23, 22, 21, 20]);
    expect(store.size).toBe(25);

    desk.connection('reconnecting');
    desk.storeQuietly(range(26, 26 + FIRST_PAGE + 50));
    desk.connection('live');
    await settle();
    expect(store.at(0)?.messageId).toBe(26 + FIRST_PAGE + 50);
    expect(store.size).toBe(FIRST_PAGE);
    expect(store.getSnapshot().hasOlder).toBe(true);
  });

  it('tells React at once about the first arrival, then at most once per interval during a storm', async () => {
    vi.useFakeTimers();
    const desk = fakeDesk(range(1, 5));
    const store = new FeedStore(desk.client, { liveIntervalMs: 200 });
    store.start();
    await vi.runAllTimersAsync();
    let notified = 0;
    store.subscribe(() => (notified += 1));
    vi.advanceTimersByTime(1000);

    desk.arrive([item(6)]);
    expect(notified).toBe(1);
    for (let i = 7; i < 17; i += 1) desk.arrive([item(i)]);
    // The snapshot is current even before anyone is told.
    expect(store.getSnapshot().size).toBe(16);
    expect(notified).toBe(1);
    vi.advanceTimersByTime(200);
    expect(notified).toBe(2);
    vi.advanceTimersByTime(1000);
    expect(notified).toBe(2);
    // A user action is never held back.
    store.setPaused(true);
    expect(notified).toBe(3);
    store.dispose();
  });

  it('measures: appending keeps the same cost per batch however long the feed already is', async () => {
    const desk = fakeDesk(range(1, 10));
    const store = await started(desk);
    const batch = 1_000;
    const batches = 100;
    let next = 11;
    const times: number[] = [];
    for (let b = 0; b < batches; b += 1) {
      const items = range(next, next + batch - 1);
      next += batch;
      const t = performance.now();
      desk.emit([{ type: 'feedAppended', payload: { items } }]);
      times.push(performance.now() - t);
    }
    expect(store.size).toBe(10 + batch * batches);
    expect(store.at(0)?.messageId).toBe(next - 1);
    const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
    const first = median(times.slice(0, 10));
    const last = median(times.slice(-10));
    console.log(
      JSON.stringify({
        bench: 'feed-store-append',
        batch,
        items: batch * batches,
        firstBatchesMedianMs: Number(first.toFixed(3)),
        lastBatchesMedianMs: Number(last.toFixed(3)),
        ratioLastToFirst: Number((last / Math.max(first, 0.001)).toFixed(2)),
      }),
    );
  });
});

describe('links in platform text', () => {
  it('finds addresses and leaves everything else as it was', () => {
    expect(splitLinks('see https://acme.example/p/5521?ref=x. thanks')).toEqual([
      { text: 'see ', link: false },
      { text: 'https://acme.example/p/5521?ref=x', link: true },
      { text: '. thanks', link: false },
    ]);
    expect(splitLinks('(www.acme.example/help), and http://t.co/abc')).toEqual([
      { text: '(', link: false },
      { text: 'www.acme.example/help', link: true },
      { text: '), and ', link: false },
      { text: 'http://t.co/abc', link: true },
    ]);
    expect(splitLinks('javascript:alert(1) <a href="https://x.example">')).toEqual([
      { text: 'javascript:alert(1) <a href="', link: false },
      { text: 'https://x.example', link: true },
      { text: '">', link: false },
    ]);
    expect(splitLinks('')).toEqual([{ text: '', link: false }]);
    expect(splitLinks('no address here')).toEqual([{ text: 'no address here', link: false }]);
  });
});
