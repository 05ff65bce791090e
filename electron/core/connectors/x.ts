/**
 * The X connector: mentions and replies (polled with since_id, or live through the filtered
 * stream when an app bearer token is set), direct messages (polled), the monthly read budget.
 *
 * Exactly once. A mentions poll reads X's answers newest first (X's only order), keeps them in
 * memory, then stores them oldest first in batches, each batch with the newest id stored so far
 * as the cursor, committed in the same transaction. A crash between batches resumes from the
 * last committed id: nothing lost, nothing stored twice. A long range (a backlog, a desk that
 * was off) is read in time windows, oldest window first, each stored before the cursor moves
 * into the next, while the next one is being read. A rate limit in the middle of a window keeps
 * the pages already read and continues from X's pagination token after the reset, so the reads
 * are not paid for twice. DMs have no id filter on X's side: they are paged newest first down
 * to the cursor, then stored the same way.
 *
 * twitter-api-v2's paginators are not used: they stop quietly when a rate-limit window is used
 * up, which would look like the end of the list and leave a gap below the cursor.
 *
 * The stream never moves the mentions cursor: it only adds (ingest dedupes). After every
 * (re)connection a catch-up poll reads what the stream could have missed: everything after
 * the cursor on the first connection, only the gap since the drop afterwards.
 *
 * Cursors: 'mentions' and 'dms' (the newest id stored, or a window's upper bound - 1 once the
 * window is stored in full); 'usage:YYYY-MM' (posts read this month, written with an empty batch).
 */
import type { ConnectorName } from '../contract';
import type { IngestOutcome, IngestSource } from '../ingest/ingest';
import type { InboundMessageInput } from '../ingest/inbound';
import type { Transport, XCredentials } from '../network';
import { ConnectorFailure, describeFailure, everyPhrase as every, failure, monthKey, nextMonthStart, resumeTime, type Failure } from './backoff';
import { chunks, compareSnowflakes, maxSnowflake, snowflakeAt, snowflakeTime } from './cursors';
import { isNormalizeError, normalizeDm, normalizeTweet, parseXTime, payloadId, usersById, type XAuthor } from './normalize-x';
import { IngestGuard, Mutex, RateLimitMemory, Scheduler, realTimers, throwIfAborted, type Timers } from './scheduler';
import { StatusBoard } from './status';
import type { Connector, ConnectorHost } from './types';
import { XRest, classifyXError, createAppClient, createUserClient } from './x-client';
import { TWEET_FIELDS, USER_FIELDS, XStreamRunner } from './x-stream';

export interface XConnectorOptions {
  credentials: XCredentials;
  /** The desk's X user id; resolved with GET /2/users/me when absent. */
  userId?: string;
  /** Its @username (without @); resolved with /2/users/me when needed and absent. */
  username?: string;
  transport: Transport;
  /** Mentions poll interval (default 60 s; X allows 300 calls per 15 minutes per user). */
  pollIntervalMs?: number;
  /** Direct messages poll interval (default 60 s). */
  dmPollIntervalMs?: number;
  /** Use the filtered stream for mentions (default: when a bearer token is set). */
  stream?: boolean;
  /** Stream rules the desk needs (default: `@<username>`). */
  streamRules?: string[];
  /** No byte from the stream for this long means a dead connection (default 25 s: X sends a heartbeat every ~20 s). */
  streamSilenceMs?: number;
  /** Stream posts are stored in micro-batches this often (default 50 ms). */
  streamFlushMs?: number;
  /** On the first connection (no cursor) fetch back to here (epoch ms). */
  backfillSince: number;
  /** Posts the plan may read per month (default 10,000: X's Basic tier). */
  monthlyReadCap?: number;
  /**
   * Messages per stored batch (default 2,000). Ingest pays a fixed cost per transaction, so a
   * backlog stores about 1.4x faster in batches of 2,000 than of 500 (test/bench/backlog.ts);
   * a steady poll has far fewer messages than this anyway.
   */
  batchSize?: number;
  /** Waits (default: real timers); tests pass timers that move a manual clock. */
  timers?: Timers;
  /** For the times in details ("resuming at 10:42"); default the system's zone. */
  timeZone?: string;
  random?: () => number;
}

