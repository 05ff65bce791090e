/**
 * What the reports read. The disposition report counts completions per bucket from the covering
 * index `interactions_by_completion` (migration 006) without touching the table; the summary and
 * the CSV export read by arrival time.
 */
import type { MessageKind, Platform, ReportFilters } from '../contract';
import type { CompletionCount } from '../reports/aggregate';
import type { Sql, SqlValue } from './db';

export interface TimeRange {
  startAt: number;
  endAt: number;
}

function completionFilters(filters: ReportFilters, alias: string): { where: string; params: SqlValue[] } {
  const terms: string[] = [];
  const params: SqlValue[] = [];
  if (filters.channel !== undefined) {
    terms.push(`${alias}.completed_channel = ?`);
    params.push(filters.channel);
  }
  if (filters.queueId !== undefined) {
    terms.push(`${alias}.completed_queue_id = ?`);
    params.push(filters.queueId);
  }
  if (filters.agentId !== undefined) {
    terms.push(`${alias}.completed_by_agent_id = ?`);
    params.push(filters.agentId);
  }
  return { where: terms.map((term) => ` AND ${term}`).join(''), params };
}

const CHANNELS: readonly Platform[] = ['x', 'facebook', 'messenger'];

/**
 * Completions per bucket, code and channel. The buckets are the report's days or weeks as
 * instants (luxon computed them in the desk's zone), so a DST day is simply a 23- or 25-hour range.
 *
 * Shape, measured by test/bench/reports.ts: the index `interactions_by_disposition` is ordered
 * (code, channel, completed_at, queue, agent), and each (bucket, code, channel) is one count over
 * one range of it. SQLite has no hash aggregation: a GROUP BY over the range would sort every
 * completion in it (~110,000 for 90 days of a busy desk), which costs more than the counting.
 * Here nothing is sorted and the table is never read; queue and agent are checked in the index.
 *
 * `scan: true` reads the whole table once instead (the benchmark's baseline).
 */
export async function countCompletions(
  sql: Sql,
  buckets: readonly TimeRange[],
  filters: ReportFilters,
  options: { scan?: boolean } = {},
): Promise<CompletionCount[]> {
  if (buckets.length === 0) return [];
  const values = buckets.map(() => '(?, ?, ?)').join(', ');
  const bucketParams = buckets.flatMap((bucket, index) => [index, bucket.startAt, bucket.endAt]);
  const filter = completionFilters(filters, 'i');
  if (options.scan) {
    const rows = await sql.all<{ bucket: number; code_id: number | null; channel: Platform | null; n: number }>(
      `WITH b(bucket, start_at, end_at) AS (VALUES ${values})
       SELECT (SELECT b.bucket FROM b WHERE i.completed_at >= b.start_at AND i.completed_at < b.end_at) AS bucket,
              i.disposition_code_id AS code_id, i.completed_channel AS channel, count(*) AS n
       FROM interactions i NOT INDEXED
       WHERE i.completed_at >= ? AND i.completed_at < ?${filter.where}
       GROUP BY 1, 2, 3`,
      [...bucketParams, buckets[0]!.startAt, buckets[buckets.length - 1]!.endAt, ...filter.params],
    );
    return rows.map((row) => ({ bucket: row.bucket, codeId: row.code_id, channel: row.channel, count: row.n }));
  }
  const channels = filters.channel !== undefined ? [filters.channel] : CHANNELS;
  // MATERIALIZED: the counts are computed once (a WHERE on a flattened subquery would run each
  // count twice); one JSON row back instead of ~2,000 rows through the driver.
  const row = await sql.get<{ counts: string | null }>(
    `WITH b(bucket, start_at, end_at) AS (VALUES ${values}),
          k(code_id) AS (SELECT id FROM disposition_codes UNION ALL SELECT NULL),
          ch(channel) AS (VALUES ${channels.map(() => '(?)').join(', ')}),
          counts AS MATERIALIZED (
            SELECT b.bucket, k.code_id, ch.channel,
                   (SELECT count(*) FROM interactions i INDEXED BY interactions_by_disposition
                     WHERE i.completed_at IS NOT NULL AND i.disposition_code_id IS k.code_id AND i.completed_channel = ch.channel
                       AND i.completed_at >= b.start_at AND i.completed_at < b.end_at${filter.where}) AS n
            FROM b, k, ch)
     SELECT json_group_array(json_array(bucket, code_id, channel, n)) AS counts FROM counts WHERE n > 0`,
    [...bucketParams, ...channels, ...filter.params],
  );
  const counts = JSON.parse(row?.counts ?? '[]') as Array<[number, number | null, Platform, number]>;
  return counts.map(([bucket, codeId, channel, count]) => ({ bucket, codeId, channel, count }));
}

