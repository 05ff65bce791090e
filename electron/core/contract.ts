/**
 * The one API between the console and the desk.
 *
 * Every command the console may send (input and output schema) and every event the core
 * pushes is declared here, once, with zod. Types come from the schemas, and both transports
 * (Electron IPC and server mode's HTTP + WebSocket) validate against them at run time, so a
 * renderer bug or a hand-written curl call meets the same checks.
 *
 * Errors never cross a boundary as a thrown stack: every call answers with a `DeskResult`.
 *
 * This module must stay importable from the renderer: zod only, no Node, no DOM.
 */
import { z } from 'zod';
import { CalendarConfig, EmergencyState, SpecialDay } from './calendar/schema';
import { OutboxItem, OutboxListInput, OutboxPage } from './outbox/actions';

export { CalendarConfig, EmergencyState, SpecialDay } from './calendar/schema';
export type { CalendarConfigInput } from './calendar/schema';
export { OutboxItem, OutboxPage, OutboxAction, OutboxState } from './outbox/actions';

// ---------------------------------------------------------------------------------------------
// Domain words shared by commands and events

export const Platform = z.enum(['x', 'facebook', 'messenger']);
export type Platform = z.infer<typeof Platform>;

/** What a message is on its platform; inbound and outbound share the list. */
export const MessageKind = z.enum([
  'x.mention',
  'x.reply',
  'x.dm',
  'facebook.post',
  'facebook.comment',
  'facebook.reply',
  'facebook.private-reply',
  'messenger.message',
]);
export type MessageKind = z.infer<typeof MessageKind>;

export const Direction = z.enum(['inbound', 'outbound']);
export type Direction = z.infer<typeof Direction>;
export const Visibility = z.enum(['public', 'private']);
export type Visibility = z.infer<typeof Visibility>;

export const InteractionState = z.enum([
  'new',
  'ignored',
  'auto-handled',
  'waiting-for-open',
  'queued',
  'assigned',
  'completed',
]);
export type InteractionState = z.infer<typeof InteractionState>;

/** UTC epoch milliseconds: the only way the desk passes an instant around. */
export const EpochMs = z.number().int().nonnegative();

export const Id = z.number().int().positive();

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export const JsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValue), z.record(z.string(), JsonValue)]),
);

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isIanaZone, { message: 'is not an IANA time zone (for example Europe/Paris)' });

// ---------------------------------------------------------------------------------------------
// Settings

export const Settings = z.strictObject({
  deskName: z.string().trim().min(1, 'must not be empty').max(60, 'is longer than 60 characters'),
  timeZone: TimeZone,
  timeFormat: z.enum(['24h', '12h']),
  /** How far back a connector's first connection fetches what arrived before the desk existed. */
  backfillHours: z.number().int().min(0, 'must be 0 or more').max(720, 'is more than 30 days (720 hours)'),
  /** Use X's filtered stream (needs a bearer token and a tier that has it) instead of polling mentions. */
  xStream: z.boolean(),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  deskName: 'Social Care Desk',
  timeZone: 'UTC',
  timeFormat: '24h',
  backfillHours: 24,
  xStream: false,
};

// ---------------------------------------------------------------------------------------------
// Desk status

export const NetworkMode = z.enum(['sandbox', 'live']);

export const DeskState = z.enum(['open', 'closed', 'emergency']);

export const DeskStatus = z.strictObject({
  deskName: z.string(),
  version: z.string(),
  startedAt: EpochMs,
  now: EpochMs,
  timeZone: z.string(),
  timeFormat: z.enum(['24h', '12h']),
  network: z.strictObject({ mode: NetworkMode, reason: z.string() }),
  deskState: z.strictObject({ state: DeskState, reason: z.string() }),
  store: z.strictObject({ schemaVersion: z.number().int(), dataDir: z.string() }),
});
export type DeskStatus = z.infer<typeof DeskStatus>;

// ---------------------------------------------------------------------------------------------
// Contacts and their history

export const PlatformIdentity = z.strictObject({
  platform: Platform,
  platformUserId: z.string(),
  handle: z.string().nullable(),
  name: z.string().nullable(),
});
export type PlatformIdentity = z.infer<typeof PlatformIdentity>;

export const ContactSummary = z.strictObject({
  id: Id,
  displayName: z.string(),
  identities: z.array(PlatformIdentity),
  messageCount: z.number().int().nonnegative(),
  lastMessageAt: EpochMs.nullable(),
});
export type ContactSummary = z.infer<typeof ContactSummary>;

export const Message = z.strictObject({
  id: Id,
  contactId: Id,
  platform: Platform,
  externalId: z.string(),
  kind: MessageKind,
  direction: Direction,
  visibility: Visibility,
  text: z.string(),
  createdAt: EpochMs,
  interactionState: InteractionState.nullable(),
});
export type Message = z.infer<typeof Message>;

/** Opaque paging cursor: hand back what the previous page gave. */
export const PageCursor = z.string().min(1).max(200);

const Limit = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback);