export const X_CONNECTOR: ConnectorName = 'x';
const MENTIONS_ENDPOINT = 'users/:id/mentions';
const DM_ENDPOINT = 'dm_events';
const MAX_RESULTS = 100;
/** A paging left half-done by a rate limit is resumed only while X's token is surely valid. */
const PENDING_MAX_AGE_MS = 60 * 60_000;
/** The stream overlaps the catch-up poll by this much (delivery lag, clock skew). */
const CATCH_UP_OVERLAP_MS = 60_000;
const BUDGET_SAVE_EVERY_MS = 30_000;
const MAX_BAD_LOGS_PER_CYCLE = 20;
/** A mentions poll over a longer range reads it in windows, the first this long (see mentionsCycle). */
const MENTION_WINDOW_MS = 60 * 60_000;
/** Only ranges older than this are closed windows: X has surely shown everything in them. */
const SETTLE_MS = 5 * 60_000;

/** The highest possible id made before `ms`: `since_id` for "from `ms` on". */
function idBefore(ms: number): string {
  const id = BigInt(snowflakeAt(ms)) - 1n;
  return (id > 0n ? id : 0n).toString();
}

interface Prepared {
  /** The X id (null when the payload had none that could be read). */
  id: string | null;
  message: InboundMessageInput | null;
  error: string | null;
}

interface Collection {
  /** The cursor the paging started from (a changed cursor makes it stale). */
  cursor: string | null;
  query: Record<string, string>;
  nextToken: string | null;
  /** Newest first, as X sends them. */
  items: Prepared[];
  startedAt: number;
  backfill: boolean;
  /** Every page has been read; what is left is storing. */
  done: boolean;
  pages: number;
}

interface MentionWindow {
  since_id: string;
  /** Absent: up to now. */
  until_id?: string;
}

interface TimelinePage {
  data: unknown[];
  includes: unknown;
  nextToken: string | null;
}

function timelinePage(body: unknown): TimelinePage {
  if (typeof body !== 'object' || body === null) throw new ConnectorFailure(failure('internal', 'X sent an answer the desk cannot read; retrying at {until}.', 'response is not an object'));
  const { data, includes, meta } = body as { data?: unknown; includes?: unknown; meta?: unknown };
  if (data !== undefined && !Array.isArray(data)) throw new ConnectorFailure(failure('internal', 'X sent an answer the desk cannot read; retrying at {until}.', 'data is not a list'));
  const token = typeof meta === 'object' && meta !== null ? (meta as { next_token?: unknown }).next_token : undefined;
  return { data: data ?? [], includes, nextToken: typeof token === 'string' && token !== '' ? token : null };
}

export interface XConnector extends Connector {
  /** 'stream' while the filtered stream carries mentions. */
  readonly mode: 'poll' | 'stream';
}

export function createXConnector(host: ConnectorHost, options: XConnectorOptions): XConnector {
  return new XConnectorImpl(host, options);
}

class XConnectorImpl implements XConnector {
  readonly name = X_CONNECTOR;
  private readonly timers: Timers;
  private readonly scheduler: Scheduler;
  private readonly guardAbort = new AbortController();
  private readonly guard: IngestGuard;
  private readonly board: StatusBoard;
  private readonly rest: XRest;
  private readonly rate = new RateLimitMemory();
  private readonly runner: XStreamRunner | null;
  private readonly pollMs: number;
  private readonly dmPollMs: number;
  private readonly cap: number;
  private readonly batchSize: number;
  private readonly flushMs: number;

  private selfId: string | null;
  private username: string | null;
  private triedUsername = false;
  private started = false;
  private stopped = false;
  private streamUsable: boolean;
  private streamProblem: { failure: Failure; until: number } | null = null;
  /** The lower bound of the next mentions poll in stream mode (null: everything after the cursor). */
  private catchUpFrom: number | null = null;
  private catchUpPending = false;
  private fallbackReason: Failure | null = null;
  private pendingMentions: Collection | null = null;
  private pendingDms: Collection | null = null;
  private budget = { period: '', used: 0, saved: 0, loaded: false, savedAt: 0 };
  private readonly budgetMutex = new Mutex();
  private backfill: { active: boolean; fetched: number; since: number } | null = null;
  private readonly streamBuffer: Prepared[] = [];
  private readonly flushMutex = new Mutex();
  private flushScheduled = false;
  private badLogged = 0;

