/**
 * X API v2 payloads -> the desk's inbound message shape. Pure functions over zod schemas that
 * name only the fields the desk uses; anything else in the payload is ignored. A payload that
 * cannot become a message (missing id, author or text, wrong types, text beyond what the desk
 * stores) comes back as `{ error }` with a reason that names no message text and no secret.
 */
import { z } from 'zod';
import { describeIssues } from '../contract';
import { MAX_TEXT_LENGTH, type InboundMessageInput } from '../ingest/inbound';
import { snowflakeTime } from './cursors';

export type Normalized = InboundMessageInput | { error: string };

export function isNormalizeError(value: Normalized): value is { error: string } {
  return 'error' in value;
}

const Snowflake = z.string().regex(/^[0-9]{1,20}$/, 'is not an X id');

/** An entry of `includes.users` (user.fields=name,username). */
export const XUserPayload = z.object({
  id: Snowflake,
  name: z.string().optional(),
  username: z.string().optional(),
});
export type XUserPayload = z.infer<typeof XUserPayload>;

/** A post (tweet.fields=created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,lang,note_tweet). */
export const XTweetPayload = z.object({
  id: Snowflake,
  text: z.string(),
  author_id: Snowflake,
  created_at: z.string().optional(),
  conversation_id: Snowflake.optional(),
  in_reply_to_user_id: Snowflake.optional(),
  referenced_tweets: z.array(z.object({ type: z.string(), id: Snowflake })).optional(),
  lang: z.string().optional(),
  /** Posts longer than 280 characters: `text` is cut, the whole text is here. */
  note_tweet: z.object({ text: z.string() }).optional(),
});
export type XTweetPayload = z.infer<typeof XTweetPayload>;

/** A DM event (dm_event.fields=id,event_type,text,sender_id,dm_conversation_id,created_at). */
export const XDmEventPayload = z.object({
  id: Snowflake,
  event_type: z.string().optional(),
  text: z.string(),
  sender_id: Snowflake,
  dm_conversation_id: z.string().min(1).max(200).optional(),
  created_at: z.string().optional(),
});
export type XDmEventPayload = z.infer<typeof XDmEventPayload>;

export interface XAuthor {
  handle: string | null;
  name: string | null;
}

export interface XContext {
  /** The desk's own X user id: its posts and DMs are not inbound. */
  selfId: string;
  /** Authors from `includes.users`, by id. */
  users: ReadonlyMap<string, XAuthor>;
}

// ---------------------------------------------------------------------------------------------
// Shared cleaning

/** C0/C1 controls, bidi embeddings, overrides and isolates: in a name they only disguise it. */
function isNameControl(codePoint: number): boolean {
  return codePoint <= 0x1f || (codePoint >= 0x7f && codePoint <= 0x9f) || (codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069);
}
const HANDLE = /^[A-Za-z0-9_]{1,50}$/;
const LABEL_MAX = 200;

/** A display name as a label: controls and bidi overrides dropped, at most 200 characters. */
export function cleanName(name: string | undefined | null): string | null {
  if (typeof name !== 'string') return null;
  const cleaned = Array.from(name)
    .filter((ch) => !isNameControl(ch.codePointAt(0) ?? 0))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  if (cleaned === '') return null;
  // At most 200 UTF-16 units (ingest's limit) without cutting a surrogate pair in half.
  let out = '';
  for (const ch of cleaned) {
    if (out.length + ch.length > LABEL_MAX) break;
    out += ch;
  }
  return out;
}

/** An X username, or null when it is not one (it is matched, shown and searched as is). */
export function cleanHandle(username: string | undefined | null): string | null {
  if (typeof username !== 'string') return null;
  return HANDLE.test(username) ? username : null;
}