// ---------------------------------------------------------------------------------------------
// Audit log

export const AuditEntry = z.strictObject({
  id: Id,
  at: EpochMs,
  actor: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  detail: z.record(z.string(), JsonValue).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

// ---------------------------------------------------------------------------------------------
// Live ingest: the monitoring feed, connectors and accounts

export const FeedItem = z.strictObject({
  messageId: Id,
  interactionId: Id.nullable(),
  contactId: Id,
  contactName: z.string(),
  handle: z.string().nullable(),
  platform: Platform,
  kind: MessageKind,
  direction: Direction,
  visibility: Visibility,
  text: z.string(),
  createdAt: EpochMs,
  interactionState: InteractionState.nullable(),
});
export type FeedItem = z.infer<typeof FeedItem>;

export const ConnectorName = z.enum(['x', 'facebook', 'messenger']);
export type ConnectorName = z.infer<typeof ConnectorName>;

export const ConnectorState = z.enum(['not-configured', 'starting', 'running', 'backing-off', 'auth-error', 'budget-exhausted', 'stopped']);
export type ConnectorState = z.infer<typeof ConnectorState>;

export const ConnectorStatus = z.strictObject({
  connector: ConnectorName,
  state: ConnectorState,
  /** One sentence for a supervisor: what it is doing, or why it is not. */
  detail: z.string(),
  mode: z.enum(['poll', 'stream']),
  backoffUntil: EpochMs.nullable(),
  lastPollAt: EpochMs.nullable(),
  lastError: z.string().nullable(),
  received: z.number().int().nonnegative(),
  duplicatesSkipped: z.number().int().nonnegative(),
  badPayloads: z.number().int().nonnegative(),
  /** Reads counted against the platform's budget (X monthly cap, Graph app usage %). */
  budget: z.strictObject({ used: z.number().nonnegative(), limit: z.number().positive(), unit: z.enum(['posts', 'percent']), period: z.string() }).nullable(),
  backfill: z.strictObject({ active: z.boolean(), fetched: z.number().int().nonnegative(), since: EpochMs }).nullable(),
});
export type ConnectorStatus = z.infer<typeof ConnectorStatus>;

const Secret = z.string().trim().min(1, 'must not be empty').max(500, 'is longer than 500 characters');

export const XAccountInput = z.strictObject({
  apiKey: Secret,
  apiSecret: Secret,
  accessToken: Secret,
  accessSecret: Secret,
  /** App-only token, needed for the filtered stream; without it the desk polls. */
  bearerToken: Secret.optional(),
});

export const FacebookAccountInput = z.strictObject({
  pageId: z.string().trim().regex(/^\d{1,30}$/, 'is the numeric id of the Page'),
  pageToken: Secret,
  graphVersion: z.string().trim().regex(/^v\d{1,2}\.\d$/, 'looks like v25.0').default('v25.0'),
});

/** What the console may know of an account: never a secret, only whether each is set. */
export const AccountView = z.strictObject({
  platform: z.enum(['x', 'facebook']),
  configured: z.boolean(),
  /** Who the account is on the platform, once a connection test has said so. */
  identity: z.string().nullable(),
  secretsSet: z.array(z.string()),
  usesSandbox: z.boolean(),
});
export type AccountView = z.infer<typeof AccountView>;

// ---------------------------------------------------------------------------------------------
// The business calendar and the emergency switch (schemas in calendar/schema.ts)

export const InboundKind = z.enum(['x.mention', 'x.reply', 'x.dm', 'facebook.post', 'facebook.comment', 'facebook.reply', 'messenger.message']);

export const CalendarView = z.strictObject({ calendar: CalendarConfig, emergency: EmergencyState });
export type CalendarView = z.infer<typeof CalendarView>;

/** What the desk would do with a message at a moment: the "what happens at ..." tester. */
export const DeskDecisionView = z.strictObject({
  at: EpochMs,
  state: z.enum(['open', 'closed']),
  reason: z.enum(['emergency', 'special-day', 'outside-hours']).nullable(),
  /** When the desk reopens (null: open now, or not within a year, or while emergency is on). */
  reopensAt: EpochMs.nullable(),
  /** The reopening as a customer would read it, in the desk's zone. */
  reopens: z.string().nullable(),
  specialDay: z.string().nullable(),
  answer: z.strictObject({ visibility: Visibility, text: z.string() }).nullable(),
  /** One or two sentences: what happens and why. */
  explanation: z.string(),
});
export type DeskDecisionView = z.infer<typeof DeskDecisionView>;

// ---------------------------------------------------------------------------------------------
// Commands

const Empty = z.strictObject({});

interface CommandSpec {
  readonly summary: string;
  readonly input: z.ZodType;
  readonly output: z.ZodType;
}

export const commands = {
  getStatus: {
    summary: 'The desk at a glance: name, zone, network (sandbox or live), open/closed/emergency, store.',
    input: Empty,
    output: DeskStatus,
  },
  getSettings: {
    summary: 'The desk-wide settings.',
    input: Empty,
    output: Settings,
  },
  updateSettings: {
    summary: 'Change some settings; the whole result is validated before anything is saved, and the change is audited.',
    input: Settings.partial().refine((patch) => Object.keys(patch).length > 0, {
      message: 'names no setting to change',
    }),
    output: Settings,
  },
  searchContacts: {
    summary: 'Contacts whose name or platform handle contains the query (case- and accent-insensitive), most recently active first.',
    input: z.strictObject({
      query: z.string().trim().max(100, 'is longer than 100 characters'),
      limit: Limit(100, 25),
    }),
    output: z.strictObject({ contacts: z.array(ContactSummary) }),
  },
  getContactHistory: {
    summary: "One contact with every message to and from them across platforms, newest first, a page at a time.",
    input: z.strictObject({
      contactId: Id,
      before: PageCursor.optional(),
      limit: Limit(200, 50),
    }),
    output: z.strictObject({
      contact: ContactSummary,
      messages: z.array(Message),
      nextCursor: PageCursor.nullable(),
    }),
  },
  readAuditLog: {
    summary: 'Who changed what and when, newest first, a page at a time; optionally only one action.',
    input: z.strictObject({
      before: PageCursor.optional(),
      action: z.string().max(80).optional(),
      limit: Limit(200, 50),
    }),
    output: z.strictObject({ entries: z.array(AuditEntry), nextCursor: PageCursor.nullable() }),
  },
  readFeed: {
    summary: 'The monitoring feed: messages as they arrived, newest first, optionally one platform, some kinds, or containing a text.',
    input: z.strictObject({
      platform: Platform.optional(),
      kinds: z.array(MessageKind).max(8).optional(),
      text: z.string().trim().max(100, 'is longer than 100 characters').optional(),
      before: PageCursor.optional(),
      limit: Limit(500, 200),
    }),
    output: z.strictObject({ items: z.array(FeedItem), nextCursor: PageCursor.nullable() }),
  },
  mergeContacts: {
    summary: 'Links two contacts that are the same person: the second one\'s identities and history move to the first, and later messages from either identity land there. Audited.',
    input: z
      .strictObject({ keepContactId: Id, mergeContactId: Id })
      .refine((ids) => ids.keepContactId !== ids.mergeContactId, { message: 'cannot merge a contact into itself' }),
    output: ContactSummary,
  },
  getConnectors: {
    summary: 'Each connector: running, backing off (until when, why), stopped on an auth error, budget used, bad payloads skipped.',
    input: Empty,
    output: z.strictObject({ connectors: z.array(ConnectorStatus) }),
  },
  getAccounts: {
    summary: 'The X and Facebook accounts the desk watches (never their secrets), and whether the sandbox stands in for them.',
    input: Empty,
    output: z.strictObject({ accounts: z.array(AccountView) }),
  },
  saveXAccount: {
    summary: 'Stores the X credentials in the keychain (server mode: a 0600 file) and reconnects. Audited without the secrets.',
    input: XAccountInput,
    output: AccountView,
  },
  saveFacebookAccount: {
    summary: 'Stores the Facebook Page id and token (the token in the keychain) and reconnects. Audited without the secret.',
    input: FacebookAccountInput,
    output: AccountView,
  },
  removeAccount: {
    summary: 'Forgets an account and its secrets; with no account left the desk returns to the sandbox.',
    input: z.strictObject({ platform: z.enum(['x', 'facebook']) }),
    output: AccountView,
  },
  testConnection: {
    summary: 'Asks the platform who the configured account is, and says plainly what failed if it cannot.',
    input: z.strictObject({ platform: z.enum(['x', 'facebook']) }),
    output: z.strictObject({ ok: z.boolean(), identity: z.string().nullable(), detail: z.string() }),
  },
  getCalendar: {
    summary: 'The business calendar (zone, weekly hours, special days, answer templates) and the emergency switch.',
    input: Empty,
    output: CalendarView,
  },
  saveCalendar: {
    summary: 'Replaces the calendar after checking all of it (overlapping or empty ranges, impossible times and dates, templates too long once filled); refused whole with the reasons, otherwise audited.',
    input: z.strictObject({ calendar: z.unknown() }),
    output: CalendarView,
  },
  previewIcs: {
    summary: 'Reads an iCal (.ics) file of holidays and shows the special days it would add (nothing is saved).',
    input: z.strictObject({ text: z.string().max(2_000_000, 'is larger than 2 MB') }),
    output: z.strictObject({ added: z.array(SpecialDay), skipped: z.array(z.string()), warnings: z.array(z.string()) }),
  },
  setEmergency: {
    summary: 'Switches emergency mode on or off (with the message customers get); audited with who and when.',
    input: z.strictObject({ on: z.boolean(), message: z.string().trim().max(1000, 'is longer than 1000 characters').optional() }),
    output: EmergencyState,
  },
  whatHappensAt: {
    summary: 'What the desk would do with a message on a channel at a moment: open or closed, why, when it reopens, and the answer it would send.',
    input: z.strictObject({ at: EpochMs, kind: InboundKind, contactName: z.string().max(100).optional() }),
    output: DeskDecisionView,
  },
  listOutbox: {
    summary: 'Everything the desk sends or did: pending, retrying (next try, last error), sent, failed (why), cancelled; newest first.',
    input: OutboxListInput,
    output: OutboxPage,
  },
  retryOutboxItem: {
    summary: 'Try a waiting item now, or a failed one again with a fresh deadline. Audited.',
    input: z.strictObject({ id: Id }),
    output: OutboxItem,
  },
  cancelOutboxItem: {
    summary: 'Cancel an item that has not been sent (pending or retrying). Audited.',
    input: z.strictObject({ id: Id }),
    output: OutboxItem,
  },
} as const satisfies Record<string, CommandSpec>;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
/** What a caller sends (defaults may be left out). */
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>;
/** What a handler receives once defaults are applied. */
export type CommandArgs<N extends CommandName> = z.output<Commands[N]['input']>;
export type CommandOutput<N extends CommandName> = z.output<Commands[N]['output']>;

export const commandNames = Object.keys(commands) as CommandName[];

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commands, name);
}