  constructor(
    private readonly host: ConnectorHost,
    private readonly options: XConnectorOptions,
  ) {
    this.timers = options.timers ?? realTimers;
    this.pollMs = options.pollIntervalMs ?? 60_000;
    this.dmPollMs = options.dmPollIntervalMs ?? 60_000;
    this.cap = options.monthlyReadCap ?? 10_000;
    this.batchSize = Math.max(1, options.batchSize ?? 2000);
    this.flushMs = options.streamFlushMs ?? 50;
    this.selfId = options.userId ?? null;
    this.username = options.username ?? null;
    for (const secret of [options.credentials.appKey, options.credentials.appSecret, options.credentials.accessToken, options.credentials.accessSecret, options.credentials.bearerToken]) {
      if (secret) host.logger.redact(secret);
    }

    this.scheduler = new Scheduler({
      connector: X_CONNECTOR,
      clock: host.clock,
      timers: this.timers,
      logger: host.logger,
      onChange: () => this.refresh(),
      ...(options.random ? { random: options.random } : {}),
    });
    this.guard = new IngestGuard(this.guardAbort.signal);
    const userClient = createUserClient(options.credentials, options.transport);
    this.rest = new XRest(userClient, {
      clock: host.clock,
      timers: this.timers,
      logger: host.logger,
      rate: this.rate,
      signal: this.scheduler.signal,
      ...(options.random ? { random: options.random } : {}),
    });
    const app = options.stream === false ? null : createAppClient(options.credentials, options.transport);
    this.streamUsable = app !== null;
    this.runner = app
      ? new XStreamRunner({
          app,
          clock: host.clock,
          timers: this.timers,
          logger: host.logger,
          signal: this.scheduler.signal,
          silenceMs: options.streamSilenceMs ?? 25_000,
          rules: () => this.streamRules(),
          events: {
            onPayload: (payload) => this.onStreamPayload(payload),
            onConnected: (at, previousDrop) => this.onStreamConnected(at, previousDrop),
            onDisconnected: () => this.refresh(),
            onWaiting: (f, until) => {
              this.streamProblem = { failure: f, until };
              this.refresh();
            },
            onUnavailable: (f) => this.onStreamUnavailable(f),
            onParseError: () => {
              this.board.countBad(1);
              this.host.logger.warn('x.bad-payload', { source: 'stream', reason: 'a stream line is not JSON' });
              this.refresh();
            },
            blockedUntil: () => (this.budgetExhausted() ? nextMonthStart(this.host.clock.now()) : null),
          },
          ...(options.random ? { random: options.random } : {}),
        })
      : null;

    this.scheduler.add({
      name: 'mentions',
      intervalMs: () => (this.streamUsable ? Infinity : this.pollMs),
      cycle: (signal) => this.mentionsCycle(signal),
      classify: (error) => classifyXError(error, 'mentions', this.host.clock.now()),
    });
    this.scheduler.add({
      name: 'dms',
      intervalMs: () => this.dmPollMs,
      cycle: (signal) => this.dmCycle(signal),
      classify: (error) => classifyXError(error, 'direct messages', this.host.clock.now()),
    });

    this.board = new StatusBoard(host, X_CONNECTOR, { detail: 'Connecting to X…', mode: this.streamUsable ? 'stream' : 'poll' });
  }

