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
import { OutboxItem, OutboxListInput, OutboxPage } from './outbox/actions';
import { AccountView, AuditEntry, CalendarView, ConnectorStatus, ContactSummary, DeskDecisionView, DeskStatus, EpochMs, Empty, FacebookAccountInput, FeedItem, Id, InboundKind, InteractionState, Limit, Message, MessageKind, PageCursor, Platform, Settings, XAccountInput, type CommandSpec, type EventSpec } from './api/words';
import { EmergencyState, SpecialDay } from './calendar/schema';
import { rulesCommands, rulesEvents } from './api/rules';
import { routingCommands, routingEvents } from './api/routing';
import { agentDeskCommands, agentDeskEvents } from './api/agent-desk';
import { reportsCommands, reportsEvents } from './api/reports';

export * from './api/words';
export * from './api/rules';
export * from './api/routing';
export * from './api/agent-desk';
export * from './api/reports';
export { CalendarConfig, EmergencyState, SpecialDay } from './calendar/schema';
export type { CalendarConfigInput } from './calendar/schema';
export { OutboxItem, OutboxPage, OutboxAction, OutboxActionKind, OutboxState } from './outbox/actions';

// ---------------------------------------------------------------------------------------------
// Commands

/** The desk's own commands: status, settings, contacts, feed, connectors, accounts, calendar, outbox. */
export const deskCommands = {
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

/** Every command, one table: each area of the desk declares its own in api/*.ts. */
export const commands = {
  ...deskCommands,
  ...rulesCommands,
  ...routingCommands,
  ...agentDeskCommands,
  ...reportsCommands,
} as const;

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

const deskEvents = {
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
} as const satisfies Record<string, EventSpec>;

export const events = {
  ...deskEvents,
  ...rulesEvents,
  ...routingEvents,
  ...agentDeskEvents,
  ...reportsEvents,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type DeskEvent = { [N in EventName]: { type: N; payload: z.output<Events[N]['payload']> } }[EventName];
export const eventNames = Object.keys(events) as EventName[];

const eventSchemas = eventNames.map((name) =>
  z.strictObject({ type: z.literal(name), payload: events[name].payload }),
);
// Discriminated by `type`: a storm of events is checked one schema per event, not tried against each in turn.
export const DeskEventSchema = z.discriminatedUnion('type', eventSchemas as unknown as [(typeof eventSchemas)[number], ...(typeof eventSchemas)[number][]]) as unknown as z.ZodType<DeskEvent>;
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
