/**
 * Completed work for the reports' tests, written through the store's own modules the way the
 * desk writes it: a contact and message, an interaction queued, offered to an agent from a queue,
 * accepted, answered (first response), completed with a code, and released (the assignment ends,
 * the routing entry goes).
 */
import type { MessageKind, Platform } from '../../electron/core/contract';
import type { Sql } from '../../electron/core/store/db';
import { addContact } from '../../electron/core/store/contacts';
import { completeInteraction, recordFirstResponse } from '../../electron/core/store/dispositions';
import { moveInteraction, openInteractions } from '../../electron/core/store/interactions';
import { insertNewMessages } from '../../electron/core/store/messages';
import { acceptAssignmentRow, deleteEntryRows, endAssignmentRow, insertAgentRow, insertAssignmentRows, insertEntryRow, insertQueueRow } from '../../electron/core/store/routing';

const KIND_OF: Record<Platform, MessageKind> = { x: 'x.mention', facebook: 'facebook.comment', messenger: 'messenger.message' };
const MINUTE = 60_000;

export function seedAgent(sql: Sql, name: string, at = 0): Promise<number> {
  return insertAgentRow(sql, { name, publicCapacity: 3, privateCapacity: 3, skills: [['english', 5]], groups: [] }, at);
}

export function seedQueue(sql: Sql, name: string, serviceLevel: { percent: number; withinMs: number } = { percent: 80, withinMs: 15 * MINUTE }, at = 0): Promise<number> {
  return insertQueueRow(sql, { name, priority: 50, serviceLevelPercent: serviceLevel.percent, serviceLevelWithinMs: serviceLevel.withinMs, overflow: null, skills: [] }, at);
}

export interface WorkSpec {
  channel: Platform;
  /** Arrival (the interaction's created_at). */
  arrivedAt: number;
  queueId: number;
  agentId: number;
  /** How long until the agent accepted it, answered, completed it (from arrival); default 2, 5, 10 minutes. */
  acceptedAfterMs?: number;
  answeredAfterMs?: number | null;
  answerVisibility?: 'public' | 'private';
  completedAt?: number;
  /** null: leave it assigned (not completed). */
  dispositionCodeId: number | null;
  note?: string;
  contactName?: string;
  text?: string;
  sentiment?: number;
  calendarOnArrival?: 'open' | 'closed' | 'emergency';
}

let counter = 0;

/** Seeds one piece of work per spec; returns the interaction ids in order. */
export async function seedWork(tx: Sql, specs: readonly WorkSpec[]): Promise<number[]> {
  const ids: number[] = [];
  for (const spec of specs) {
    counter += 1;
    const at = spec.arrivedAt;
    const contactId = await addContact(tx, {
      displayName: spec.contactName ?? `Customer ${counter}`,
      identities: [{ platform: spec.channel, platformUserId: `seed-user-${counter}-${at}`, handle: spec.channel === 'x' ? `customer${counter}` : null, name: spec.contactName ?? null }],
      at,
    });
    const [messageId] = await insertNewMessages(tx, [
      {
        platform: spec.channel,
        externalId: `seed-report-${counter}-${at}`,
        contactId,
        kind: KIND_OF[spec.channel],
        direction: 'inbound',
        visibility: spec.channel === 'x' || spec.channel === 'facebook' ? 'public' : 'private',
        text: spec.text ?? 'Where is my order?',
        conversationRef: null,
        inReplyToExternalId: null,
        createdAt: at,
        receivedAt: at,
      },
    ]);
    const [interactionId] = await openInteractions(tx, [{ messageId: messageId!, contactId }], at);
    const id = interactionId!;
    ids.push(id);
    if (spec.sentiment !== undefined || spec.calendarOnArrival !== undefined) {
      await tx.run('UPDATE interactions SET sentiment = ?, calendar_on_arrival = ? WHERE id = ?', [spec.sentiment ?? null, spec.calendarOnArrival ?? null, id]);
    }
    await moveInteraction(tx, { id, from: 'new', to: 'queued', at, actor: 'gate', reason: null });
    const workKind = spec.channel === 'messenger' ? 'private' : 'public';
    await insertEntryRow(tx, { interactionId: id, queueId: spec.queueId, group: null, priority: 50, workKind, enteredAt: at });
    const offeredAt = at + (spec.acceptedAfterMs ?? 2 * MINUTE) - 1000;
    const next = await tx.get<{ id: number }>('SELECT coalesce(max(id), 0) + 1 AS id FROM assignments');
    const assignmentId = next!.id;
    await insertAssignmentRows(tx, [
      {
        id: assignmentId,
        interaction_id: id,
        agent_id: spec.agentId,
        queue_id: spec.queueId,
        group_name: null,
        work_kind: workKind,
        entered_at: at,
        offered_at: offeredAt,
        offered_by: 'routing',
        explanation: 'seeded',
        why: JSON.stringify({ skills: [], droppedSkills: [], overflowStep: 0, group: null, idleMs: 0, slotsUsed: 0, slots: 3, movedBy: null }),
      },
    ]);
    await moveInteraction(tx, { id, from: 'queued', to: 'assigned', at: offeredAt, actor: 'routing', reason: null });
    await acceptAssignmentRow(tx, assignmentId, at + (spec.acceptedAfterMs ?? 2 * MINUTE));
    const answeredAfter = spec.answeredAfterMs === undefined ? 5 * MINUTE : spec.answeredAfterMs;
    if (answeredAfter !== null) await recordFirstResponse(tx, { interactionId: id, at: at + answeredAfter, visibility: spec.answerVisibility ?? 'public' });
    if (spec.dispositionCodeId === null) continue;
    const completedAt = spec.completedAt ?? at + 10 * MINUTE;
    await completeInteraction(tx, { interactionId: id, agentId: spec.agentId, dispositionCodeId: spec.dispositionCodeId, note: spec.note ?? null, at: completedAt, actor: 'seed' });
    await endAssignmentRow(tx, { id: assignmentId, at: completedAt, reason: 'completed', detail: 'completed' });
    await deleteEntryRows(tx, [id]);
  }
  return ids;
}

/** The id of a seeded default code by name. */
export async function codeId(sql: Sql, name: string): Promise<number> {
  const row = await sql.get<{ id: number }>('SELECT id FROM disposition_codes WHERE name = ?', [name]);
  if (!row) throw new Error(`no disposition code named ${name}`);
  return row.id;
}