  get mode(): 'poll' | 'stream' {
    return this.streamUsable ? 'stream' : 'poll';
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  async start(): Promise<void> {
    if (this.started || this.stopped) return;
    this.started = true;
    this.board.set({ state: 'starting', detail: 'Connecting to X…', mode: this.mode });
    this.scheduler.start();
    if (this.runner) {
      void this.runner.run().catch((error: unknown) => {
        this.host.logger.error('x.stream.crashed', { error: error instanceof Error ? error.message : String(error) });
        this.onStreamUnavailable(failure('internal', 'The live stream stopped unexpectedly; the desk polls mentions instead.', 'stream loop crashed'));
      });
    }
  }

  private stopping: Promise<void> | null = null;

  /** Stops polling and streaming, stores what the stream delivered, waits for the batch being stored. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.stopped = true;
    this.scheduler.stop();
    this.runner?.close();
    // What the stream delivered is stored before the connector lets go of the store.
    await this.flushStream(true).catch(() => undefined);
    await this.saveBudget(true).catch(() => undefined);
    this.guardAbort.abort();
    await this.guard.idle();
    // The stream loop ends by itself once its connect attempt returns; nothing it does now stores.
    this.board.set({ state: 'stopped', detail: 'Stopped: the desk is not watching X.', backoffUntil: null, backfill: this.backfill ? { ...this.backfill, active: false } : null });
  }

  async pollNow(): Promise<void> {
    if (this.stopped) return;
    await this.flushStream(false).catch(() => undefined);
    // A live stream already carries mentions; a poll would only pay for the same posts again.
    const names = this.runner?.connected ? ['dms'] : ['mentions', 'dms'];
    await this.scheduler.runNow(names);
    await this.saveBudget(false).catch((error: unknown) => this.host.logger.warn('x.budget-save-failed', { error: String(error) }));
    this.refresh();
  }

  // ---- identity ------------------------------------------------------------------------------

  private needsUsername(): boolean {
    return this.runner !== null && this.streamUsable && (this.options.streamRules === undefined || this.options.streamRules.length === 0);
  }

  private async ensureIdentity(): Promise<string> {
    if (this.selfId !== null && this.username === null && !this.needsUsername() && !this.triedUsername) {
      // Only for the sentences the console shows ("Watching @name"): a failure here changes nothing.
      this.triedUsername = true;
      try {
        await this.whoAmI();
      } catch (error) {
        if (error instanceof ConnectorFailure && (error.failure.kind === 'auth' || error.failure.kind === 'config')) throw error;
      }
      return this.selfId;
    }
    if (this.selfId !== null && (this.username !== null || !this.needsUsername())) return this.selfId;
    return this.whoAmI();
  }

  private async whoAmI(): Promise<string> {
    const body = await this.rest.get('users/me', { 'user.fields': 'name,username' }, { what: 'the X account' });
    const data = typeof body === 'object' && body !== null ? (body as { data?: { id?: unknown; username?: unknown } }).data : undefined;
    if (!data || typeof data.id !== 'string') throw new ConnectorFailure(failure('internal', 'X did not say which account the keys belong to; retrying at {until}.', 'users/me without data.id'));
    if (this.selfId !== null && this.selfId !== data.id) {
      throw new ConnectorFailure(failure('config', `The X tokens belong to another account (@${String(data.username)}) than the one set up; re-enter them in Settings.`, 'user id mismatch'));
    }
    this.selfId = data.id;
    if (typeof data.username === 'string') this.username = data.username;
    this.refresh();
    return data.id;
  }

  private async streamRules(): Promise<string[]> {
    // The desk's own id first: its posts on the stream are outbound, not customers'.
    await this.ensureIdentity();
    if (this.options.streamRules && this.options.streamRules.length > 0) return this.options.streamRules;
    if (!this.username) throw new ConnectorFailure(failure('config', 'The desk does not know the X @username for the stream rule; set stream rules in Settings.', 'no username'));
    return [`@${this.username}`];
  }

  // ---- budget --------------------------------------------------------------------------------

  private period(): string {
    return monthKey(this.host.clock.now());
  }

  private async loadBudget(): Promise<void> {
    const period = this.period();
    if (this.budget.loaded && this.budget.period === period) return;
    await this.budgetMutex.run(async () => {
      if (this.budget.loaded && this.budget.period === period) return;
      const stored = await this.host.readCursor(X_CONNECTOR, `usage:${period}`);
      const used = stored !== null && /^\d+$/.test(stored) ? Number(stored) : 0;
      // Reads counted before the stored figure was known belong to this period too.
      const extra = this.budget.period === period ? this.budget.used : 0;
      this.budget = { period, used: used + extra, saved: used, loaded: true, savedAt: this.host.clock.now() };
    });
  }

  private countReads(n: number): void {
    const period = this.period();
    if (this.budget.period !== period) this.budget = { period, used: 0, saved: 0, loaded: false, savedAt: this.host.clock.now() };
    this.budget.used += n;
  }

  private budgetExhausted(): boolean {
    return this.budget.period === this.period() && this.budget.used >= this.cap;
  }

  private budgetFailure(): Failure {
    const used = this.budget.used.toLocaleString('en-US');
    const cap = this.cap.toLocaleString('en-US');
    return failure(
      'budget',
      `The X plan's monthly read allowance is used up (${used} of ${cap} posts); mentions resume on {until}. Direct messages still arrive.`,
      'monthly read budget used up',
      nextMonthStart(this.host.clock.now()),
    );
  }

  /** Persists the month's read count as the cursor `usage:YYYY-MM` (an empty batch carries it). */
  private async saveBudget(force: boolean): Promise<void> {
    if (!this.budget.loaded || this.budget.used === this.budget.saved) return;
    const now = this.host.clock.now();
    if (!force && now - this.budget.savedAt < BUDGET_SAVE_EVERY_MS && this.runner?.connected) return;
    const { period, used } = this.budget;
    await this.guard.run(() => this.host.ingest([], { connector: X_CONNECTOR, stream: `usage:${period}`, cursor: String(used) }));
    if (this.budget.period === period) {
      this.budget.saved = used;
      this.budget.savedAt = now;
    }
  }

  // ---- storing -------------------------------------------------------------------------------

  private async store(payloads: InboundMessageInput[], source: IngestSource, signal: AbortSignal | null): Promise<IngestOutcome> {
    if (signal) throwIfAborted(signal);
    const outcome = await this.guard.run(() => this.host.ingest(payloads, source));
    this.board.count(outcome);
    for (const rejection of outcome.rejected.slice(0, MAX_BAD_LOGS_PER_CYCLE)) {
      this.host.logger.warn('x.bad-payload', { source: source.stream, id: rejection.externalId, reason: rejection.reason });
    }
    return outcome;
  }

  private noteBad(items: readonly Prepared[], source: string): void {
    let bad = 0;
    for (const item of items) {
      if (item.error === null) continue;
      bad += 1;
      if (this.badLogged < MAX_BAD_LOGS_PER_CYCLE) this.host.logger.warn('x.bad-payload', { source, id: item.id, reason: item.error });
      this.badLogged += 1;
    }
    this.board.countBad(bad);
  }

  /**
   * Stores items gathered newest first, oldest first, in batches; each batch carries the
   * newest id seen up to its end (skipped and bad items included, so they are not read again).
   * `complete` (a window read in full up to its bound) is the cursor of the last batch when it
   * is higher: everything below the bound is stored, even where X had nothing.
   */
  private async storeInOrder(newestFirst: readonly Prepared[], stream: 'mentions' | 'dms', signal: AbortSignal, complete: string | null = null): Promise<void> {
    const ascending = [...newestFirst].reverse();
    let cursor: string | null = null;
    const batches = chunks(ascending, this.batchSize);
    if (batches.length === 0 && complete !== null) batches.push([]);
    for (const [index, batch] of batches.entries()) {
      for (const item of batch) cursor = maxSnowflake(cursor, item.id);
      if (index === batches.length - 1) cursor = maxSnowflake(cursor, complete);
      this.noteBad(batch, stream);
      const payloads = batch.filter((item) => item.message !== null).map((item) => item.message as InboundMessageInput);
      if (cursor === null && payloads.length === 0) continue;
      await this.store(payloads, { connector: X_CONNECTOR, stream, cursor }, signal);
      if (this.backfill?.active) this.refresh();
    }
  }

  private prepare(raw: unknown, users: ReadonlyMap<string, XAuthor>, kind: 'tweet' | 'dm'): Prepared {
    const selfId = this.selfId ?? '';
    const normalized = kind === 'tweet' ? normalizeTweet(raw, { selfId, users }) : normalizeDm(raw, { selfId, users });
    const id = payloadId(raw);
    if (isNormalizeError(normalized)) return { id, message: null, error: normalized.error };
    // The desk's own posts and DMs are outbound: the outbox stores them.
    if (normalized.author.platformUserId === selfId) return { id, message: null, error: null };
    return { id, message: normalized, error: null };
  }

  // ---- mentions ------------------------------------------------------------------------------

  /** Where a mentions poll starts: the cursor, the backfill start, or the stream's gap. */
  private mentionStart(cursor: string | null): { from: number; since: string } {
    if (cursor === null) {
      // No cursor yet: the backfill window; once a catch-up has run with nothing to store, the
      // stream has covered everything since, and only the gap is read.
      const from = Math.max(this.options.backfillSince, this.catchUpFrom ?? -Infinity);
      return { from, since: idBefore(from) };
    }
    if (this.catchUpFrom !== null && snowflakeTime(cursor) < this.catchUpFrom) return { from: this.catchUpFrom, since: idBefore(this.catchUpFrom) };
    // The time of the first id after the cursor (a window's closing cursor is its bound - 1).
    return { from: snowflakeTime((BigInt(cursor) + 1n).toString()), since: cursor };
  }

  /**
   * One mentions poll reads from its start to now in time windows, oldest window first, each
   * read newest first and stored oldest first, while the next window is being read: a big
   * backlog is stored in order with bounded memory, and reading overlaps storing. A window
   * with at most one page makes the next one four times longer (a quiet week costs a handful of
   * calls); the last window is open-ended. A steady poll (a minute's range) is one window.
   */
  private async mentionsCycle(signal: AbortSignal): Promise<void> {
    const selfId = await this.ensureIdentity();
    await this.loadBudget();
    this.badLogged = 0;
    const cursor = await this.host.readCursor(X_CONNECTOR, 'mentions');
    const backfill = cursor === null && this.catchUpFrom === null;
    if (backfill) this.beginBackfill();
    const now = this.host.clock.now();
    let { from, since } = this.mentionStart(cursor);
    let span = MENTION_WINDOW_MS;
    const plan = (): MentionWindow => {
      if (from + span > now - SETTLE_MS) return { since_id: since };
      const window = { since_id: since, until_id: snowflakeAt(from + span) };
      from += span;
      since = idBefore(from);
      return window;
    };
    const cycle = new AbortController();
    const both = AbortSignal.any([signal, cycle.signal]);
    const read = (window: MentionWindow): Promise<Collection> => {
      const reading = this.readMentionWindow(window, cursor, backfill, selfId, both);
      reading.catch(() => undefined);
      return reading;
    };
    try {
      let window = plan();
      let reading = read(window);
      for (;;) {
        const c = await reading;
        const last = window.until_id === undefined;
        let nextWindow: MentionWindow | null = null;
        if (!last) {
          if (c.pages <= 1) span *= 4;
          nextWindow = plan();
          // Reading the next window while this one is stored; a failure stops both.
          reading = read(nextWindow);
        }
        await this.storeInOrder(c.items, 'mentions', signal, last ? null : (BigInt(window.until_id!) - 1n).toString());
        if (this.pendingMentions === c) this.pendingMentions = null;
        if (nextWindow === null) break;
        window = nextWindow;
      }
    } finally {
      cycle.abort();
    }
    this.catchUpFrom = null;
    this.catchUpPending = false;
    if (backfill) this.endBackfill();
    await this.saveBudget(false);
  }

  /** All pages of one window, newest first; resumes a window a rate limit interrupted. */
  private async readMentionWindow(window: MentionWindow, cursor: string | null, backfill: boolean, selfId: string, signal: AbortSignal): Promise<Collection> {
    const now = this.host.clock.now();
    const p = this.pendingMentions;
    let c: Collection;
    if (p && p.query.since_id === window.since_id && p.query.until_id === window.until_id && now - p.startedAt <= PENDING_MAX_AGE_MS) c = p;
    else c = { cursor, query: { ...window }, nextToken: null, items: [], startedAt: now, backfill, done: false, pages: 0 };
    this.pendingMentions = c;
    while (!c.done) {
      throwIfAborted(signal);
      if (this.budgetExhausted()) throw new ConnectorFailure(this.budgetFailure());
      const query: Record<string, string | number> = {
        ...c.query,
        max_results: MAX_RESULTS,
        expansions: 'author_id',
        'tweet.fields': TWEET_FIELDS.join(','),
        'user.fields': USER_FIELDS.join(','),
      };
      if (c.nextToken) query.pagination_token = c.nextToken;
      let body: unknown;
      try {
        body = await this.rest.get(MENTIONS_ENDPOINT, query, { what: 'mentions', params: { id: selfId } });
      } catch (error) {
        if (error instanceof ConnectorFailure && error.failure.kind === 'budget') this.budget.used = Math.max(this.budget.used, this.cap);
        throw error;
      }
      throwIfAborted(signal);
      const page = timelinePage(body);
      this.countReads(page.data.length);
      const users = usersById(page.includes);
      for (const raw of page.data) c.items.push(this.prepare(raw, users, 'tweet'));
      c.nextToken = page.nextToken;
      c.done = page.nextToken === null;
      c.pages += 1;
      if (c.backfill) this.progressBackfill(page.data.length);
    }
    return c;
  }

  // ---- direct messages -----------------------------------------------------------------------

  private async dmCycle(signal: AbortSignal): Promise<void> {
    await this.ensureIdentity();
    this.badLogged = 0;
    const cursor = await this.host.readCursor(X_CONNECTOR, 'dms');
    const now = this.host.clock.now();
    let c = this.pendingDms;
    if (!c || c.cursor !== cursor || now - c.startedAt > PENDING_MAX_AGE_MS) {
      c = { cursor, query: {}, nextToken: null, items: [], startedAt: now, backfill: cursor === null, done: false, pages: 0 };
      this.pendingDms = c;
    }
    if (c.backfill) this.beginBackfill();
    while (!c.done) {
      throwIfAborted(signal);
      const query: Record<string, string | number> = {
        event_types: 'MessageCreate',
        'dm_event.fields': 'id,event_type,text,sender_id,dm_conversation_id,created_at',
        expansions: 'sender_id',
        'user.fields': USER_FIELDS.join(','),
        max_results: MAX_RESULTS,
      };
      if (c.nextToken) query.pagination_token = c.nextToken;
      const page = timelinePage(await this.rest.get(DM_ENDPOINT, query, { what: 'direct messages' }));
      const users = usersById(page.includes);
      let reachedKnown = false;
      let fetched = 0;
      for (const raw of page.data) {
        const id = payloadId(raw);
        if (cursor !== null && id !== null && compareSnowflakes(id, cursor) <= 0) {
          reachedKnown = true;
          break;
        }
        if (cursor === null && this.olderThanBackfill(raw, id)) {
          reachedKnown = true;
          break;
        }
        c.items.push(this.prepare(raw, users, 'dm'));
        fetched += 1;
      }
      c.nextToken = reachedKnown ? null : page.nextToken;
      c.done = c.nextToken === null;
      if (c.backfill) this.progressBackfill(fetched);
    }
    await this.storeInOrder(c.items, 'dms', signal);
    this.pendingDms = null;
    if (c.backfill) this.endBackfill();
  }

  private olderThanBackfill(raw: unknown, id: string | null): boolean {
    const created = typeof raw === 'object' && raw !== null ? (raw as { created_at?: unknown }).created_at : undefined;
    const at = typeof created === 'string' ? parseXTime(created) : null;
    const t = at ?? (id !== null ? snowflakeTime(id) : null);
    return t !== null && t < this.options.backfillSince;
  }

  // ---- backfill progress ---------------------------------------------------------------------

  private beginBackfill(): void {
    if (this.backfill?.active) return;
    this.backfill = { active: true, fetched: this.backfill?.fetched ?? 0, since: this.options.backfillSince };
    this.refresh();
  }

  private progressBackfill(n: number): void {
    if (!this.backfill) return;
    this.backfill = { ...this.backfill, fetched: this.backfill.fetched + n };
    this.refresh();
  }

  private endBackfill(): void {
    if (!this.backfill) return;
    const stillPending = (this.pendingMentions?.backfill ?? false) || (this.pendingDms?.backfill ?? false);
    if (!stillPending) this.backfill = { ...this.backfill, active: false };
  }

  // ---- stream --------------------------------------------------------------------------------

  private onStreamConnected(at: number, previousDrop: number | null): void {
    this.streamProblem = null;
    // First connection in this run: everything after the cursor. After a drop: only the gap,
    // and only when the catch-up after the previous connection completed (else the stream has
    // not covered everything between the cursor and the drop, and the catch-up stays whole).
    if (previousDrop === null) this.catchUpFrom = null;
    else if (!this.catchUpPending) this.catchUpFrom = previousDrop - CATCH_UP_OVERLAP_MS;
    this.catchUpPending = true;
    this.host.logger.info('x.stream.catch-up', { from: this.catchUpFrom, at });
    this.refresh();
    void this.scheduler.runNow(['mentions']);
  }

  private onStreamUnavailable(f: Failure): void {
    this.streamUsable = false;
    this.streamProblem = null;
    this.host.logger.warn('x.stream.fallback-to-polling', { reason: f.reason });
    this.fallbackReason = f;
    this.catchUpFrom = null;
    this.scheduler.wake('mentions');
    this.refresh();
  }

  private onStreamPayload(payload: unknown): void {
    if (this.stopped) return;
    const { data, includes } = (typeof payload === 'object' && payload !== null ? payload : {}) as { data?: unknown; includes?: unknown };
    this.countReads(1);
    this.streamBuffer.push(this.prepare(data, usersById(includes), 'tweet'));
    if (this.streamBuffer.length >= this.batchSize) void this.flushStream(false).catch(() => undefined);
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      void this.timers.sleep(this.flushMs).then(() => {
        this.flushScheduled = false;
        return this.flushStream(false);
      }).catch(() => undefined);
    }
  }

