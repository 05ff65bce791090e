/**
 * The desk's words as runtime schemas: the shapes every part of the contract shares (platforms,
 * message kinds, ids, instants, settings, contacts, the feed, connectors, accounts, the calendar
 * views). zod only: no Node, no DOM. The command and event tables import from here, and
 * `contract.ts` re-exports all of it, so the console still imports only the contract.
 */
import { z } from 'zod';
import { CalendarConfig, EmergencyState } from '../calendar/schema';

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
  /** How long an agent has to accept offered work before it goes back to the front of its queue. */
  offerTimeoutSeconds: z.number().int().min(15, 'must be at least 15 seconds').max(3600, 'is more than an hour (3600 seconds)'),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  deskName: 'Social Care Desk',
  timeZone: 'UTC',
  timeFormat: '24h',
  backfillHours: 24,
  xStream: false,
  offerTimeoutSeconds: 60,
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

export const Limit = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback);

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
// What every command table (contract.ts, api/*.ts) is made of

export const Empty = z.strictObject({});

export interface CommandSpec {
  readonly summary: string;
  readonly input: z.ZodType;
  readonly output: z.ZodType;
}

export interface EventSpec {
  readonly summary: string;
  readonly payload: z.ZodType;
}
