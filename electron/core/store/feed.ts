/** The monitoring feed: messages in the order they reached the desk, with who sent them. */
import type { FeedItem, MessageKind, Platform } from '../contract';
import type { Sql } from './db';
import { decodeCursor, encodeCursor } from './paging';
import { escapeLike } from './text';

interface FeedRow {
  id: number;
  interaction_id: number | null;
  contact_id: number;
  display_name: string;
  handle: string | null;
  platform: Platform;
  kind: MessageKind;
  direction: FeedItem['direction'];
  visibility: FeedItem['visibility'];
  text: string;
  created_at: number;
  received_at: number;
  state: FeedItem['interactionState'];
}

const FEED_SELECT = `
  SELECT m.id, i.id AS interaction_id, m.contact_id, c.display_name, m.platform, m.kind, m.direction, m.visibility,
         m.text, m.created_at, m.received_at, i.state,
         (SELECT ci.handle FROM contact_identities ci WHERE ci.contact_id = m.contact_id AND ci.platform = m.platform LIMIT 1) AS handle
  FROM messages m
  JOIN contacts c ON c.id = m.contact_id
  LEFT JOIN interactions i ON i.message_id = m.id`;

function toItem(row: FeedRow): FeedItem {
  return {
    messageId: row.id,
    interactionId: row.interaction_id,
    contactId: row.contact_id,
    contactName: row.display_name,
    handle: row.handle,
    platform: row.platform,
    kind: row.kind,
    direction: row.direction,
    visibility: row.visibility,
    text: row.text,
    createdAt: row.created_at,
    interactionState: row.state,
  };
}

export interface FeedQuery {
  platform?: Platform | undefined;
  kinds?: readonly MessageKind[] | undefined;
  text?: string | undefined;
  before?: string | undefined;
  limit: number;
}

/** Newest arrivals first, by message id (arrival order), with keyset paging. */
export async function readFeed(sql: Sql, query: FeedQuery): Promise<{ items: FeedItem[]; nextCursor: string | null }> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (query.before !== undefined) {
    where.push('m.id < ?');
    params.push(decodeCursor(query.before).id);
  }
  if (query.platform !== undefined) {
    where.push('m.platform = ?');
    params.push(query.platform);
  }
  if (query.kinds !== undefined && query.kinds.length > 0) {
    where.push(`m.kind IN (${query.kinds.map(() => '?').join(', ')})`);
    params.push(...query.kinds);
  }
  if (query.text !== undefined && query.text !== '') {
    where.push("m.text LIKE ? ESCAPE '\\'");
    params.push(`%${escapeLike(query.text)}%`);
  }
  const rows = await sql.all<FeedRow>(`${FEED_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY m.id DESC LIMIT ?`, [...params, query.limit + 1]);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { items: page.map(toItem), nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.received_at, id: last.id }) : null };
}

/** Feed items for messages just stored (to push to the console). */
export async function feedItems(sql: Sql, messageIds: readonly number[]): Promise<FeedItem[]> {
  if (messageIds.length === 0) return [];
  const rows = await sql.all<FeedRow>(`${FEED_SELECT} WHERE m.id IN (SELECT value FROM json_each(?)) ORDER BY m.id`, [JSON.stringify(messageIds)]);
  return rows.map(toItem);
}
