// X's filtered stream: rules (add, delete, dry run), one connection at a time, tweets as JSON
// lines with matching_rules, a bare "\r\n" heartbeat, backfill, and the stream faults
// (disconnect line, dropped socket) applied to open connections the moment they are injected.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActiveFault, FaultRegistry, FaultTarget } from './faults';
import { json, type PlainResponse, type StreamResponse } from './http';
import { SnowflakeMaker, snowflakeAt, lowerBound } from './ids';
import { renderTweet, tweetIncludes, problem, type FieldSelection } from './x-render';
import { matchesQuery, parseQuery, QueryError, type QueryNode } from './x-query';
import type { World, XTweet } from './world';

export interface StreamRule {
  id: string;
  value: string;
  tag?: string;
  node: QueryNode;
}

export interface XStreamConfig {
  heartbeatMs: number;
  maxConnections: number;
  maxRules: number;
  maxRuleLength: number;
}

interface Connection {
  res: ServerResponse;
  sel: FieldSelection;
  heartbeat: NodeJS.Timeout;
  closed: boolean;
}

export const STREAM_TEMPLATE = '/2/tweets/search/stream';

export const DISCONNECT_LINE = JSON.stringify({
  errors: [
    {
      title: 'operational-disconnect',
      disconnect_type: 'UpstreamOperationalDisconnect',
      detail: 'This stream has been disconnected upstream for operational reasons.',
      type: 'https://api.twitter.com/2/problems/operational-disconnect',
    },
  ],
});

export class XStream {
  private readonly rules: StreamRule[] = [];
  private readonly connections = new Set<Connection>();
  private readonly ruleIds = new SnowflakeMaker();

  constructor(
    private readonly world: World,
    private readonly faults: FaultRegistry,
    private readonly config: XStreamConfig,
    private readonly onDelivered: (count: number) => void,
  ) {
    world.onTweet((tweet) => this.deliver(tweet));
    faults.onInject((fault) => this.applyInjected(fault));
  }

  get openConnections(): number {
    return this.connections.size;
  }

  listRules(): StreamRule[] {
    return [...this.rules];
  }

  // ---- rules -------------------------------------------------------------------------------

  getRules(ids: string[] | null, now: number): PlainResponse {
    const rules = ids ? this.rules.filter((r) => ids.includes(r.id)) : this.rules;
    const meta = { sent: new Date(now).toISOString(), result_count: rules.length };
    if (rules.length === 0) return json(200, { meta });
    return json(200, { data: rules.map(publicRule), meta });
  }

