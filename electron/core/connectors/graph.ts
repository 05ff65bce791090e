/**
 * Facebook Graph over undici's fetch: GETs against https://graph.facebook.com/<version>/...
 * through the injected dispatcher, the token in the Authorization header (never in a URL that
 * could reach a log), Graph's usage headers read on every answer, and every Graph error turned
 * into a Failure by its `error.code` (not the HTTP status, which Graph uses loosely).
 */
import { fetch } from 'undici';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { FacebookPage, Transport } from '../network';
import { ConnectorFailure, failure, type Failure } from './backoff';
import { withRetry, type Timers } from './scheduler';

export const GRAPH_ORIGIN = 'https://graph.facebook.com';
export const GRAPH_REQUEST_TIMEOUT_MS = 30_000;
/** Above this share of an allowance (X-App-Usage, X-Business-Use-Case-Usage), the desk pauses. */
export const USAGE_PAUSE_PERCENT = 90;
/** How long a pause at high usage lasts when Graph gives no time to regain access. */
const USAGE_PAUSE_MS = 5 * 60_000;

/** A Graph error answer ({"error":{"message","type","code","error_subcode","is_transient","fbtrace_id"}}). */
export class GraphApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly subcode: number | null,
    readonly type: string | null,
    readonly isTransient: boolean,
    message: string,
    readonly retryAfterMs: number | null,
    readonly usage: GraphUsage | null,
  ) {
    super(message);
    this.name = 'GraphApiError';
  }
}

/** An answer that is not Graph JSON (an HTML 503 from a proxy, say). */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly contentType: string,
  ) {
    super(`HTTP ${status} (${contentType || 'no content type'})`);
    this.name = 'GraphHttpError';
  }
}

export interface GraphUsage {
  /** X-App-Usage: the highest of call_count, total_cputime, total_time (percent). */
  app: number | null;
  /** X-Business-Use-Case-Usage for the Page: the highest share (percent). */
  page: number | null;
  /** estimated_time_to_regain_access (minutes; 0 when not throttled). */
  regainMinutes: number;
  /** When it was read (epoch ms). */
  at: number;
}

function percent(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

function highest(values: Array<number | null>): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length > 0 ? Math.max(...present) : null;
}

/** Reads X-App-Usage and X-Business-Use-Case-Usage; null when neither is present or readable. */
export function parseUsage(headers: { get(name: string): string | null }, pageId: string, at: number): GraphUsage | null {
  let app: number | null = null;
  let page: number | null = null;
  let regain = 0;
  const appHeader = headers.get('x-app-usage');
  if (appHeader) {
    try {
      const parsed: unknown = JSON.parse(appHeader);
      if (typeof parsed === 'object' && parsed !== null) {
        const u = parsed as Record<string, unknown>;
        app = highest([percent(u.call_count), percent(u.total_cputime), percent(u.total_time)]);
      }
    } catch {
      // an unreadable header is ignored: usage is advice, not data
    }
  }
  const bucHeader = headers.get('x-business-use-case-usage');
  if (bucHeader) {
    try {
      const parsed: unknown = JSON.parse(bucHeader);
      if (typeof parsed === 'object' && parsed !== null) {
        const entries = Object.entries(parsed as Record<string, unknown>);
        const mine = entries.filter(([id]) => id === pageId);
        for (const [, list] of mine.length > 0 ? mine : entries) {
          if (!Array.isArray(list)) continue;
          for (const item of list) {
            if (typeof item !== 'object' || item === null) continue;
            const u = item as Record<string, unknown>;
            page = highest([page, percent(u.call_count), percent(u.total_cputime), percent(u.total_time)]);
            const minutes = percent(u.estimated_time_to_regain_access);
            if (minutes !== null) regain = Math.max(regain, minutes);
          }
        }
      }
    } catch {
      // as above
    }
  }
  if (app === null && page === null && regain === 0) return null;
  return { app, page, regainMinutes: regain, at };
}

export function usagePercent(usage: GraphUsage | null): number | null {
  if (!usage) return null;
  return highest([usage.app, usage.page]);
}

function errorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as Error & { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.message.slice(0, 80) : 'network error';
}

const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80009, 80014]);

/** What a Graph failure means for the desk (`what`: "the Page feed", "Messenger conversations"). */
export function classifyGraphError(error: unknown, what: string, now: number): Failure {
  if (error instanceof ConnectorFailure) return error.failure;
  if (error instanceof GraphApiError) {
    const code = error.code;
    const tag = `Graph error ${code}${error.subcode !== null ? `/${error.subcode}` : ''}`;
    if (code === 190 || code === 102) {
      const expired = error.subcode === 463 || /expired/i.test(error.message);
      return failure(
        'auth',
        `Facebook refused the Page access token (${expired ? 'it has expired' : 'it is no longer valid'}); reconnect the Page in Settings to get a new one.`,
        tag,
      );
    }
    if (RATE_LIMIT_CODES.has(code)) {
      let until: number | null = null;
      if (error.usage && error.usage.regainMinutes > 0) until = now + error.usage.regainMinutes * 60_000;
      else if (error.retryAfterMs !== null) until = now + error.retryAfterMs;
      return failure('rate-limited', `Facebook says the desk is making too many calls (#${code}); reading ${what} resumes at {until}.`, tag, until);
    }
    if (code === 10 || (code >= 200 && code <= 299)) {
      return failure('config', `Facebook says the Page token lacks a permission needed for ${what} (#${code}); grant it when reconnecting the Page in Settings.`, tag);
    }
    if (code === 368) return failure('config', 'Facebook has blocked the Page from this action for a while (#368); check the Page quality in Meta Business Suite.', tag);
    if (code === 1 || code === 2 || error.isTransient || error.status >= 500) {
      return failure('transient', `Facebook is having trouble (${tag}); retrying ${what} at {until}.`, tag);
    }
    if (code === 100 && error.subcode === 33) {
      return failure('config', `Facebook does not know the Page set up in Settings, or the token cannot see it (#100); check the Page id in Settings.`, tag);
    }
    return failure('internal', `Facebook turned down the request for ${what} (${tag}); retrying at {until}.`, tag);
  }
  if (error instanceof GraphHttpError) {
    if (error.status >= 500) return failure('transient', `Facebook is having trouble (HTTP ${error.status}${error.contentType.includes('html') ? ', an error page' : ''}); retrying ${what} at {until}.`, error.message);
    return failure('internal', `Facebook sent an answer the desk cannot read (HTTP ${error.status}); retrying ${what} at {until}.`, error.message);
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'TypeError' || error.name === 'SocketError')) {
    const code = errorCode(error);
    const dropped = /terminated|other side closed|UND_ERR_SOCKET|ECONNRESET/i.test(`${code} ${error.message}`);
    return failure(
      'transient',
      dropped ? `The connection to Facebook dropped in the middle of an answer; retrying ${what} at {until}.` : `Could not reach Facebook (${code}); retrying ${what} at {until}.`,
      dropped ? 'connection dropped' : `network: ${code}`,
    );
  }
  if (error instanceof SyntaxError) return failure('transient', `Facebook sent a cut-off answer; retrying ${what} at {until}.`, 'unreadable JSON');
  const message = error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
  return failure('internal', `Something unexpected went wrong with ${what}; retrying at {until}.`, message);
}

export interface GraphClientDeps {
  page: FacebookPage;
  transport: Transport;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  signal: AbortSignal;
  random?: () => number;
  /** Tries per request (default 3: a blip is retried twice). */
  attempts?: number;
  /** Called with the usage headers of every answer (errors included). */
  onUsage?(usage: GraphUsage): void;
}

export interface GraphListPage {
  data: unknown[];
  /** paging.cursors.after when Graph says there is a next page (paging.next present). */
  after: string | null;
}