  /** Stores what the stream delivered since the last flush (no cursor: the stream only adds). */
  private flushStream(final: boolean): Promise<void> {
    return this.flushMutex.run(async () => {
      while (this.streamBuffer.length > 0) {
        if (this.guardAbort.signal.aborted) return;
        const batch = this.streamBuffer.splice(0, this.batchSize);
        try {
          this.noteBad(batch, 'stream');
          const payloads = batch.filter((item) => item.message !== null).map((item) => item.message as InboundMessageInput);
          if (payloads.length > 0) await this.store(payloads, { connector: X_CONNECTOR, stream: 'stream', cursor: null }, null);
        } catch (error) {
          // Kept for the next flush: a post the stream delivered is not dropped on a failed write.
          this.streamBuffer.unshift(...batch.map((item) => ({ ...item, error: null })).filter((item) => item.message !== null));
          this.host.logger.error('x.stream.store-failed', { error: error instanceof Error ? error.message : String(error), kept: this.streamBuffer.length });
          if (!final && !this.flushScheduled) {
            this.flushScheduled = true;
            void this.timers.sleep(1_000).then(() => {
              this.flushScheduled = false;
              return this.flushStream(false);
            }).catch(() => undefined);
          }
          return;
        }
      }
      if (!final) await this.saveBudget(false).catch(() => undefined);
      this.refresh();
    });
  }

