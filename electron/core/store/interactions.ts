/** Interactions: the desk's units of work, and the history of their states. */
import type { InteractionState, MessageKind, Platform } from '../contract';
import { insertWithIds, type Sql } from './db';

/**
 * Opens a `new` interaction for each message; returns their ids in order. The birth is not
 * written to the state history (it is the interaction's created_at): ingest is the hot path.
 */
export function openInteractions(sql: Sql, items: readonly { messageId: number; contactId: number }[], at: number): Promise<number[]> {
  return insertWithIds(sql, 'interactions', ['message_id', 'contact_id', 'state', 'created_at', 'updated_at'], items.map((item) => [item.messageId, item.contactId, 'new', at, at]));
}

/** Moves an interaction to another state, keeping the history; refuses if it is not in `from`. */
export async function moveInteraction(
  sql: Sql,
  change: { id: number; from: InteractionState; to: InteractionState; at: number; actor: string; reason: string | null },
): Promise<boolean> {
  const { changes } = await sql.run('UPDATE interactions SET state = ?, updated_at = ? WHERE id = ? AND state = ?', [change.to, change.at, change.id, change.from]);
  if (changes === 0) return false;
  await sql.run('INSERT INTO interaction_state_history (interaction_id, at, from_state, to_state, actor, reason) VALUES (?, ?, ?, ?, ?, ?)', [
    change.id,
    change.at,
    change.from,
    change.to,
    change.actor,
    change.reason,
  ]);
  return true;
}

export interface StateChange {
  at: number;
  fromState: InteractionState | null;
  toState: InteractionState;
  actor: string;
  reason: string | null;
}

export async function interactionHistory(sql: Sql, id: number): Promise<StateChange[]> {
  const born = await sql.get<{ created_at: number }>('SELECT created_at FROM interactions WHERE id = ?', [id]);
  if (!born) return [];
  const rows = await sql.all<{ at: number; from_state: InteractionState | null; to_state: InteractionState; actor: string; reason: string | null }>(
    'SELECT at, from_state, to_state, actor, reason FROM interaction_state_history WHERE interaction_id = ? ORDER BY at, id',
    [id],
  );
  return [
    { at: born.created_at, fromState: null, toState: 'new', actor: 'ingest', reason: null },
    ...rows.map((row) => ({ at: row.at, fromState: row.from_state, toState: row.to_state, actor: row.actor, reason: row.reason })),
  ];
}

export interface PendingInteraction {
  id: number;
  messageId: number;
  contactId: number;
  contactName: string;
  platform: Platform;
  kind: MessageKind;
  externalId: string;
  /** The sender's id on the platform (the identity most recently seen there). */
  authorId: string | null;
  createdAt: number;
  text: string;
  /** The platform's language code, if it gave one. */
  lang: string | null;
}

/** Interactions in a state, oldest first: the gate's and the reopening's work list. */
export async function interactionsInState(sql: Sql, state: InteractionState, limit: number): Promise<PendingInteraction[]> {
  const rows = await sql.all<{ id: number; message_id: number; contact_id: number; display_name: string; platform: Platform; kind: MessageKind; external_id: string; author_id: string | null; created_at: number; text: string; lang: string | null }>(
    `SELECT i.id, i.message_id, i.contact_id, c.display_name, m.platform, m.kind, m.external_id, i.created_at, m.text, m.lang,
            (SELECT ci.platform_user_id FROM contact_identities ci WHERE ci.contact_id = i.contact_id AND ci.platform = m.platform
             ORDER BY ci.last_seen_at DESC LIMIT 1) AS author_id
     FROM interactions i JOIN messages m ON m.id = i.message_id JOIN contacts c ON c.id = i.contact_id
     WHERE i.state = ? ORDER BY i.created_at, i.id LIMIT ?`,
    [state, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    messageId: row.message_id,
    contactId: row.contact_id,
    contactName: row.display_name,
    platform: row.platform,
    kind: row.kind,
    externalId: row.external_id,
    authorId: row.author_id,
    createdAt: row.created_at,
    text: row.text,
    lang: row.lang,
  }));
}
