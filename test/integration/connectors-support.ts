/**
 * Shared by the connector tests and the backlog benchmark: a real connector host (a SQLite
 * store in a temp dir, real ingest, real cursors), timers that move a manual clock instead of
 * waiting, a logger that keeps what it was told, request counters on the transports, and the
 * comparison of what was stored against what the sandbox's customers posted.
 */
import type { ClientRequest } from 'node:http';
import type { Agent } from 'node:https';
import { expect } from 'vitest';
import type { Dispatcher } from 'undici';
import type { Clock, ManualClock } from '../../electron/core/clock';
import type { ConnectorName, ConnectorStatus } from '../../electron/core/contract';
import type { Timers } from '../../electron/core/connectors/scheduler';
import type { ConnectorHost } from '../../electron/core/connectors/types';
import { ingestBatch, type IngestOutcome, type IngestSource } from '../../electron/core/ingest/ingest';
import type { LogFields, Logger, LogLevel } from '../../electron/core/logger';
import { openStore, type Store } from '../../electron/core/store';
import { readCursor } from '../../electron/core/store/cursors';
import type { PostedItem } from '../../electron/sandbox/index';
import { tempDir } from '../support/temp';

/** Sleeps that move the manual clock and return at once: backoffs cost no real time. */
export class VirtualTimers implements Timers {
  readonly waits: number[] = [];
  constructor(private readonly clock: ManualClock) {}
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    this.waits.push(ms);
    this.clock.advance(Math.max(0, Math.min(ms, 366 * 86_400_000)));
    await Promise.resolve();
  }
}

/** A clock that runs with real time from a chosen instant and can also be moved by hand. */
export class LiveClock implements Clock {
  private readonly realStart = Date.now();
  private offset = 0;
  constructor(private readonly start: number) {}
  now(): number {
    return this.start + (Date.now() - this.realStart) + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

export interface LogLine {
  level: LogLevel;
  event: string;
  fields: LogFields;
}

export class MemoryLogger implements Logger {
  readonly lines: LogLine[] = [];
  private readonly secrets = new Set<string>();
  debug(event: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'debug', event, fields });
  }
  info(event: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'info', event, fields });
  }
  warn(event: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'warn', event, fields });
  }
  error(event: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'error', event, fields });
  }
  redact(secret: string): void {
    this.secrets.add(secret);
  }
  events(name: string): LogLine[] {
    return this.lines.filter((line) => line.event === name);
  }
  /** Everything logged, as text (to check that no secret appears). */
  text(): string {
    return this.lines.map((line) => `${line.event} ${JSON.stringify(line.fields)}`).join('\n');
  }
  get redacted(): ReadonlySet<string> {
    return this.secrets;
  }
}

export interface TestHost extends ConnectorHost {
  store: Store;
  logger: MemoryLogger;
  /** Every report, in order. */
  reports: Array<{ connector: ConnectorName; patch: Partial<ConnectorStatus> }>;
  /** The status as the console would show it (all patches merged). */
  status(connector: ConnectorName): Partial<ConnectorStatus>;
  /** How many times ingest was called (batches, including cursor-only ones). */
  ingestCalls(): number;
}

export interface HostOptions {
  /** Called before each ingest with its 1-based number; throw to fail that batch (a crash). */
  beforeIngest?(call: number, payloads: readonly unknown[], source: IngestSource): void;
  /** Called with each outcome (the benchmark keeps the payloads). */
  afterIngest?(payloads: readonly unknown[], source: IngestSource, outcome: IngestOutcome): void;
}

export function createHost(store: Store, clock: Clock, options: HostOptions = {}): TestHost {
  const logger = new MemoryLogger();
  const reports: TestHost['reports'] = [];
  const merged = new Map<ConnectorName, Partial<ConnectorStatus>>();
  let calls = 0;
  return {
    store,
    clock,
    logger,
    reports,
    ingest: async (payloads, source) => {
      calls += 1;
      options.beforeIngest?.(calls, payloads, source);
      const outcome = await ingestBatch(store.db, payloads, source, clock.now());
      options.afterIngest?.(payloads, source, outcome);
      return outcome;
    },
    readCursor: (connector, stream) => readCursor(store.db, connector, stream),
    report: (connector, patch) => {
      reports.push({ connector, patch });
      merged.set(connector, { ...merged.get(connector), ...patch });
    },
    status: (connector) => merged.get(connector) ?? {},
    ingestCalls: () => calls,
  };
}

export async function openTestStore(): Promise<{ store: Store; remove(): Promise<void> }> {
  const dir = tempDir('desk-connectors-');
  const store = await openStore(dir.path);
  return {
    store,
    remove: async () => {
      await store.close();
      dir.remove();
    },
  };
}

