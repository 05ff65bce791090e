// The Messenger connector against the sandbox's Graph API over real HTTPS into a real SQLite
// store: customers' messages exactly once under their page-scoped id and name, the Page's own
// messages skipped, long conversations paged, backfill, open chats polled fast, faults, crashes.
import { afterEach, describe, expect, it } from 'vitest';
import { fetch, type Dispatcher } from 'undici';
import { ManualClock, type Clock } from '../../electron/core/clock';
import { realTimers, type Timers } from '../../electron/core/connectors/scheduler';
import { createMessengerConnector, type MessengerConnector, type MessengerConnectorOptions } from '../../electron/core/connectors/messenger';
import { readCursor } from '../../electron/core/store/cursors';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../electron/sandbox/index';
import {
  LiveClock,
  VirtualTimers,
  countingDispatcher,
  createHost,
  expectExactlyOnce,
  openTestStore,
  postedSince,
  storedMessages,
  until,
  type HostOptions,
  type RequestLog,
  type TestHost,
} from './connectors-support';

const KINDS = ['messenger.message'];
const START = Date.UTC(2026, 10, 25, 9, 0);

interface Setup {
  clock: ManualClock | LiveClock;
  sandbox: Sandbox;
  dispatcher: Dispatcher;
  requests: RequestLog;
  host: TestHost;
  since: number;
  make(extra?: Partial<MessengerConnectorOptions>, host?: TestHost): MessengerConnector;
  newHost(options?: HostOptions): TestHost;
  pageSends(psid: string, text: string): Promise<string>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});