  updateRules(body: unknown, dryRun: boolean, deleteAll: boolean, now: number): PlainResponse {
    const sent = new Date(now).toISOString();
    const invalidBody = (detail: string): PlainResponse =>
      json(400, { errors: [{ message: detail }], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' });
    if (deleteAll) {
      const deleted = this.rules.length;
      if (!dryRun) this.rules.length = 0;
      return json(200, { meta: { sent, summary: { deleted, not_deleted: 0 } } });
    }
    if (typeof body !== 'object' || body === null) return invalidBody('Request body must contain "add" or "delete".');
    const request = body as { add?: unknown; delete?: unknown };
    if (request.add !== undefined) {
      if (!Array.isArray(request.add) || request.add.length === 0) return invalidBody('"add" must be a non-empty array of rules.');
      const errors: Array<Record<string, unknown>> = [];
      const created: StreamRule[] = [];
      let valid = 0;
      let invalid = 0;
      for (const item of request.add as unknown[]) {
        const value = typeof item === 'object' && item !== null ? (item as { value?: unknown }).value : undefined;
        const tag = typeof item === 'object' && item !== null ? (item as { tag?: unknown }).tag : undefined;
        if (typeof value !== 'string' || value.trim() === '') {
          invalid++;
          errors.push({ value: value ?? null, details: ['Rule value must be a non-empty string.'], title: 'UnprocessableEntity', type: 'https://api.twitter.com/2/problems/invalid-rules' });
          continue;
        }
        if (value.length > this.config.maxRuleLength) {
          invalid++;
          errors.push({ value, details: [`Rule length exceeds the max allowed of ${this.config.maxRuleLength} characters.`], title: 'UnprocessableEntity', type: 'https://api.twitter.com/2/problems/invalid-rules' });
          continue;
        }
        let node: QueryNode;
        try {
          node = parseQuery(value);
        } catch (error) {
          invalid++;
          errors.push({ value, details: [error instanceof QueryError ? error.message : String(error)], title: 'UnprocessableEntity', type: 'https://api.twitter.com/2/problems/invalid-rules' });
          continue;
        }
        const duplicate = [...this.rules, ...created].find((r) => r.value === value);
        if (duplicate) {
          errors.push({ value, id: duplicate.id, title: 'DuplicateRule', type: 'https://api.twitter.com/2/problems/duplicate-rules' });
          continue;
        }
        valid++;
        const rule: StreamRule = { id: this.ruleIds.next(now), value, node, ...(typeof tag === 'string' ? { tag } : {}) };
        created.push(rule);
      }
      if (this.rules.length + created.length > this.config.maxRules) {
        return problem(403, {
          title: 'RulesCapExceeded',
          detail: `Rule creation would exceed the max allowable rules of ${this.config.maxRules}.`,
          type: 'https://api.twitter.com/2/problems/rule-cap',
        });
      }
      if (!dryRun) this.rules.push(...created);
      const summary = { created: created.length, not_created: request.add.length - created.length, valid, invalid };
      const out: Record<string, unknown> = {};
      if (created.length) out.data = created.map(publicRule);
      out.meta = { sent, summary };
      if (errors.length) out.errors = errors;
      const status = created.length > 0 ? 201 : invalid > 0 ? 400 : 200;
      return json(status, out);
    }
    if (request.delete !== undefined) {
      const del = request.delete as { ids?: unknown; values?: unknown };
      const ids = Array.isArray(del.ids) ? del.ids.filter((v): v is string => typeof v === 'string') : [];
      const values = Array.isArray(del.values) ? del.values.filter((v): v is string => typeof v === 'string') : [];
      if (ids.length === 0 && values.length === 0) return invalidBody('"delete" must contain "ids" or "values".');
      let deleted = 0;
      const errors: Array<Record<string, unknown>> = [];
      for (const id of ids) {
        const at = this.rules.findIndex((r) => r.id === id);
        if (at < 0) {
          errors.push({ parameters: { ids: [id] }, message: `Rule with id [${id}] does not exist.` });
          continue;
        }
        deleted++;
        if (!dryRun) this.rules.splice(at, 1);
      }
      for (const value of values) {
        const at = this.rules.findIndex((r) => r.value === value);
        if (at < 0) {
          errors.push({ parameters: { values: [value] }, message: `Rule with value [${value}] does not exist.` });
          continue;
        }
        deleted++;
        if (!dryRun) this.rules.splice(at, 1);
      }
      const out: Record<string, unknown> = { meta: { sent, summary: { deleted, not_deleted: ids.length + values.length - deleted } } };
      if (errors.length) out.errors = errors;
      return json(200, out);
    }
    return invalidBody('Request body must contain "add" or "delete".');
  }

  // ---- connections -------------------------------------------------------------------------

  /** Too many connections: X's 429 ConnectionException. */
  tooManyConnections(): PlainResponse | null {
    if (this.connections.size < this.config.maxConnections) return null;
    return problem(429, {
      title: 'ConnectionException',
      detail: 'This stream is currently at the maximum allowed connection limit.',
      connection_issue: 'TooManyConnections',
      type: 'https://api.twitter.com/2/problems/streaming-connection',
    });
  }

  connect(sel: FieldSelection, backfillMinutes: number, headers: Record<string, string>, target: FaultTarget, now: number): StreamResponse {
    return {
      kind: 'stream',
      start: (req: IncomingMessage, res: ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', ...headers });
        res.flushHeaders();
        const connection: Connection = {
          res,
          sel,
          closed: false,
          heartbeat: setInterval(() => this.write(connection, '\r\n'), this.config.heartbeatMs),
        };
        connection.heartbeat.unref();
        this.connections.add(connection);
        const cleanup = (): void => this.close(connection);
        res.on('close', cleanup);
        req.on('close', cleanup);
        if (backfillMinutes > 0) {
          const from = lowerBound(this.world.timeline, snowflakeAt(now - backfillMinutes * 60_000), (t) => t.id);
          for (let i = from; i < this.world.timeline.length; i++) this.deliverTo(connection, this.world.timeline[i] as XTweet);
        }
        // A stream fault waiting for the next connection hits it now.
        const pending = this.faults.take(target, (kind) => kind === 'stream-disconnect' || kind === 'drop-connection');
        if (pending) this.hit(connection, pending.kind);
      },
    };
  }

  private write(connection: Connection, chunk: string): void {
    if (connection.closed || connection.res.destroyed || connection.res.writableEnded) return;
    connection.res.write(chunk);
  }

  private close(connection: Connection): void {
    if (connection.closed) return;
    connection.closed = true;
    clearInterval(connection.heartbeat);
    this.connections.delete(connection);
  }

  private hit(connection: Connection, kind: string): void {
    if (kind === 'stream-disconnect') {
      this.write(connection, DISCONNECT_LINE + '\r\n');
      this.close(connection);
      connection.res.end();
    } else if (kind === 'drop-connection') {
      this.close(connection);
      connection.res.socket?.destroy();
    }
  }

  private applyInjected(fault: ActiveFault): void {
    if (fault.kind !== 'stream-disconnect' && fault.kind !== 'drop-connection') return;
    for (const connection of [...this.connections]) {
      const target: FaultTarget = { platform: 'x', method: 'GET', path: STREAM_TEMPLATE, template: STREAM_TEMPLATE };
      if (this.faults.consume(fault, target)) this.hit(connection, fault.kind);
    }
  }

  private deliver(tweet: XTweet): void {
    if (this.connections.size === 0 || this.rules.length === 0) return;
    for (const connection of this.connections) this.deliverTo(connection, tweet);
  }

  private deliverTo(connection: Connection, tweet: XTweet): void {
    if (this.rules.length === 0) return;
    const ctx = { author: this.world.users.get(tweet.authorId), inReplyToUser: tweet.inReplyToUserId ? this.world.users.get(tweet.inReplyToUserId) : undefined };
    const matching = this.rules.filter((r) => matchesQuery(r.node, tweet, ctx));
    if (matching.length === 0) return;
    const payload: Record<string, unknown> = { data: renderTweet(tweet, connection.sel.tweet) };
    const includes = tweetIncludes(this.world, [tweet], connection.sel);
    if (includes) payload.includes = includes;
    payload.matching_rules = matching.map((r) => (r.tag === undefined ? { id: r.id } : { id: r.id, tag: r.tag }));
    this.write(connection, JSON.stringify(payload) + '\r\n');
    this.onDelivered(1);
  }

  closeAll(): void {
    for (const connection of [...this.connections]) {
      this.close(connection);
      connection.res.destroy();
    }
  }
}

function publicRule(rule: StreamRule): Record<string, unknown> {
  return rule.tag === undefined ? { id: rule.id, value: rule.value } : { id: rule.id, value: rule.value, tag: rule.tag };
}