// ---------------------------------------------------------------------------------------------
// Events the core pushes. They travel in batches: the core coalesces them so that a storm of
// messages becomes a few sends a second, not one per message.

export const events = {
  statusChanged: { summary: 'The desk status changed (settings, network, open/closed/emergency).', payload: DeskStatus },
  settingsChanged: { summary: 'Settings were saved.', payload: Settings },
  auditAppended: { summary: 'An entry was written to the audit log.', payload: AuditEntry },
  feedAppended: { summary: 'New messages reached the contact history (in arrival order).', payload: z.strictObject({ items: z.array(FeedItem) }) },
  connectorChanged: { summary: 'A connector changed state, polled, or counted something.', payload: ConnectorStatus },
  interactionsChanged: {
    summary: 'Interactions moved to another state (the calendar gate, routing, an agent).',
    payload: z.strictObject({ changes: z.array(z.strictObject({ interactionId: Id, state: InteractionState })) }),
  },
  outboxChanged: { summary: 'An outbox item changed state (queued, sending, sent, retrying, failed, cancelled).', payload: OutboxItem },
  calendarChanged: { summary: 'The calendar or the emergency switch changed.', payload: CalendarView },
  contactsMerged: { summary: 'Two contacts became one.', payload: z.strictObject({ kept: ContactSummary, mergedContactId: Id }) },
} as const satisfies Record<string, { summary: string; payload: z.ZodType }>;

