/** Reading interactions for the console: the waiting list's lines and one interaction whole. */
import type { InteractionState, Message, MessageKind, Platform } from '../contract';
import type { Sql } from './db';

export interface InteractionSummary {
  interactionId: number;
  contactId: number;
  contactName: string;
  platform: Platform;
  kind: MessageKind;
  text: string;
}

export async function interactionSummaries(sql: Sql, ids: readonly number[]): Promise<Map<number, InteractionSummary>> {
  const found = new Map<number, InteractionSummary>();
  if (ids.length === 0) return found;
  const rows = await sql.all<{ id: number; contact_id: number; display_name: string; platform: Platform; kind: MessageKind; text: string }>(
    `SELECT i.id, i.contact_id, c.display_name, m.platform, m.kind, m.text
     FROM interactions i JOIN messages m ON m.id = i.message_id JOIN contacts c ON c.id = i.contact_id
     WHERE i.id IN (${ids.map(() => '?').join(',')})`,
    [...ids],
  );
  for (const row of rows) found.set(row.id, { interactionId: row.id, contactId: row.contact_id, contactName: row.display_name, platform: row.platform, kind: row.kind, text: row.text });
  return found;
}

export interface InteractionRecord {
  id: number;
  state: InteractionState;
  createdAt: number;
  contact: { id: number; displayName: string };
  message: Message;
}

export async function interactionRecord(sql: Sql, id: number): Promise<InteractionRecord | null> {
  const row = await sql.get<{
    id: number;
    state: InteractionState;
    created_at: number;
    contact_id: number;
    display_name: string;
    message_id: number;
    m_contact_id: number;
    platform: Platform;
    external_id: string;
    kind: MessageKind;
    direction: 'inbound' | 'outbound';
    visibility: 'public' | 'private';
    text: string;
    m_created_at: number;
  }>(
    `SELECT i.id, i.state, i.created_at, i.contact_id, c.display_name, m.id AS message_id, m.contact_id AS m_contact_id, m.platform, m.external_id,
            m.kind, m.direction, m.visibility, m.text, m.created_at AS m_created_at
     FROM interactions i JOIN messages m ON m.id = i.message_id JOIN contacts c ON c.id = i.contact_id
     WHERE i.id = ?`,
    [id],
  );
  if (!row) return null;
  return {
    id: row.id,
    state: row.state,
    createdAt: row.created_at,
    contact: { id: row.contact_id, displayName: row.display_name },
    message: {
      id: row.message_id,
      contactId: row.m_contact_id,
      platform: row.platform,
      externalId: row.external_id,
      kind: row.kind,
      direction: row.direction,
      visibility: row.visibility,
      text: row.text,
      createdAt: row.m_created_at,
      interactionState: row.state,
    },
  };
}

/** Outbox items of the desk's automatic sends (auto-like, auto-reply), newest first. */
export function autoActionIds(sql: Sql, before: number | null, limit: number): Promise<{ id: number; message_text: string | null; rule_decision: string | null }[]> {
  return sql.all(
    `SELECT o.id, m.text AS message_text, i.rule_decision
     FROM outbox o LEFT JOIN interactions i ON i.id = o.interaction_id LEFT JOIN messages m ON m.id = i.message_id
     WHERE o.origin IN ('auto-like', 'auto-reply') ${before !== null ? 'AND o.id < ?' : ''}
     ORDER BY o.id DESC LIMIT ?`,
    before !== null ? [before, limit] : [limit],
  );
}

/** Messenger conversations an agent holds now (an open assignment): the live chats (R18). */
export async function openMessengerChats(sql: Sql): Promise<string[]> {
  const rows = await sql.all<{ ref: string }>(
    `SELECT DISTINCT m.conversation_ref AS ref FROM assignments a JOIN interactions i ON i.id = a.interaction_id JOIN messages m ON m.id = i.message_id
     WHERE a.ended_at IS NULL AND m.platform = 'messenger' AND m.conversation_ref IS NOT NULL`,
  );
  return rows.map((row) => row.ref);
}

/** How many interactions are in a state, and since when the oldest. */
export async function countInState(sql: Sql, state: InteractionState): Promise<{ count: number; oldestAt: number | null }> {
  const row = await sql.get<{ n: number; oldest: number | null }>('SELECT count(*) AS n, min(created_at) AS oldest FROM interactions WHERE state = ?', [state]);
  return { count: row?.n ?? 0, oldestAt: row?.oldest ?? null };
}