/** Message text as stored: NUL characters replaced (lone surrogates are fixed by ingest). */
export function cleanText(text: string): string | { error: string } {
  if (text.length > MAX_TEXT_LENGTH) {
    return { error: `its text is ${text.length.toLocaleString('en-US')} characters long, more than the ${MAX_TEXT_LENGTH.toLocaleString('en-US')} the desk stores` };
  }
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

const EARLIEST = Date.UTC(2006, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

/** X's ISO 8601 times ("2026-11-25T10:29:26.095Z"). */
export function parseXTime(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= EARLIEST && ms < LATEST ? ms : null;
}

function idOf(raw: unknown): string | null {
  if (typeof raw === 'object' && raw !== null && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'string') return id.slice(0, 40);
    if (typeof id === 'number') return String(id);
  }
  return null;
}

function reason(what: string, raw: unknown, error: z.ZodError): string {
  const id = idOf(raw);
  return `${what}${id ? ` ${id}` : ''} is malformed: ${describeIssues(error)}`;
}

/** `includes.users` as a map; a malformed entry is left out (its posts keep an author id). */
export function usersById(includes: unknown): Map<string, XAuthor> {
  const users = new Map<string, XAuthor>();
  if (typeof includes !== 'object' || includes === null) return users;
  const list = (includes as { users?: unknown }).users;
  if (!Array.isArray(list)) return users;
  for (const item of list) {
    const parsed = XUserPayload.safeParse(item);
    if (parsed.success) users.set(parsed.data.id, { handle: cleanHandle(parsed.data.username), name: cleanName(parsed.data.name) });
  }
  return users;
}

function author(id: string, ctx: XContext): InboundMessageInput['author'] {
  const known = ctx.users.get(id);
  return { platformUserId: id, handle: known?.handle ?? null, name: known?.name ?? null };
}

function lang(value: string | undefined): string | null {
  return value !== undefined && /^[A-Za-z-]{1,16}$/.test(value) ? value : null;
}

// ---------------------------------------------------------------------------------------------

/**
 * A post from the mentions timeline or the filtered stream. A reply to the desk (its
 * in_reply_to_user_id is the desk) is `x.reply`; anything else that names the desk is
 * `x.mention`. The desk's own posts normalize too (author = selfId): the caller skips them.
 */
export function normalizeTweet(raw: unknown, ctx: XContext): Normalized {
  const parsed = XTweetPayload.safeParse(raw);
  if (!parsed.success) return { error: reason('post', raw, parsed.error) };
  const t = parsed.data;
  const text = cleanText(t.note_tweet?.text ?? t.text);
  if (typeof text !== 'string') return { error: `post ${t.id}: ${text.error}` };
  let createdAt: number | null;
  if (t.created_at !== undefined) {
    createdAt = parseXTime(t.created_at);
    if (createdAt === null) return { error: `post ${t.id} has an unreadable created_at` };
  } else createdAt = snowflakeTime(t.id);
  const repliedTo = t.referenced_tweets?.find((r) => r.type === 'replied_to')?.id ?? null;
  const isReply = t.in_reply_to_user_id === ctx.selfId;
  return {
    kind: isReply ? 'x.reply' : 'x.mention',
    externalId: t.id,
    author: author(t.author_id, ctx),
    text,
    createdAt,
    conversationRef: t.conversation_id ?? t.id,
    inReplyToExternalId: repliedTo,
    lang: lang(t.lang),
  };
}

/** A direct message event. The desk's own DMs normalize too (author = selfId): the caller skips them. */
export function normalizeDm(raw: unknown, ctx: XContext): Normalized {
  const parsed = XDmEventPayload.safeParse(raw);
  if (!parsed.success) return { error: reason('direct message', raw, parsed.error) };
  const e = parsed.data;
  if (e.event_type !== undefined && e.event_type !== 'MessageCreate') return { error: `direct message ${e.id} is a ${e.event_type.slice(0, 40)} event, not a message` };
  const text = cleanText(e.text);
  if (typeof text !== 'string') return { error: `direct message ${e.id}: ${text.error}` };
  let createdAt: number | null;
  if (e.created_at !== undefined) {
    createdAt = parseXTime(e.created_at);
    if (createdAt === null) return { error: `direct message ${e.id} has an unreadable created_at` };
  } else createdAt = snowflakeTime(e.id);
  return {
    kind: 'x.dm',
    externalId: e.id,
    author: author(e.sender_id, ctx),
    text,
    createdAt,
    conversationRef: e.dm_conversation_id ?? null,
    inReplyToExternalId: null,
    lang: null,
  };
}

/** The id of a payload when it has one (to move a cursor past a payload that failed). */
export function payloadId(raw: unknown): string | null {
  const id = idOf(raw);
  return id !== null && /^[0-9]{1,20}$/.test(id) ? id : null;
}
