/**
 * The outbox's SQL (table `outbox`, migration 003). Every state change is one guarded UPDATE
 * ("... WHERE state IN (...)"), so a cancel racing the runner, or two passes, cannot both win:
 * the loser sees `false` and leaves the item alone. The runner (electron/core/outbox) decides;
 * this module only reads and writes.
 */
import type { Platform } from '../contract';
import type { Sql, SqlValue } from './db';
import { insertMessages, type NewMessage } from './messages';

export type OutboxStateName = 'pending' | 'sending' | 'retrying' | 'sent' | 'failed' | 'cancelled';

export interface OutboxRow {
  id: number;
  kind: string;
  platform: Platform;
  payload: string;
  contact_id: number;
  contact_name: string;
  interaction_id: number | null;
  origin: string;
  idempotency_key: string | null;
  state: OutboxStateName;
  created_at: number;
  updated_at: number;
  deadline_at: number;
  next_attempt_at: number | null;
  attempts: number;
  intent_at: number | null;
  doubt_since: number | null;
  last_error: string | null;
  reason: string | null;
  result_id: string | null;
  message_id: number | null;
  sent_at: number | null;
}

export interface NewOutboxRow {
  kind: string;
  platform: Platform;
  payload: string;
  contactId: number;
  interactionId: number | null;
  origin: string;
  idempotencyKey: string | null;
  createdAt: number;
  deadlineAt: number;
}

const COLUMNS = `o.id, o.kind, o.platform, o.payload, o.contact_id, c.display_name AS contact_name, o.interaction_id, o.origin,
  o.idempotency_key, o.state, o.created_at, o.updated_at, o.deadline_at, o.next_attempt_at, o.attempts, o.intent_at,
  o.doubt_since, o.last_error, o.reason, o.result_id, o.message_id, o.sent_at`;
const FROM = 'FROM outbox o JOIN contacts c ON c.id = o.contact_id';

const placeholders = (values: readonly unknown[]): string => values.map(() => '?').join(', ');

/**
 * Stores a new item as `pending`, due at once. Returns its id, or null when the idempotency key
 * is taken (the caller then reads the first item by its key).
 */
