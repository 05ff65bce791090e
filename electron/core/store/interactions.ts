/** Interactions: the desk's units of work, and the history of their states. */
import type { InteractionState } from '../contract';
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
