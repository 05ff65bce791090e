/**
 * Routing's SQL (tables agents, agent_skills, agent_groups, queues, queue_skills, queue_entries,
 * assignments; migration 004). The router (electron/core/routing) decides and keeps the indexes
 * in memory; this module only reads and writes, always through the Sql it is given, so the
 * router's changes land in one transaction each.
 */
import type { InteractionState, MessageKind } from '../contract';
import type { Sql, SqlValue } from './db';
import { moveInteraction } from './interactions';

export type AgentStateName = 'ready' | 'not-ready' | 'offline';
export type WorkKindName = 'public' | 'private';
export type AssignmentEndName = 'completed' | 'returned' | 'moved';

export interface AgentRow {
  id: number;
  name: string;
  public_capacity: number;
  private_capacity: number;
  state: AgentStateName;
  not_ready_reason: string | null;
  state_since: number;
  idle_since: number;
}

export interface QueueRow {
  id: number;
  name: string;
  priority: number;
  service_level_percent: number;
  service_level_within_ms: number;
  overflow_after_ms: number | null;
  overflow_every_ms: number | null;
  overflow_level_drop: number | null;
}

export interface EntryRow {
  interaction_id: number;
  queue_id: number | null;
  group_name: string | null;
  priority: number;
  work_kind: WorkKindName;
  entered_at: number;
  queue_entered_at: number;
  returned: number;
  answered_at: number | null;
}

export interface AssignmentRow {
  id: number;
  interaction_id: number;
  agent_id: number;
  queue_id: number | null;
  group_name: string | null;
  work_kind: WorkKindName;
  entered_at: number;
  offered_at: number;
  accepted_at: number | null;
  ended_at: number | null;
  end_reason: AssignmentEndName | null;
  end_detail: string | null;
  offered_by: 'routing' | 'supervisor';
  explanation: string;
  /** JSON. */
  why: string;
}

export interface RoutingRows {
  agents: AgentRow[];
  agentSkills: Array<{ agent_id: number; skill: string; level: number }>;
  agentGroups: Array<{ agent_id: number; group_name: string }>;
  queues: QueueRow[];
  queueSkills: Array<{ queue_id: number; skill: string; min_level: number }>;
  entries: EntryRow[];
  openAssignments: AssignmentRow[];
  lastAssignmentId: number;
}

const ASSIGNMENT_COLUMNS = [
  'id',
  'interaction_id',
  'agent_id',
  'queue_id',
  'group_name',
  'work_kind',
  'entered_at',
  'offered_at',
  'accepted_at',
  'ended_at',
  'end_reason',
  'end_detail',
  'offered_by',
  'explanation',
  'why',
] as const;

/** Lists of ids go into IN (...) a thousand at a time, well under SQLite's variable limit. */
function chunks(ids: readonly number[], size = 1_000): number[][] {
  const out: number[][] = [];
  for (let start = 0; start < ids.length; start += size) out.push(ids.slice(start, start + size));
  return out;
}

const placeholders = (values: readonly unknown[]): string => values.map(() => '?').join(', ');

const ENTRY_COLUMNS = 'interaction_id, queue_id, group_name, priority, work_kind, entered_at, queue_entered_at, returned, answered_at';