export async function insertOutboxRow(sql: Sql, row: NewOutboxRow): Promise<number | null> {
  const result = await sql.run(
    `INSERT INTO outbox (kind, platform, payload, contact_id, interaction_id, origin, idempotency_key, state, created_at, updated_at, deadline_at, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [row.kind, row.platform, row.payload, row.contactId, row.interactionId, row.origin, row.idempotencyKey, row.createdAt, row.createdAt, row.deadlineAt, row.createdAt],
  );
  return result.changes === 1 ? result.lastID : null;
}

export function getOutboxRow(sql: Sql, id: number): Promise<OutboxRow | undefined> {
  return sql.get<OutboxRow>(`SELECT ${COLUMNS} ${FROM} WHERE o.id = ?`, [id]);
}

export function getOutboxRowByKey(sql: Sql, key: string): Promise<OutboxRow | undefined> {
  return sql.get<OutboxRow>(`SELECT ${COLUMNS} ${FROM} WHERE o.idempotency_key = ?`, [key]);
}

/** Newest first, optionally in some states, below an id (keyset paging). */
export function listOutboxRows(sql: Sql, options: { states: readonly OutboxStateName[] | null; limit: number; before: number | null }): Promise<OutboxRow[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (options.states && options.states.length > 0) {
    where.push(`o.state IN (${placeholders(options.states)})`);
    params.push(...options.states);
  }
  if (options.before !== null) {
    where.push('o.id < ?');
    params.push(options.before);
  }
  params.push(options.limit);
  return sql.all<OutboxRow>(`SELECT ${COLUMNS} ${FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.id DESC LIMIT ?`, params);
}

/**
 * What the runner should look at now: items due on an account it can use, and items of any
 * account whose deadline has passed (they end, one way or the other). Earliest due first.
 */
export function dueOutboxRows(sql: Sql, options: { now: number; platforms: readonly Platform[]; limit: number }): Promise<OutboxRow[]> {
  const usable = options.platforms.length > 0 ? `(o.platform IN (${placeholders(options.platforms)}) AND o.next_attempt_at <= ?) OR ` : '';
  return sql.all<OutboxRow>(
    `SELECT ${COLUMNS} ${FROM}
     WHERE o.state IN ('pending', 'retrying') AND (${usable}o.deadline_at < ?)
     ORDER BY o.next_attempt_at, o.id LIMIT ?`,
    [...(options.platforms.length > 0 ? [...options.platforms, options.now] : []), options.now, options.limit],
  );
}

/** When the runner next has something to do (a due try, or a deadline to end an item at); null: nothing waits. */
export async function nextOutboxWake(sql: Sql, platforms: readonly Platform[]): Promise<number | null> {
  const usable = platforms.length > 0 ? `WHEN platform IN (${placeholders(platforms)}) THEN min(next_attempt_at, deadline_at + 1) ` : '';
  const row = await sql.get<{ at: number | null }>(
    `SELECT min(CASE ${usable}ELSE deadline_at + 1 END) AS at FROM outbox WHERE state IN ('pending', 'retrying')`,
    [...platforms],
  );
  return row?.at ?? null;
}

/**
 * Records the intent: pending/retrying -> sending, one more attempt. Committed before the
 * request goes out, so a crash after it is seen at the next start. False: someone else (a
 * cancel) got there first.
 */
export async function markOutboxSending(sql: Sql, id: number, at: number): Promise<boolean> {
  const { changes } = await sql.run(
    `UPDATE outbox SET state = 'sending', attempts = attempts + 1, intent_at = ?, next_attempt_at = NULL, updated_at = ?
     WHERE id = ? AND state IN ('pending', 'retrying')`,
    [at, at, id],
  );
  return changes === 1;
}

/** sending -> sent, with what the platform created and the message stored for it. */
export async function markOutboxSent(sql: Sql, change: { id: number; at: number; resultId: string | null; messageId: number | null }): Promise<boolean> {
  const { changes } = await sql.run(
    `UPDATE outbox SET state = 'sent', result_id = ?, message_id = ?, sent_at = ?, updated_at = ?, doubt_since = NULL, next_attempt_at = NULL
     WHERE id = ? AND state = 'sending'`,
    [change.resultId, change.messageId, change.at, change.at, change.id],
  );
  return changes === 1;
}

/** sending -> retrying at `nextAttemptAt`. */
export async function markOutboxRetrying(
  sql: Sql,
  change: { id: number; at: number; nextAttemptAt: number; lastError: string; doubtSince: number | null },
): Promise<boolean> {
  const { changes } = await sql.run(
    `UPDATE outbox SET state = 'retrying', next_attempt_at = ?, last_error = ?, doubt_since = ?, updated_at = ?
     WHERE id = ? AND state = 'sending'`,
    [change.nextAttemptAt, change.lastError, change.doubtSince, change.at, change.id],
  );
  return changes === 1;
}

/** Moves a waiting item's next try (a rate-limit hold), without counting an attempt. */
export async function rescheduleOutboxRow(sql: Sql, change: { id: number; at: number; nextAttemptAt: number; lastError: string | null }): Promise<boolean> {
  const { changes } = await sql.run(
    `UPDATE outbox SET next_attempt_at = ?, last_error = coalesce(?, last_error), updated_at = ?
     WHERE id = ? AND state IN ('pending', 'retrying')`,
    [change.nextAttemptAt, change.lastError, change.at, change.id],
  );
  return changes === 1;
}

/** Ends an item as failed (from sending, or from waiting when its deadline passed). */
export async function markOutboxFailed(
  sql: Sql,
  change: { id: number; at: number; reason: string; lastError: string | null; doubtSince: number | null; from: readonly OutboxStateName[] },
): Promise<boolean> {
  const { changes } = await sql.run(
    `UPDATE outbox SET state = 'failed', reason = ?, last_error = coalesce(?, last_error), doubt_since = ?, next_attempt_at = NULL, updated_at = ?
     WHERE id = ? AND state IN (${placeholders(change.from)})`,
    [change.reason, change.lastError, change.doubtSince, change.at, change.id, ...change.from],
  );
  return changes === 1;
}

/** pending/retrying -> cancelled. */
export async function cancelOutboxRow(sql: Sql, change: { id: number; at: number; reason: string }): Promise<boolean> {
  const { changes } = await sql.run(
    `UPDATE outbox SET state = 'cancelled', reason = ?, next_attempt_at = NULL, updated_at = ?
     WHERE id = ? AND state IN ('pending', 'retrying')`,
    [change.reason, change.at, change.id],
  );
  return changes === 1;
}

/**
 * "Retry now": a waiting item becomes due at once; a failed one waits again (retrying, due at
 * once) with its deadline moved to at least `deadlineAt`. What was in doubt stays in doubt.
 */
export async function retryOutboxRowNow(sql: Sql, change: { id: number; at: number; deadlineAt: number }): Promise<boolean> {
  const { changes } = await sql.run(
    `UPDATE outbox SET
       state = CASE state WHEN 'failed' THEN 'retrying' ELSE state END,
       deadline_at = CASE state WHEN 'failed' THEN max(deadline_at, ?) ELSE deadline_at END,
       reason = CASE state WHEN 'failed' THEN NULL ELSE reason END,
       next_attempt_at = ?, updated_at = ?
     WHERE id = ? AND state IN ('pending', 'retrying', 'failed')`,
    [change.deadlineAt, change.at, change.at, change.id],
  );
  return changes === 1;
}

/**
 * At start: items left in `sending` were interrupted between their intent and their outcome.
 * They wait again, due at once, in doubt from their intent. Returns their ids.
 */
export async function recoverOutboxSending(sql: Sql, at: number, lastError: string): Promise<number[]> {
  const rows = await sql.all<{ id: number }>("SELECT id FROM outbox WHERE state = 'sending' ORDER BY id");
  if (rows.length === 0) return [];
  await sql.run(
    `UPDATE outbox SET state = 'retrying', doubt_since = coalesce(doubt_since, intent_at), next_attempt_at = ?, last_error = ?, updated_at = ?
     WHERE state = 'sending'`,
    [at, lastError, at],
  );
  return rows.map((row) => row.id);
}

/** Result ids other items of this kind already own (sent since `since`): an in-doubt look must not claim them. */
export async function claimedOutboxResults(sql: Sql, options: { kind: string; since: number; exceptId: number }): Promise<Set<string>> {
  const rows = await sql.all<{ result_id: string }>(
    'SELECT result_id FROM outbox WHERE kind = ? AND result_id IS NOT NULL AND sent_at >= ? AND id <> ?',
    [options.kind, options.since, options.exceptId],
  );
  return new Set(rows.map((row) => row.result_id));
}

/** A stored message by its platform id (what an action answers): its kind and thread. */
export function findMessageByExternalId(sql: Sql, platform: Platform, externalId: string): Promise<{ kind: string; conversation_ref: string | null } | undefined> {
  return sql.get<{ kind: string; conversation_ref: string | null }>('SELECT kind, conversation_ref FROM messages WHERE platform = ? AND external_id = ?', [platform, externalId]);
}

/** The thread of the contact's latest message on a platform that names one (Messenger conversation). */
export async function latestConversationRef(sql: Sql, contactId: number, platform: Platform): Promise<string | null> {
  const row = await sql.get<{ conversation_ref: string }>(
    `SELECT conversation_ref FROM messages WHERE contact_id = ? AND platform = ? AND conversation_ref IS NOT NULL
     ORDER BY created_at DESC, id DESC LIMIT 1`,
    [contactId, platform],
  );
  return row?.conversation_ref ?? null;
}

/** The contact an id stands for today (merges followed); the id itself if the chain is broken. */
export async function resolveMergedContact(sql: Sql, contactId: number): Promise<number> {
  const row = await sql.get<{ id: number }>(
    `WITH RECURSIVE chain(id, next, depth) AS (
       SELECT id, merged_into_id, 0 FROM contacts WHERE id = ?
       UNION ALL
       SELECT c.id, c.merged_into_id, chain.depth + 1 FROM contacts c JOIN chain ON c.id = chain.next WHERE chain.depth < 16
     )
     SELECT id FROM chain WHERE next IS NULL LIMIT 1`,
    [contactId],
  );
  return row?.id ?? contactId;
}

/** Stores the outbound message (skipped if the same platform id is stored already) and returns its row id. */
export async function storeOutboundMessage(sql: Sql, message: NewMessage): Promise<number> {
  await insertMessages(sql, [message]);
  const row = await sql.get<{ id: number }>('SELECT id FROM messages WHERE platform = ? AND external_id = ?', [message.platform, message.externalId]);
  if (!row) throw new Error(`the outbound message ${message.platform}/${message.externalId} was not stored`);
  return row.id;
}

/** Counts by state, for a glance (the console's tabs). */
export async function countOutboxByState(sql: Sql): Promise<Record<OutboxStateName, number>> {
  const counts: Record<OutboxStateName, number> = { pending: 0, sending: 0, retrying: 0, sent: 0, failed: 0, cancelled: 0 };
  const rows = await sql.all<{ state: OutboxStateName; n: number }>('SELECT state, count(*) AS n FROM outbox GROUP BY state');
  for (const row of rows) counts[row.state] = row.n;
  return counts;
}

/** Whether the contact (and the interaction, when given) exist, so enqueue can say which is missing. */
export async function outboxReferences(sql: Sql, contactId: number, interactionId: number | null): Promise<{ contact: boolean; interaction: boolean }> {
  const row = await sql.get<{ contact: number; interaction: number }>(
    'SELECT EXISTS (SELECT 1 FROM contacts WHERE id = ?) AS contact, (? IS NULL OR EXISTS (SELECT 1 FROM interactions WHERE id = ?)) AS interaction',
    [contactId, interactionId, interactionId],
  );
  return { contact: row?.contact === 1, interaction: row?.interaction === 1 };
}
