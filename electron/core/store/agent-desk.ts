/**
 * What the agent desk reads (and its one setting, the canned responses): the message an agent
 * answers with its sender's platform id, an agent's work list, the Messenger window's anchor, the
 * outbox items of a contact (delivery state, the one private reply per comment, likes / retweets
 * / hides already done). Handlers decide; this module only reads and writes.
 */
import type { InteractionState, MessageKind, Platform } from '../contract';
import type { Sql } from './db';
import type { OutboxRow } from './outbox';
import { writeSettingRow } from './settings';

export interface AnswerTarget {
  interactionId: number;
  state: InteractionState;
  contactId: number;
  contactName: string;
  messageId: number;
  platform: Platform;
  kind: MessageKind;
  externalId: string;
  text: string;
  /** When the customer wrote it (the platform's time). */
  createdAt: number;
  /** The sender's id on the message's platform: the contact's identity there most recently seen. */
  authorId: string | null;
  handle: string | null;
}

interface TargetRow {
  id: number;
  state: InteractionState;
  contact_id: number;
  display_name: string;
  message_id: number;
  platform: Platform;
  kind: MessageKind;
  external_id: string;
  text: string;
  created_at: number;
  author_id: string | null;
  handle: string | null;
}

// Messages carry no author column: the sender is the contact's identity on that platform. After
// a merge a contact may hold two; the one seen most recently is the one writing now.
const TARGET_SELECT = `
  SELECT i.id, i.state, i.contact_id, c.display_name, m.id AS message_id, m.platform, m.kind, m.external_id, m.text, m.created_at,
         ci.platform_user_id AS author_id, ci.handle
  FROM interactions i
  JOIN messages m ON m.id = i.message_id
  JOIN contacts c ON c.id = i.contact_id
  LEFT JOIN contact_identities ci ON ci.id = (
    SELECT x.id FROM contact_identities x WHERE x.contact_id = i.contact_id AND x.platform = m.platform ORDER BY x.last_seen_at DESC, x.id DESC LIMIT 1)`;

function toTarget(row: TargetRow): AnswerTarget {
  return {
    interactionId: row.id,
    state: row.state,
    contactId: row.contact_id,
    contactName: row.display_name,
    messageId: row.message_id,
    platform: row.platform,
    kind: row.kind,
    externalId: row.external_id,
    text: row.text,
    createdAt: row.created_at,
    authorId: row.author_id,
    handle: row.handle,
  };
}

/** The customer message an interaction was born from, with its sender; null when there is no such interaction. */
export async function answerTarget(sql: Sql, interactionId: number): Promise<AnswerTarget | null> {
  const row = await sql.get<TargetRow>(`${TARGET_SELECT} WHERE i.id = ?`, [interactionId]);
  return row ? toTarget(row) : null;
}

/** The same for many interactions at once (an agent's work list), by id. */
export async function answerTargets(sql: Sql, interactionIds: readonly number[]): Promise<Map<number, AnswerTarget>> {
  const found = new Map<number, AnswerTarget>();
  if (interactionIds.length === 0) return found;
  const rows = await sql.all<TargetRow>(`${TARGET_SELECT} WHERE i.id IN (SELECT value FROM json_each(?))`, [JSON.stringify(interactionIds)]);
  for (const row of rows) found.set(row.id, toTarget(row));
  return found;
}

/** The customer's latest message on a platform: when, and its row id (what "the latest thing they said" is). */
export async function latestInbound(sql: Sql, contactId: number, platform: Platform): Promise<{ id: number; createdAt: number } | null> {
  const row = await sql.get<{ id: number; created_at: number }>(
    `SELECT id, created_at FROM messages WHERE contact_id = ? AND platform = ? AND direction = 'inbound'
     ORDER BY created_at DESC, id DESC LIMIT 1`,
    [contactId, platform],
  );
  return row ? { id: row.id, createdAt: row.created_at } : null;
}

// The outbox keeps the contact id it was enqueued with; a merge moves messages and interactions
// but not outbox rows, so "this contact's items" are those of every id merged into it too.
const CONTACT_IDS = `WITH RECURSIVE merged(id) AS (
    SELECT ? UNION SELECT c.id FROM contacts c JOIN merged ON c.merged_into_id = merged.id)`;

const OUTBOX_COLUMNS = `o.id, o.kind, o.platform, o.payload, o.contact_id, c.display_name AS contact_name, o.interaction_id, o.origin,
  o.idempotency_key, o.state, o.created_at, o.updated_at, o.deadline_at, o.next_attempt_at, o.attempts, o.intent_at,
  o.doubt_since, o.last_error, o.reason, o.result_id, o.message_id, o.sent_at`;

/**
 * A contact's outbox items for the conversation view, oldest first: everything still on its way
 * or failed, and what ended (sent, cancelled) since `endedSince`; at most `limit`, the newest kept.
 */
export async function contactOutboxRows(sql: Sql, contactId: number, options: { endedSince: number; limit: number }): Promise<OutboxRow[]> {
  const rows = await sql.all<OutboxRow>(
    `${CONTACT_IDS}
     SELECT ${OUTBOX_COLUMNS} FROM outbox o JOIN contacts c ON c.id = o.contact_id
     WHERE o.contact_id IN (SELECT id FROM merged)
       AND (o.state IN ('pending', 'sending', 'retrying', 'failed') OR o.updated_at >= ?)
     ORDER BY o.id DESC LIMIT ?`,
    [contactId, options.endedSince, options.limit],
  );
  return rows.reverse();
}

/** The platform id an outbox action acts on, by kind, as SQL over the stored payload. */
const TARGET_OF_PAYLOAD = "coalesce(json_extract(o.payload, '$.tweetId'), json_extract(o.payload, '$.objectId'), json_extract(o.payload, '$.commentId'))";

/**
 * The contact's outbox items of these kinds acting on one platform object (a tweet, a comment),
 * oldest first: likes and their undos, private replies to a comment, ...
 */
export function outboxRowsOn(sql: Sql, contactId: number, kinds: readonly string[], targetId: string): Promise<OutboxRow[]> {
  return sql.all<OutboxRow>(
    `${CONTACT_IDS}
     SELECT ${OUTBOX_COLUMNS} FROM outbox o JOIN contacts c ON c.id = o.contact_id
     WHERE o.contact_id IN (SELECT id FROM merged) AND o.kind IN (SELECT value FROM json_each(?)) AND ${TARGET_OF_PAYLOAD} = ?
     ORDER BY o.id`,
    [contactId, JSON.stringify(kinds), targetId],
  );
}

// ---------------------------------------------------------------------------------------------
// Canned responses: one settings row (the settings table holds every desk-wide document)

const CANNED_KEY = 'agentDesk.cannedResponses';

export async function readCannedResponsesRow(sql: Sql): Promise<{ value: unknown; updatedAt: number; updatedBy: string } | null> {
  const row = await sql.get<{ value: string; updated_at: number; updated_by: string }>('SELECT value, updated_at, updated_by FROM settings WHERE key = ?', [CANNED_KEY]);
  return row ? { value: JSON.parse(row.value) as unknown, updatedAt: row.updated_at, updatedBy: row.updated_by } : null;
}

export function writeCannedResponsesRow(sql: Sql, items: unknown, at: number, actor: string): Promise<void> {
  return writeSettingRow(sql, CANNED_KEY, items, at, actor);
}
