/**
 * Disposition codes (R11) and the completion of an interaction with one; the first response an
 * agent gave. The agent desk calls `completeInteraction` and `recordFirstResponse` inside its own
 * transactions; the reports read what they write.
 */
import { DeskFailure } from '../contract';
import type { DispositionCode } from '../api/reports';
import type { Sql } from './db';
import { moveInteraction } from './interactions';

interface CodeRow {
  id: number;
  name: string;
  created_at: number;
  updated_at: number;
  retired_at: number | null;
}

const CODE_COLUMNS = 'id, name, created_at, updated_at, retired_at';
export const DISPOSITION_NAME_MAX = 60;

function toCode(row: CodeRow): DispositionCode {
  return { id: row.id, name: row.name, retired: row.retired_at !== null, retiredAt: row.retired_at, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** Codes by name (case-insensitive); retired ones only when asked for. */
export async function listDispositionCodes(sql: Sql, options: { includeRetired: boolean }): Promise<DispositionCode[]> {
  const rows = await sql.all<CodeRow>(
    `SELECT ${CODE_COLUMNS} FROM disposition_codes ${options.includeRetired ? '' : 'WHERE retired_at IS NULL'} ORDER BY name COLLATE NOCASE, id`,
  );
  return rows.map(toCode);
}

export async function getDispositionCode(sql: Sql, id: number): Promise<DispositionCode | null> {
  const row = await sql.get<CodeRow>(`SELECT ${CODE_COLUMNS} FROM disposition_codes WHERE id = ?`, [id]);
  return row ? toCode(row) : null;
}

/** Names compare the way a person reads them: trimmed, spaces collapsed, any case, any Unicode form. */
function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

function checkName(raw: string): string {
  const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (name === '') throw new DeskFailure('bad_input', 'a disposition code needs a name');
  if (name.length > DISPOSITION_NAME_MAX) throw new DeskFailure('bad_input', `the disposition code name "${name.slice(0, 20)}…" is longer than ${DISPOSITION_NAME_MAX} characters`);
  return name;
}

/**
 * Creates a code (no id) or renames one (an id). Renaming keeps the id, so old completions show
 * the new name. Refuses an empty name and one another code already has (retired ones included:
 * two "Resolved" columns in a report would be unreadable).
 */
export async function saveDispositionCode(sql: Sql, input: { id?: number | undefined; name: string }, at: number): Promise<DispositionCode> {
  const name = checkName(input.name);
  const existing = await sql.all<{ id: number; name: string; retired_at: number | null }>('SELECT id, name, retired_at FROM disposition_codes');
  if (input.id !== undefined && !existing.some((row) => row.id === input.id)) throw new DeskFailure('not_found', `there is no disposition code ${input.id}`);
  const clash = existing.find((row) => row.id !== input.id && nameKey(row.name) === nameKey(name));
  if (clash) {
    throw new DeskFailure('bad_input', `a disposition code named "${clash.name}" already exists${clash.retired_at !== null ? ' (retired: bring it back instead)' : ''}`);
  }
  let id = input.id;
  if (id === undefined) {
    id = (await sql.run('INSERT INTO disposition_codes (name, created_at, updated_at) VALUES (?, ?, ?)', [name, at, at])).lastID;
  } else {
    await sql.run('UPDATE disposition_codes SET name = ?, updated_at = ? WHERE id = ?', [name, at, id]);
  }
  return (await getDispositionCode(sql, id))!;
}

/** Retires a code (it stays in reports, cannot be chosen again) or brings it back. */
export async function setDispositionCodeRetired(sql: Sql, id: number, retired: boolean, at: number): Promise<DispositionCode> {
  const current = await getDispositionCode(sql, id);
  if (!current) throw new DeskFailure('not_found', `there is no disposition code ${id}`);
  if (current.retired === retired) return current;
  await sql.run('UPDATE disposition_codes SET retired_at = ?, updated_at = ? WHERE id = ?', [retired ? at : null, at, id]);
  return (await getDispositionCode(sql, id))!;
}

export const DISPOSITION_NOTE_MAX = 1000;

export interface Completion {
  interactionId: number;
  agentId: number;
  /** Required: leaving it out is refused (R11). Typed loosely so the refusal is this module's. */
  dispositionCodeId: number | null | undefined;
  note?: string | null | undefined;
  at: number;
  /** For the state history: the agent's name, "console", ... */
  actor: string;
}

/**
 * Completes an assigned interaction with a disposition code, in the caller's transaction:
 * state `assigned` -> `completed` (with its history row), the code, the optional note, the agent,
 * and the channel and queue the reports filter by.
 *
 * Only an assigned interaction can be completed, by the agent holding it: a supervisor who wants
 * to close waiting work moves it to an agent first, so every completion has an agent and a
 * handle time. Refused, changing nothing: no code (bad_input), a retired code (bad_input), an
 * unknown code, interaction or agent (not_found), an interaction already completed, not
 * assigned, or held by another agent (conflict).
 *
 * The caller then calls `router.release(interactionId)` once the transaction has committed: it
 * ends the assignment and frees the agent's slot (the router keeps those in memory).
 */
export async function completeInteraction(tx: Sql, completion: Completion): Promise<void> {
  const { interactionId, agentId, dispositionCodeId, at, actor } = completion;
  if (dispositionCodeId === null || dispositionCodeId === undefined) {
    throw new DeskFailure('bad_input', `interaction ${interactionId} cannot be completed without a disposition code: choose one`);
  }
  const note = (completion.note ?? '').trim();
  if (note.length > DISPOSITION_NOTE_MAX) throw new DeskFailure('bad_input', `the disposition note is longer than ${DISPOSITION_NOTE_MAX} characters`);

  const code = await getDispositionCode(tx, dispositionCodeId);
  if (!code) throw new DeskFailure('not_found', `there is no disposition code ${dispositionCodeId}`);
  if (code.retired) throw new DeskFailure('bad_input', `the disposition code "${code.name}" is retired and can no longer be chosen: choose another`);

  const interaction = await tx.get<{ state: string; platform: string }>(
    'SELECT i.state, m.platform FROM interactions i JOIN messages m ON m.id = i.message_id WHERE i.id = ?',
    [interactionId],
  );
  if (!interaction) throw new DeskFailure('not_found', `there is no interaction ${interactionId}`);
  if (interaction.state === 'completed') throw new DeskFailure('conflict', `interaction ${interactionId} is already completed`);
  if (interaction.state !== 'assigned') {
    throw new DeskFailure('conflict', `interaction ${interactionId} is ${interaction.state}, not assigned to an agent: only the agent holding it can complete it`);
  }
  const agent = await tx.get<{ id: number }>('SELECT id FROM agents WHERE id = ?', [agentId]);
  if (!agent) throw new DeskFailure('not_found', `there is no agent ${agentId}`);
  const open = await tx.get<{ agent_id: number; name: string }>(
    'SELECT a.agent_id, g.name FROM assignments a JOIN agents g ON g.id = a.agent_id WHERE a.interaction_id = ? AND a.ended_at IS NULL',
    [interactionId],
  );
  if (open && open.agent_id !== agentId) throw new DeskFailure('conflict', `interaction ${interactionId} is assigned to ${open.name}, not to agent ${agentId}`);

  // The queue it was served from: its routing entry (still there until release), else its latest assignment's.
  const queue = await tx.get<{ queue_id: number | null }>(
    `SELECT coalesce(
       (SELECT queue_id FROM queue_entries WHERE interaction_id = ?1),
       (SELECT queue_id FROM assignments WHERE interaction_id = ?1 ORDER BY id DESC LIMIT 1)) AS queue_id`,
    [interactionId],
  );
  const moved = await moveInteraction(tx, { id: interactionId, from: 'assigned', to: 'completed', at, actor, reason: `disposition: ${code.name}` });
  if (!moved) throw new DeskFailure('conflict', `interaction ${interactionId} changed while it was being completed: try again`);
  await tx.run(
    `UPDATE interactions SET completed_at = ?, completed_by_agent_id = ?, disposition_code_id = ?, disposition_note = ?,
       completed_channel = ?, completed_queue_id = ? WHERE id = ?`,
    [at, agentId, code.id, note === '' ? null : note, interaction.platform, queue?.queue_id ?? null, interactionId],
  );
}

/**
 * An agent answered (reply, private message, like): the first answer's time is kept (an earlier
 * one reported late still wins), and the answer's side is added (public + private = both).
 */
export async function recordFirstResponse(tx: Sql, response: { interactionId: number; at: number; visibility: 'public' | 'private' }): Promise<void> {
  const { changes } = await tx.run(
    `UPDATE interactions SET
       first_response_at = CASE WHEN first_response_at IS NULL OR ?1 < first_response_at THEN ?1 ELSE first_response_at END,
       answer_visibility = CASE WHEN answer_visibility IS NULL OR answer_visibility = ?2 THEN ?2 ELSE 'both' END
     WHERE id = ?3`,
    [response.at, response.visibility, response.interactionId],
  );
  if (changes === 0) throw new DeskFailure('not_found', `there is no interaction ${response.interactionId}`);
}