// ---- request counting ------------------------------------------------------------------------

export interface RequestLog {
  paths: string[];
  count(fragment?: string): number;
}

/** Counts the requests twitter-api-v2 makes through an https.Agent (every request passes addRequest). */
export function countAgentRequests(agent: Agent): RequestLog {
  const paths: string[] = [];
  const target = agent as unknown as { addRequest(req: ClientRequest, options: unknown): void };
  const original = target.addRequest.bind(agent);
  target.addRequest = (req, options) => {
    paths.push(`${req.method} ${req.path.split('?')[0]}`);
    original(req, options);
  };
  return { paths, count: (fragment) => (fragment === undefined ? paths.length : paths.filter((p) => p.includes(fragment)).length) };
}

/** A dispatcher that counts the requests fetch makes through it. */
export function countingDispatcher(inner: Dispatcher): { dispatcher: Dispatcher; log: RequestLog } {
  const paths: string[] = [];
  const dispatcher = inner.compose((dispatch) => (opts, handler) => {
    paths.push(`${opts.method} ${String(opts.path).split('?')[0]}`);
    return dispatch(opts, handler);
  });
  return { dispatcher, log: { paths, count: (fragment) => (fragment === undefined ? paths.length : paths.filter((p) => p.includes(fragment)).length) } };
}

// ---- what was stored ---------------------------------------------------------------------------

export interface StoredRow {
  platform: string;
  externalId: string;
  kind: string;
  text: string;
  contactId: number;
  authorId: string;
  handle: string | null;
  name: string | null;
  inReplyTo: string | null;
  conversationRef: string | null;
  createdAt: number;
}

export async function storedMessages(store: Store): Promise<StoredRow[]> {
  const rows = await store.db.all<{
    platform: string;
    external_id: string;
    kind: string;
    text: string;
    contact_id: number;
    platform_user_id: string;
    handle: string | null;
    name: string | null;
    in_reply_to_external_id: string | null;
    conversation_ref: string | null;
    created_at: number;
  }>(
    `SELECT m.platform, m.external_id, m.kind, m.text, m.contact_id, ci.platform_user_id, ci.handle, ci.name,
            m.in_reply_to_external_id, m.conversation_ref, m.created_at
       FROM messages m JOIN contact_identities ci ON ci.contact_id = m.contact_id AND ci.platform = m.platform
      ORDER BY m.id`,
  );
  return rows.map((r) => ({
    platform: r.platform,
    externalId: r.external_id,
    kind: r.kind,
    text: r.text,
    contactId: r.contact_id,
    authorId: r.platform_user_id,
    handle: r.handle,
    name: r.name,
    inReplyTo: r.in_reply_to_external_id,
    conversationRef: r.conversation_ref,
    createdAt: r.created_at,
  }));
}

/**
 * Every posted item is stored exactly once, as its kind, under its author; nothing else is
 * stored. Returns the stored rows keyed by external id.
 */
export async function expectExactlyOnce(store: Store, posted: readonly PostedItem[]): Promise<Map<string, StoredRow>> {
  const rows = await storedMessages(store);
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(`${row.platform}:${row.externalId}`, (counts.get(`${row.platform}:${row.externalId}`) ?? 0) + 1);
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([key]) => key);
  expect(duplicated, 'stored twice').toEqual([]);
  const byId = new Map(rows.map((row) => [row.externalId, row]));
  const missing = posted.filter((item) => !byId.has(item.id)).map((item) => `${item.kind} ${item.id}`);
  expect(missing, 'lost').toEqual([]);
  const expected = new Set(posted.map((item) => item.id));
  const extra = rows.filter((row) => !expected.has(row.externalId)).map((row) => `${row.kind} ${row.externalId}`);
  expect(extra, 'stored but never posted in this window').toEqual([]);
  for (const item of posted) {
    const row = byId.get(item.id)!;
    expect({ kind: row.kind, authorId: row.authorId, platform: row.platform }).toEqual({ kind: item.kind, authorId: item.authorId, platform: item.platform });
  }
  return byId;
}

export function postedSince(posted: readonly PostedItem[], since: number, kinds: readonly string[]): PostedItem[] {
  return posted.filter((item) => item.at >= since && kinds.includes(item.kind));
}

/** Waits for a condition, checking every 20 ms (a wait, not a time limit: the test timeout bounds it). */
export async function until(condition: () => boolean | Promise<boolean>, label = 'condition'): Promise<void> {
  for (let i = 0; ; i += 1) {
    if (await condition()) return;
    if (i > 1500) throw new Error(`gave up waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
