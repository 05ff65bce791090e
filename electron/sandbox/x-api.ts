// The simulated X API v2 at https://api.x.com/2/...: authentication (OAuth 1.0a user context,
// app-only bearer), per-endpoint 15-minute and 24-hour rate limits with X's headers, the monthly
// usage cap, faults, and the endpoints a social care desk uses.
import type { FaultRegistry, FaultTarget } from './faults';
import { HTML_503, json, matchRoute, parseJsonBody, text, isRecord, type Outcome, type PlainResponse, type SandboxRequest } from './http';
import { decodeXToken, encodeXToken, lowerBound, snowflakeAt, upperBound } from './ids';
import type { Inspector } from './inspector';
import type { WindowCounters, WindowState } from './ratelimit';
import { tweetLength } from './texts';
import type { FaultSpec } from './types';
import { XAuthenticator, type XAuth, type XCredentials } from './x-oauth';
import { parseQuery, matchesQuery, QueryError, type QueryNode } from './x-query';
import {
  DM_EVENT_FIELDS, DM_EXPANSIONS, OTHER_FIELD_PARAMS, TWEET_EXPANSIONS, TWEET_FIELDS, USER_EXPANSIONS, USER_FIELDS,
  checkKnownParams, dmIncludes, forbidden, idParam, intParam, invalidRequest, listParam, notFoundError, pageDoesNotExist, problem,
  renderDm, renderTweet, renderUser, timeParam, tooManyRequests, tweetIncludes, unauthorized, unsupportedAuthentication, usageCapExceeded,
  type FieldSelection, type ParameterError,
} from './x-render';
import { STREAM_TEMPLATE, XStream } from './x-stream';
import { World, type XDmEvent, type XTweet } from './world';

export interface XApiConfig {
  /** The 15-minute window (ms). */
  windowMs: number;
  /** The 24-hour window (ms). */
  dayWindowMs: number;
  /** Multiplies every limit (a benchmark pulling 100k posts sets it high). */
  multiplier: number;
  /** Per-endpoint limit per window, e.g. { 'GET /2/users/:id/mentions': 5 } (app and user alike). */
  overrides: Record<string, number>;
  /** Mentions timeline depth (X documents 800); Infinity by default so large backlogs can be read. */
  mentionsDepth: number;
  /** Identical brand tweet text within this window is refused as a duplicate (0 = never). */
  duplicateWindowMs: number;
  /** Posts read per month before UsageCapExceeded (null = no cap). */
  monthlyPostCap: number | null;
  stream: { heartbeatMs: number; maxConnections: number; maxRules: number; maxRuleLength: number };
}

type AuthKind = 'user' | 'app' | 'any';
type Ctx = { req: SandboxRequest; params: Record<string, string>; auth: { type: 'user'; userId: string } | { type: 'app' }; errors: ParameterError[]; now: number; target: FaultTarget; rateHeaders: Record<string, string> };

interface Limits {
  user?: number;
  app?: number;
  userDay?: number;
  appDay?: number;
}

interface Route {
  method: string;
  template: string;
  auth: AuthKind;
  limits: Limits;
  params: readonly string[];
  handle: (ctx: Ctx) => Outcome;
}

const TWEET_FIELD_PARAMS = ['expansions', 'tweet.fields', 'user.fields', ...OTHER_FIELD_PARAMS] as const;
const USER_FIELD_PARAMS = ['expansions', 'tweet.fields', 'user.fields'] as const;

/** Users, app and the two kinds of 24-hour limits, per endpoint (X's published figures). */
export const X_RATE_LIMITS: Record<string, Limits> = {
  'GET /2/users/me': { user: 75 },
  'GET /2/users/:id': { user: 900, app: 300 },
  'GET /2/users': { user: 900, app: 300 },
  'GET /2/users/by/username/:username': { user: 900, app: 300 },
  'GET /2/users/:id/mentions': { user: 300, app: 450 },
  'GET /2/users/:id/tweets': { user: 900, app: 1500 },
  'GET /2/tweets/search/recent': { user: 300, app: 450 },
  'GET /2/tweets/search/stream': { app: 50 },
  'GET /2/tweets/search/stream/rules': { app: 450 },
  'POST /2/tweets/search/stream/rules': { app: 100 },
  'GET /2/tweets/:id': { user: 900, app: 450 },
  'GET /2/tweets': { user: 900, app: 450 },
  'POST /2/tweets': { user: 100, appDay: 10_000 },
  'DELETE /2/tweets/:id': { user: 50 },
  'PUT /2/tweets/:id/hidden': { user: 50 },
  'POST /2/users/:id/likes': { user: 50, userDay: 1000 },
  'DELETE /2/users/:id/likes/:tweet_id': { user: 50, userDay: 1000 },
  'POST /2/users/:id/retweets': { user: 50 },
  'DELETE /2/users/:id/retweets/:source_tweet_id': { user: 50 },
  'GET /2/dm_events': { user: 300 },
  'GET /2/dm_conversations/with/:participant_id/dm_events': { user: 300 },
  'POST /2/dm_conversations/with/:participant_id/messages': { user: 200, userDay: 1000 },
  'GET /2/usage/tweets': { app: 50 },
};

