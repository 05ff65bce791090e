/** Messages, inbound and outbound, each under its contact. */
import type { Message, MessageKind, Platform } from '../contract';
import { insertWithIds, type Sql, type SqlValue } from './db';
import { decodeCursor, encodeCursor } from './paging';

export interface NewMessage {
  platform: Platform;
  externalId: string;
  contactId: number;
  kind: MessageKind;
  direction: 'inbound' | 'outbound';
  visibility: 'public' | 'private';
  text: string;
  conversationRef: string | null;
  inReplyToExternalId: string | null;
  createdAt: number;
  receivedAt: number;
  /** The platform's language code, when it gives one (the rules' sentiment reads it). */
  lang?: string | null;
}

/**
 * Stores messages in as few statements as possible; one already stored (same platform and
 * external id) is skipped, which is what makes redelivery after a crash harmless.
 * Returns how many were new.
 */
export function insertMessages(sql: Sql, messages: readonly NewMessage[]): Promise<number> {
  return sql.insertMany('messages', MESSAGE_COLUMNS, messages.map(messageRow), { onConflict: 'ignore' });
}

/**
 * Stores messages known to be new (the caller checked, inside the same transaction) and returns
 * their ids in order, without reading them back. Must run inside a transaction.
 */
export function insertNewMessages(sql: Sql, messages: readonly NewMessage[]): Promise<number[]> {
  return insertWithIds(sql, 'messages', MESSAGE_COLUMNS, messages.map(messageRow));
}

const MESSAGE_COLUMNS = ['platform', 'external_id', 'contact_id', 'kind', 'direction', 'visibility', 'text', 'conversation_ref', 'in_reply_to_external_id', 'created_at', 'received_at', 'lang'];

function messageRow(m: NewMessage): SqlValue[] {
  return [m.platform, m.externalId, m.contactId, m.kind, m.direction, m.visibility, m.text, m.conversationRef, m.inReplyToExternalId, m.createdAt, m.receivedAt, m.lang ?? null];
}

interface MessageRow {
  id: number;
  contact_id: number;
  platform: Message['platform'];
  external_id: string;
  kind: Message['kind'];
  direction: Message['direction'];
  visibility: Message['visibility'];
  text: string;
  created_at: number;
  interaction_state: Message['interactionState'];
}

export interface HistoryPage {
  messages: Message[];
  nextCursor: string | null;
}

/** One contact's messages, newest first, by keyset so deep pages cost the same as the first. */
export async function contactHistory(sql: Sql, contactId: number, before: string | undefined, limit: number): Promise<HistoryPage> {
  const position = before === undefined ? null : decodeCursor(before);
  const rows = await sql.all<MessageRow>(
    `SELECT m.id, m.contact_id, m.platform, m.external_id, m.kind, m.direction, m.visibility, m.text, m.created_at,
            i.state AS interaction_state
     FROM messages m LEFT JOIN interactions i ON i.message_id = m.id
     WHERE m.contact_id = ? ${position ? 'AND (m.created_at < ? OR (m.created_at = ? AND m.id < ?))' : ''}
     ORDER BY m.created_at DESC, m.id DESC
     LIMIT ?`,
    position ? [contactId, position.at, position.at, position.id, limit + 1] : [contactId, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    messages: page.map((row) => ({
      id: row.id,
      contactId: row.contact_id,
      platform: row.platform,
      externalId: row.external_id,
      kind: row.kind,
      direction: row.direction,
      visibility: row.visibility,
      text: row.text,
      createdAt: row.created_at,
      interactionState: row.interaction_state,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.created_at, id: last.id }) : null,
  };
}

export interface MessageKey {
  platform: Platform;
  externalId: string;
}

export function messageKey(key: MessageKey): string {
  return `${key.platform}\u0000${key.externalId}`;
}

/** Which of these messages are stored already, and under which id (one statement). */
export async function findStoredMessages(sql: Sql, keys: readonly MessageKey[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (keys.length === 0) return found;
  const rows = await sql.all<{ id: number; platform: Platform; external_id: string }>(
    // Drive the lookup from the list so each key is one probe of the unique index.
    `SELECT m.id, m.platform, m.external_id FROM json_each(?) AS k
     JOIN messages m ON m.platform = k.value ->> 0 AND m.external_id = k.value ->> 1`,
    [JSON.stringify(keys.map((k) => [k.platform, k.externalId]))],
  );
  for (const row of rows) found.set(messageKey({ platform: row.platform, externalId: row.external_id }), row.id);
  return found;
}
