/**
 * What the rules stage reads and writes: the saved rule set, each interaction's decision and route,
 * the facts a decision needs (today's automatic likes, whether a reply answers our own answer in a
 * complaint thread), and the per-minute samples of waiting work.
 */
import type { Sql } from './db';
import { writeSettingRow } from './settings';

const RULES_KEY = 'rules';

export interface StoredRuleSet {
  value: unknown;
  updatedAt: number;
  updatedBy: string;
}

export async function readRuleSetRow(sql: Sql): Promise<StoredRuleSet | null> {
  const row = await sql.get<{ value: string; updated_at: number; updated_by: string }>('SELECT value, updated_at, updated_by FROM settings WHERE key = ?', [RULES_KEY]);
  return row ? { value: JSON.parse(row.value) as unknown, updatedAt: row.updated_at, updatedBy: row.updated_by } : null;
}

export function writeRuleSetRow(sql: Sql, ruleSet: unknown, at: number, actor: string): Promise<void> {
  return writeSettingRow(sql, RULES_KEY, ruleSet, at, actor);
}

/** Where a routed interaction goes: a queue (by name) or an agent group, at a priority 0-100. */
export type StoredRoute = { queue: string; priority: number } | { group: string; priority: number };

export interface RuleDecisionRecord {
  decision: unknown;
  route: StoredRoute | null;
  sentiment: number;
  calendarOnArrival: 'open' | 'closed' | 'emergency';
}

export async function writeRuleDecision(sql: Sql, interactionId: number, record: RuleDecisionRecord): Promise<void> {
  await sql.run('UPDATE interactions SET rule_decision = ?, route_target = ?, sentiment = ?, calendar_on_arrival = ? WHERE id = ?', [
    JSON.stringify(record.decision),
    record.route === null ? null : JSON.stringify(record.route),
    Math.max(-1, Math.min(1, record.sentiment)),
    record.calendarOnArrival,
    interactionId,
  ]);
}

function parseRoute(raw: string | null): StoredRoute | null {
  if (raw === null) return null;
  const value = JSON.parse(raw) as Partial<{ queue: unknown; group: unknown; priority: unknown }>;
  const priority = typeof value.priority === 'number' ? value.priority : 50;
  if (typeof value.queue === 'string') return { queue: value.queue, priority };
  if (typeof value.group === 'string') return { group: value.group, priority };
  return null;
}

export async function routesOf(sql: Sql, interactionIds: readonly number[]): Promise<Map<number, StoredRoute | null>> {
  const routes = new Map<number, StoredRoute | null>();
  if (interactionIds.length === 0) return routes;
  const rows = await sql.all<{ id: number; route_target: string | null }>(
    `SELECT id, route_target FROM interactions WHERE id IN (${interactionIds.map(() => '?').join(',')})`,
    [...interactionIds],
  );
  for (const row of rows) routes.set(row.id, parseRoute(row.route_target));
  return routes;
}

export interface InteractionDecisionRow {
  decision: unknown;
  calendarOnArrival: 'open' | 'closed' | 'emergency' | null;
}

export async function readRuleDecision(sql: Sql, interactionId: number): Promise<InteractionDecisionRow | null> {
  const row = await sql.get<{ rule_decision: string | null; calendar_on_arrival: 'open' | 'closed' | 'emergency' | null }>(
    'SELECT rule_decision, calendar_on_arrival FROM interactions WHERE id = ?',
    [interactionId],
  );
  if (!row) return null;
  return { decision: row.rule_decision === null ? null : (JSON.parse(row.rule_decision) as unknown), calendarOnArrival: row.calendar_on_arrival };
}

/** Automatic likes and retweets asked for since an instant (R14's daily cap counts them, sent or not). */
export async function countAutoLikesSince(sql: Sql, since: number): Promise<number> {
  const row = await sql.get<{ n: number }>(
    "SELECT count(*) AS n FROM outbox WHERE origin = 'auto-like' AND created_at >= ? AND kind IN ('x.like', 'x.retweet', 'facebook.like') AND state <> 'cancelled'",
    [since],
  );
  return row?.n ?? 0;
}

