/**
 * X's filtered stream (app bearer): make sure the desk's rules exist, hold one connection, and
 * reconnect the way X asks (https://docs.x.com/x-api/fundamentals/handling-disconnections):
 *
 *   - a connection that ends (disconnect line, closed socket, silence) is replaced at once;
 *   - a failing connect backs off: network errors linearly (+250 ms, up to 16 s), HTTP errors
 *     exponentially (5 s, 10 s ... 320 s), 429 exponentially from one minute;
 *   - silence beyond `silenceMs` (X sends "\r\n" every ~20 s) means the connection is dead.
 *
 * twitter-api-v2's own auto-reconnect is off: it uses its own timers and one schedule for every
 * error. Each connection is a fresh `searchStream({ autoConnect: false })` + `connect()`; the
 * library's keep-alive timeout does the silence detection (it only counts a chunk that is
 * exactly "\r\n" as a heartbeat, but any chunk resets the timer, which is what matters here).
 */
import { ApiResponseError, ETwitterStreamEvent, type TweetStream, type TwitterApi } from 'twitter-api-v2';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { Backoff, ConnectorFailure, STREAM_HTTP_BACKOFF, STREAM_NETWORK_BACKOFF, STREAM_RATE_LIMIT_BACKOFF, failure, type Failure } from './backoff';
import { withRetry, type Timers } from './scheduler';
import { classifyXError } from './x-client';

export const STREAM_EXPANSIONS = ['author_id'] as const;
export const TWEET_FIELDS = ['created_at', 'author_id', 'conversation_id', 'in_reply_to_user_id', 'referenced_tweets', 'lang', 'note_tweet'] as const;
export const USER_FIELDS = ['name', 'username'] as const;
export const RULE_TAG = 'social-care-desk';

/** A connection that lasted this long (or delivered something) is replaced at once when it ends. */
const HEALTHY_CONNECTION_MS = 10_000;

export interface StreamEvents {
  /** One stream payload ({data, includes, matching_rules}). */
  onPayload(payload: unknown): void;
  /** Connected (again): the connector catches up on what the gap may have missed. */
  onConnected(at: number, previousDisconnectAt: number | null): void;
  onDisconnected(at: number): void;
  /** A connect failed; the next try is at `until`. */
  onWaiting(failure: Failure, until: number): void;
  /** The stream cannot be used with these credentials or this plan: the connector polls instead. */
  onUnavailable(failure: Failure): void;
  /** A line that was not JSON (counted as a bad payload). */
  onParseError(): void;
  /** Before each connect: null to go ahead, or the instant to wait for (the monthly cap). */
  blockedUntil(): number | null;
}

export interface StreamRunnerDeps {
  app: TwitterApi;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  signal: AbortSignal;
  rules(): Promise<string[]>;
  silenceMs: number;
  events: StreamEvents;
  random?: () => number;
}

export class XStreamRunner {
  private current: TweetStream | null = null;
  /** Ends the wait for the current connection to close (stop()). */
  private release: (() => void) | null = null;
  private connectedNow = false;
  private readonly network: Backoff;
  private readonly http: Backoff;
  private readonly tooMany: Backoff;
  private rulesReady = false;
  /** How many connections were made (for logs and tests). */
  connects = 0;

  constructor(private readonly deps: StreamRunnerDeps) {
    this.network = new Backoff(STREAM_NETWORK_BACKOFF, deps.random);
    this.http = new Backoff(STREAM_HTTP_BACKOFF, deps.random);
    this.tooMany = new Backoff(STREAM_RATE_LIMIT_BACKOFF, deps.random);
  }

  get connected(): boolean {
    return this.connectedNow;
  }

  /** Closes the open connection (run() then ends once the signal is aborted). */
  close(): void {
    const stream = this.current;
    this.current = null;
    this.connectedNow = false;
    const release = this.release;
    this.release = null;
    release?.();
    if (stream) {
      stream.removeAllListeners();
      // Not from inside a library handler: it would not stop the stream (see PLATFORM-APIS.md).
      setImmediate(() => stream.close());
    }
  }

  private resetBackoffs(): void {
    this.network.reset();
    this.http.reset();
    this.tooMany.reset();
  }

  /** Makes sure every rule the desk needs exists (leaves other rules alone). */
  private async ensureRules(): Promise<void> {
    const { app, clock, logger } = this.deps;
    const wanted = await this.deps.rules();
    const classify = (error: unknown): Failure => classifyXError(error, 'the filtered stream rules', clock.now());
    const retry = { timers: this.deps.timers, signal: this.deps.signal, classify, ...(this.deps.random ? { random: this.deps.random } : {}) };
    const existing = await withRetry(() => app.v2.streamRules(), retry);
    const present = new Set((existing.data ?? []).map((r) => r.value));
    const missing = wanted.filter((value) => !present.has(value));
    if (missing.length > 0) {
      const result = await withRetry(() => app.v2.updateStreamRules({ add: missing.map((value) => ({ value, tag: RULE_TAG })) }), retry);
      const created = result.meta?.summary?.created ?? 0;
      const errors = (result as { errors?: Array<{ title?: string; value?: string }> }).errors ?? [];
      const refused = errors.filter((e) => e.title !== 'DuplicateRule');
      if (refused.length > 0) logger.warn('x.stream.rules-refused', { rules: refused.map((e) => e.value ?? '?'), titles: refused.map((e) => e.title ?? '?') });
      if (created === 0 && refused.length === missing.length) {
        throw new ConnectorFailure(failure('config', 'X refused the filtered stream rules in Settings; fix them, or the desk keeps polling mentions.', 'stream rules refused'));
      }
      logger.info('x.stream.rules-added', { count: created });
    }
    this.rulesReady = true;
  }