const WEEK = 7 * 86_400_000;
const MONTH_DM_WINDOW = 30 * 86_400_000;

export class XApi {
  private readonly routes: Route[];
  private readonly auth: XAuthenticator;
  readonly stream: XStream;
  private readonly brandTexts = new Map<string, number>();
  private monthlyUsage = { month: '', posts: 0 };

  constructor(
    private readonly world: World,
    private readonly inspector: Inspector,
    private readonly faults: FaultRegistry,
    private readonly counters: WindowCounters,
    private readonly config: XApiConfig,
    credentials: XCredentials,
  ) {
    this.auth = new XAuthenticator(credentials, world.brand.id);
    this.stream = new XStream(world, faults, config.stream, (n) => this.countRead(n));
    this.routes = this.buildRoutes();
  }

  // ---- the request pipeline ----------------------------------------------------------------

  /** Answers one request to api.x.com; 'destroy' asks the server to kill the socket unanswered. */
  handle(req: SandboxRequest): { outcome: Outcome; dropMidResponse?: boolean } | 'destroy' {
    if (req.host.startsWith('upload.')) return { outcome: pageDoesNotExist() }; // no media uploads in the sandbox
    const match = matchRoute(this.routes, req.method, req.path);
    if (match === null || match === 'method-not-allowed') return { outcome: pageDoesNotExist() };
    const { route, params } = match;
    const now = this.world.now();
    const key = `${route.method} ${route.template}`;
    const target: FaultTarget = { platform: 'x', method: req.method, path: req.path, template: route.template };
    const isStream = route.template === STREAM_TEMPLATE;

    // Faults (stream-only ones are taken by the stream when it connects).
    const fault = this.faults.take(target, (kind) => kind !== 'stream-disconnect' && kind !== 'graph-error' && !(isStream && kind === 'drop-connection'));
    let dropMidResponse = false;
    if (fault) {
      const answer = this.faultResponse(fault, route, now);
      if (answer === 'destroy') return 'destroy';
      if (answer === 'drop') dropMidResponse = true;
      else return { outcome: answer };
    }

    // Authentication.
    const auth: XAuth = this.auth.authenticate(req);
    if (auth.type === 'none' || auth.type === 'invalid') return { outcome: unauthorized() };
    if (route.auth === 'user' && auth.type === 'app') return { outcome: unsupportedAuthentication('app') };
    if (route.auth === 'app' && auth.type === 'user') return { outcome: unsupportedAuthentication('user') };

    // Rate limits: the 15-minute window, then the 24-hour ones.
    const who = auth.type === 'user' ? `u:${auth.userId}` : 'app';
    const base = auth.type === 'user' ? route.limits.user : route.limits.app;
    const rateHeaders: Record<string, string> = {};
    if (base !== undefined) {
      const limit = this.limitFor(key, base);
      const w = this.counters.hit(`x:${who}:${key}`, limit, this.config.windowMs);
      Object.assign(rateHeaders, rateLimitHeaders(w));
      if (!w.allowed) return { outcome: tooManyRequests(rateHeaders) };
    }
    for (const [kind, dayLimit] of [['app', route.limits.appDay], ['user', route.limits.userDay]] as const) {
      if (dayLimit === undefined) continue;
      const limit = Math.max(1, Math.floor(dayLimit * this.config.multiplier));
      const w = this.counters.hit(`x:${kind === 'app' ? 'app' : who}:day:${key}`, limit, this.config.dayWindowMs);
      rateHeaders[`x-${kind}-limit-24hour-limit`] = String(w.limit);
      rateHeaders[`x-${kind}-limit-24hour-remaining`] = String(w.remaining);
      rateHeaders[`x-${kind}-limit-24hour-reset`] = String(w.reset);
      if (!w.allowed) return { outcome: tooManyRequests(rateHeaders) };
    }

    // The monthly cap on posts read.
    if (this.config.monthlyPostCap !== null && route.method === 'GET' && this.readsPosts(route) && this.monthUsage(now) >= this.config.monthlyPostCap) {
      return { outcome: usageCapExceeded() };
    }

    const errors: ParameterError[] = [];
    checkKnownParams(req.query, route.params, errors);
    if (errors.length) return { outcome: invalidRequest(errors) };
    const ctx: Ctx = { req, params, auth, errors, now, target, rateHeaders };
    let outcome = route.handle(ctx);
    if (outcome.kind === 'response') outcome = { ...outcome, headers: { ...outcome.headers, ...rateHeaders, 'x-response-time': '12', 'x-transaction-id': this.transactionId() } };
    return { outcome, dropMidResponse };
  }

  private transactionId(): string {
    return Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0') + Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
  }

  private limitFor(key: string, base: number): number {
    const override = this.config.overrides[key];
    return Math.max(1, Math.floor((override ?? base) * this.config.multiplier));
  }

  private readsPosts(route: Route): boolean {
    return ['/2/users/:id/mentions', '/2/tweets/search/recent', '/2/tweets/:id', '/2/tweets', '/2/users/:id/tweets', STREAM_TEMPLATE].includes(route.template);
  }

  private monthKey(now: number): string {
    return new Date(now).toISOString().slice(0, 7);
  }