async function setup(options: { sandbox?: SandboxOptions; live?: boolean; timers?: Timers } = {}): Promise<Setup> {
  const clock = options.live ? new LiveClock(START) : new ManualClock(START);
  const sandbox = await startSandbox({ seed: 9, clock, ...options.sandbox });
  cleanups.push(() => sandbox.close());
  const { dispatcher, log } = countingDispatcher(sandbox.dispatcher());
  const { store, remove } = await openTestStore();
  cleanups.push(remove);
  const host = createHost(store, clock as Clock);
  const timers = options.timers ?? new VirtualTimers(clock as ManualClock);
  const since = clock.now();
  clock.advance(1000);
  const connectors: MessengerConnector[] = [];
  cleanups.push(async () => {
    for (const c of connectors) await c.stop();
  });
  const page = { pageId: sandbox.facebook.pageId, pageToken: sandbox.facebook.pageToken, graphVersion: sandbox.facebook.graphVersion };
  return {
    clock,
    sandbox,
    dispatcher,
    requests: log,
    host,
    since,
    make: (extra = {}, onHost = host) => {
      const connector = createMessengerConnector(onHost, { page, transport: { dispatcher }, backfillSince: since, timers, timeZone: 'UTC', ...extra });
      connectors.push(connector);
      return connector;
    },
    newHost: (hostOptions = {}) => createHost(store, clock as Clock, hostOptions),
    pageSends: async (psid, text) => {
      const response = await fetch(`https://graph.facebook.com/${page.graphVersion}/${page.pageId}/messages`, {
        method: 'POST',
        dispatcher: sandbox.dispatcher(),
        headers: { authorization: `Bearer ${page.pageToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text } }),
      });
      return ((await response.json()) as { message_id: string }).message_id;
    },
  };
}

async function say(s: Setup, customer?: string, times = 1): Promise<Array<{ id: string; authorId: string }>> {
  const out: Array<{ id: string; authorId: string }> = [];
  for (let i = 0; i < times; i += 1) {
    s.clock.advance(1000);
    out.push(await s.sandbox.customers.post({ kind: 'messenger.message', ...(customer ? { customer } : {}) }));
  }
  return out;
}

describe('Messenger connector', () => {
  it("stores customers' messages exactly once under their page-scoped id and name, skips the Page's, pages long chats, and adds nothing on a second poll", async () => {
    const s = await setup();
    const [emma] = await say(s, 'emma', 2);
    await say(s, 'noah');
    const pageMessage = await s.pageSends(emma!.authorId, 'Hi Emma, which order is it about?');
    // A chat with more new messages than the inbox shows inline (25): paged through /messages.
    await say(s, 'lena', 40);
    const ms = s.make();
    await ms.pollNow();

    const posted = postedSince(s.sandbox.customers.posted(), s.since, KINDS);
    expect(posted).toHaveLength(43);
    const stored = await expectExactlyOnce(s.host.store, posted);
    expect((await storedMessages(s.host.store)).some((row) => row.externalId === pageMessage)).toBe(false);
    const emmaRows = posted.filter((p) => p.authorId === emma!.authorId).map((p) => stored.get(p.id)!);
    expect(new Set(emmaRows.map((r) => r.contactId)).size).toBe(1);
    expect(emmaRows[0]).toMatchObject({ authorId: emma!.authorId, handle: null, name: expect.stringMatching(/\S/), conversationRef: expect.stringMatching(/^t_\d+$/) });
    const lenaRows = (await storedMessages(s.host.store)).filter((r) => r.authorId === posted.at(-1)!.authorId);
    expect(lenaRows.map((r) => r.createdAt)).toEqual([...lenaRows.map((r) => r.createdAt)].sort((a, b) => a - b));
    expect(s.requests.count('/messages')).toBeGreaterThanOrEqual(1);
    expect(s.host.status('messenger')).toMatchObject({
      state: 'running',
      detail: 'Watching Messenger for Northwind: new messages are checked every minute.',
      received: 43,
      duplicatesSkipped: 0,
      badPayloads: 0,
      backfill: { active: false, fetched: 43, since: s.since },
    });
    const conversation = emmaRows[0]!.conversationRef!;
    expect(await readCursor(s.host.store.db, 'messenger', `conversation:${conversation}`)).toMatch(new RegExp(`"ids":\\[.*"${pageMessage}"`));
    expect(await readCursor(s.host.store.db, 'messenger', 'conversations')).toMatch(/^\{"t":\d+,"ids":\[\]\}$/);

    await ms.pollNow();
    expect(s.host.status('messenger')).toMatchObject({ received: 43, duplicatesSkipped: 0 });
    await say(s, 'emma');
    await ms.pollNow();
    expect(s.host.status('messenger')).toMatchObject({ received: 44, duplicatesSkipped: 0 });
    await expectExactlyOnce(s.host.store, postedSince(s.sandbox.customers.posted(), s.since, KINDS));
  });

  it('backfills a backlog of conversations on first connection', async () => {
    const s = await setup();
    await s.sandbox.customers.post({ kind: 'messenger.message', customer: 'old-timer', at: s.clock.now() - 9 * 3_600_000 });
    const backlog = s.sandbox.customers.schedule('backlog', { count: 300, spreadMs: 6 * 3_600_000, mix: { 'messenger.message': 1 } });
    expect(await backlog.done).toBe(300);
    const since = s.clock.now() - 7 * 3_600_000;
    const ms = s.make({ backfillSince: since, batchSize: 20 });
    await ms.pollNow();
    await expectExactlyOnce(s.host.store, postedSince(s.sandbox.customers.posted(), since, KINDS));
    expect(s.host.status('messenger').backfill).toEqual({ active: false, fetched: 300, since });
  });

  it('polls open chats every few seconds while they are open', async () => {
    const s = await setup({ live: true, timers: realTimers });
    const [emma] = await say(s, 'emma');
    const ms = s.make({ pollIntervalMs: 3_600_000, activeChatPollIntervalMs: 30 });
    await ms.start();
    await until(async () => (await storedMessages(s.host.store)).length === 1, 'first inbox poll');
    const conversation = (await storedMessages(s.host.store))[0]!.conversationRef!;
    ms.setActiveConversations([conversation]);
    expect(s.host.status('messenger').detail).toBe('Watching Messenger for Northwind: new messages are checked every hour; the open chat is checked every 30 ms.');
    const [next] = await say(s, 'emma');
    await until(async () => (await storedMessages(s.host.store)).some((r) => r.externalId === next!.id), 'message in the open chat');
    expect(next!.authorId).toBe(emma!.authorId);
    ms.setActiveConversations([]);
    await ms.stop();
    expect(s.host.status('messenger').state).toBe('stopped');
  });

  it('faults: a rate limit backs off, a blip is retried, an expired token stops it', async () => {
    const s = await setup();
    await say(s, 'emma', 2);
    s.sandbox.faults.inject({ kind: 'rate-limit', platform: 'facebook', path: '/:page-id/conversations', graphCode: 613, resetInSeconds: 120 });
    const ms = s.make();
    await ms.pollNow();
    expect(s.host.status('messenger')).toMatchObject({ state: 'backing-off', lastError: 'Graph error 613', received: 0 });
    expect(s.host.status('messenger').detail).toMatch(/^Facebook says the desk is making too many calls \(#613\); reading Messenger conversations resumes at \d\d:\d\d\.$/);
    (s.clock as ManualClock).set(s.host.status('messenger').backoffUntil! + 1);
    s.sandbox.faults.inject({ kind: 'drop-connection', platform: 'facebook', path: '/:page-id/conversations', when: 'mid-response' });
    await ms.pollNow();
    expect(s.host.status('messenger')).toMatchObject({ state: 'running', received: 2 });

    s.sandbox.faults.inject({ kind: 'expired-token', platform: 'facebook', times: -1 });
    await say(s, 'noah');
    await ms.pollNow();
    const made = s.requests.count();
    await ms.pollNow();
    expect(s.requests.count()).toBe(made);
    expect(s.host.status('messenger')).toMatchObject({ state: 'auth-error', detail: expect.stringMatching(/^Facebook refused the Page access token/) });
  });

  it('a failed batch, then a stop in the middle of a poll, then a clean run: nothing lost, nothing stored twice', async () => {
    const s = await setup();
    const backlog = s.sandbox.customers.schedule('backlog', { count: 300, spreadMs: 3_600_000, mix: { 'messenger.message': 1 } });
    await backlog.done;
    const since = s.clock.now() - 2 * 3_600_000;
    const crashing = s.newHost({
      beforeIngest: (call) => {
        if (call === 5) throw new Error('disk I/O error (simulated crash)');
      },
    });
    const first = s.make({ backfillSince: since, batchSize: 2 }, crashing);
    await first.pollNow();
    expect(crashing.status('messenger')).toMatchObject({ state: 'backing-off', lastError: 'disk I/O error (simulated crash)' });
    await first.stop();

    let second: MessengerConnector | null = null;
    const stopping = s.newHost({
      beforeIngest: (call) => {
        if (call === 20) void second?.stop();
      },
    });
    second = s.make({ backfillSince: since, batchSize: 2 }, stopping);
    await second.pollNow();
    await second.stop();
    const afterStop = (await storedMessages(s.host.store)).length;
    expect(afterStop).toBeLessThan(300);

    const clean = s.newHost();
    const third = s.make({ backfillSince: since, batchSize: 2 }, clean);
    await third.pollNow();
    await expectExactlyOnce(s.host.store, postedSince(s.sandbox.customers.posted(), since, KINDS));
    expect(clean.status('messenger')).toMatchObject({ duplicatesSkipped: 0, received: 300 - afterStop });
  });
});