  // ---- status --------------------------------------------------------------------------------

  private who(): string {
    return this.username ? `@${this.username}` : 'the X account';
  }

  private refresh(): void {
    if (this.stopped) return;
    const now = this.host.clock.now();
    const tz = this.options.timeZone;
    const statuses = this.scheduler.statuses();
    const lastPollAt = statuses.reduce<number | null>((max, s) => (s.lastRunAt !== null && (max === null || s.lastRunAt > max) ? s.lastRunAt : max), null);
    const budget = { used: this.budget.used, limit: this.cap, unit: 'posts' as const, period: this.budget.period || this.period() };
    const backfill = this.backfill ? { ...this.backfill } : null;
    const mode = this.mode;
    const lastError =
      this.scheduler.halted?.reason ??
      statuses.find((s) => s.failure !== null)?.failure?.reason ??
      this.streamProblem?.failure.reason ??
      this.fallbackReason?.reason ??
      null;

    const halted = this.scheduler.halted;
    if (halted) {
      this.board.set({ state: 'auth-error', detail: describeFailure(halted, now, tz), backoffUntil: null, lastPollAt, lastError, budget, backfill, mode });
      return;
    }
    const budgetBlocked = statuses.find((s) => s.failure?.kind === 'budget' && s.blockedUntil !== null && s.blockedUntil > now);
    if (budgetBlocked?.failure) {
      const detail = describeFailure(budgetBlocked.failure, now, tz, budgetBlocked.blockedUntil);
      this.board.set({ state: 'budget-exhausted', detail, backoffUntil: budgetBlocked.blockedUntil, lastPollAt, lastError, budget, backfill, mode });
      return;
    }
    const waiting = statuses
      .filter((s) => s.failure !== null && s.blockedUntil !== null && s.blockedUntil > now)
      .map((s) => ({ failure: s.failure as Failure, until: s.blockedUntil as number }));
    if (this.streamProblem && this.streamProblem.until > now && this.streamUsable) waiting.push(this.streamProblem);
    if (waiting.length > 0) {
      const worst = waiting.reduce((a, b) => (b.until > a.until ? b : a));
      this.board.set({ state: 'backing-off', detail: describeFailure(worst.failure, now, tz, worst.until), backoffUntil: worst.until, lastPollAt, lastError, budget, backfill, mode });
      return;
    }
    let detail: string;
    if (backfill?.active) {
      detail = `Catching up on X since ${resumeTime(backfill.since, now, tz)}: ${backfill.fetched.toLocaleString('en-US')} fetched so far.`;
    } else if (this.streamUsable) {
      detail = this.runner?.connected
        ? `Streaming mentions of ${this.who()} live; direct messages are checked ${every(this.dmPollMs)}.`
        : `Connecting the live stream for ${this.who()}; direct messages are checked ${every(this.dmPollMs)}.`;
    } else {
      const fallback = this.fallbackReason && this.runner ? ` (the live stream is not available: ${this.fallbackReason.reason})` : '';
      detail = `Watching ${this.who()}: mentions ${every(this.pollMs)}, direct messages ${every(this.dmPollMs)}${fallback}.`;
    }
    const anyRun = statuses.some((s) => s.lastRunAt !== null) || (this.runner?.connected ?? false);
    this.board.set({ state: anyRun ? 'running' : 'starting', detail, backoffUntil: null, lastPollAt, lastError, budget, backfill, mode });
  }
}
