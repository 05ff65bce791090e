// The simulated Facebook Graph API (Page feed, comments, likes, hiding, private replies) and
// Messenger (conversations, Send API with the 24-hour window and the HUMAN_AGENT tag) at
// https://graph.facebook.com/vNN.N/..., with Graph's error shape, cursor paging, `fields`
// (nested edges and modifiers included) and the X-App-Usage / X-Business-Use-Case-Usage headers.
import { randomBytes } from 'node:crypto';
import type { FaultRegistry, FaultTarget } from './faults';
import { FieldsError, defaultFields, parseFields, type FieldNode } from './graph-fields';
import { HTML_503, graphTime, isRecord, json, text, type PlainResponse, type SandboxRequest } from './http';
import { decodeCursor, encodeCursor, lowerBound, upperBound } from './ids';
import type { Inspector } from './inspector';
import type { WindowCounters } from './ratelimit';
import type { FaultSpec } from './types';
import type { FbComment, FbConversation, FbMessage, FbPost, FbProfile, GraphNode, World } from './world';

export interface GraphApiConfig {
  /** The current Graph version ('v25.0'): the default when a path names none. */
  version: string;
  pageToken: string;
  /** The usage window (ms, default one hour). */
  windowMs: number;
  /** Calls per window before X-App-Usage reaches 100% and code 4 answers. */
  appCallLimit: number;
  /** Calls per window on the Page before X-Business-Use-Case-Usage reaches 100% and code 80001 answers. */
  pageCallLimit: number;
  multiplier: number;
}

const DAY = 86_400_000;
const JSON_TYPE = 'application/json; charset=UTF-8';
const HUMAN_AGENT_WINDOW = 7 * DAY;
const STANDARD_WINDOW = DAY;
const PRIVATE_REPLY_WINDOW = 7 * DAY;
const MESSAGE_TAGS = ['HUMAN_AGENT', 'ACCOUNT_UPDATE', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'CUSTOMER_FEEDBACK'];

class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly extra: { subcode?: number; type?: string; isTransient?: boolean; userTitle?: string; userMessage?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

const unsupported = (method: string, id: string): GraphError =>
  new GraphError(
    400,
    100,
    `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    { subcode: 33, type: 'GraphMethodException' },
  );

const nonexistingField = (field: string, nodeType: string): GraphError => new GraphError(400, 100, `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`);

type Params = Map<string, unknown>;

interface Ctx {
  req: SandboxRequest;
  params: Params;
  now: number;
  version: string;
}

/** A listing of objects kept ascending by key, paged with Graph cursors. */
function pageOf<T extends { key: string }>(
  items: readonly T[],
  options: { order: 'asc' | 'desc'; limit: number; after: string | null; before: string | null; sinceKey?: string | null; untilKey?: string | null },
): { page: T[]; hasNext: boolean; hasPrevious: boolean } {
  const key = (t: T): string => t.key;
  const lo = options.sinceKey ? lowerBound(items, options.sinceKey, key) : 0;
  const hi = options.untilKey ? upperBound(items, options.untilKey, key) : items.length;
  let hasPrevious = false;
  if (options.order === 'asc') {
    let start = lo;
    let end: number;
    if (options.after) {
      start = Math.max(lo, upperBound(items, options.after, key));
      end = Math.min(hi, start + options.limit);
      hasPrevious = start > lo;
    } else if (options.before) {
      end = Math.min(hi, lowerBound(items, options.before, key));
      start = Math.max(lo, end - options.limit);
      hasPrevious = start > lo;
    } else end = Math.min(hi, start + options.limit);
    return { page: items.slice(start, end), hasNext: end < hi, hasPrevious };
  }
  // Newest first: "next" pages go to older items (lower indices).
  let top = hi;
  let bottom: number;
  if (options.after) {
    top = Math.min(hi, lowerBound(items, options.after, key));
    bottom = Math.max(lo, top - options.limit);
    hasPrevious = top < hi;
  } else if (options.before) {
    bottom = Math.max(lo, upperBound(items, options.before, key));
    top = Math.min(hi, bottom + options.limit);
    hasPrevious = top < hi;
  } else bottom = Math.max(lo, top - options.limit);
  return { page: items.slice(bottom, top).reverse(), hasNext: bottom > lo, hasPrevious };
}

function keyFloor(ms: number): string {
  return String(Math.max(0, Math.floor(ms))).padStart(15, '0') + '0000000000';
}

function keyCeil(ms: number): string {
  return String(Math.max(0, Math.floor(ms))).padStart(15, '0') + '9999999999';
}

/** Graph accepts unix seconds or a strtotime-ish date for since/until. */
function parseTime(value: unknown, name: string): number | null {
  if (value === undefined || value === null || value === '') return null;
  const raw = String(value);
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const ms = Date.parse(raw.replace(/\+0000$/, 'Z'));
  if (Number.isNaN(ms)) throw new GraphError(400, 100, `(#100) The parameter ${name} must be a unix timestamp or a date string`);
  return ms;
}

export class GraphApi {
  constructor(
    private readonly world: World,
    private readonly inspector: Inspector,
    private readonly faults: FaultRegistry,
    private readonly counters: WindowCounters,
    private readonly config: GraphApiConfig,
  ) {}

  private get appLimit(): number {
    return Math.max(1, Math.floor(this.config.appCallLimit * this.config.multiplier));
  }

  private get pageLimit(): number {
    return Math.max(1, Math.floor(this.config.pageCallLimit * this.config.multiplier));
  }

  handle(req: SandboxRequest): { outcome: PlainResponse; dropMidResponse?: boolean } | 'destroy' {
    const now = this.world.now();
    let segments = req.path.split('/').filter((s) => s !== '');
    let version = this.config.version;
    if (segments[0] && /^v\d+\.\d+$/.test(segments[0])) {
      version = segments[0];
      segments = segments.slice(1);
    }
    let params: Params;
    try {
      params = this.readParams(req);
    } catch (error) {
      return { outcome: this.errorResponse(error, version, now) };
    }
    const ctx: Ctx = { req, params, now, version };
    const template = this.template(segments, req.method);
    const target: FaultTarget = { platform: 'facebook', method: req.method, path: req.path, template };

    const fault = this.faults.take(target, (kind) => kind !== 'stream-disconnect');
    let dropMidResponse = false;
    if (fault) {
      const answer = this.faultResponse(fault, version, now);
      if (answer === 'destroy') return 'destroy';
      if (answer === 'drop') dropMidResponse = true;
      else return { outcome: answer };
    }

    let body: unknown;
    try {
      this.authenticate(req, params);
      this.countUsage(now);
      body = this.route(ctx, segments);
    } catch (error) {
      return { outcome: this.errorResponse(error, version, now) };
    }
    return { outcome: json(200, body, this.headers(version, now), JSON_TYPE), dropMidResponse };
  }

  // ---- plumbing ----------------------------------------------------------------------------

  private readParams(req: SandboxRequest): Params {
    const params: Params = new Map();
    for (const [k, v] of req.query) params.set(k, v);
    if (req.body.length === 0) return params;
    const type = String(req.headers['content-type'] ?? '');
    if (type.includes('application/json')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(req.body.toString('utf8'));
      } catch {
        throw new GraphError(400, 100, '(#100) The request body is not valid JSON');
      }
      if (!isRecord(parsed)) throw new GraphError(400, 100, '(#100) The request body must be a JSON object');
      for (const [k, v] of Object.entries(parsed)) params.set(k, v);
    } else {
      for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.set(k, v);
    }
    return params;
  }

  private str(params: Params, name: string): string | null {
    const v = params.get(name);
    if (v === undefined || v === null) return null;
    return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  }

  /** An object parameter given as JSON or as a JSON string (form posts). */
  private obj(params: Params, name: string): Record<string, unknown> | null {
    const v = params.get(name);
    if (v === undefined || v === null || v === '') return null;
    if (isRecord(v)) return v;
    if (typeof v === 'string') {
      try {
        const parsed: unknown = JSON.parse(v);
        if (isRecord(parsed)) return parsed;
      } catch {
        // fall through
      }
    }
    throw new GraphError(400, 100, `(#100) param ${name} must be a JSON object`);
  }

  private traceId(): string {
    return randomBytes(8).toString('base64').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 11);
  }