/** Interactions that arrived in the range, per channel. */
export async function volumeByChannel(sql: Sql, range: TimeRange, filters: ReportFilters): Promise<Array<{ channel: Platform; interactions: number }>> {
  const rows = await sql.all<{ channel: Platform; n: number }>(
    `SELECT m.platform AS channel, count(*) AS n
     FROM interactions i JOIN messages m ON m.id = i.message_id
     WHERE i.created_at >= ? AND i.created_at < ?${filters.channel !== undefined ? ' AND m.platform = ?' : ''}
     GROUP BY m.platform`,
    [range.startAt, range.endAt, ...(filters.channel !== undefined ? [filters.channel] : [])],
  );
  return rows.map((row) => ({ channel: row.channel, interactions: row.n }));
}

/** What the desk sent by itself in the range, per outbox origin (sent items only). */
export async function autoHandledCounts(sql: Sql, range: TimeRange, filters: ReportFilters): Promise<Record<'closed-desk' | 'auto-like' | 'auto-reply', number>> {
  const rows = await sql.all<{ origin: string; n: number }>(
    `SELECT origin, count(*) AS n FROM outbox
     WHERE origin IN ('closed-desk', 'auto-like', 'auto-reply') AND created_at >= ? AND created_at < ? AND state = 'sent'
       ${filters.channel !== undefined ? 'AND platform = ?' : ''}
     GROUP BY origin`,
    [range.startAt, range.endAt, ...(filters.channel !== undefined ? [filters.channel] : [])],
  );
  const counts = { 'closed-desk': 0, 'auto-like': 0, 'auto-reply': 0 };
  for (const row of rows) counts[row.origin as keyof typeof counts] = row.n;
  return counts;
}

/**
 * For interactions completed in the range: arrival to first answer, and an agent first getting
 * it (accepting it, or being offered it when it was never accepted) to completion, in ms.
 */
export async function completionDurations(sql: Sql, range: TimeRange, filters: ReportFilters): Promise<{ firstResponse: number[]; handle: number[] }> {
  const filter = completionFilters(filters, 'i');
  const rows = await sql.all<{ first_response: number | null; handle: number | null }>(
    `SELECT i.first_response_at - i.created_at AS first_response,
            i.completed_at - (SELECT min(coalesce(a.accepted_at, a.offered_at)) FROM assignments a WHERE a.interaction_id = i.id) AS handle
     FROM interactions i INDEXED BY interactions_by_completion
     WHERE i.completed_at >= ? AND i.completed_at < ?${filter.where}`,
    [range.startAt, range.endAt, ...filter.params],
  );
  const firstResponse: number[] = [];
  const handle: number[] = [];
  for (const row of rows) {
    if (row.first_response !== null) firstResponse.push(row.first_response);
    if (row.handle !== null) handle.push(row.handle);
  }
  return { firstResponse, handle };
}

/**
 * Per queue, the interactions first accepted by an agent in the range and how many of those were
 * accepted within the queue's service-level time, counted from first entering routing.
 */
export async function serviceLevelCounts(
  sql: Sql,
  range: TimeRange,
  filters: ReportFilters,
): Promise<Array<{ queueId: number; queueName: string; answered: number; within: number; targetPercent: number; targetWithinMs: number }>> {
  // Agent and channel narrow the acceptances counted (ON); the queue narrows the queues listed (WHERE).
  const on: string[] = [];
  const params: SqlValue[] = [range.startAt, range.endAt];
  if (filters.agentId !== undefined) {
    on.push('a.agent_id = ?');
    params.push(filters.agentId);
  }
  if (filters.channel !== undefined) {
    on.push('(SELECT m.platform FROM interactions i JOIN messages m ON m.id = i.message_id WHERE i.id = a.interaction_id) = ?');
    params.push(filters.channel);
  }
  if (filters.queueId !== undefined) params.push(filters.queueId);
  const rows = await sql.all<{ queue_id: number; name: string; answered: number; within: number; percent: number; within_ms: number }>(
    `SELECT q.id AS queue_id, q.name, q.service_level_percent AS percent, q.service_level_within_ms AS within_ms,
            count(a.id) AS answered, coalesce(sum(a.accepted_at - a.entered_at <= q.service_level_within_ms), 0) AS within
     FROM queues q LEFT JOIN assignments a ON a.queue_id = q.id AND a.accepted_at >= ? AND a.accepted_at < ?
       AND NOT EXISTS (SELECT 1 FROM assignments b WHERE b.interaction_id = a.interaction_id AND b.accepted_at < a.accepted_at)
       ${on.map((term) => `AND ${term}`).join(' ')}
     ${filters.queueId !== undefined ? 'WHERE q.id = ?' : ''}
     GROUP BY q.id ORDER BY q.name COLLATE NOCASE`,
    params,
  );
  return rows.map((row) => ({ queueId: row.queue_id, queueName: row.name, answered: row.answered, within: row.within, targetPercent: row.percent, targetWithinMs: row.within_ms }));
}