/** Everything the router needs to rebuild its indexes. */
export async function loadRoutingRows(sql: Sql): Promise<RoutingRows> {
  const agents = await sql.all<AgentRow>(
    'SELECT id, name, public_capacity, private_capacity, state, not_ready_reason, state_since, idle_since FROM agents ORDER BY id',
  );
  const agentSkills = await sql.all<{ agent_id: number; skill: string; level: number }>('SELECT agent_id, skill, level FROM agent_skills ORDER BY agent_id, skill');
  const agentGroups = await sql.all<{ agent_id: number; group_name: string }>('SELECT agent_id, group_name FROM agent_groups ORDER BY agent_id, group_name');
  const queues = await sql.all<QueueRow>(
    `SELECT id, name, priority, service_level_percent, service_level_within_ms, overflow_after_ms, overflow_every_ms, overflow_level_drop
     FROM queues ORDER BY id`,
  );
  const queueSkills = await sql.all<{ queue_id: number; skill: string; min_level: number }>('SELECT queue_id, skill, min_level FROM queue_skills ORDER BY queue_id, position');
  const entries = await sql.all<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM queue_entries ORDER BY interaction_id`);
  const openAssignments = await sql.all<AssignmentRow>(`SELECT ${ASSIGNMENT_COLUMNS.join(', ')} FROM assignments WHERE ended_at IS NULL ORDER BY id`);
  const last = await sql.get<{ id: number | null }>('SELECT max(id) AS id FROM assignments');
  return { agents, agentSkills, agentGroups, queues, queueSkills, entries, openAssignments, lastAssignmentId: last?.id ?? 0 };
}

// ---------------------------------------------------------------------------------------------
// Agents

export interface AgentDefinitionRow {
  name: string;
  publicCapacity: number;
  privateCapacity: number;
  skills: ReadonlyArray<readonly [skill: string, level: number]>;
  groups: readonly string[];
}

async function replaceAgentSkillsAndGroups(sql: Sql, agentId: number, definition: AgentDefinitionRow): Promise<void> {
  await sql.run('DELETE FROM agent_skills WHERE agent_id = ?', [agentId]);
  await sql.run('DELETE FROM agent_groups WHERE agent_id = ?', [agentId]);
  await sql.insertMany(
    'agent_skills',
    ['agent_id', 'skill', 'level'],
    definition.skills.map(([skill, level]) => [agentId, skill, level]),
  );
  await sql.insertMany(
    'agent_groups',
    ['agent_id', 'group_name'],
    definition.groups.map((group) => [agentId, group]),
  );
}

/** A new agent, offline and idle since `at`; returns its id. */
export async function insertAgentRow(sql: Sql, definition: AgentDefinitionRow, at: number): Promise<number> {
  const { lastID } = await sql.run(
    `INSERT INTO agents (name, public_capacity, private_capacity, state, not_ready_reason, state_since, idle_since, created_at, updated_at)
     VALUES (?, ?, ?, 'offline', NULL, ?, ?, ?, ?)`,
    [definition.name, definition.publicCapacity, definition.privateCapacity, at, at, at, at],
  );
  await replaceAgentSkillsAndGroups(sql, lastID, definition);
  return lastID;
}

/** Changes an agent's name, capacity, skills and groups (not its state). False: no such agent. */
export async function updateAgentDefinitionRow(sql: Sql, agentId: number, definition: AgentDefinitionRow, at: number): Promise<boolean> {
  const { changes } = await sql.run('UPDATE agents SET name = ?, public_capacity = ?, private_capacity = ?, updated_at = ? WHERE id = ?', [
    definition.name,
    definition.publicCapacity,
    definition.privateCapacity,
    at,
    agentId,
  ]);
  if (changes === 0) return false;
  await replaceAgentSkillsAndGroups(sql, agentId, definition);
  return true;
}

export interface AgentRuntimeRow {
  id: number;
  state: AgentStateName;
  reason: string | null;
  stateSince: number;
  idleSince: number;
}

export async function updateAgentRuntimeRows(sql: Sql, rows: readonly AgentRuntimeRow[], at: number): Promise<void> {
  for (const row of rows) {
    await sql.run('UPDATE agents SET state = ?, not_ready_reason = ?, state_since = ?, idle_since = ?, updated_at = ? WHERE id = ?', [
      row.state,
      row.reason,
      row.stateSince,
      row.idleSince,
      at,
      row.id,
    ]);
  }
}

/** One agent as stored, with skills and groups (to pick up a change made outside the router). */
export async function agentRows(
  sql: Sql,
  agentId: number,
): Promise<{ agent: AgentRow; skills: Array<{ skill: string; level: number }>; groups: string[] } | undefined> {
  const agent = await sql.get<AgentRow>(
    'SELECT id, name, public_capacity, private_capacity, state, not_ready_reason, state_since, idle_since FROM agents WHERE id = ?',
    [agentId],
  );
  if (!agent) return undefined;
  const skills = await sql.all<{ skill: string; level: number }>('SELECT skill, level FROM agent_skills WHERE agent_id = ? ORDER BY skill', [agentId]);
  const groups = await sql.all<{ group_name: string }>('SELECT group_name FROM agent_groups WHERE agent_id = ? ORDER BY group_name', [agentId]);
  return { agent, skills, groups: groups.map((row) => row.group_name) };
}

// ---------------------------------------------------------------------------------------------
// Queues

export interface QueueDefinitionRow {
  name: string;
  priority: number;
  serviceLevelPercent: number;
  serviceLevelWithinMs: number;
  overflow: { afterMs: number; everyMs: number; levelDrop: number } | null;
  /** Most important first. */
  skills: ReadonlyArray<{ skill: string; minLevel: number }>;
}

function queueValues(definition: QueueDefinitionRow): SqlValue[] {
  return [
    definition.name,
    definition.priority,
    definition.serviceLevelPercent,
    definition.serviceLevelWithinMs,
    definition.overflow?.afterMs ?? null,
    definition.overflow?.everyMs ?? null,
    definition.overflow?.levelDrop ?? null,
  ];
}

async function replaceQueueSkills(sql: Sql, queueId: number, definition: QueueDefinitionRow): Promise<void> {
  await sql.run('DELETE FROM queue_skills WHERE queue_id = ?', [queueId]);
  await sql.insertMany(
    'queue_skills',
    ['queue_id', 'position', 'skill', 'min_level'],
    definition.skills.map((need, position) => [queueId, position, need.skill, need.minLevel]),
  );
}

export async function insertQueueRow(sql: Sql, definition: QueueDefinitionRow, at: number): Promise<number> {
  const { lastID } = await sql.run(
    `INSERT INTO queues (name, priority, service_level_percent, service_level_within_ms, overflow_after_ms, overflow_every_ms, overflow_level_drop, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [...queueValues(definition), at, at],
  );
  await replaceQueueSkills(sql, lastID, definition);
  return lastID;
}