  private usageHeaders(now: number, forcePercent?: { app?: number; page?: number; regainMinutes?: number }): Record<string, string> {
    const app = this.counters.peek('fb:app', this.appLimit, this.config.windowMs);
    const page = this.counters.peek(`fb:page:${this.world.page.id}`, this.pageLimit, this.config.windowMs);
    const appPct = forcePercent?.app ?? Math.floor((app.used / app.limit) * 100);
    const pagePct = forcePercent?.page ?? Math.floor((page.used / page.limit) * 100);
    const regain = forcePercent?.regainMinutes ?? (pagePct >= 100 ? Math.max(1, Math.ceil((page.reset * 1000 - now) / 60_000)) : 0);
    return {
      'x-app-usage': JSON.stringify({ call_count: appPct, total_cputime: Math.floor(appPct / 3), total_time: Math.floor(appPct / 2) }),
      'x-business-use-case-usage': JSON.stringify({
        [this.world.page.id]: [{ type: 'pages', call_count: pagePct, total_cputime: Math.floor(pagePct / 3), total_time: Math.floor(pagePct / 2), estimated_time_to_regain_access: regain }],
      }),
    };
  }

  private headers(version: string, now: number, extra: Record<string, string> = {}): Record<string, string> {
    return {
      'facebook-api-version': version,
      'x-fb-trace-id': this.traceId(),
      'x-fb-rev': '1024390001',
      'x-fb-request-id': this.traceId(),
      'cache-control': 'private, no-cache, no-store, must-revalidate',
      ...this.usageHeaders(now),
      ...extra,
    };
  }

  private errorBody(error: GraphError): Record<string, unknown> {
    const e: Record<string, unknown> = { message: error.message, type: error.extra.type ?? 'OAuthException', code: error.code };
    if (error.extra.subcode !== undefined) e.error_subcode = error.extra.subcode;
    if (error.extra.isTransient !== undefined) e.is_transient = error.extra.isTransient;
    if (error.extra.userTitle) e.error_user_title = error.extra.userTitle;
    if (error.extra.userMessage) e.error_user_msg = error.extra.userMessage;
    e.fbtrace_id = this.traceId();
    return { error: e };
  }

  private errorResponse(error: unknown, version: string, now: number): PlainResponse {
    if (error instanceof GraphError) {
      const headers = this.headers(version, now, error.extra.headers ?? {});
      if (error.code === 190) headers['www-authenticate'] = `OAuth "Facebook Platform" "invalid_token" "${error.message.replace(/"/g, "'")}"`;
      return json(error.status, this.errorBody(error), headers, JSON_TYPE);
    }
    if (error instanceof FieldsError) return json(400, this.errorBody(new GraphError(400, 2500, error.message)), this.headers(version, now), JSON_TYPE);
    throw error;
  }

  private authenticate(req: SandboxRequest, params: Params): void {
    let token = this.str(params, 'access_token');
    const header = req.headers.authorization;
    if (!token && header) {
      const m = /^(Bearer|OAuth)\s+(.+)$/i.exec(header);
      if (m) token = (m[2] as string).trim();
    }
    if (!token) throw new GraphError(400, 104, 'An access token is required to request this resource.');
    if (token !== this.config.pageToken) throw new GraphError(400, 190, 'Invalid OAuth access token - Cannot parse access token');
  }