export interface InteractionExportRow {
  id: number;
  createdAt: number;
  state: string;
  channel: Platform;
  kind: MessageKind;
  contact: string;
  queue: string | null;
  agent: string | null;
  disposition: string | null;
  dispositionNote: string | null;
  sentiment: number | null;
  answer: 'public' | 'private' | 'both' | null;
  firstResponseMs: number | null;
  /** 1 met, 0 missed, null never accepted from a queue. */
  serviceLevelMet: number | null;
  calendarOnArrival: string | null;
  completedAt: number | null;
}

/** Interactions that arrived in the range, oldest first, at most `limit`. */
export async function interactionsForExport(sql: Sql, range: TimeRange, filters: ReportFilters, limit: number): Promise<InteractionExportRow[]> {
  const terms: string[] = [];
  const params: SqlValue[] = [range.startAt, range.endAt];
  if (filters.channel !== undefined) {
    terms.push('channel = ?');
    params.push(filters.channel);
  }
  if (filters.queueId !== undefined) {
    terms.push('queue_id = ?');
    params.push(filters.queueId);
  }
  if (filters.agentId !== undefined) {
    terms.push('agent_id = ?');
    params.push(filters.agentId);
  }
  params.push(limit);
  return sql.all<InteractionExportRow>(
    `WITH base AS (
       SELECT i.id, i.created_at, i.state, m.platform AS channel, m.kind, c.display_name AS contact,
              i.disposition_code_id, i.disposition_note, i.sentiment, i.answer_visibility, i.first_response_at,
              i.calendar_on_arrival, i.completed_at,
              coalesce(i.completed_queue_id,
                       (SELECT e.queue_id FROM queue_entries e WHERE e.interaction_id = i.id),
                       (SELECT a.queue_id FROM assignments a WHERE a.interaction_id = i.id ORDER BY a.id DESC LIMIT 1)) AS queue_id,
              coalesce(i.completed_by_agent_id,
                       (SELECT a.agent_id FROM assignments a WHERE a.interaction_id = i.id ORDER BY a.id DESC LIMIT 1)) AS agent_id,
              (SELECT a.accepted_at - a.entered_at <= q.service_level_within_ms
                 FROM assignments a JOIN queues q ON q.id = a.queue_id
                WHERE a.interaction_id = i.id AND a.accepted_at IS NOT NULL ORDER BY a.accepted_at LIMIT 1) AS sl_met
       FROM interactions i INDEXED BY interactions_by_arrival
       JOIN messages m ON m.id = i.message_id
       JOIN contacts c ON c.id = i.contact_id
       WHERE i.created_at >= ? AND i.created_at < ?
     )
     SELECT base.id, base.created_at AS createdAt, base.state, base.channel, base.kind, base.contact,
            q.name AS queue, g.name AS agent, d.name AS disposition, base.disposition_note AS dispositionNote,
            base.sentiment, base.answer_visibility AS answer, base.first_response_at - base.created_at AS firstResponseMs,
            base.sl_met AS serviceLevelMet, base.calendar_on_arrival AS calendarOnArrival, base.completed_at AS completedAt
     FROM base
     LEFT JOIN queues q ON q.id = base.queue_id
     LEFT JOIN agents g ON g.id = base.agent_id
     LEFT JOIN disposition_codes d ON d.id = base.disposition_code_id
     ${terms.length > 0 ? `WHERE ${terms.map((term) => `base.${term}`).join(' AND ')}` : ''}
     ORDER BY base.created_at, base.id
     LIMIT ?`,
    params,
  );
}

/** The queues and agents a report may be filtered by. */
export async function reportFilterOptions(sql: Sql): Promise<{ queues: Array<{ id: number; name: string }>; agents: Array<{ id: number; name: string }> }> {
  const queues = await sql.all<{ id: number; name: string }>('SELECT id, name FROM queues ORDER BY name COLLATE NOCASE, id');
  const agents = await sql.all<{ id: number; name: string }>('SELECT id, name FROM agents ORDER BY name COLLATE NOCASE, id');
  return { queues, agents };
}
