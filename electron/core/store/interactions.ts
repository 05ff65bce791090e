/** Interactions: the desk's units of work, and the history of their states. */
import type { InteractionState } from '../contract';
import type { Sql } from './db';

/** Opens a `new` interaction for each message id and records its first state; returns their ids. */
export async function openInteractions(sql: Sql, items: readonly { messageId: number; contactId: number }[], at: number, actor: string): Promise<number[]> {
  if (items.length === 0) return [];
  const before = await sql.get<{ max_id: number | null }>('SELECT max(id) AS max_id FROM interactions');
  await sql.insertMany(
    'interactions',
    ['message_id', 'contact_id', 'state', 'created_at', 'updated_at'],
    items.map((item) => [item.messageId, item.contactId, 'new', at, at]),
  );
  const created = await sql.all<{ id: number }>('SELECT id FROM interactions WHERE id > ? ORDER BY id', [before?.max_id ?? 0]);
  const ids = created.map((row) => row.id);
  await sql.insertMany(
    'interaction_state_history',
    ['interaction_id', 'at', 'from_state', 'to_state', 'actor', 'reason'],
    ids.map((id) => [id, at, null, 'new', actor, null]),
  );
  return ids;
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
  const rows = await sql.all<{ at: number; from_state: InteractionState | null; to_state: InteractionState; actor: string; reason: string | null }>(
    'SELECT at, from_state, to_state, actor, reason FROM interaction_state_history WHERE interaction_id = ? ORDER BY at, id',
    [id],
  );
  return rows.map((row) => ({ at: row.at, fromState: row.from_state, toState: row.to_state, actor: row.actor, reason: row.reason }));
}