  private countUsage(now: number): void {
    const app = this.counters.count('fb:app', this.appLimit, this.config.windowMs);
    if (app.used > app.limit) {
      throw new GraphError(403, 4, '(#4) Application request limit reached', { isTransient: true });
    }
    const page = this.counters.count(`fb:page:${this.world.page.id}`, this.pageLimit, this.config.windowMs);
    if (page.used > page.limit) {
      throw new GraphError(403, 80001, '(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.', {
        isTransient: true,
        headers: { 'retry-after': String(Math.max(1, Math.ceil((page.reset * 1000 - now) / 1000))) },
      });
    }
  }

  private faultResponse(fault: FaultSpec, version: string, now: number): PlainResponse | 'drop' | 'destroy' {
    switch (fault.kind) {
      case 'expired-token': {
        const subcode = fault.graphSubcode ?? 463;
        const when = new Date(now - 3_600_000).toUTCString();
        const messages: Record<number, string> = {
          458: 'Error validating access token: The user has not authorized application 1234567890.',
          459: 'Error validating access token: You cannot access the app till you log in to www.facebook.com and follow the instructions given.',
          460: 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
          463: `Error validating access token: Session has expired on ${when}. The current time is ${new Date(now).toUTCString()}.`,
          467: 'Error validating access token: The access token is invalid.',
        };
        return this.errorResponse(new GraphError(400, 190, messages[subcode] ?? 'Error validating access token.', { subcode }), version, now);
      }
      case 'forbidden': {
        const code = fault.graphCode ?? 200;
        const message = code === 10 ? '(#10) Application does not have permission for this action' : `(#${code}) Requires pages_messaging permission to manage the object`;
        return this.errorResponse(new GraphError(403, code, message, fault.graphSubcode !== undefined ? { subcode: fault.graphSubcode } : {}), version, now);
      }
      case 'graph-error': {
        const code = fault.graphCode ?? 2;
        const known: Record<number, { status: number; message: string; transient?: boolean }> = {
          1: { status: 500, message: 'An unknown error occurred', transient: true },
          2: { status: 500, message: 'An unexpected error has occurred. Please retry your request later.', transient: true },
          10: { status: 403, message: '(#10) Application does not have permission for this action' },
          100: { status: 400, message: '(#100) Invalid parameter' },
          551: { status: 400, message: "(#551) This person isn't available right now." },
          613: { status: 403, message: '(#613) Calls to this api have exceeded the rate limit.', transient: true },
        };
        const entry = known[code] ?? { status: 400, message: `(#${code}) Error` };
        const extra: ConstructorParameters<typeof GraphError>[3] = {};
        if (fault.graphSubcode !== undefined) extra.subcode = fault.graphSubcode;
        if (entry.transient) extra.isTransient = true;
        return this.errorResponse(new GraphError(fault.status ?? entry.status, code, entry.message, extra), version, now);
      }
      case 'rate-limit': {
        const code = fault.graphCode ?? 80001;
        const messages: Record<number, string> = {
          4: '(#4) Application request limit reached',
          17: '(#17) User request limit reached',
          32: '(#32) Page request limit reached',
          613: '(#613) Calls to this api have exceeded the rate limit.',
          80001: '(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
        };
        const regainMinutes = Math.max(1, Math.ceil((fault.resetInSeconds ?? 60) / 60));
        const usage = this.usageHeaders(now, code === 4 ? { app: 100 } : { page: 100, regainMinutes });
        const error = new GraphError(403, code, messages[code] ?? `(#${code}) Rate limit reached`, { isTransient: true, headers: usage });
        return this.errorResponse(error, version, now);
      }
      case 'usage-cap':
        return this.errorResponse(new GraphError(403, 4, '(#4) Application request limit reached', { isTransient: true, headers: this.usageHeaders(now, { app: 100 }) }), version, now);
      case 'server-error':
        return this.errorResponse(
          new GraphError(fault.status ?? 500, 2, 'An unexpected error has occurred. Please retry your request later.', { isTransient: true }),
          version,
          now,
        );
      case 'html-503':
        return text(503, HTML_503, 'text/html; charset=utf-8');
      case 'drop-connection':
        return fault.when === 'before-processing' ? 'destroy' : 'drop';
      default:
        return 'drop';
    }
  }

  /** The route's template ('/:page-id/messages'), for faults scoped by template. */
  private template(segments: string[], method: string): string {
    const [id, edge] = segments;
    if (!id) return '/';
    const node = id === 'me' ? ({ type: 'page' } as const) : this.world.nodes.get(id);
    const type = node ? node.type : 'object';
    const name = type === 'page' ? ':page-id' : type === 'post' ? ':post-id' : type === 'comment' ? ':comment-id' : type === 'conversation' ? ':conversation-id' : type === 'message' ? ':message-id' : type === 'user' ? ':user-id' : ':id';
    if (edge === 'likes' && method !== 'GET') return '/:object-id/likes';
    return edge ? `/${name}/${edge}` : `/${name}`;
  }

  // ---- routing -----------------------------------------------------------------------------

  private node(id: string, method: string): GraphNode {
    if (id === 'me') return { type: 'page', page: this.world.page };
    const node = this.world.nodes.get(id);
    if (!node) throw unsupported(method, id);
    return node;
  }