  /** The connect loop; resolves when the signal aborts or the stream turns out to be unavailable. */
  async run(): Promise<void> {
    const { clock, timers, logger, signal, events } = this.deps;
    let lastDisconnectAt: number | null = null;
    let nextDelay = 0;
    while (!signal.aborted) {
      if (nextDelay > 0) {
        await timers.sleep(nextDelay, signal);
        if (signal.aborted) break;
      }
      const blocked = events.blockedUntil();
      if (blocked !== null && blocked > clock.now()) {
        nextDelay = blocked - clock.now();
        continue;
      }
      let heard = false;
      try {
        if (!this.rulesReady) await this.ensureRules();
        const stream = this.deps.app.v2.searchStream({
          autoConnect: false,
          expansions: [...STREAM_EXPANSIONS],
          'tweet.fields': [...TWEET_FIELDS],
          'user.fields': [...USER_FIELDS],
        });
        this.current = stream;
        const closed = new Promise<string>((resolve) => {
          stream.on(ETwitterStreamEvent.ConnectionClosed, () => resolve('closed'));
          this.release = () => resolve('stopped');
        });
        stream.on(ETwitterStreamEvent.ConnectionLost, () => {
          logger.warn('x.stream.silent', { silenceMs: this.deps.silenceMs });
        });
        stream.on(ETwitterStreamEvent.Data, (payload: unknown) => {
          heard = true;
          events.onPayload(payload);
        });
        stream.on(ETwitterStreamEvent.DataKeepAlive, () => {
          heard = true;
        });
        stream.on(ETwitterStreamEvent.DataError, (payload: unknown) => {
          const first = (payload as { errors?: Array<{ title?: string; disconnect_type?: string }> }).errors?.[0];
          logger.warn('x.stream.error-message', { title: first?.title ?? 'unknown', disconnectType: first?.disconnect_type ?? null });
        });
        stream.on(ETwitterStreamEvent.TweetParseError, () => events.onParseError());
        stream.on(ETwitterStreamEvent.ConnectionError, (error: unknown) => {
          logger.info('x.stream.connection-error', { error: error instanceof Error ? error.message.slice(0, 120) : 'unknown' });
        });
        await stream.connect({ autoReconnect: false, keepAliveTimeout: this.deps.silenceMs });
        if (signal.aborted) {
          this.close();
          break;
        }
        this.connects += 1;
        const connectedAt = clock.now();
        this.connectedNow = true;
        logger.info('x.stream.connected', { connects: this.connects });
        events.onConnected(connectedAt, lastDisconnectAt);
        const how = await closed;
        this.connectedNow = false;
        if (how === 'stopped' || signal.aborted) {
          this.close();
          break;
        }
        this.current = null;
        this.release = null;
        stream.removeAllListeners();
        lastDisconnectAt = clock.now();
        events.onDisconnected(lastDisconnectAt);
        const lived = lastDisconnectAt - connectedAt;
        // X: reconnect at once after a drop. A connection that dies right away again and again
        // is treated as a network failure, so a flapping link cannot become a tight loop.
        if (heard || lived >= HEALTHY_CONNECTION_MS) {
          this.resetBackoffs();
          nextDelay = 0;
        } else nextDelay = this.network.next();
        logger.info('x.stream.disconnected', { livedMs: lived, reconnectInMs: nextDelay });
      } catch (error) {
        this.connectedNow = false;
        if (this.current) this.close();
        if (signal.aborted) break;
        const now = clock.now();
        const f = classifyXError(error, 'the filtered stream', now);
        if (f.kind === 'aborted') break;
        if (f.kind === 'auth' || f.kind === 'config') {
          logger.warn('x.stream.unavailable', { reason: f.reason });
          events.onUnavailable(f);
          return;
        }
        let delay: number;
        if (f.kind === 'rate-limited') delay = Math.max(this.tooMany.next(), (f.until ?? 0) - now);
        else if (f.kind === 'budget') delay = Math.max(60_000, (f.until ?? now + 3_600_000) - now);
        else if (error instanceof ApiResponseError) delay = this.http.next();
        else delay = this.network.next();
        logger.warn('x.stream.connect-failed', { kind: f.kind, reason: f.reason, retryInMs: delay });
        events.onWaiting(f, now + delay);
        nextDelay = delay;
      }
    }
    this.connectedNow = false;
  }
}
