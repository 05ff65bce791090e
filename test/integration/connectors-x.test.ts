// The X connector against the sandbox over real HTTPS (twitter-api-v2 unchanged, OAuth 1.0a
// checked by the sandbox) into a real SQLite store: exactly once, cursors, backfill, every
// fault class, the monthly budget, a crash mid-poll, and the filtered stream.
import { afterEach, describe, expect, it } from 'vitest';
import { TwitterApi } from 'twitter-api-v2';
import { ManualClock } from '../../electron/core/clock';
import { realTimers, type Timers } from '../../electron/core/connectors/scheduler';
import { createXConnector, type XConnector, type XConnectorOptions } from '../../electron/core/connectors/x';
import { readCursor } from '../../electron/core/store/cursors';
import { createSandboxHttpsAgent, startSandbox, type Sandbox, type SandboxOptions } from '../../electron/sandbox/index';
import { testXConnection } from '../../electron/core/connectors/whoami';
import {
  VirtualTimers,
  countAgentRequests,
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

const X_KINDS = ['x.mention', 'x.reply', 'x.dm'];
const START = Date.UTC(2026, 10, 25, 9, 0);

interface Setup {
  clock: ManualClock;
  sandbox: Sandbox;
  requests: RequestLog;
  host: TestHost;
  timers: VirtualTimers;
  since: number;
  make(extra?: Partial<XConnectorOptions>, host?: TestHost): XConnector;
  newHost(options?: HostOptions): TestHost;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});

async function setup(sandboxOptions: SandboxOptions = {}, hostOptions: HostOptions = {}): Promise<Setup> {
  const clock = new ManualClock(START);
  const sandbox = await startSandbox({ seed: 7, clock, ...sandboxOptions });
  cleanups.push(() => sandbox.close());
  const agent = sandbox.httpsAgent();
  const requests = countAgentRequests(agent);
  const { store, remove } = await openTestStore();
  cleanups.push(remove);
  const host = createHost(store, clock, hostOptions);
  const timers = new VirtualTimers(clock);
  const since = clock.now();
  clock.advance(1000);
  const connectors: XConnector[] = [];
  cleanups.push(async () => {
    for (const c of connectors) await c.stop();
  });
  return {
    clock,
    sandbox,
    requests,
    host,
    timers,
    since,
    make: (extra = {}, onHost = host) => {
      const connector = createXConnector(onHost, {
        credentials: sandbox.x.credentials,
        userId: sandbox.x.userId,
        transport: { httpsAgent: agent },
        stream: false,
        backfillSince: since,
        timers,
        timeZone: 'UTC',
        ...extra,
      });
      connectors.push(connector);
      return connector;
    },
    newHost: (options = {}) => createHost(store, clock, options),
  };
}

async function post(s: Setup, kind: string, customer?: string, times = 1): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < times; i += 1) {
    s.clock.advance(1000);
    ids.push((await s.sandbox.customers.post({ kind: kind as 'x.mention', ...(customer ? { customer } : {}) })).id);
  }
  return ids;
}

