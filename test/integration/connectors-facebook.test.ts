// The Facebook Page connector against the sandbox's Graph API over real HTTPS (undici fetch
// with the sandbox dispatcher) into a real SQLite store: visitor posts, comments and replies
// exactly once, per-post cursors, backfill, Graph's faults and usage headers, a crash mid-poll.
import { afterEach, describe, expect, it } from 'vitest';
import { fetch, type Dispatcher } from 'undici';
import { ManualClock } from '../../electron/core/clock';
import { createFacebookConnector, type FacebookConnectorOptions } from '../../electron/core/connectors/facebook';
import type { Connector } from '../../electron/core/connectors/types';
import { readCursor } from '../../electron/core/store/cursors';
import { createSandboxDispatcher, startSandbox, type Sandbox, type SandboxOptions } from '../../electron/sandbox/index';
import { testFacebookConnection } from '../../electron/core/connectors/whoami';
import {
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

const FB_KINDS = ['facebook.post', 'facebook.comment', 'facebook.reply'];
const START = Date.UTC(2026, 10, 25, 9, 0);

interface Setup {
  clock: ManualClock;
  sandbox: Sandbox;
  dispatcher: Dispatcher;
  requests: RequestLog;
  host: TestHost;
  since: number;
  make(extra?: Partial<FacebookConnectorOptions>, host?: TestHost): Connector;
  newHost(options?: HostOptions): TestHost;
  graph(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});

async function setup(sandboxOptions: SandboxOptions = {}): Promise<Setup> {
  const clock = new ManualClock(START);
  const sandbox = await startSandbox({ seed: 8, clock, ...sandboxOptions });
  cleanups.push(() => sandbox.close());
  const { dispatcher, log } = countingDispatcher(sandbox.dispatcher());
  const { store, remove } = await openTestStore();
  cleanups.push(remove);
  const host = createHost(store, clock);
  const timers = new VirtualTimers(clock);
  const since = clock.now();
  clock.advance(1000);
  const connectors: Connector[] = [];
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
      const connector = createFacebookConnector(onHost, { page, transport: { dispatcher }, backfillSince: since, timers, timeZone: 'UTC', ...extra });
      connectors.push(connector);
      return connector;
    },
    newHost: (options = {}) => createHost(store, clock, options),
    graph: async (method, path, body) => {
      const response = await fetch(`https://graph.facebook.com/${page.graphVersion}/${path}`, {
        method,
        dispatcher: sandbox.dispatcher(),
        headers: { authorization: `Bearer ${page.pageToken}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return (await response.json()) as Record<string, unknown>;
    },
  };
}

async function post(s: Setup, kind: string, customer?: string, times = 1): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < times; i += 1) {
    s.clock.advance(2000);
    ids.push((await s.sandbox.customers.post({ kind: kind as 'facebook.post', ...(customer ? { customer } : {}) })).id);
  }
  return ids;
}

describe('Facebook connector', () => {
  it("stores visitor posts, comments and replies exactly once under their authors, skips the Page's own, reads only changed posts again", async () => {
    const s = await setup();
    await post(s, 'facebook.post', 'emma', 2);
    const [firstComment] = await post(s, 'facebook.comment', 'emma');
    await post(s, 'facebook.comment', 'noah', 2);
    await post(s, 'facebook.reply', 'lena', 2);
    // The Page answers a comment: outbound, not stored as a customer message.
    const pageReply = (await s.graph('POST', `${firstComment}/comments`, { message: 'Thanks Emma, we are on it.' })).id as string;
    const fb = s.make();
    await fb.pollNow();

    const posted = postedSince(s.sandbox.customers.posted(), s.since, FB_KINDS);
    expect(posted).toHaveLength(7);
    const stored = await expectExactlyOnce(s.host.store, posted);
    expect((await storedMessages(s.host.store)).some((row) => row.externalId === pageReply)).toBe(false);
    const contacts = new Map<string, Set<number>>();
    for (const item of posted) {
      const row = stored.get(item.id)!;
      contacts.set(item.authorId, (contacts.get(item.authorId) ?? new Set()).add(row.contactId));
      const profile = await s.graph('GET', `${item.authorId}?fields=name`);
      expect(row).toMatchObject({ name: profile.name, handle: null, text: item.text });
      if (item.kind === 'facebook.comment') expect(row.inReplyTo).toBe(row.conversationRef);
      if (item.kind === 'facebook.reply') expect(row.inReplyTo).not.toBe(row.conversationRef);
    }
    expect([...contacts.values()].every((set) => set.size === 1)).toBe(true);
    expect(s.host.status('facebook')).toMatchObject({
      state: 'running',
      mode: 'poll',
      detail: 'Watching Northwind: visitor posts and comments are checked every minute.',
      received: 7,
      duplicatesSkipped: 0,
      badPayloads: 0,
      budget: { limit: 100, unit: 'percent', period: 'rolling hour' },
      backfill: { active: false, fetched: 7, since: s.since },
    });
    expect(await readCursor(s.host.store.db, 'facebook', 'feed')).toMatch(/^\{"t":\d+,"ids":\["\d+_\d+"\]\}$/);
    const commented = new Set(posted.filter((p) => p.kind !== 'facebook.post').map((p) => stored.get(p.id)!.conversationRef));
    for (const postId of commented) expect(await readCursor(s.host.store.db, 'facebook', `comments:${postId}`)).toMatch(/^\{"t":\d+,"ids":\[/);

    // Nothing changed: one feed call, no comment calls, nothing stored.
    const before = s.requests.count('/comments');
    await fb.pollNow();
    expect(s.requests.count('/comments')).toBe(before);
    expect(s.host.status('facebook')).toMatchObject({ received: 7, duplicatesSkipped: 0 });

    // One new comment: only its post is read again.
    await post(s, 'facebook.comment', 'omar');
    await fb.pollNow();
    expect(s.requests.count('/comments')).toBe(before + 1);
    expect(s.host.status('facebook').received).toBe(8);
    await expectExactlyOnce(s.host.store, postedSince(s.sandbox.customers.posted(), s.since, FB_KINDS));
  });

  it('backfills a backlog of posts, comments and replies on first connection, reporting progress', async () => {
    const s = await setup();
    await s.sandbox.customers.post({ kind: 'facebook.post', at: s.clock.now() - 9 * 3_600_000 });
    const backlog = s.sandbox.customers.schedule('backlog', { count: 300, spreadMs: 6 * 3_600_000, mix: { 'facebook.post': 2, 'facebook.comment': 5, 'facebook.reply': 3 } });
    expect(await backlog.done).toBe(300);
    const since = s.clock.now() - 7 * 3_600_000;
    const fb = s.make({ backfillSince: since, batchSize: 40 });
    await fb.pollNow();
    await expectExactlyOnce(s.host.store, postedSince(s.sandbox.customers.posted(), since, FB_KINDS));
    expect(s.host.reports.filter((r) => r.patch.backfill?.active).length).toBeGreaterThan(1);
    expect(s.host.status('facebook').backfill).toEqual({ active: false, fetched: 300, since });
  });

  it('skips a comment it cannot store with the reason logged and counted, and keeps going', async () => {
    const s = await setup();
    await post(s, 'facebook.comment', 'emma');
    s.clock.advance(2000);
    const huge = await s.sandbox.customers.post({ kind: 'facebook.comment', customer: 'noah', text: 'x'.repeat(150_000) });
    await post(s, 'facebook.comment', 'lena');
    const fb = s.make();
    await fb.pollNow();
    expect(s.host.status('facebook')).toMatchObject({ state: 'running', received: 2, badPayloads: 1 });
    expect(s.host.logger.events('facebook.bad-payload').map((l) => l.fields.reason)).toEqual([`comment ${huge.id}: its text is 150,000 characters long, more than the 100,000 the desk stores`]);
    s.clock.advance(2000);
    await fb.pollNow();
    expect(s.host.status('facebook').badPayloads).toBe(1);
  });

  it('backs off on a Graph rate limit until access is regained, then resumes and loses nothing', async () => {
    const s = await setup();
    await post(s, 'facebook.post', 'emma', 2);
    s.sandbox.faults.inject({ kind: 'rate-limit', platform: 'facebook', path: '/:page-id/feed', graphCode: 80001, resetInSeconds: 600 });
    const fb = s.make();
    await fb.pollNow();
    const until10 = s.clock.now() + 10 * 60_000;
    expect(s.host.status('facebook')).toMatchObject({
      state: 'backing-off',
      backoffUntil: until10,
      detail: `Facebook says the desk is making too many calls (#80001); reading the Page feed resumes at ${new Date(until10).toISOString().slice(11, 16)}.`,
      lastError: 'Graph error 80001',
      budget: { used: 100 },
    });
    const calls = s.requests.count('/feed');
    s.clock.advance(5 * 60_000);
    await fb.pollNow();
    expect(s.requests.count('/feed')).toBe(calls);
    s.clock.set(until10 + 1);
    await fb.pollNow();
    expect(s.host.status('facebook')).toMatchObject({ state: 'running', received: 2 });
  });

  it('retries 5xx, HTML 503 and dropped connections, and loses nothing', async () => {
    const s = await setup();
    await post(s, 'facebook.post', 'emma');
    await post(s, 'facebook.comment', 'noah', 3);
    s.sandbox.faults.inject({ kind: 'server-error', platform: 'facebook', path: '/:page-id/feed' });
    s.sandbox.faults.inject({ kind: 'html-503', platform: 'facebook', path: '/:page-id/feed' });
    s.sandbox.faults.inject({ kind: 'drop-connection', platform: 'facebook', path: '/:post-id/comments', when: 'mid-response' });
    s.sandbox.faults.inject({ kind: 'drop-connection', platform: 'facebook', path: '/:post-id/comments', when: 'before-processing' });
    const fb = s.make();
    await fb.pollNow();
    expect(s.host.status('facebook')).toMatchObject({ state: 'running', received: 4 });
    const reasons = s.host.logger.events('graph.request-retry').map((l) => l.fields.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Graph error 2', 'HTTP 503 (text/html; charset=utf-8)', 'connection dropped']));
    await expectExactlyOnce(s.host.store, postedSince(s.sandbox.customers.posted(), s.since, FB_KINDS));
  });

  it('an expired Page token: auth-error with what to do, and no more requests', async () => {
    const s = await setup();
    await post(s, 'facebook.post');
    s.sandbox.faults.inject({ kind: 'expired-token', platform: 'facebook', times: -1 });
    const fb = s.make({ pollIntervalMs: 10 });
    await fb.start();
    await until(() => s.host.status('facebook').state === 'auth-error', 'auth-error');
    const made = s.requests.count();
    expect(made).toBe(1);
    await fb.pollNow();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(s.requests.count()).toBe(made);
    expect(s.host.status('facebook')).toMatchObject({
      detail: 'Facebook refused the Page access token (it has expired); reconnect the Page in Settings to get a new one.',
      lastError: 'Graph error 190/463',
    });
    expect(s.host.logger.text()).not.toContain(s.sandbox.facebook.pageToken);
  });

  it('a wrong Page id stops with a sentence that says so', async () => {
    const s = await setup();
    const fb = createFacebookConnector(s.host, {
      page: { pageId: '999999999999999', pageToken: s.sandbox.facebook.pageToken, graphVersion: s.sandbox.facebook.graphVersion },
      transport: { dispatcher: s.dispatcher },
      backfillSince: s.since,
      timers: new VirtualTimers(s.clock),
    });
    await fb.pollNow();
    expect(s.host.status('facebook')).toMatchObject({ state: 'auth-error', detail: expect.stringMatching(/does not know the Page set up in Settings/) });
  });

  it('reports Graph usage as its budget and pauses at 90% until usage falls', async () => {
    const s = await setup({ rateLimits: { facebook: { appCalls: 20, pageCalls: 1000, windowMs: 10 * 60_000 } } });
    const fb = s.make();
    await fb.pollNow();
    const first = s.host.status('facebook').budget!.used;
    expect(first).toBeGreaterThan(0);
    for (let i = 0; i < 30 && s.host.status('facebook').state !== 'backing-off'; i += 1) {
      s.clock.advance(1000);
      await fb.pollNow();
    }
    const status = s.host.status('facebook');
    expect(status.state).toBe('backing-off');
    expect(status.budget!.used).toBeGreaterThanOrEqual(90);
    expect(status.detail).toMatch(/^Facebook says the desk has used 9\d% of its call allowance; reading the Page feed pauses until \d\d:\d\d\.$/);
    const calls = s.requests.count();
    await fb.pollNow();
    expect(s.requests.count()).toBe(calls);
    s.clock.advance(10 * 60_000);
    await post(s, 'facebook.post');
    await fb.pollNow();
    expect(s.host.status('facebook')).toMatchObject({ state: 'running', received: 1 });
    expect(s.host.status('facebook').budget!.used).toBeLessThan(90);
  });

  it('a failed batch, then a stop in the middle of a poll, then a clean run: nothing lost, nothing stored twice', async () => {
    const s = await setup();
    const backlog = s.sandbox.customers.schedule('backlog', { count: 400, spreadMs: 3_600_000, mix: { 'facebook.post': 1, 'facebook.comment': 3, 'facebook.reply': 1 } });
    await backlog.done;
    const since = s.clock.now() - 2 * 3_600_000;
    const crashing = s.newHost({
      beforeIngest: (call) => {
        if (call === 4) throw new Error('disk I/O error (simulated crash)');
      },
    });
    const first = s.make({ backfillSince: since, batchSize: 30 }, crashing);
    await first.pollNow();
    expect(crashing.status('facebook')).toMatchObject({ state: 'backing-off', lastError: 'disk I/O error (simulated crash)' });
    await first.stop();
    const afterCrash = (await storedMessages(s.host.store)).length;

    let second: Connector | null = null;
    const stopping = s.newHost({
      beforeIngest: (call) => {
        if (call === 3) void second?.stop();
      },
    });
    second = s.make({ backfillSince: since, batchSize: 30 }, stopping);
    await second.pollNow();
    await second.stop();
    const afterStop = (await storedMessages(s.host.store)).length;
    expect(afterStop).toBeGreaterThan(afterCrash);
    expect(afterStop).toBeLessThan(400);

    const clean = s.newHost();
    const third = s.make({ backfillSince: since, batchSize: 30 }, clean);
    await third.pollNow();
    await expectExactlyOnce(s.host.store, postedSince(s.sandbox.customers.posted(), since, FB_KINDS));
    expect(clean.status('facebook')).toMatchObject({ duplicatesSkipped: 0, received: 400 - afterStop });
  });
});

describe('Facebook "test connection"', () => {
  it('names the Page, and explains an expired token, a wrong Page id or an unreachable Facebook in plain words', async () => {
    const s = await setup();
    const page = { pageId: s.sandbox.facebook.pageId, pageToken: s.sandbox.facebook.pageToken, graphVersion: s.sandbox.facebook.graphVersion };
    const transport = { dispatcher: s.dispatcher };
    expect(await testFacebookConnection(page, transport)).toEqual({
      ok: true,
      identity: 'Northwind',
      detail: 'Connected to the Facebook Page Northwind; the desk can read its feed, comments and Messenger inbox.',
    });
    s.sandbox.faults.inject({ kind: 'expired-token', platform: 'facebook' });
    expect(await testFacebookConnection(page, transport)).toEqual({
      ok: false,
      identity: null,
      detail: 'Facebook refused the Page access token (it has expired): generate a new Page access token and enter it in Settings.',
    });
    expect(await testFacebookConnection({ ...page, pageId: '999999999999999' }, transport)).toEqual({
      ok: false,
      identity: null,
      detail: 'Facebook does not know a Page with id 999999999999999, or this token cannot see it: check the Page id and that the token is a Page access token for that Page.',
    });
    s.sandbox.faults.inject({ kind: 'expired-token', platform: 'facebook', path: '/:page-id/conversations' });
    expect(await testFacebookConnection(page, transport)).toMatchObject({ ok: false, identity: 'Northwind', detail: expect.stringMatching(/^Connected to Northwind, but the desk cannot read Messenger: Facebook refused/) });

    const { port, caPem } = s.sandbox;
    await s.sandbox.close();
    expect(await testFacebookConnection(page, { dispatcher: createSandboxDispatcher({ port, caPem }) })).toEqual({
      ok: false,
      identity: null,
      detail: 'Could not reach Facebook (ECONNREFUSED): check the internet connection or the proxy.',
    });
  });
});