  private route(ctx: Ctx, segments: string[]): unknown {
    const method = ctx.req.method;
    if (segments.length === 0 || segments.length > 2) throw new GraphError(400, 2500, `Unknown path components: /${segments.slice(2).join('/')}`);
    const [id, edge] = segments as [string, string | undefined];
    const node = this.node(id, method);
    if (edge === undefined) {
      if (method === 'GET') return this.renderNode(node, this.fields(ctx, node.type), ctx);
      if (method === 'POST') return this.updateNode(node, ctx);
      throw unsupported(method, id);
    }
    switch (`${method} ${node.type}/${edge}`) {
      case 'GET page/feed':
        return this.listPosts(this.world.feed, ctx, node);
      case 'GET page/posts':
      case 'GET page/published_posts':
        return this.listPosts(this.world.pagePosts, ctx, node);
      case 'GET page/visitor_posts':
        return this.listPosts(this.world.visitorPosts, ctx, node);
      case 'POST page/feed':
        return this.publishPost(ctx);
      case 'GET post/comments':
      case 'GET comment/comments':
        return this.listComments(node, ctx);
      case 'POST post/comments':
      case 'POST comment/comments':
        return this.addComment(node, ctx);
      case 'GET post/likes':
      case 'GET comment/likes':
        return this.listLikes(node, ctx);
      case 'POST post/likes':
      case 'POST comment/likes':
      case 'DELETE post/likes':
      case 'DELETE comment/likes':
        return this.like(node, ctx, method === 'POST');
      case 'POST page/messages':
        return this.send(ctx);
      case 'GET page/conversations':
        return this.listConversations(ctx);
      case 'GET conversation/messages':
        return this.listMessages(node, ctx);
      default:
        if (method === 'GET') throw nonexistingField(edge, nodeTypeName(node.type));
        throw unsupported(method, `${id}/${edge}`);
    }
  }

  private fields(ctx: Ctx, type: GraphNode['type']): FieldNode[] {
    const raw = this.str(ctx.params, 'fields');
    return raw ? parseFields(raw) : defaultFields(DEFAULT_FIELDS[type]);
  }

  private limit(ctx: Ctx, fallback: number, max: number, raw?: string): number {
    const value = raw ?? this.str(ctx.params, 'limit');
    if (value === null || value === undefined) return fallback;
    if (!/^\d+$/.test(value)) throw new GraphError(400, 100, '(#100) The parameter limit must be an integer');
    const n = Number(value);
    if (n > max) throw new GraphError(400, 100, `(#100) The limit parameter should not exceed ${max}`);
    return Math.max(1, n);
  }

  private cursor(value: string | null | undefined): string | null {
    if (value === null || value === undefined || value === '') return null;
    const key = decodeCursor(value);
    if (key === null || !/^\d{25}$/.test(key)) throw new GraphError(400, 100, '(#100) The after/before cursor is invalid');
    return key;
  }

  /** `paging` for a page of results: cursors plus absolute next/previous links. */
  private paging(ctx: Ctx, path: string, page: Array<{ key: string }>, hasNext: boolean, hasPrevious: boolean, extra: Record<string, string> = {}): Record<string, unknown> | undefined {
    if (page.length === 0) return undefined;
    const first = encodeCursor((page[0] as { key: string }).key);
    const last = encodeCursor((page[page.length - 1] as { key: string }).key);
    const base = new URLSearchParams();
    for (const [k, v] of ctx.params) if (k !== 'after' && k !== 'before' && typeof v === 'string') base.set(k, v);
    for (const [k, v] of Object.entries(extra)) base.set(k, v);
    const link = (name: 'after' | 'before', value: string): string => {
      const q = new URLSearchParams(base);
      q.set(name, value);
      return `https://graph.facebook.com/${ctx.version}/${path}?${q.toString()}`;
    };
    const paging: Record<string, unknown> = { cursors: { before: first, after: last } };
    if (hasPrevious) paging.previous = link('before', first);
    if (hasNext) paging.next = link('after', last);
    return paging;
  }

  // ---- rendering ---------------------------------------------------------------------------

  private renderNode(node: GraphNode, fields: FieldNode[], ctx: Ctx): Record<string, unknown> {
    switch (node.type) {
      case 'page':
        return this.renderPage(node.page, fields);
      case 'user':
        return this.renderProfile(node.user, fields);
      case 'post':
        return this.renderPost(node.post, fields, ctx);
      case 'comment':
        return this.renderComment(node.comment, fields, ctx);
      case 'conversation':
        return this.renderConversation(node.conversation, fields, ctx);
      case 'message':
        return this.renderMessage(node.message, fields);
    }
  }

  private renderFrom(id: string, children: FieldNode[] | null): Record<string, unknown> {
    const profile = this.world.profile(id);
    const out: Record<string, unknown> = {};
    const wanted = children ?? defaultFields(['name', 'id']);
    for (const f of wanted) {
      if (f.name === 'id') out.id = id;
      else if (f.name === 'name') out.name = profile?.name ?? 'Facebook user';
      else if (f.name === 'email') out.email = `${id}@facebook.com`;
      else if (f.name === 'picture') out.picture = { data: { url: `https://platform-lookaside.fbsbx.com/platform/profilepic/?psid=${id}` } };
      else throw nonexistingField(f.name, 'User');
    }
    return out;
  }

  private renderPage(page: FbProfile, fields: FieldNode[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      switch (f.name) {
        case 'id':
          out.id = page.id;
          break;
        case 'name':
          out.name = page.name;
          break;
        case 'category':
          out.category = 'Telecommunication company';
          break;
        case 'link':
          out.link = `https://www.facebook.com/${page.id}`;
          break;
        case 'username':
          out.username = page.name.replace(/\s+/g, '');
          break;
        case 'fan_count':
        case 'followers_count':
          out[f.name] = 48_210;
          break;
        case 'about':
          out.about = `Help from ${page.name}, every day 8:00-20:00.`;
          break;
        default:
          throw nonexistingField(f.name, 'Page');
      }
    }
    return out;
  }