/** `{data:[...], paging:{cursors:{after}, next?}}`: the items and the cursor of the next page. */
export function listPage(body: unknown, what: string): GraphListPage {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { data?: unknown }).data)) {
    throw new ConnectorFailure(failure('internal', `Facebook sent an answer the desk cannot read for ${what}; retrying at {until}.`, 'list without data'));
  }
  const { data, paging } = body as { data: unknown[]; paging?: { cursors?: { after?: unknown }; next?: unknown } };
  const after = paging?.cursors?.after;
  const hasNext = typeof paging?.next === 'string' && paging.next !== '';
  return { data, after: hasNext && typeof after === 'string' && after !== '' ? after : null };
}

export class GraphClient {
  private lastUsage: GraphUsage | null = null;

  constructor(private readonly deps: GraphClientDeps) {
    deps.logger.redact(deps.page.pageToken);
  }

  get usage(): GraphUsage | null {
    return this.lastUsage;
  }

  private base(): string {
    const version = /^v\d+\.\d+$/.test(this.deps.page.graphVersion) ? this.deps.page.graphVersion : 'v25.0';
    return `${GRAPH_ORIGIN}/${version}`;
  }

  /** Pauses while the last answer said usage is at or above 90% (or access must be regained). */
  private usageGate(what: string): void {
    const usage = this.lastUsage;
    const now = this.deps.clock.now();
    if (!usage) return;
    const pct = usagePercent(usage) ?? 0;
    let until: number | null = null;
    if (usage.regainMinutes > 0) until = usage.at + usage.regainMinutes * 60_000;
    else if (pct >= USAGE_PAUSE_PERCENT) until = usage.at + USAGE_PAUSE_MS;
    if (until !== null && until > now) {
      throw new ConnectorFailure(
        failure('rate-limited', `Facebook says the desk has used ${Math.round(pct)}% of its call allowance; reading ${what} pauses until {until}.`, `Graph usage at ${Math.round(pct)}%`, until),
      );
    }
  }

  /** One GET, retried on a blip. `path` is relative to the version ('123/feed'). */
  async get(path: string, params: Record<string, string | number>, what: string): Promise<unknown> {
    this.usageGate(what);
    const { clock, timers, signal, logger } = this.deps;
    return withRetry(() => this.once(path, params), {
      timers,
      signal,
      classify: (error) => classifyGraphError(error, what, clock.now()),
      ...(this.deps.attempts !== undefined ? { attempts: this.deps.attempts } : {}),
      ...(this.deps.random ? { random: this.deps.random } : {}),
      onRetry: (f, delayMs, attempt) => logger.info('graph.request-retry', { path: path.replace(/\d{6,}/g, ':id'), reason: f.reason, delayMs, attempt }),
    });
  }

  private async once(path: string, params: Record<string, string | number>): Promise<unknown> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) query.set(key, String(value));
    const url = `${this.base()}/${path}${query.size > 0 ? `?${query.toString()}` : ''}`;
    const signal = AbortSignal.any([this.deps.signal, AbortSignal.timeout(GRAPH_REQUEST_TIMEOUT_MS)]);
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${this.deps.page.pageToken}`, accept: 'application/json' },
      signal,
      ...(this.deps.transport.dispatcher ? { dispatcher: this.deps.transport.dispatcher } : {}),
    });
    const now = this.deps.clock.now();
    const usage = parseUsage(response.headers, this.deps.page.pageId, now);
    if (usage) {
      this.lastUsage = usage;
      this.deps.onUsage?.(usage);
    }
    const contentType = response.headers.get('content-type') ?? '';
    const text = await response.text();
    if (!/json|javascript/i.test(contentType)) {
      throw new GraphHttpError(response.status, contentType.slice(0, 60));
    }
    const body: unknown = text === '' ? null : JSON.parse(text);
    const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
    if (!response.ok || (typeof error === 'object' && error !== null)) {
      const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new GraphApiError(
        response.status,
        typeof e.code === 'number' ? e.code : response.status >= 500 ? 2 : 1,
        typeof e.error_subcode === 'number' ? e.error_subcode : null,
        typeof e.type === 'string' ? e.type : null,
        e.is_transient === true,
        typeof e.message === 'string' ? e.message.slice(0, 300) : `HTTP ${response.status}`,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
        usage,
      );
    }
    return body;
  }
}