  private monthUsage(now: number): number {
    const month = this.monthKey(now);
    if (this.monthlyUsage.month !== month) this.monthlyUsage = { month, posts: 0 };
    return this.monthlyUsage.posts;
  }

  private countRead(n: number): void {
    this.monthUsage(this.world.now());
    this.monthlyUsage.posts += n;
  }

  private faultResponse(fault: FaultSpec, route: Route, now: number): PlainResponse | 'drop' | 'destroy' {
    switch (fault.kind) {
      case 'expired-token':
        return unauthorized();
      case 'rate-limit': {
        const limit = this.limitFor(`${route.method} ${route.template}`, route.limits.user ?? route.limits.app ?? 15);
        const reset = Math.ceil(now / 1000) + (fault.resetInSeconds ?? 60);
        return tooManyRequests({ 'x-rate-limit-limit': String(limit), 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) });
      }
      case 'usage-cap':
        return usageCapExceeded();
      case 'forbidden':
        return problem(403, {
          client_id: '28474659',
          detail:
            'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.',
          registration_url: 'https://developer.twitter.com/en/docs/projects/overview',
          title: 'Client Forbidden',
          required_enrollment: 'Appropriate Level of API Access',
          reason: 'client-not-enrolled',
          type: 'https://api.twitter.com/2/problems/client-forbidden',
        });
      case 'server-error': {
        const status = fault.status ?? 503;
        if (route.template === STREAM_TEMPLATE && status === 503) {
          return problem(503, {
            title: 'ConnectionException',
            detail: 'This stream is currently unavailable while the subscription is being provisioned. Please try again later.',
            connection_issue: 'ProvisioningSubscription',
            type: 'https://api.twitter.com/2/problems/streaming-connection',
          });
        }
        const title = status === 503 ? 'Service Unavailable' : status === 500 ? 'Internal Server Error' : status === 502 ? 'Bad Gateway' : status === 504 ? 'Gateway Timeout' : 'Server Error';
        return problem(status, { title, detail: title, type: 'about:blank', status });
      }
      case 'html-503':
        return text(503, HTML_503, 'text/html; charset=utf-8');
      case 'drop-connection':
        return fault.when === 'before-processing' ? 'destroy' : 'drop';
      default:
        return 'drop';
    }
  }

  // ---- routes ------------------------------------------------------------------------------

  private buildRoutes(): Route[] {
    const r = (method: string, template: string, auth: AuthKind, params: readonly string[], handle: (ctx: Ctx) => Outcome): Route => ({
      method,
      template,
      auth,
      limits: X_RATE_LIMITS[`${method} ${template}`] ?? { user: 900, app: 900 },
      params,
      handle,
    });
    // Literal routes before templated ones with the same shape.
    return [
      r('GET', '/2/users/me', 'user', USER_FIELD_PARAMS, (c) => this.me(c)),
      r('GET', '/2/users/by/username/:username', 'any', USER_FIELD_PARAMS, (c) => this.userByUsername(c)),
      r('GET', '/2/users', 'any', ['ids', ...USER_FIELD_PARAMS], (c) => this.usersByIds(c)),
      r('GET', '/2/users/:id', 'any', USER_FIELD_PARAMS, (c) => this.userById(c)),
      r('GET', '/2/users/:id/mentions', 'any', ['since_id', 'until_id', 'max_results', 'pagination_token', 'start_time', 'end_time', ...TWEET_FIELD_PARAMS], (c) => this.mentions(c)),
      r('GET', '/2/users/:id/tweets', 'any', ['since_id', 'until_id', 'max_results', 'pagination_token', 'start_time', 'end_time', 'exclude', ...TWEET_FIELD_PARAMS], (c) => this.userTweets(c)),
      r('GET', '/2/tweets/search/recent', 'any', ['query', 'start_time', 'end_time', 'since_id', 'until_id', 'max_results', 'next_token', 'pagination_token', 'sort_order', ...TWEET_FIELD_PARAMS], (c) => this.search(c)),
      r('GET', '/2/tweets/search/stream/rules', 'app', ['ids', 'max_results', 'pagination_token'], (c) => this.stream.getRules(c.req.query.get('ids')?.split(',') ?? null, c.now)),
      r('POST', '/2/tweets/search/stream/rules', 'app', ['dry_run', 'delete_all'], (c) => this.updateRules(c)),
      r('GET', '/2/tweets/search/stream', 'app', ['backfill_minutes', 'partition', 'start_time', 'end_time', ...TWEET_FIELD_PARAMS], (c) => this.connectStream(c)),
      r('GET', '/2/tweets', 'any', ['ids', ...TWEET_FIELD_PARAMS], (c) => this.tweetsByIds(c)),
      r('POST', '/2/tweets', 'user', [], (c) => this.createTweet(c)),
      r('GET', '/2/tweets/:id', 'any', TWEET_FIELD_PARAMS, (c) => this.tweetById(c)),
      r('DELETE', '/2/tweets/:id', 'user', [], (c) => this.deleteTweet(c)),
      r('PUT', '/2/tweets/:id/hidden', 'user', [], (c) => this.hideReply(c)),
      r('POST', '/2/users/:id/likes', 'user', [], (c) => this.like(c, true)),
      r('DELETE', '/2/users/:id/likes/:tweet_id', 'user', [], (c) => this.like(c, false)),
      r('POST', '/2/users/:id/retweets', 'user', [], (c) => this.retweet(c, true)),
      r('DELETE', '/2/users/:id/retweets/:source_tweet_id', 'user', [], (c) => this.retweet(c, false)),
      r('GET', '/2/dm_events', 'user', ['dm_event.fields', 'event_types', 'expansions', 'max_results', 'pagination_token', 'user.fields', 'media.fields', 'tweet.fields'], (c) => this.dmEvents(c, null)),
      r('GET', '/2/dm_conversations/with/:participant_id/dm_events', 'user', ['dm_event.fields', 'event_types', 'expansions', 'max_results', 'pagination_token', 'user.fields', 'media.fields', 'tweet.fields'], (c) =>
        this.dmEvents(c, c.params.participant_id ?? ''),
      ),
      r('POST', '/2/dm_conversations/with/:participant_id/messages', 'user', [], (c) => this.sendDm(c)),
      r('GET', '/2/usage/tweets', 'app', ['days', 'usage.fields'], (c) => this.usage(c)),
    ];
  }

  private selection(c: Ctx, expansions: readonly string[] = TWEET_EXPANSIONS): FieldSelection {
    const q = c.req.query;
    return {
      tweet: listParam(q, 'tweet.fields', TWEET_FIELDS, c.errors),
      user: listParam(q, 'user.fields', USER_FIELDS, c.errors),
      dm: listParam(q, 'dm_event.fields', DM_EVENT_FIELDS, c.errors),
      expansions: listParam(q, 'expansions', expansions, c.errors),
    };
  }

  private jsonBody(c: Ctx): { ok: true; value: Record<string, unknown> } | { ok: false; response: PlainResponse } {
    try {
      const value = parseJsonBody(c.req.body);
      if (!isRecord(value)) return { ok: false, response: invalidRequest([{ parameters: {}, message: 'Request body must be a JSON object.' }]) };
      return { ok: true, value };
    } catch {
      return { ok: false, response: invalidRequest([{ parameters: {}, message: 'Request body is not valid JSON.' }]) };
    }
  }

  private requireSelf(c: Ctx): PlainResponse | null {
    const id = c.params.id;
    if (c.auth.type === 'user' && id !== c.auth.userId) return forbidden('You are not permitted to perform this action.');
    return null;
  }

  // -- users

  private me(c: Ctx): Outcome {
    const sel = this.selection(c, USER_EXPANSIONS);
    if (c.errors.length) return invalidRequest(c.errors);
    return json(200, { data: renderUser(this.world.brand, sel.user) });
  }

  private userById(c: Ctx): Outcome {
    const sel = this.selection(c, USER_EXPANSIONS);
    if (c.errors.length) return invalidRequest(c.errors);
    const id = c.params.id ?? '';
    if (!/^[0-9]{1,19}$/.test(id)) return invalidRequest([{ parameters: { id: [id] }, message: `The \`id\` query parameter value [${id}] does not match ^[0-9]{1,19}$` }]);
    const user = this.world.users.get(id);
    if (!user) return json(200, { errors: [notFoundError('user', 'id', id)] });
    return json(200, { data: renderUser(user, sel.user) });
  }

  private userByUsername(c: Ctx): Outcome {
    const sel = this.selection(c, USER_EXPANSIONS);
    if (c.errors.length) return invalidRequest(c.errors);
    const username = c.params.username ?? '';
    const user = this.world.userByUsername(username);
    if (!user) return json(200, { errors: [notFoundError('user', 'username', username)] });
    return json(200, { data: renderUser(user, sel.user) });
  }

  private usersByIds(c: Ctx): Outcome {
    const sel = this.selection(c, USER_EXPANSIONS);
    const ids = (c.req.query.get('ids') ?? '').split(',').filter((s) => s !== '');
    if (ids.length === 0) c.errors.push({ parameters: { ids: [] }, message: 'The `ids` query parameter can not be empty' });
    if (ids.length > 100) c.errors.push({ parameters: { ids: [String(ids.length)] }, message: 'The `ids` query parameter value must have at most 100 items' });
    if (c.errors.length) return invalidRequest(c.errors);
    const data: unknown[] = [];
    const errors: unknown[] = [];
    for (const id of ids) {
      const user = this.world.users.get(id);
      if (user) data.push(renderUser(user, sel.user));
      else errors.push(notFoundError('user', 'ids', id));
    }
    return json(200, { ...(data.length ? { data } : {}), ...(errors.length ? { errors } : {}) });
  }

  // -- tweets

  private tweetById(c: Ctx): Outcome {
    const sel = this.selection(c);
    if (c.errors.length) return invalidRequest(c.errors);
    const id = c.params.id ?? '';
    const tweet = this.world.tweets.get(id);
    if (!tweet) return json(200, { errors: [notFoundError('tweet', 'id', id)] });
    this.countRead(1);
    const includes = tweetIncludes(this.world, [tweet], sel);
    return json(200, { data: renderTweet(tweet, sel.tweet), ...(includes ? { includes } : {}) });
  }

  private tweetsByIds(c: Ctx): Outcome {
    const sel = this.selection(c);
    const ids = (c.req.query.get('ids') ?? '').split(',').filter((s) => s !== '');
    if (ids.length === 0) c.errors.push({ parameters: { ids: [] }, message: 'The `ids` query parameter can not be empty' });
    if (ids.length > 100) c.errors.push({ parameters: { ids: [String(ids.length)] }, message: 'The `ids` query parameter value must have at most 100 items' });
    if (c.errors.length) return invalidRequest(c.errors);
    const found: XTweet[] = [];
    const errors: unknown[] = [];
    for (const id of ids) {
      const tweet = this.world.tweets.get(id);
      if (tweet) found.push(tweet);
      else errors.push(notFoundError('tweet', 'ids', id));
    }
    this.countRead(found.length);
    const includes = tweetIncludes(this.world, found, sel);
    return json(200, { ...(found.length ? { data: found.map((t) => renderTweet(t, sel.tweet)) } : {}), ...(includes ? { includes } : {}), ...(errors.length ? { errors } : {}) });
  }

  /** One page of a timeline kept ascending by id, newest first, with X's bounds and tokens. */
  private timelinePage(
    c: Ctx,
    items: readonly XTweet[],
    opts: { tokenParam: 'pagination_token' | 'next_token'; min: number; max: number; fallback: number; depth: number; notBefore: number | null; filter?: (t: XTweet) => boolean },
  ): Outcome {
    const q = c.req.query;
    const sel = this.selection(c);
    const maxResults = intParam(q, 'max_results', opts.min, opts.max, opts.fallback, c.errors);
    const sinceId = idParam(q, 'since_id', c.errors);
    const untilId = idParam(q, 'until_id', c.errors);
    const startTime = timeParam(q, 'start_time', c.errors);
    const endTime = timeParam(q, 'end_time', c.errors);
    const tokenText = q.get(opts.tokenParam) ?? (opts.tokenParam === 'next_token' ? q.get('pagination_token') : null);
    let tokenId: string | null = null;
    if (tokenText !== null) {
      tokenId = decodeXToken(tokenText);
      if (tokenId === null) c.errors.push({ parameters: { [opts.tokenParam]: [tokenText] }, message: `The \`${opts.tokenParam}\` query parameter value [${tokenText}] is not valid` });
    }
    if (startTime !== null && endTime !== null && startTime >= endTime) {
      c.errors.push({ parameters: { start_time: [q.get('start_time') ?? ''], end_time: [q.get('end_time') ?? ''] }, message: 'Invalid Request: start_time must be before end_time' });
    }
    if (c.errors.length) return invalidRequest(c.errors);

    const key = (t: XTweet): string => t.id;
    let hi = items.length;
    if (tokenId !== null) hi = Math.min(hi, lowerBound(items, tokenId, key));
    if (untilId !== null) hi = Math.min(hi, lowerBound(items, untilId, key));
    if (endTime !== null) hi = Math.min(hi, lowerBound(items, snowflakeAt(endTime + 1), key));
    let lo = 0;
    if (sinceId !== null) lo = Math.max(lo, upperBound(items, sinceId, key));
    if (startTime !== null) lo = Math.max(lo, lowerBound(items, snowflakeAt(startTime), key));
    if (opts.notBefore !== null) lo = Math.max(lo, lowerBound(items, snowflakeAt(opts.notBefore), key));
    if (Number.isFinite(opts.depth)) lo = Math.max(lo, items.length - opts.depth);

    const page: XTweet[] = [];
    let i = hi - 1;
    for (; i >= lo && page.length < maxResults; i--) {
      const t = items[i] as XTweet;
      if (!opts.filter || opts.filter(t)) page.push(t);
    }
    // Is there anything further down? (A filter may have to look.)
    let more = false;
    for (let j = i; j >= lo; j--) {
      const t = items[j] as XTweet;
      if (!opts.filter || opts.filter(t)) {
        more = true;
        break;
      }
      if (i - j > 50_000) {
        more = true;
        break;
      }
    }
    this.countRead(page.length);
    if (page.length === 0) return json(200, { meta: { result_count: 0 } });
    const meta: Record<string, unknown> = {
      newest_id: (page[0] as XTweet).id,
      oldest_id: (page[page.length - 1] as XTweet).id,
      result_count: page.length,
    };
    if (more) meta.next_token = encodeXToken((page[page.length - 1] as XTweet).id);
    const includes = tweetIncludes(this.world, page, sel);
    return json(200, { data: page.map((t) => renderTweet(t, sel.tweet)), ...(includes ? { includes } : {}), meta });
  }

  private userIdOrError(c: Ctx): { ok: true; id: string } | { ok: false; response: PlainResponse } {
    const id = c.params.id ?? '';
    if (!/^[0-9]{1,19}$/.test(id)) return { ok: false, response: invalidRequest([{ parameters: { id: [id] }, message: `The \`id\` query parameter value [${id}] does not match ^[0-9]{1,19}$` }]) };
    if (!this.world.users.has(id)) return { ok: false, response: json(200, { errors: [notFoundError('user', 'id', id)] }) };
    return { ok: true, id };
  }

  private mentions(c: Ctx): Outcome {
    const user = this.userIdOrError(c);
    if (!user.ok) return user.response;
    const items = user.id === this.world.brand.id ? this.world.mentions : [];
    return this.timelinePage(c, items, { tokenParam: 'pagination_token', min: 5, max: 100, fallback: 10, depth: this.config.mentionsDepth, notBefore: null });
  }

  private userTweets(c: Ctx): Outcome {
    const user = this.userIdOrError(c);
    if (!user.ok) return user.response;
    const items = user.id === this.world.brand.id ? this.world.brandTweets : this.world.timeline;
    const exclude = (c.req.query.get('exclude') ?? '').split(',');
    const authorId = user.id;
    return this.timelinePage(c, items, {
      tokenParam: 'pagination_token',
      min: 5,
      max: 100,
      fallback: 10,
      depth: 3200,
      notBefore: null,
      filter: (t) =>
        t.authorId === authorId &&
        !(exclude.includes('replies') && t.referenced.some((r) => r.type === 'replied_to')) &&
        !(exclude.includes('retweets') && t.referenced.some((r) => r.type === 'retweeted')),
    });
  }

  private search(c: Ctx): Outcome {
    const query = c.req.query.get('query');
    if (query === null || query.trim() === '') return invalidRequest([{ parameters: { query: [] }, message: 'The `query` query parameter can not be empty' }]);
    if (query.length > 512) return invalidRequest([{ parameters: { query: [query] }, message: `The \`query\` query parameter value [${query}] must be at most 512 characters` }]);
    const sortOrder = c.req.query.get('sort_order');
    if (sortOrder !== null && sortOrder !== 'recency' && sortOrder !== 'relevancy') {
      return invalidRequest([{ parameters: { sort_order: [sortOrder] }, message: `The \`sort_order\` query parameter value [${sortOrder}] is not one of [recency,relevancy]` }]);
    }
    let node: QueryNode;
    try {
      node = parseQuery(query);
    } catch (error) {
      const message = error instanceof QueryError ? error.message : String(error);
      return invalidRequest([{ parameters: { query: [query] }, message: `There were errors processing your request: ${message}` }]);
    }
    const world = this.world;
    return this.timelinePage(c, world.timeline, {
      tokenParam: 'next_token',
      min: 10,
      max: 100,
      fallback: 10,
      depth: Infinity,
      notBefore: c.now - WEEK,
      filter: (t) => matchesQuery(node, t, { author: world.users.get(t.authorId), inReplyToUser: t.inReplyToUserId ? world.users.get(t.inReplyToUserId) : undefined }),
    });
  }

  private createTweet(c: Ctx): Outcome {
    const body = this.jsonBody(c);
    if (!body.ok) return body.response;
    const value = body.value;
    const textValue = value.text;
    if (textValue !== undefined && typeof textValue !== 'string') return invalidRequest([{ parameters: { text: [String(textValue)] }, message: '$.text: is not a string' }]);
    const reply = value.reply;
    let replyTo: XTweet | undefined;
    if (reply !== undefined) {
      const target = isRecord(reply) ? reply.in_reply_to_tweet_id : undefined;
      if (typeof target !== 'string' || !/^[0-9]{1,19}$/.test(target)) return invalidRequest([{ parameters: { 'reply.in_reply_to_tweet_id': [String(target)] }, message: '$.reply.in_reply_to_tweet_id: does not match the regex pattern ^[0-9]{1,19}$' }]);
      replyTo = this.world.tweets.get(target);
      if (!replyTo) return forbidden('You attempted to reply to a Tweet that is deleted or not visible to you.');
    }
    const quoteId = value.quote_tweet_id;
    if (quoteId !== undefined && (typeof quoteId !== 'string' || !this.world.tweets.has(quoteId))) return forbidden('You attempted to quote a Tweet that is deleted or not visible to you.');
    const tweetText = typeof textValue === 'string' ? textValue : '';
    if (tweetText.trim() === '' && value.media === undefined) {
      return invalidRequest([{ parameters: {}, message: 'Your request must contain a text, media or poll.' }]);
    }
    if (tweetLength(tweetText) > 280) {
      return forbidden('Your Tweet text is too long. For more information on how X determines text length, see https://github.com/twitter/twitter-text.');
    }
    if (this.config.duplicateWindowMs > 0) {
      const last = this.brandTexts.get(tweetText);
      if (last !== undefined && c.now - last < this.config.duplicateWindowMs) {
        return problem(403, { title: 'Forbidden', detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', status: 403 });
      }
    }
    const tweet = this.world.createTweet({ authorId: this.world.brand.id, text: tweetText, replyTo, lang: 'en' });
    if (quoteId !== undefined && typeof quoteId === 'string') tweet.referenced.push({ type: 'quoted', id: quoteId });
    this.brandTexts.set(tweetText, c.now);
    this.inspector.record({
      platform: 'x',
      kind: replyTo ? 'reply' : 'tweet',
      targetId: replyTo ? replyTo.id : null,
      text: tweetText,
      resultId: tweet.id,
      request: { method: 'POST', path: '/2/tweets', body: value },
    });
    return json(201, { data: { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] } });
  }

  private deleteTweet(c: Ctx): Outcome {
    const id = c.params.id ?? '';
    const tweet = this.world.tweets.get(id);
    if (!tweet) return json(200, { data: { deleted: false } });
    if (tweet.authorId !== this.world.brand.id) return forbidden('You are not authorized to delete this Tweet.');
    this.world.deleteTweet(tweet);
    this.inspector.record({ platform: 'x', kind: 'delete', targetId: id, text: null, resultId: null, request: { method: 'DELETE', path: c.req.path } });
    return json(200, { data: { deleted: true } });
  }

  private hideReply(c: Ctx): Outcome {
    const body = this.jsonBody(c);
    if (!body.ok) return body.response;
    const hidden = body.value.hidden;
    if (typeof hidden !== 'boolean') return invalidRequest([{ parameters: { hidden: [String(hidden)] }, message: '$.hidden: is missing but it is required' }]);
    const id = c.params.id ?? '';
    const tweet = this.world.tweets.get(id);
    if (!tweet) return json(200, { errors: [notFoundError('tweet', 'id', id)] });
    const root = this.world.tweets.get(tweet.conversationId);
    const isReply = tweet.referenced.some((r) => r.type === 'replied_to');
    if (!isReply || !root || root.authorId !== this.world.brand.id || tweet.authorId === this.world.brand.id) {
      return forbidden('You can only hide or unhide replies to conversations you authored.');
    }
    tweet.hidden = hidden;
    this.inspector.record({ platform: 'x', kind: hidden ? 'hide' : 'unhide', targetId: id, text: null, resultId: null, request: { method: 'PUT', path: c.req.path, body: body.value } });
    return json(200, { data: { hidden } });
  }

  private like(c: Ctx, on: boolean): Outcome {
    const self = this.requireSelf(c);
    if (self) return self;
    let tweetId: string;
    let bodyValue: Record<string, unknown> | undefined;
    if (on) {
      const body = this.jsonBody(c);
      if (!body.ok) return body.response;
      bodyValue = body.value;
      const id = body.value.tweet_id;
      if (typeof id !== 'string' || !/^[0-9]{1,19}$/.test(id)) return invalidRequest([{ parameters: { tweet_id: [String(id)] }, message: '$.tweet_id: does not match the regex pattern ^[0-9]{1,19}$' }]);
      tweetId = id;
    } else tweetId = c.params.tweet_id ?? '';
    const tweet = this.world.tweets.get(tweetId);
    if (!tweet) return json(200, { errors: [notFoundError('tweet', 'tweet_id', tweetId)] });
    if (on && !this.world.brandLikes.has(tweetId)) {
      this.world.brandLikes.add(tweetId);
      tweet.likeCount += 1;
    } else if (!on && this.world.brandLikes.delete(tweetId)) tweet.likeCount -= 1;
    this.inspector.record({ platform: 'x', kind: on ? 'like' : 'unlike', targetId: tweetId, text: null, resultId: null, request: { method: c.req.method, path: c.req.path, ...(bodyValue ? { body: bodyValue } : {}) } });
    return json(200, { data: { liked: on } });
  }

  private retweet(c: Ctx, on: boolean): Outcome {
    const self = this.requireSelf(c);
    if (self) return self;
    let tweetId: string;
    let bodyValue: Record<string, unknown> | undefined;
    if (on) {
      const body = this.jsonBody(c);
      if (!body.ok) return body.response;
      bodyValue = body.value;
      const id = body.value.tweet_id;
      if (typeof id !== 'string' || !/^[0-9]{1,19}$/.test(id)) return invalidRequest([{ parameters: { tweet_id: [String(id)] }, message: '$.tweet_id: does not match the regex pattern ^[0-9]{1,19}$' }]);
      tweetId = id;
    } else tweetId = c.params.source_tweet_id ?? '';
    const tweet = this.world.tweets.get(tweetId);
    if (!tweet) return json(200, { errors: [notFoundError('tweet', 'tweet_id', tweetId)] });
    let resultId: string | null = null;
    if (on) {
      const existing = this.world.brandRetweets.get(tweetId);
      if (existing) resultId = existing;
      else {
        const author = this.world.users.get(tweet.authorId);
        const rt = this.world.createTweet({ authorId: this.world.brand.id, text: `RT @${author?.username ?? 'unknown'}: ${tweet.text}`, retweetOf: tweet, lang: tweet.lang });
        this.world.brandRetweets.set(tweetId, rt.id);
        resultId = rt.id;
      }
    } else if (this.world.brandRetweets.delete(tweetId)) tweet.retweetCount = Math.max(0, tweet.retweetCount - 1);
    this.inspector.record({ platform: 'x', kind: on ? 'retweet' : 'unretweet', targetId: tweetId, text: null, resultId, request: { method: c.req.method, path: c.req.path, ...(bodyValue ? { body: bodyValue } : {}) } });
    return json(200, { data: { retweeted: on } });
  }

  // -- direct messages

  private dmEvents(c: Ctx, participantId: string | null): Outcome {
    const q = c.req.query;
    const sel = this.selection(c, DM_EXPANSIONS);
    const maxResults = intParam(q, 'max_results', 1, 100, 100, c.errors);
    const eventTypes = listParam(q, 'event_types', ['MessageCreate', 'ParticipantsJoin', 'ParticipantsLeave'], c.errors);
    const tokenText = q.get('pagination_token');
    let tokenId: string | null = null;
    if (tokenText !== null) {
      tokenId = decodeXToken(tokenText);
      if (tokenId === null) c.errors.push({ parameters: { pagination_token: [tokenText] }, message: `The \`pagination_token\` query parameter value [${tokenText}] is not valid` });
    }
    if (participantId !== null && !/^[0-9]{1,19}$/.test(participantId)) c.errors.push({ parameters: { participant_id: [participantId] }, message: `The \`participant_id\` query parameter value [${participantId}] does not match ^[0-9]{1,19}$` });
    if (c.errors.length) return invalidRequest(c.errors);
    if (eventTypes.size > 0 && !eventTypes.has('MessageCreate')) return json(200, { meta: { result_count: 0 } });
    const items = participantId === null ? this.world.dmEvents : this.world.dmConversation(World.dmConversationId(this.world.brand.id, participantId));
    const key = (e: XDmEvent): string => e.id;
    const hi = tokenId === null ? items.length : lowerBound(items, tokenId, key);
    const lo = lowerBound(items, snowflakeAt(c.now - MONTH_DM_WINDOW), key);
    const page: XDmEvent[] = [];
    for (let i = hi - 1; i >= lo && page.length < maxResults; i--) page.push(items[i] as XDmEvent);
    if (page.length === 0) return json(200, { meta: { result_count: 0 } });
    const oldestIndex = hi - page.length;
    const meta: Record<string, unknown> = { result_count: page.length };
    if (oldestIndex > lo) meta.next_token = encodeXToken((page[page.length - 1] as XDmEvent).id);
    if (tokenId !== null) meta.previous_token = encodeXToken((page[0] as XDmEvent).id);
    const includes = dmIncludes(this.world, page, sel);
    return json(200, { data: page.map((e) => renderDm(e, sel.dm)), ...(includes ? { includes } : {}), meta });
  }

  private sendDm(c: Ctx): Outcome {
    const participantId = c.params.participant_id ?? '';
    if (!/^[0-9]{1,19}$/.test(participantId)) return invalidRequest([{ parameters: { participant_id: [participantId] }, message: `The \`participant_id\` query parameter value [${participantId}] does not match ^[0-9]{1,19}$` }]);
    const body = this.jsonBody(c);
    if (!body.ok) return body.response;
    const textValue = body.value.text;
    if (typeof textValue !== 'string' || textValue.trim() === '') {
      if (body.value.attachments === undefined) return invalidRequest([{ parameters: { text: [] }, message: 'Either text or attachments must be provided.' }]);
    }
    const messageText = typeof textValue === 'string' ? textValue : '';
    if (messageText.length > 10_000) return invalidRequest([{ parameters: { text: [messageText.slice(0, 40)] }, message: '$.text: must be at most 10000 characters long' }]);
    const recipient = this.world.users.get(participantId);
    if (!recipient) return json(400, { errors: [notFoundError('user', 'participant_id', participantId)], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' });
    if (participantId === this.world.brand.id) return forbidden('You cannot send a Direct Message to yourself.');
    const conversationId = World.dmConversationId(this.world.brand.id, participantId);
    const hasWritten = this.world.dmConversation(conversationId).some((e) => e.senderId === participantId);
    if (!recipient.acceptsDms && !hasWritten) return forbidden('You are not permitted to send Direct Messages to this user.');
    const event = this.world.createDm({ senderId: this.world.brand.id, recipientId: participantId, text: messageText });
    this.inspector.record({ platform: 'x', kind: 'dm', targetId: participantId, text: messageText, resultId: event.id, request: { method: 'POST', path: c.req.path, body: body.value } });
    return json(201, { data: { dm_conversation_id: event.conversationId, dm_event_id: event.id } });
  }

  // -- stream

  private updateRules(c: Ctx): Outcome {
    let body: unknown;
    try {
      body = parseJsonBody(c.req.body);
    } catch {
      return invalidRequest([{ parameters: {}, message: 'Request body is not valid JSON.' }]);
    }
    const dryRun = c.req.query.get('dry_run') === 'true';
    const deleteAll = c.req.query.get('delete_all') === 'true';
    return this.stream.updateRules(body, dryRun, deleteAll, c.now);
  }

  private connectStream(c: Ctx): Outcome {
    const sel = this.selection(c);
    const backfill = intParam(c.req.query, 'backfill_minutes', 0, 5, 0, c.errors);
    if (c.errors.length) return invalidRequest(c.errors);
    const busy = this.stream.tooManyConnections();
    if (busy) return busy;
    return this.stream.connect(sel, backfill, c.rateHeaders, c.target, c.now);
  }

  private usage(c: Ctx): Outcome {
    const used = this.monthUsage(c.now);
    const cap = this.config.monthlyPostCap;
    return json(200, {
      data: {
        cap_reset_day: 1,
        project_id: '1840000000000000000',
        project_cap: String(cap ?? 10_000_000),
        project_usage: String(used),
      },
    });
  }
}

export function rateLimitHeaders(w: WindowState): Record<string, string> {
  return { 'x-rate-limit-limit': String(w.limit), 'x-rate-limit-remaining': String(w.remaining), 'x-rate-limit-reset': String(w.reset) };
}