  private renderProfile(user: FbProfile, fields: FieldNode[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const [first, ...rest] = user.name.split(' ');
    for (const f of fields) {
      switch (f.name) {
        case 'id':
          out.id = user.id;
          break;
        case 'name':
          out.name = user.name;
          break;
        case 'first_name':
          out.first_name = first ?? '';
          break;
        case 'last_name':
          out.last_name = rest.join(' ');
          break;
        case 'profile_pic':
          out.profile_pic = `https://platform-lookaside.fbsbx.com/platform/profilepic/?psid=${user.id}`;
          break;
        default:
          throw nonexistingField(f.name, 'User');
      }
    }
    return out;
  }

  private renderPost(post: FbPost, fields: FieldNode[], ctx: Ctx): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      switch (f.name) {
        case 'id':
          out.id = post.id;
          break;
        case 'message':
          if (post.message) out.message = post.message;
          break;
        case 'created_time':
          out.created_time = graphTime(post.createdAt);
          break;
        case 'updated_time':
          out.updated_time = graphTime(post.updatedAt);
          break;
        case 'from':
          out.from = this.renderFrom(post.fromId, f.children);
          break;
        case 'permalink_url':
          out.permalink_url = `https://www.facebook.com/${post.id.replace('_', '/posts/')}`;
          break;
        case 'is_hidden':
          out.is_hidden = post.isHidden;
          break;
        case 'is_published':
          out.is_published = true;
          break;
        case 'status_type':
          out.status_type = post.fromId === this.world.page.id ? 'mobile_status_update' : 'wall_post';
          break;
        case 'story':
          if (!post.message) out.story = `${this.world.profile(post.fromId)?.name ?? 'Someone'} posted on ${this.world.page.name}'s page.`;
          break;
        case 'shares':
          break;
        case 'comments':
          out.comments = this.commentsEdge(post.id, post, null, f, ctx);
          break;
        case 'likes':
        case 'reactions':
          out[f.name] = this.likesEdge(post.likes, f);
          break;
        case 'attachments':
        case 'message_tags':
          break;
        default:
          throw nonexistingField(f.name, 'Post');
      }
    }
    return out;
  }

  private renderComment(comment: FbComment, fields: FieldNode[], ctx: Ctx): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const fromPage = comment.fromId === this.world.page.id;
    for (const f of fields) {
      switch (f.name) {
        case 'id':
          out.id = comment.id;
          break;
        case 'message':
          out.message = comment.message;
          break;
        case 'created_time':
          out.created_time = graphTime(comment.createdAt);
          break;
        case 'from':
          out.from = this.renderFrom(comment.fromId, f.children);
          break;
        case 'parent':
          if (comment.parentId) {
            const parent = this.world.nodes.get(comment.parentId);
            if (parent?.type === 'comment') out.parent = this.renderComment(parent.comment, f.children ?? defaultFields(DEFAULT_FIELDS.comment), ctx);
          }
          break;
        case 'is_hidden':
          out.is_hidden = comment.isHidden;
          break;
        case 'can_reply_privately':
          out.can_reply_privately = !fromPage && comment.privateReplyAt === null && ctx.now - comment.createdAt <= PRIVATE_REPLY_WINDOW;
          break;
        case 'can_hide':
          out.can_hide = !fromPage;
          break;
        case 'can_remove':
        case 'can_like':
        case 'can_comment':
          out[f.name] = true;
          break;
        case 'comment_count':
          out.comment_count = comment.replies.length;
          break;
        case 'like_count':
          out.like_count = comment.likes.size;
          break;
        case 'user_likes':
          out.user_likes = comment.likes.has(this.world.page.id);
          break;
        case 'permalink_url':
          out.permalink_url = `https://www.facebook.com/${comment.postId.replace('_', '/posts/')}?comment_id=${comment.id.split('_')[1] ?? ''}`;
          break;
        case 'object': {
          out.object = { id: comment.postId };
          break;
        }
        case 'private_reply_conversation':
          if (comment.privateReplyAt !== null) {
            const conversation = this.world.conversationFor(comment.fromId);
            if (conversation) out.private_reply_conversation = { id: conversation.id };
          }
          break;
        case 'attachment':
        case 'message_tags':
          break;
        case 'comments': {
          const postNode = this.world.nodes.get(comment.postId);
          if (postNode?.type === 'post') out.comments = this.commentsEdge(comment.id, postNode.post, comment, f, ctx);
          break;
        }
        case 'likes':
        case 'reactions':
          out[f.name] = this.likesEdge(comment.likes, f);
          break;
        default:
          throw nonexistingField(f.name, 'Comment');
      }
    }
    return out;
  }

  private renderConversation(conversation: FbConversation, fields: FieldNode[], ctx: Ctx): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const customer = this.world.profile(conversation.customerId);
    const participant = (id: string, name: string): Record<string, unknown> => ({ name, email: `${id}@facebook.com`, id });
    for (const f of fields) {
      switch (f.name) {
        case 'id':
          out.id = conversation.id;
          break;
        case 'updated_time':
          out.updated_time = graphTime(conversation.updatedAt);
          break;
        case 'link':
          out.link = `/${this.world.page.id}/inbox/${conversation.id.slice(2)}/`;
          break;
        case 'snippet': {
          const last = conversation.messages[conversation.messages.length - 1];
          out.snippet = last ? last.text.slice(0, 100) : '';
          break;
        }
        case 'message_count':
          out.message_count = conversation.messages.length;
          break;
        case 'unread_count':
          out.unread_count = 0;
          break;
        case 'participants':
        case 'senders':
          out[f.name] = { data: [participant(conversation.customerId, customer?.name ?? 'Facebook user'), participant(this.world.page.id, this.world.page.name)] };
          break;
        case 'can_reply':
          out.can_reply = conversation.lastCustomerAt !== null && ctx.now - conversation.lastCustomerAt <= HUMAN_AGENT_WINDOW;
          break;
        case 'is_subscribed':
          out.is_subscribed = true;
          break;
        case 'messages': {
          const limit = this.limit(ctx, 25, 100, f.modifiers.limit);
          const { page, hasNext } = pageOf(conversation.messages, { order: 'desc', limit, after: null, before: null });
          const children = f.children ?? defaultFields(DEFAULT_FIELDS.message);
          const edge: Record<string, unknown> = { data: page.map((m) => this.renderMessage(m, children)) };
          const paging = this.paging(ctx, `${conversation.id}/messages`, page, hasNext, false, { fields: fieldsText(children), limit: String(limit) });
          if (paging) edge.paging = paging;
          out.messages = edge;
          break;
        }
        default:
          throw nonexistingField(f.name, 'Conversation');
      }
    }
    return out;
  }

  private renderMessage(message: FbMessage, fields: FieldNode[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const person = (id: string): Record<string, unknown> => ({ name: this.world.profile(id)?.name ?? 'Facebook user', email: `${id}@facebook.com`, id });
    for (const f of fields) {
      switch (f.name) {
        case 'id':
          out.id = message.id;
          break;
        case 'created_time':
          out.created_time = graphTime(message.createdAt);
          break;
        case 'message':
          out.message = message.text;
          break;
        case 'from':
          out.from = person(message.fromId);
          break;
        case 'to':
          out.to = { data: [person(message.toId)] };
          break;
        case 'tags':
          out.tags = { data: [{ name: message.fromId === this.world.page.id ? 'source:api' : 'inbox' }] };
          break;
        case 'attachments':
        case 'sticker':
        case 'shares':
          break;
        default:
          throw nonexistingField(f.name, 'Message');
      }
    }
    return out;
  }

  private commentsEdge(parentObjectId: string, post: FbPost, comment: FbComment | null, f: FieldNode, ctx: Ctx): Record<string, unknown> {
    const filter = f.modifiers.filter ?? 'toplevel';
    const order = f.modifiers.order ?? 'chronological';
    const items = comment ? comment.replies : filter === 'stream' ? post.comments : post.topLevel;
    const limit = this.limit(ctx, 25, 100, f.modifiers.limit);
    const { page, hasNext } = pageOf(items, { order: order === 'reverse_chronological' ? 'desc' : 'asc', limit, after: null, before: null });
    const children = f.children ?? defaultFields(DEFAULT_FIELDS.comment);
    const edge: Record<string, unknown> = { data: page.map((c) => this.renderComment(c, children, ctx)) };
    const paging = this.paging(ctx, `${parentObjectId}/comments`, page, hasNext, false, { fields: fieldsText(children), limit: String(limit), filter, order });
    if (paging) edge.paging = paging;
    if (f.modifiers.summary === 'true' || f.modifiers.summary === '1') edge.summary = { order, total_count: items.length, can_comment: true };
    return edge;
  }

  private likesEdge(likes: Set<string>, f: FieldNode): Record<string, unknown> {
    const edge: Record<string, unknown> = { data: [...likes].map((id) => ({ id, name: this.world.profile(id)?.name ?? 'Facebook user' })) };
    if (f.modifiers.summary === 'true' || f.modifiers.summary === '1') edge.summary = { total_count: likes.size, can_like: true, has_liked: likes.has(this.world.page.id) };
    return edge;
  }

  // ---- reads -------------------------------------------------------------------------------

  private listPosts(items: readonly FbPost[], ctx: Ctx, node: GraphNode): unknown {
    if (node.type !== 'page') throw unsupported('GET', 'feed');
    const limit = this.limit(ctx, 25, 100);
    const since = parseTime(ctx.params.get('since'), 'since');
    const until = parseTime(ctx.params.get('until'), 'until');
    const fields = this.fields(ctx, 'post');
    const { page, hasNext, hasPrevious } = pageOf(items, {
      order: 'desc',
      limit,
      after: this.cursor(this.str(ctx.params, 'after')),
      before: this.cursor(this.str(ctx.params, 'before')),
      sinceKey: since === null ? null : keyFloor(since),
      untilKey: until === null ? null : keyCeil(until),
    });
    const edge = ctx.req.path.split('/').filter((s) => s !== '').pop() ?? 'feed';
    const out: Record<string, unknown> = { data: page.map((p) => this.renderPost(p, fields, ctx)) };
    const paging = this.paging(ctx, `${this.world.page.id}/${edge}`, page, hasNext, hasPrevious);
    if (paging) out.paging = paging;
    return out;
  }

  private listComments(node: GraphNode, ctx: Ctx): unknown {
    let items: readonly FbComment[];
    const filter = this.str(ctx.params, 'filter') ?? 'toplevel';
    if (filter !== 'toplevel' && filter !== 'stream') throw new GraphError(400, 100, '(#100) param filter must be one of {toplevel, stream}');
    const order = this.str(ctx.params, 'order') ?? 'chronological';
    if (order !== 'chronological' && order !== 'reverse_chronological') throw new GraphError(400, 100, '(#100) param order must be one of {chronological, reverse_chronological}');
    if (node.type === 'post') items = filter === 'stream' ? node.post.comments : node.post.topLevel;
    else if (node.type === 'comment') items = node.comment.replies;
    else throw unsupported('GET', 'comments');
    const limit = this.limit(ctx, 25, 100);
    const since = parseTime(ctx.params.get('since'), 'since');
    const until = parseTime(ctx.params.get('until'), 'until');
    const fields = this.fields(ctx, 'comment');
    const { page, hasNext, hasPrevious } = pageOf(items, {
      order: order === 'reverse_chronological' ? 'desc' : 'asc',
      limit,
      after: this.cursor(this.str(ctx.params, 'after')),
      before: this.cursor(this.str(ctx.params, 'before')),
      sinceKey: since === null ? null : keyFloor(since),
      untilKey: until === null ? null : keyCeil(until),
    });
    const id = node.type === 'post' ? node.post.id : node.comment.id;
    const out: Record<string, unknown> = { data: page.map((c) => this.renderComment(c, fields, ctx)) };
    const paging = this.paging(ctx, `${id}/comments`, page, hasNext, hasPrevious);
    out.paging = paging ?? { cursors: {} };
    const summary = this.str(ctx.params, 'summary');
    if (summary === 'true' || summary === '1') out.summary = { order, total_count: items.length, can_comment: true };
    return out;
  }

  private listLikes(node: GraphNode, ctx: Ctx): unknown {
    const likes = node.type === 'post' ? node.post.likes : node.type === 'comment' ? node.comment.likes : new Set<string>();
    return this.likesEdge(likes, { name: 'likes', modifiers: { summary: this.str(ctx.params, 'summary') ?? 'false' }, children: null });
  }

  private listConversations(ctx: Ctx): unknown {
    const platform = this.str(ctx.params, 'platform') ?? 'messenger';
    if (platform !== 'messenger' && platform !== 'instagram') throw new GraphError(400, 100, '(#100) param platform must be one of {MESSENGER, INSTAGRAM}');
    const fields = this.fields(ctx, 'conversation');
    const limit = this.limit(ctx, 25, 100);
    const userId = this.str(ctx.params, 'user_id');
    let list: readonly FbConversation[] = platform === 'instagram' ? [] : this.world.conversationsByUpdate();
    if (userId) {
      const one = this.world.conversationFor(userId);
      list = one ? [one] : [];
    }
    // `list` is newest first; cursors hold conversation keys (time of last update).
    const after = this.cursor(this.str(ctx.params, 'after'));
    const before = this.cursor(this.str(ctx.params, 'before'));
    let start = 0;
    if (after) {
      start = firstIndexBelow(list, after);
    }
    let end = Math.min(list.length, start + limit);
    if (!after && before) {
      end = firstIndexBelow(list, before, true);
      start = Math.max(0, end - limit);
    }
    const page = list.slice(start, end);
    const out: Record<string, unknown> = { data: page.map((c) => this.renderConversation(c, fields, ctx)) };
    const paging = this.paging(ctx, `${this.world.page.id}/conversations`, page, end < list.length, start > 0);
    if (paging) out.paging = paging;
    return out;
  }

  private listMessages(node: GraphNode, ctx: Ctx): unknown {
    if (node.type !== 'conversation') throw unsupported('GET', 'messages');
    const fields = this.fields(ctx, 'message');
    const limit = this.limit(ctx, 25, 100);
    const { page, hasNext, hasPrevious } = pageOf(node.conversation.messages, {
      order: 'desc',
      limit,
      after: this.cursor(this.str(ctx.params, 'after')),
      before: this.cursor(this.str(ctx.params, 'before')),
    });
    const out: Record<string, unknown> = { data: page.map((m) => this.renderMessage(m, fields)) };
    const paging = this.paging(ctx, `${node.conversation.id}/messages`, page, hasNext, hasPrevious);
    if (paging) out.paging = paging;
    return out;
  }

  // ---- writes ------------------------------------------------------------------------------

  private requestRecord(ctx: Ctx): Record<string, unknown> {
    const body: Record<string, unknown> = {};
    for (const [k, v] of ctx.params) if (k !== 'access_token') body[k] = v;
    return { method: ctx.req.method, path: ctx.req.path, body };
  }

  private publishPost(ctx: Ctx): unknown {
    const message = this.str(ctx.params, 'message');
    if (!message) throw new GraphError(400, 100, '(#100) Missing message or attachment');
    const post = this.world.createPost({ fromId: this.world.page.id, message });
    this.inspector.record({ platform: 'facebook', kind: 'post', targetId: this.world.page.id, text: message, resultId: post.id, request: this.requestRecord(ctx) });
    return { id: post.id };
  }

  private addComment(node: GraphNode, ctx: Ctx): unknown {
    const message = this.str(ctx.params, 'message');
    if (!message && !this.str(ctx.params, 'attachment_url') && !this.str(ctx.params, 'attachment_id')) {
      throw new GraphError(400, 100, '(#100) Missing message or attachment', { userTitle: 'Missing message', userMessage: 'Write something to comment.' });
    }
    if (message && message.length > 8000) throw new GraphError(400, 100, '(#100) The comment is too long');
    let created: FbComment;
    let target: string;
    if (node.type === 'post') {
      created = this.world.createComment({ post: node.post, fromId: this.world.page.id, message: message ?? '' });
      target = node.post.id;
    } else if (node.type === 'comment') {
      const postNode = this.world.nodes.get(node.comment.postId);
      if (postNode?.type !== 'post') throw unsupported('POST', node.comment.id);
      // Facebook nests one level: a reply to a reply goes under the top-level comment.
      const parentNode = node.comment.parentId ? this.world.nodes.get(node.comment.parentId) : node;
      const parent = parentNode?.type === 'comment' ? parentNode.comment : node.comment;
      created = this.world.createComment({ post: postNode.post, parent, fromId: this.world.page.id, message: message ?? '' });
      target = node.comment.id;
    } else throw unsupported('POST', 'comments');
    this.inspector.record({ platform: 'facebook', kind: node.type === 'post' ? 'comment' : 'reply', targetId: target, text: message, resultId: created.id, request: this.requestRecord(ctx) });
    return { id: created.id };
  }

  private like(node: GraphNode, ctx: Ctx, on: boolean): unknown {
    const likes = node.type === 'post' ? node.post.likes : node.type === 'comment' ? node.comment.likes : null;
    const id = node.type === 'post' ? node.post.id : node.type === 'comment' ? node.comment.id : '';
    if (!likes) throw unsupported(ctx.req.method, 'likes');
    if (on) likes.add(this.world.page.id);
    else likes.delete(this.world.page.id);
    this.inspector.record({ platform: 'facebook', kind: on ? 'like' : 'unlike', targetId: id, text: null, resultId: null, request: this.requestRecord(ctx) });
    return { success: true };
  }

  private updateNode(node: GraphNode, ctx: Ctx): unknown {
    const hidden = this.str(ctx.params, 'is_hidden');
    if (hidden === null) {
      const id = node.type === 'comment' ? node.comment.id : node.type === 'post' ? node.post.id : 'object';
      throw unsupported('POST', id);
    }
    if (hidden !== 'true' && hidden !== 'false') throw new GraphError(400, 100, '(#100) param is_hidden must be a boolean');
    const value = hidden === 'true';
    if (node.type === 'comment') {
      if (node.comment.fromId === this.world.page.id) throw new GraphError(400, 100, "(#100) You can't hide a comment made by the Page");
      node.comment.isHidden = value;
      this.inspector.record({ platform: 'facebook', kind: value ? 'hide' : 'unhide', targetId: node.comment.id, text: null, resultId: null, request: this.requestRecord(ctx) });
      return { success: true };
    }
    if (node.type === 'post') {
      node.post.isHidden = value;
      this.inspector.record({ platform: 'facebook', kind: value ? 'hide' : 'unhide', targetId: node.post.id, text: null, resultId: null, request: this.requestRecord(ctx) });
      return { success: true };
    }
    throw unsupported('POST', 'object');
  }

  /** POST /{page-id}/messages: the Send API and private replies. */
  private send(ctx: Ctx): unknown {
    const recipient = this.obj(ctx.params, 'recipient');
    if (!recipient) throw new GraphError(400, 100, '(#100) param recipient must be non-empty.');
    const senderAction = this.str(ctx.params, 'sender_action');
    const message = this.obj(ctx.params, 'message');
    if (senderAction && !message) {
      const psid = typeof recipient.id === 'string' ? recipient.id : '';
      if (!this.world.conversationFor(psid)) throw new GraphError(400, 100, '(#100) No matching user found', { subcode: 2018001 });
      return { recipient_id: psid };
    }
    if (!message) throw new GraphError(400, 100, '(#100) Must send either message or state');
    const messageText = typeof message.text === 'string' ? message.text : null;
    if (messageText === null && message.attachment === undefined) throw new GraphError(400, 100, '(#100) Message cannot be empty, must provide valid attachment or text');
    if (messageText !== null && messageText.length > 2000) throw new GraphError(400, 100, '(#100) Length of param message[text] must be less than or equal to 2000');
    const textValue = messageText ?? '[attachment]';

    // Private reply to a comment (or a visitor post): once, within 7 days.
    const commentId = typeof recipient.comment_id === 'string' ? recipient.comment_id : null;
    const postId = typeof recipient.post_id === 'string' ? recipient.post_id : null;
    if (commentId !== null || postId !== null) {
      const id = (commentId ?? postId) as string;
      const target = this.world.nodes.get(id);
      const item = target?.type === 'comment' ? target.comment : target?.type === 'post' ? target.post : null;
      if (!item) throw new GraphError(400, 100, `(#100) Invalid ${commentId !== null ? 'comment_id' : 'post_id'}`, { subcode: 2018001 });
      if (item.fromId === this.world.page.id) throw new GraphError(400, 10903, "(#10903) This activity can't be replied to");
      if (item.privateReplyAt !== null) throw new GraphError(400, 10900, '(#10900) Activity already replied to');
      if (ctx.now - item.createdAt > PRIVATE_REPLY_WINDOW) throw new GraphError(400, 10903, "(#10903) This activity can't be replied to");
      item.privateReplyAt = ctx.now;
      const sent = this.world.createMessage({ customerId: item.fromId, fromCustomer: false, text: textValue });
      this.inspector.record({ platform: 'facebook', kind: 'private-reply', targetId: id, text: messageText, resultId: sent.id, request: this.requestRecord(ctx) });
      return { recipient_id: item.fromId, message_id: sent.id };
    }

    const psid = typeof recipient.id === 'string' ? recipient.id : typeof recipient.id === 'number' ? String(recipient.id) : null;
    if (!psid) throw new GraphError(400, 100, '(#100) param recipient must contain id, comment_id or post_id');
    const messagingType = this.str(ctx.params, 'messaging_type');
    if (messagingType === null) throw new GraphError(400, 100, '(#100) param messaging_type is required');
    if (!['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(messagingType)) throw new GraphError(400, 100, '(#100) param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}');
    const tag = this.str(ctx.params, 'tag');
    if (messagingType === 'MESSAGE_TAG' && (tag === null || !MESSAGE_TAGS.includes(tag))) throw new GraphError(400, 100, `(#100) Param tag must be one of {${MESSAGE_TAGS.join(', ')}}`);
    const profile = this.world.profile(psid);
    const conversation = this.world.conversationFor(psid);
    if (!profile || profile.isPage) throw new GraphError(400, 100, '(#100) No matching user found', { subcode: 2018001 });
    const last = conversation?.lastCustomerAt ?? null;
    const window = messagingType === 'MESSAGE_TAG' ? (tag === 'HUMAN_AGENT' ? HUMAN_AGENT_WINDOW : Infinity) : STANDARD_WINDOW;
    if (last === null || ctx.now - last > window) {
      throw new GraphError(400, 10, '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview', {
        subcode: 2018278,
      });
    }
    const sent = this.world.createMessage({ customerId: psid, fromCustomer: false, text: textValue, tag: messagingType === 'MESSAGE_TAG' ? tag : null });
    this.inspector.record({ platform: 'messenger', kind: 'messenger-send', targetId: psid, text: messageText, resultId: sent.id, request: this.requestRecord(ctx) });
    return { recipient_id: psid, message_id: sent.id };
  }
}

const DEFAULT_FIELDS: Record<GraphNode['type'], readonly string[]> = {
  page: ['name', 'id'],
  user: ['name', 'id'],
  post: ['created_time', 'message', 'id'],
  comment: ['created_time', 'from', 'message', 'id'],
  conversation: ['id', 'link', 'updated_time'],
  message: ['id', 'created_time'],
};

function nodeTypeName(type: GraphNode['type']): string {
  return { page: 'Page', user: 'User', post: 'Post', comment: 'Comment', conversation: 'Conversation', message: 'Message' }[type];
}

function fieldsText(nodes: FieldNode[]): string {
  return nodes
    .map((n) => n.name + Object.entries(n.modifiers).map(([k, v]) => `.${k}(${v})`).join('') + (n.children ? `{${fieldsText(n.children)}}` : ''))
    .join(',');
}

/** In a list sorted newest first by key: the first index whose key is below `key` (or at/below with inclusive). */
function firstIndexBelow(list: readonly FbConversation[], key: string, inclusive = false): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = (list[mid] as FbConversation).key;
    const below = inclusive ? k <= key : k < key;
    if (below) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