export type Events = typeof events;
export type EventName = keyof Events;
export type DeskEvent = { [N in EventName]: { type: N; payload: z.output<Events[N]['payload']> } }[EventName];
export const eventNames = Object.keys(events) as EventName[];

const eventSchemas = eventNames.map((name) =>
  z.strictObject({ type: z.literal(name), payload: events[name].payload }),
);
export const DeskEventSchema = z.union(eventSchemas) as unknown as z.ZodType<DeskEvent>;
export const EventBatch = z.strictObject({ events: z.array(DeskEventSchema) });
export type EventBatch = z.infer<typeof EventBatch>;

// ---------------------------------------------------------------------------------------------
// Results and errors

export const ErrorCode = z.enum([
  'bad_input', // the request does not match the command's schema
  'unknown_command',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'unavailable', // the desk is starting or stopping
  'internal', // a bug: the message is generic, the details go to the log
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const DeskError = z.strictObject({ code: ErrorCode, message: z.string() });
export type DeskError = z.infer<typeof DeskError>;

export type DeskResult<T> = { ok: true; value: T } | { ok: false; error: DeskError };

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.union([z.strictObject({ ok: z.literal(true), value }), z.strictObject({ ok: z.literal(false), error: DeskError })]);
}

/** A failure the core raises on purpose; it crosses the boundary as `{ ok: false, error }`. */
export class DeskFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DeskFailure';
  }
}

/** Turns a zod error into one sentence a person can act on. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : 'input';
      return `${where} ${issue.message.replace(/^Invalid input: /, '').replace(/^./, (c) => c.toLowerCase())}`;
    })
    .join('; ');
}

/** Validates a command's input; the error message names the field and the problem. */
export function parseCommandInput<N extends CommandName>(name: N, raw: unknown): DeskResult<CommandArgs<N>> {
  const parsed = commands[name].input.safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, error: { code: 'bad_input', message: `${name}: ${describeIssues(parsed.error)}` } };
  return { ok: true, value: parsed.data as CommandArgs<N> };
}

// ---------------------------------------------------------------------------------------------
// Transport constants, shared by main.ts, preload.ts, server.ts and the renderer's client.

export const transport = {
  ipcCallChannel: 'desk:call',
  ipcEventsChannel: 'desk:events',
  httpCommandPrefix: '/api/',
  webSocketPath: '/api/events',
  /** Browsers cannot set headers on a WebSocket, so the token rides in the subprotocol list. */
  webSocketProtocol: 'desk-events.v1',
  webSocketTokenPrefix: 'bearer.',
  /** Longest JSON body a command may carry. */
  maxRequestBytes: 1_000_000,
} as const;