describe('X connector: polling', () => {
  it('stores mentions, replies and DMs exactly once under the right contact with handle and name; a second poll adds nothing; the cursors move', async () => {
    const s = await setup();
    await post(s, 'x.mention', 'ada');
    await post(s, 'x.reply', 'ada');
    await post(s, 'x.dm', 'ada', 2);
    await post(s, 'x.mention', 'bob', 2);
    await post(s, 'x.reply', 'carla');
    await post(s, 'x.dm', 'bob');
    const x = s.make();
    await x.pollNow();

    const posted = postedSince(s.sandbox.customers.posted(), s.since, X_KINDS);
    expect(posted).toHaveLength(8);
    const stored = await expectExactlyOnce(s.host.store, posted);
    // One contact per person across mentions, replies and DMs, with the handle and name X gives.
    const lookup = new TwitterApi({ ...s.sandbox.x.credentials }, { httpAgent: s.sandbox.httpsAgent() });
    const byAuthor = new Map<string, Set<number>>();
    for (const item of posted) {
      const row = stored.get(item.id)!;
      byAuthor.set(item.authorId, (byAuthor.get(item.authorId) ?? new Set()).add(row.contactId));
      const user = (await lookup.v2.user(item.authorId)).data;
      expect({ handle: row.handle, name: row.name }).toEqual({ handle: user.username, name: user.name });
      if (item.kind === 'x.reply') expect(row.inReplyTo).toMatch(/^\d+$/);
      expect(row.text).toBe(item.text);
    }
    expect([...byAuthor.values()].every((contacts) => contacts.size === 1)).toBe(true);
    expect(new Set([...byAuthor.values()].map((c) => [...c][0])).size).toBe(3);

    const status = s.host.status('x');
    expect(status).toMatchObject({
      state: 'running',
      mode: 'poll',
      received: 8,
      duplicatesSkipped: 0,
      badPayloads: 0,
      lastPollAt: s.clock.now(),
      budget: { used: 5, limit: 10_000, unit: 'posts', period: '2026-11' },
      backfill: { active: false, fetched: 8, since: s.since },
    });
    expect(status.detail).toBe('Watching @NorthwindCare: mentions every minute, direct messages every minute.');
    const newest = (kinds: string[]): string => posted.filter((p) => kinds.includes(p.kind)).map((p) => BigInt(p.id)).reduce((a, b) => (a > b ? a : b)).toString();
    expect(await readCursor(s.host.store.db, 'x', 'mentions')).toBe(newest(['x.mention', 'x.reply']));
    expect(await readCursor(s.host.store.db, 'x', 'dms')).toBe(newest(['x.dm']));
    expect(await readCursor(s.host.store.db, 'x', 'usage:2026-11')).toBe('5');

    // A second poll finds nothing new and stores nothing (no duplicates to skip either: since_id).
    await x.pollNow();
    expect(s.host.status('x')).toMatchObject({ received: 8, duplicatesSkipped: 0 });

    // The desk's own DM is outbound: skipped, and the cursor moves past it.
    const user = new TwitterApi({ ...s.sandbox.x.credentials }, { httpAgent: s.sandbox.httpsAgent() });
    const ada = posted.find((p) => p.kind === 'x.dm')!.authorId;
    // twitter-api-v2 types the answer as {dm_event_id}; X (and the sandbox) answer {data:{dm_event_id}}.
    const answer = (await user.v2.sendDmToParticipant(ada, { text: 'We are looking into it.' })) as unknown as { data: { dm_event_id: string } };
    const sent = answer.data;
    const [fresh] = await post(s, 'x.mention', 'dana');
    await x.pollNow();
    expect(s.host.status('x').received).toBe(9);
    expect((await storedMessages(s.host.store)).some((row) => row.externalId === sent.dm_event_id)).toBe(false);
    expect(await readCursor(s.host.store.db, 'x', 'dms')).toBe(sent.dm_event_id);
    expect(await readCursor(s.host.store.db, 'x', 'mentions')).toBe(fresh);
  });

  it('backfills an overnight backlog on first connection, oldest first, in batches, reporting progress', async () => {
    const s = await setup();
    const old = await s.sandbox.customers.post({ kind: 'x.mention', at: s.clock.now() - 9 * 3_600_000 });
    const backlog = s.sandbox.customers.schedule('backlog', { count: 400, spreadMs: 6 * 3_600_000, mix: { 'x.mention': 5, 'x.reply': 2, 'x.dm': 3 } });
    expect(await backlog.done).toBe(400);
    const since = s.clock.now() - 7 * 3_600_000;
    const x = s.make({ backfillSince: since, batchSize: 64 });
    await x.pollNow();

    const posted = postedSince(s.sandbox.customers.posted(), since, X_KINDS);
    expect(posted).toHaveLength(400);
    await expectExactlyOnce(s.host.store, posted);
    expect((await storedMessages(s.host.store)).some((row) => row.externalId === old.id)).toBe(false);
    // Oldest first: within each stream, later rows are never older.
    const rows = await storedMessages(s.host.store);
    for (const kinds of [['x.mention', 'x.reply'], ['x.dm']]) {
      const times = rows.filter((r) => kinds.includes(r.kind)).map((r) => r.createdAt);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    expect(s.host.ingestCalls()).toBeGreaterThan(400 / 64);
    const progress = s.host.reports.map((r) => r.patch.backfill).filter((b) => b?.active);
    expect(progress.length).toBeGreaterThan(1);
    expect(s.host.status('x').backfill).toEqual({ active: false, fetched: 400, since });
    expect(s.host.reports.some((r) => /^Catching up on X since .*: \d+ fetched so far\.$/.test(r.patch.detail ?? ''))).toBe(true);
  });
});

describe('X connector: bad payloads', () => {
  it('skips a post it cannot store with the reason logged and counted, stores the rest, and moves past it', async () => {
    const s = await setup();
    await post(s, 'x.mention', 'ada');
    s.clock.advance(1000);
    const huge = await s.sandbox.customers.post({ kind: 'x.mention', customer: 'bob', text: 'spam '.repeat(40_000) });
    const odd = await s.sandbox.customers.post({ kind: 'x.mention', customer: 'carla', text: 'broken \uD83D surrogate, RTL \u202Eevil\u202C and <script>alert(1)</script>' });
    await post(s, 'x.dm', 'ada');
    const x = s.make();
    await x.pollNow();
    expect(s.host.status('x')).toMatchObject({ state: 'running', received: 3, badPayloads: 1 });
    const warning = s.host.logger.events('x.bad-payload');
    expect(warning).toEqual([{ level: 'warn', event: 'x.bad-payload', fields: { source: 'mentions', id: huge.id, reason: `post ${huge.id}: its text is 200,015 characters long, more than the 100,000 the desk stores` } }]);
    const rows = await storedMessages(s.host.store);
    expect(rows.find((r) => r.externalId === odd.id)!.text).toBe('@NorthwindCare broken \uFFFD surrogate, RTL \u202Eevil\u202C and <script>alert(1)</script>');
    expect(await readCursor(s.host.store.db, 'x', 'mentions')).toBe(odd.id);
    await x.pollNow();
    expect(s.host.status('x').badPayloads).toBe(1);
  });
});

describe('X connector: faults', () => {
  it('429 with a reset: backing off until the reset without calling X, then resumes and loses nothing', async () => {
    const s = await setup();
    await post(s, 'x.mention', undefined, 3);
    s.sandbox.faults.inject({ kind: 'rate-limit', platform: 'x', path: '/2/users/:id/mentions', resetInSeconds: 120 });
    const x = s.make();
    await x.pollNow();
    const reset = (Math.ceil(s.clock.now() / 1000) + 120) * 1000;
    expect(s.host.status('x')).toMatchObject({
      state: 'backing-off',
      backoffUntil: reset,
      detail: `X says too many requests for mentions; resuming at ${new Date(reset).toISOString().slice(11, 16)}.`,
      lastError: 'HTTP 429 on mentions',
      received: 0,
    });
    expect(s.requests.count('/mentions')).toBe(1);
    expect(s.requests.count('/dm_events')).toBe(1);

    s.clock.advance(60_000);
    await x.pollNow();
    expect(s.requests.count('/mentions')).toBe(1);
    expect(s.host.status('x').state).toBe('backing-off');

    s.clock.set(reset + 1);
    await x.pollNow();
    expect(s.requests.count('/mentions')).toBe(2);
    expect(s.host.status('x')).toMatchObject({ state: 'running', backoffUntil: null, received: 3 });
    await expectExactlyOnce(s.host.store, postedSince(s.sandbox.customers.posted(), s.since, X_KINDS));
  });

  it('waits for the window to reset instead of earning a 429 when X says nothing is left', async () => {
    const s = await setup({ rateLimits: { x: { 'GET /2/users/:id/mentions': 2 } } });
    const x = s.make();
    await post(s, 'x.mention');
    await x.pollNow();
    await post(s, 'x.mention');
    await x.pollNow();
    await post(s, 'x.mention');
    await x.pollNow();
    expect(s.requests.count('/mentions')).toBe(2);
    expect(s.host.status('x')).toMatchObject({ state: 'backing-off', lastError: 'rate-limit window used up (users/:id/mentions)', received: 2 });
    s.clock.advance(15 * 60_000);
    await x.pollNow();
    expect(s.host.status('x')).toMatchObject({ state: 'running', received: 3 });
  });

  it('retries 5xx, HTML 503 and dropped connections (mid-answer and before it) and loses nothing', async () => {
    const s = await setup();
    await post(s, 'x.mention', undefined, 150);
    await post(s, 'x.dm', undefined, 3);
    s.sandbox.faults.inject({ kind: 'server-error', platform: 'x', path: '/2/users/:id/mentions', status: 503 });
    s.sandbox.faults.inject({ kind: 'html-503', platform: 'x', path: '/2/users/:id/mentions' });
    s.sandbox.faults.inject({ kind: 'drop-connection', platform: 'x', path: '/2/dm_events', when: 'before-processing' });
    const x = s.make();
    await x.pollNow();
    // Page 2 of the mentions: the connection dies in the middle of the answer.
    expect(s.host.status('x')).toMatchObject({ state: 'running', received: 153 });
    expect(s.host.logger.events('x.request-retry').map((l) => l.fields.reason)).toEqual(expect.arrayContaining(['HTTP 503', 'HTTP 503 (HTML body)', expect.stringMatching(/^network: /)]));

    await post(s, 'x.mention', undefined, 101);
    s.sandbox.faults.inject({ kind: 'drop-connection', platform: 'x', path: '/2/users/:id/mentions', when: 'mid-response', times: 1 });
    await x.pollNow();
    expect(s.host.logger.events('x.request-retry').some((l) => l.fields.reason === 'connection dropped mid-response')).toBe(true);
    expect(s.host.status('x').received).toBe(254);

    // Three failures in a row: the cycle gives up, backs off, and the next one stores the rest.
    s.sandbox.faults.inject({ kind: 'server-error', platform: 'x', path: '/2/dm_events', status: 500, times: 3 });
    await post(s, 'x.dm');
    await x.pollNow();
    const status = s.host.status('x');
    expect(status).toMatchObject({ state: 'backing-off', lastError: 'HTTP 500' });
    expect(status.detail).toMatch(/^X is having trouble \(HTTP 500\); retrying direct messages at \d\d:\d\d\.$/);
    s.clock.set(status.backoffUntil! + 1);
    await x.pollNow();
    expect(s.host.status('x')).toMatchObject({ state: 'running', received: 255 });
    await expectExactlyOnce(s.host.store, postedSince(s.sandbox.customers.posted(), s.since, X_KINDS));
  });

  it('an expired token: auth-error with what to do, and no more requests (no hammering), no secret in the log', async () => {
    const s = await setup();
    await post(s, 'x.mention');
    s.sandbox.faults.inject({ kind: 'expired-token', platform: 'x', times: -1 });
    const x = s.make({ pollIntervalMs: 10, dmPollIntervalMs: 10 });
    await x.start();
    await until(() => s.host.status('x').state === 'auth-error', 'auth-error');
    const made = s.requests.count();
    expect(made).toBeLessThanOrEqual(3);
    for (let i = 0; i < 3; i += 1) await x.pollNow();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(s.requests.count()).toBe(made);
    expect(s.host.status('x')).toMatchObject({
      state: 'auth-error',
      detail: 'X refused the access token or API keys (401 Unauthorized); re-enter the X keys and tokens in Settings.',
      lastError: 'HTTP 401 Unauthorized',
    });
    await x.stop();
    expect(s.host.status('x').state).toBe('stopped');
    const log = s.host.logger.text();
    for (const secret of Object.values(s.sandbox.x.credentials)) expect(log).not.toContain(secret);
    expect([...s.host.logger.redacted]).toEqual(expect.arrayContaining([s.sandbox.x.credentials.accessToken, s.sandbox.x.credentials.bearerToken]));
  });
});

describe('X connector: the monthly read budget', () => {
  it("X's usage cap: budget-exhausted until next month, direct messages still arrive, mentions resume on the 1st", async () => {
    const s = await setup();
    await post(s, 'x.mention', undefined, 2);
    await post(s, 'x.dm');
    s.sandbox.faults.inject({ kind: 'usage-cap', platform: 'x', path: '/2/users/:id/mentions' });
    const x = s.make();
    await x.pollNow();
    expect(s.host.status('x')).toMatchObject({
      state: 'budget-exhausted',
      backoffUntil: Date.UTC(2026, 11, 1),
      detail: "X says the plan's monthly read allowance is used up; reading mentions resumes on 1 December at 00:00.",
      received: 1,
      budget: { used: 10_000, limit: 10_000, unit: 'posts', period: '2026-11' },
    });
    await post(s, 'x.dm');
    await post(s, 'x.mention');
    await x.pollNow();
    expect(s.requests.count('/mentions')).toBe(1);
    expect(s.host.status('x')).toMatchObject({ state: 'budget-exhausted', received: 2 });

    s.clock.set(Date.UTC(2026, 11, 1, 0, 0, 5));
    await x.pollNow();
    expect(s.host.status('x')).toMatchObject({ state: 'running', received: 5, budget: { used: 3, period: '2026-12' } });
    // Six quiet days since the backfill start are read in growing windows (1 h, 4 h, 16 h, ...), not hour by hour.
    expect(s.requests.count('/mentions')).toBeLessThanOrEqual(1 + 6);
    await expectExactlyOnce(s.host.store, postedSince(s.sandbox.customers.posted(), s.since, X_KINDS));
  });

  it("stops reading at the plan's cap and remembers the month's count across restarts", async () => {
    const s = await setup();
    await post(s, 'x.mention', undefined, 7);
    const first = s.make({ monthlyReadCap: 5 });
    await first.pollNow();
    expect(s.host.status('x')).toMatchObject({ state: 'running', received: 7, budget: { used: 7, limit: 5 } });
    await post(s, 'x.mention');
    await first.pollNow();
    expect(s.requests.count('/mentions')).toBe(1);
    expect(s.host.status('x')).toMatchObject({
      state: 'budget-exhausted',
      detail: "The X plan's monthly read allowance is used up (7 of 5 posts); mentions resume on 1 December at 00:00. Direct messages still arrive.",
    });
    await first.stop();

    const host = s.newHost();
    const second = s.make({ monthlyReadCap: 5 }, host);
    await second.pollNow();
    expect(s.requests.count('/mentions')).toBe(1);
    expect(host.status('x')).toMatchObject({ state: 'budget-exhausted', budget: { used: 7, limit: 5, period: '2026-11' } });
  });
});

describe('X connector: crashes', () => {
  it('a failed batch, then a stop in the middle of a poll, then a clean run: nothing lost, nothing stored twice', async () => {
    const s = await setup();
    const backlog = s.sandbox.customers.schedule('backlog', { count: 600, spreadMs: 3_600_000, mix: { 'x.mention': 2, 'x.reply': 1, 'x.dm': 2 } });
    await backlog.done;
    const since = s.clock.now() - 2 * 3_600_000;

    const crashing = s.newHost({
      beforeIngest: (call) => {
        if (call === 3) throw new Error('disk I/O error (simulated crash)');
      },
    });
    const first = s.make({ backfillSince: since, batchSize: 50 }, crashing);
    await first.pollNow();
    expect(crashing.status('x')).toMatchObject({ state: 'backing-off', lastError: 'disk I/O error (simulated crash)' });
    const afterCrash = (await storedMessages(s.host.store)).length;
    expect(afterCrash).toBeGreaterThan(0);
    expect(afterCrash).toBeLessThan(600);
    await first.stop();

    let second: XConnector | null = null;
    const stopping = s.newHost({
      beforeIngest: (call) => {
        if (call === 4) void second?.stop();
      },
    });
    second = s.make({ backfillSince: since, batchSize: 50 }, stopping);
    await second.pollNow();
    await second.stop();
    const afterStop = (await storedMessages(s.host.store)).length;
    expect(afterStop).toBeGreaterThan(afterCrash);
    expect(afterStop).toBeLessThan(600);

    const clean = s.newHost();
    const third = s.make({ backfillSince: since, batchSize: 50 }, clean);
    await third.pollNow();
    await expectExactlyOnce(s.host.store, postedSince(s.sandbox.customers.posted(), since, X_KINDS));
    // The cursors committed with each batch: the resumed runs re-stored nothing.
    expect(stopping.status('x').duplicatesSkipped ?? 0).toBe(0);
    expect(clean.status('x')).toMatchObject({ duplicatesSkipped: 0, received: 600 - afterStop });
  });
});

describe('X connector: the filtered stream', () => {
  /** Real time, but no wait longer than 100 ms: X's minute-long backoffs shrink for the test. */
  const quick: Timers = { sleep: (ms, signal) => realTimers.sleep(Math.min(ms, 100), signal) };

  it('streams mentions live with heartbeats, reconnects after a disconnect line, catches up on the gap, and skips its own posts', async () => {
    const s = await setup({ x: { streamHeartbeatMs: 50 } });
    const x = s.make({ stream: true, streamSilenceMs: 2_000, dmPollIntervalMs: 3_600_000, timers: quick });
    expect(x.mode).toBe('stream');
    await x.start();
    await until(() => x.mode === 'stream' && /^Streaming mentions of @NorthwindCare live/.test(s.host.status('x').detail ?? ''), 'stream connected');
    const app = new TwitterApi(s.sandbox.x.credentials.bearerToken, { httpAgent: s.sandbox.httpsAgent() });
    expect((await app.v2.streamRules()).data.map((r) => r.value)).toEqual(['@NorthwindCare']);

    const live = await post(s, 'x.mention', undefined, 3);
    await until(async () => (await storedMessages(s.host.store)).filter((r) => live.includes(r.externalId)).length === 3, 'live mentions');
    // Heartbeats every 50 ms keep a 2 s silence limit from ever firing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.host.logger.events('x.stream.connected')).toHaveLength(1);
    expect(s.host.logger.events('x.stream.silent')).toHaveLength(0);

    // The desk's own post matches the rule; it is outbound and not stored as a customer message.
    const user = new TwitterApi({ ...s.sandbox.x.credentials }, { httpAgent: s.sandbox.httpsAgent() });
    const own = await user.v2.tweet('Thanks for writing to @NorthwindCare, we answer every day 8:00-20:00');

    // Disconnect; reconnecting fails (503) while customers keep writing; then the network heals.
    s.sandbox.faults.inject({ kind: 'server-error', platform: 'x', path: '/2/tweets/search/stream', times: -1 });
    s.sandbox.faults.inject({ kind: 'stream-disconnect', platform: 'x' });
    await until(() => s.host.logger.events('x.stream.disconnected').length === 1, 'disconnect');
    const gap = await post(s, 'x.mention', undefined, 2);
    await until(() => s.host.logger.events('x.stream.connect-failed').length >= 2, 'failed reconnects');
    expect(s.host.status('x').state).toBe('backing-off');
    s.sandbox.faults.clear();
    await until(() => s.host.logger.events('x.stream.connected').length === 2, 'reconnected');
    await until(async () => (await storedMessages(s.host.store)).filter((r) => gap.includes(r.externalId)).length === 2, 'gap caught up');
    const after = await post(s, 'x.reply', undefined, 2);
    await until(async () => (await storedMessages(s.host.store)).filter((r) => after.includes(r.externalId)).length === 2, 'after reconnect');

    const catchUps = s.host.logger.events('x.stream.catch-up');
    expect(catchUps[0]!.fields.from).toBeNull();
    expect(typeof catchUps[1]!.fields.from).toBe('number');
    await x.stop();
    await expectExactlyOnce(s.host.store, postedSince(s.sandbox.customers.posted(), s.since, X_KINDS));
    expect((await storedMessages(s.host.store)).some((r) => r.externalId === own.data.id)).toBe(false);
    expect(s.host.status('x')).toMatchObject({ state: 'stopped', mode: 'stream', badPayloads: 0 });
  });

  it('treats 20 s (here: 300 ms) of silence as a dead connection and reconnects', async () => {
    const s = await setup({ x: { streamHeartbeatMs: 60_000 } });
    const x = s.make({ stream: true, streamSilenceMs: 300, dmPollIntervalMs: 3_600_000, timers: quick });
    await x.start();
    await until(() => s.host.logger.events('x.stream.connected').length >= 1, 'connected');
    await until(() => s.host.logger.events('x.stream.silent').length >= 1 && s.host.logger.events('x.stream.connected').length >= 2, 'reconnect after silence');
    const [id] = await post(s, 'x.mention');
    await until(async () => (await storedMessages(s.host.store)).some((r) => r.externalId === id), 'mention after reconnect');
    await x.stop();
  });

  it('falls back to polling when the plan has no filtered stream', async () => {
    const s = await setup();
    s.sandbox.faults.inject({ kind: 'expired-token', platform: 'x', path: '/2/tweets/search/stream/rules', times: -1 });
    const x = s.make({ stream: true, timers: quick, pollIntervalMs: 3_600_000, dmPollIntervalMs: 3_600_000 });
    await x.start();
    await until(() => x.mode === 'poll', 'fallback');
    await post(s, 'x.mention');
    await x.pollNow();
    expect(s.host.status('x')).toMatchObject({ mode: 'poll', received: 1 });
    expect(s.host.status('x').detail).toMatch(/^Watching @NorthwindCare: mentions every hour, direct messages every hour \(the live stream is not available: HTTP 401 Unauthorized\)\.$/);
  });
});

describe('X "test connection"', () => {
  it('names the account, says whether the stream can be used, and explains a refused key or an unreachable X in plain words', async () => {
    const s = await setup();
    const transport = { httpsAgent: s.sandbox.httpsAgent() };
    expect(await testXConnection(s.sandbox.x.credentials, transport)).toEqual({
      ok: true,
      identity: '@NorthwindCare',
      detail: 'Connected to X as @NorthwindCare (Northwind Care); the bearer token works, so mentions can arrive live through the filtered stream.',
    });
    const { bearerToken: _none, ...noBearer } = s.sandbox.x.credentials;
    expect((await testXConnection(noBearer, transport)).detail).toBe('Connected to X as @NorthwindCare (Northwind Care). No bearer token is set, so mentions are polled.');

    s.sandbox.faults.inject({ kind: 'expired-token', platform: 'x', path: '/2/tweets/search/stream/rules' });
    expect(await testXConnection(s.sandbox.x.credentials, transport)).toMatchObject({
      ok: true,
      detail: 'Connected to X as @NorthwindCare (Northwind Care), but X refused the bearer token (401); mentions will be polled instead of streamed.',
    });

    s.sandbox.faults.inject({ kind: 'expired-token', platform: 'x' });
    expect(await testXConnection(s.sandbox.x.credentials, transport)).toEqual({
      ok: false,
      identity: null,
      detail: 'X refused the keys (401 Unauthorized): check the API key and secret and the access token and secret; regenerating them in the X developer portal invalidates the old ones.',
    });

    const { port, caPem } = s.sandbox;
    await s.sandbox.close();
    const down = await testXConnection(s.sandbox.x.credentials, { httpsAgent: createSandboxHttpsAgent({ port, caPem }) });
    expect(down).toEqual({ ok: false, identity: null, detail: 'Could not reach X (ECONNREFUSED): check the internet connection or the proxy.' });
  });
});
