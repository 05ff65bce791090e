/**
 * Facebook Graph payloads (Page feed posts, comments, Messenger messages) -> the desk's inbound
 * message shape. Only the fields the desk asks for are named; a payload that cannot become a
 * message comes back as `{ error }` with a reason (no message text, no token).
 */
import { z } from 'zod';
import { describeIssues } from '../contract';
import { cleanName, cleanText, type Normalized } from './normalize-x';

export type { Normalized } from './normalize-x';
export { isNormalizeError } from './normalize-x';

const GraphId = z.string().regex(/^[A-Za-z0-9_:.-]{1,200}$/, 'is not a Graph id');
const GraphTimeText = z.string();

const From = z.object({ id: GraphId, name: z.string().optional() });

/** A Page feed item (fields=id,message,created_time,updated_time,from{id,name},permalink_url). */
export const GraphPostPayload = z.object({
  id: GraphId,
  message: z.string().optional(),
  created_time: GraphTimeText,
  updated_time: GraphTimeText.optional(),
  from: From.optional(),
  permalink_url: z.string().optional(),
});
export type GraphPostPayload = z.infer<typeof GraphPostPayload>;

/** A comment (fields=id,message,created_time,from{id,name},parent{id}). */
export const GraphCommentPayload = z.object({
  id: GraphId,
  message: z.string().optional(),
  created_time: GraphTimeText,
  from: From.optional(),
  parent: z.object({ id: GraphId }).optional(),
});
export type GraphCommentPayload = z.infer<typeof GraphCommentPayload>;

/** A Messenger message (fields=id,message,from,created_time). */
export const GraphMessagePayload = z.object({
  id: GraphId,
  message: z.string().optional(),
  created_time: GraphTimeText,
  from: From.optional(),
});
export type GraphMessagePayload = z.infer<typeof GraphMessagePayload>;

const EARLIEST = Date.UTC(2004, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

/** Graph's times: "2025-03-22T18:20:04+0000" (also accepts "+00:00", "Z" and fractions). */
export function parseGraphTime(value: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})$/.exec(value);
  if (!m) return null;
  const zone = m[2] === 'Z' ? 'Z' : `${m[2]!.slice(0, 3)}:${m[2]!.slice(-2)}`;
  const ms = Date.parse(`${m[1]}${zone}`);
  return Number.isFinite(ms) && ms >= EARLIEST && ms < LATEST ? ms : null;
}

/** Text for an item that has none (a photo, a sticker, a shared link). */
export const NO_TEXT = '[no text: a photo, sticker or link; open it on Facebook to see it]';

function graphId(raw: unknown): string | null {
  if (typeof raw === 'object' && raw !== null && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return String(id).slice(0, 80);
  }
  return null;
}

function malformed(what: string, raw: unknown, error: z.ZodError): { error: string } {
  const id = graphId(raw);
  return { error: `${what}${id ? ` ${id}` : ''} is malformed: ${describeIssues(error)}` };
}

function textOf(what: string, id: string, message: string | undefined): string | { error: string } {
  if (message === undefined || message.trim() === '') return NO_TEXT;
  const text = cleanText(message);
  return typeof text === 'string' ? text : { error: `${what} ${id}: ${text.error}` };
}

function timeOf(what: string, id: string, value: string): number | { error: string } {
  const ms = parseGraphTime(value);
  return ms === null ? { error: `${what} ${id} has an unreadable created_time` } : ms;
}

export interface PageContext {
  pageId: string;
}

/** Is this payload by the Page itself (its own posts, comments and Messenger replies)? */
export function isFromPage(raw: unknown, pageId: string): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const from = (raw as { from?: unknown }).from;
  return typeof from === 'object' && from !== null && (from as { id?: unknown }).id === pageId;
}

/** A visitor's post on the Page's feed -> facebook.post. */
export function normalizePost(raw: unknown, _ctx: PageContext): Normalized {
  const parsed = GraphPostPayload.safeParse(raw);
  if (!parsed.success) return malformed('post', raw, parsed.error);
  const p = parsed.data;
  if (!p.from) return { error: `post ${p.id} has no author (from); the Page token may lack pages_read_user_content` };
  const text = textOf('post', p.id, p.message);
  if (typeof text !== 'string') return text;
  const createdAt = timeOf('post', p.id, p.created_time);
  if (typeof createdAt !== 'number') return createdAt;
  return {
    kind: 'facebook.post',
    externalId: p.id,
    author: { platformUserId: p.from.id, handle: null, name: cleanName(p.from.name) },
    text,
    createdAt,
    conversationRef: p.id,
    inReplyToExternalId: null,
    lang: null,
  };
}

/** A comment on a Page post -> facebook.comment, or facebook.reply when it answers a comment. */
export function normalizeComment(raw: unknown, ctx: PageContext & { postId: string }): Normalized {
  const parsed = GraphCommentPayload.safeParse(raw);
  if (!parsed.success) return malformed('comment', raw, parsed.error);
  const c = parsed.data;
  if (!c.from) return { error: `comment ${c.id} has no author (from); the Page token may lack pages_read_user_content` };
  const text = textOf('comment', c.id, c.message);
  if (typeof text !== 'string') return text;
  const createdAt = timeOf('comment', c.id, c.created_time);
  if (typeof createdAt !== 'number') return createdAt;
  return {
    kind: c.parent ? 'facebook.reply' : 'facebook.comment',
    externalId: c.id,
    author: { platformUserId: c.from.id, handle: null, name: cleanName(c.from.name) },
    text,
    createdAt,
    conversationRef: ctx.postId,
    inReplyToExternalId: c.parent ? c.parent.id : ctx.postId,
    lang: null,
  };
}

/** A customer's Messenger message -> messenger.message (author: the page-scoped id and name). */
export function normalizeMessengerMessage(raw: unknown, ctx: PageContext & { conversationId: string }): Normalized {
  const parsed = GraphMessagePayload.safeParse(raw);
  if (!parsed.success) return malformed('Messenger message', raw, parsed.error);
  const m = parsed.data;
  if (!m.from) return { error: `Messenger message ${m.id} has no sender (from)` };
  const text = textOf('Messenger message', m.id, m.message);
  if (typeof text !== 'string') return text;
  const createdAt = timeOf('Messenger message', m.id, m.created_time);
  if (typeof createdAt !== 'number') return createdAt;
  return {
    kind: 'messenger.message',
    externalId: m.id,
    author: { platformUserId: m.from.id, handle: null, name: cleanName(m.from.name) },
    text,
    createdAt,
    conversationRef: ctx.conversationId,
    inReplyToExternalId: null,
    lang: null,
  };
}

/** The id and created time of any Graph item, for cursors (null when it has neither). */
export function itemPosition(raw: unknown): { id: string; t: number } | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { id, created_time: created } = raw as { id?: unknown; created_time?: unknown };
  if (typeof id !== 'string' || typeof created !== 'string') return null;
  const t = parseGraphTime(created);
  return t === null ? null : { id, t };
}