export async function updateQueueRow(sql: Sql, queueId: number, definition: QueueDefinitionRow, at: number): Promise<boolean> {
  const { changes } = await sql.run(
    `UPDATE queues SET name = ?, priority = ?, service_level_percent = ?, service_level_within_ms = ?, overflow_after_ms = ?, overflow_every_ms = ?,
       overflow_level_drop = ?, updated_at = ? WHERE id = ?`,
    [...queueValues(definition), at, queueId],
  );
  if (changes === 0) return false;
  await replaceQueueSkills(sql, queueId, definition);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Interactions in routing

/** What routing needs of an interaction: its state and the kind of message it came from. */
export function routableInteraction(sql: Sql, interactionId: number): Promise<{ state: InteractionState; kind: MessageKind; entered: number } | undefined> {
  return sql.get<{ state: InteractionState; kind: MessageKind; entered: number }>(
    `SELECT i.state, m.kind, (SELECT count(*) FROM queue_entries e WHERE e.interaction_id = i.id) AS entered
     FROM interactions i JOIN messages m ON m.id = i.message_id WHERE i.id = ?`,
    [interactionId],
  );
}

export interface NewEntryRow {
  interactionId: number;
  queueId: number | null;
  group: string | null;
  priority: number;
  workKind: WorkKindName;
  enteredAt: number;
}

export async function insertEntryRow(sql: Sql, row: NewEntryRow): Promise<void> {
  await sql.run(
    `INSERT INTO queue_entries (interaction_id, queue_id, group_name, priority, work_kind, entered_at, queue_entered_at, returned, answered_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, NULL)`,
    [row.interactionId, row.queueId, row.group, row.priority, row.workKind, row.enteredAt, row.enteredAt],
  );
}

/** The entries among these interactions that exist (committed), by interaction id. */
export async function entryRows(sql: Sql, interactionIds: readonly number[]): Promise<EntryRow[]> {
  const rows: EntryRow[] = [];
  for (const chunk of chunks(interactionIds)) {
    rows.push(...(await sql.all<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM queue_entries WHERE interaction_id IN (${placeholders(chunk)})`, chunk)));
  }
  return rows.sort((a, b) => a.interaction_id - b.interaction_id);
}

export interface EntryUpdateRow {
  interactionId: number;
  queueId: number | null;
  group: string | null;
  priority: number;
  queueEnteredAt: number;
  returned: boolean;
  answeredAt: number | null;
}

export async function updateEntryRows(sql: Sql, rows: readonly EntryUpdateRow[]): Promise<void> {
  for (const row of rows) {
    await sql.run('UPDATE queue_entries SET queue_id = ?, group_name = ?, priority = ?, queue_entered_at = ?, returned = ?, answered_at = ? WHERE interaction_id = ?', [
      row.queueId,
      row.group,
      row.priority,
      row.queueEnteredAt,
      row.returned ? 1 : 0,
      row.answeredAt,
      row.interactionId,
    ]);
  }
}

export async function deleteEntryRows(sql: Sql, interactionIds: readonly number[]): Promise<void> {
  for (const chunk of chunks(interactionIds)) await sql.run(`DELETE FROM queue_entries WHERE interaction_id IN (${placeholders(chunk)})`, chunk);
}

/**
 * Makes the routing tables agree with the interactions again after changes made outside the
 * router (an interaction completed or ignored without `release`, a crash of another writer):
 *   - entries of interactions no longer queued or assigned are dropped, their open assignments ended;
 *   - open assignments without an entry, or of an interaction back in `queued`, are ended (given back);
 *   - interactions `assigned` with no open assignment go back to `queued`.
 */
export async function repairRouting(sql: Sql, at: number): Promise<{ dropped: number; ended: number; requeued: number }> {
  const strays = await sql.all<{ interaction_id: number }>(
    `SELECT e.interaction_id FROM queue_entries e JOIN interactions i ON i.id = e.interaction_id
     WHERE i.state NOT IN ('queued', 'assigned') ORDER BY e.interaction_id`,
  );
  const strayIds = strays.map((row) => row.interaction_id);
  for (const chunk of chunks(strayIds)) {
    await sql.run(
      `UPDATE assignments SET ended_at = ?, end_reason = 'completed', end_detail = 'the interaction left routing outside it'
       WHERE ended_at IS NULL AND interaction_id IN (${placeholders(chunk)})`,
      [at, ...chunk],
    );
  }
  await deleteEntryRows(sql, strayIds);
  const { changes: ended } = await sql.run(
    `UPDATE assignments SET ended_at = ?, end_reason = 'returned', end_detail = 'the interaction was no longer assigned'
     WHERE ended_at IS NULL AND (
       NOT EXISTS (SELECT 1 FROM queue_entries e WHERE e.interaction_id = assignments.interaction_id)
       OR (SELECT state FROM interactions i WHERE i.id = assignments.interaction_id) <> 'assigned')`,
    [at],
  );
  const orphans = await sql.all<{ interaction_id: number }>(
    `SELECT e.interaction_id FROM queue_entries e JOIN interactions i ON i.id = e.interaction_id
     WHERE i.state = 'assigned' AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.interaction_id = e.interaction_id AND a.ended_at IS NULL)`,
  );
  for (const row of orphans) {
    await moveInteraction(sql, { id: row.interaction_id, from: 'assigned', to: 'queued', at, actor: 'routing', reason: 'no agent held it: back in its queue' });
  }
  return { dropped: strayIds.length, ended, requeued: orphans.length };
}

/** Interactions queued with no routing entry (queued before routing existed, or by a caller that never enqueued). */
export function unroutedQueuedIds(sql: Sql, limit: number): Promise<number[]> {
  return sql
    .all<{ id: number }>(
      `SELECT i.id FROM interactions i WHERE i.state = 'queued' AND NOT EXISTS (SELECT 1 FROM queue_entries e WHERE e.interaction_id = i.id)
       ORDER BY i.created_at, i.id LIMIT ?`,
      [limit],
    )
    .then((rows) => rows.map((row) => row.id));
}

// ---------------------------------------------------------------------------------------------
// Assignments

export type NewAssignmentRow = Omit<AssignmentRow, 'accepted_at' | 'ended_at' | 'end_reason' | 'end_detail'>;

/** Stores offers with the ids the router gave them. */
export async function insertAssignmentRows(sql: Sql, rows: readonly NewAssignmentRow[]): Promise<void> {
  await sql.insertMany(
    'assignments',
    ASSIGNMENT_COLUMNS,
    rows.map((row) => [
      row.id,
      row.interaction_id,
      row.agent_id,
      row.queue_id,
      row.group_name,
      row.work_kind,
      row.entered_at,
      row.offered_at,
      null,
      null,
      null,
      null,
      row.offered_by,
      row.explanation,
      row.why,
    ]),
  );
}

export async function acceptAssignmentRow(sql: Sql, assignmentId: number, at: number): Promise<boolean> {
  const { changes } = await sql.run('UPDATE assignments SET accepted_at = ? WHERE id = ? AND ended_at IS NULL AND accepted_at IS NULL', [at, assignmentId]);
  return changes === 1;
}

export async function endAssignmentRow(sql: Sql, end: { id: number; at: number; reason: AssignmentEndName; detail: string | null }): Promise<boolean> {
  const { changes } = await sql.run('UPDATE assignments SET ended_at = ?, end_reason = ?, end_detail = ? WHERE id = ? AND ended_at IS NULL', [
    end.at,
    end.reason,
    end.detail,
    end.id,
  ]);
  return changes === 1;
}

/** An interaction's assignments, oldest first (its routing history). */
export function assignmentRowsOf(sql: Sql, interactionId: number): Promise<AssignmentRow[]> {
  return sql.all<AssignmentRow>(`SELECT ${ASSIGNMENT_COLUMNS.join(', ')} FROM assignments WHERE interaction_id = ? ORDER BY id`, [interactionId]);
}

/**
 * Per queue, the interactions first accepted at or after `since` and how many of those were
 * accepted within the queue's service-level time (counted from first entering routing).
 */
export function firstAcceptancesSince(sql: Sql, since: number): Promise<Array<{ queue_id: number; answered: number; within: number }>> {
  return sql.all<{ queue_id: number; answered: number; within: number }>(
    `SELECT a.queue_id, count(*) AS answered, sum(a.accepted_at - a.entered_at <= q.service_level_within_ms) AS within
     FROM assignments a JOIN queues q ON q.id = a.queue_id
     WHERE a.accepted_at >= ? AND a.queue_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM assignments b WHERE b.interaction_id = a.interaction_id AND b.accepted_at < a.accepted_at)
     GROUP BY a.queue_id`,
    [since],
  );
}