/**
 * Of these messages, the ones that reply to one of the desk's own answers in a complaint thread
 * (R14: never liked): the message they answer is ours, and the thread (the platform's
 * conversation, else the contact's messages on that platform) holds a message the rules scored
 * negative.
 */
export async function complaintThreadReplies(
  sql: Sql,
  items: readonly { messageId: number }[],
  negativeAt: number,
): Promise<Set<number>> {
  if (items.length === 0) return new Set();
  const rows = await sql.all<{ id: number }>(
    `SELECT m.id FROM messages m
     JOIN messages ours ON ours.platform = m.platform AND ours.external_id = m.in_reply_to_external_id AND ours.direction = 'outbound'
     WHERE m.id IN (${items.map(() => '?').join(',')})
       AND (
         (m.conversation_ref IS NOT NULL AND EXISTS (
           SELECT 1 FROM messages t JOIN interactions ti ON ti.message_id = t.id
           WHERE t.platform = m.platform AND t.conversation_ref = m.conversation_ref AND t.direction = 'inbound' AND t.id <> m.id AND ti.sentiment <= ?))
         OR (m.conversation_ref IS NULL AND EXISTS (
           SELECT 1 FROM messages t JOIN interactions ti ON ti.message_id = t.id
           WHERE t.contact_id = m.contact_id AND t.platform = m.platform AND t.direction = 'inbound' AND t.id <> m.id AND ti.sentiment <= ?))
       )`,
    [...items.map((item) => item.messageId), negativeAt, negativeAt],
  );
  return new Set(rows.map((row) => row.id));
}

// ---------------------------------------------------------------------------------------------
// Waiting work over time

export async function writeQueueSamples(sql: Sql, at: number, samples: readonly { key: string; waiting: number }[], keepSince: number): Promise<void> {
  if (samples.length > 0) {
    await sql.run(
      `INSERT OR REPLACE INTO queue_samples (at, queue_key, waiting) VALUES ${samples.map(() => '(?, ?, ?)').join(', ')}`,
      samples.flatMap((sample) => [at, sample.key, sample.waiting]),
    );
  }
  await sql.run('DELETE FROM queue_samples WHERE at < ?', [keepSince]);
}

export function readQueueSamples(sql: Sql, from: number, to: number): Promise<{ at: number; queue_key: string; waiting: number }[]> {
  return sql.all('SELECT at, queue_key, waiting FROM queue_samples WHERE at BETWEEN ? AND ? ORDER BY at', [from, to]);
}

/**
 * For each contact, their open private conversation per platform (an X DM or Messenger interaction
 * still waiting, queued or with an agent): a new private message from them continues it (R18).
 */
export async function openPrivateInteractions(sql: Sql, contactIds: readonly number[]): Promise<Map<string, number>> {
  const open = new Map<string, number>();
  if (contactIds.length === 0) return open;
  const rows = await sql.all<{ id: number; contact_id: number; platform: string }>(
    `SELECT i.id, i.contact_id, m.platform FROM interactions i JOIN messages m ON m.id = i.message_id
     WHERE i.contact_id IN (${contactIds.map(() => '?').join(',')}) AND i.state IN ('waiting-for-open', 'queued', 'assigned')
       AND m.kind IN ('x.dm', 'messenger.message')
     ORDER BY i.id`,
    [...contactIds],
  );
  for (const row of rows) if (!open.has(`${row.contact_id}:${row.platform}`)) open.set(`${row.contact_id}:${row.platform}`, row.id);
  return open;
}

/** Work not yet in its queue (new, held until the desk reopens, queued) follows a queue's new name. */
export async function renameRouteQueue(sql: Sql, from: string, to: string): Promise<number> {
  const { changes } = await sql.run(
    `UPDATE interactions SET route_target = json_set(route_target, '$.queue', ?)
     WHERE state IN ('new', 'waiting-for-open', 'queued') AND route_target IS NOT NULL AND lower(json_extract(route_target, '$.queue')) = lower(?)`,
    [to, from],
  );
  return changes;
}
