/**
 * Putting an action in the outbox. `enqueue` takes any statement runner, so a caller can put
 * an interaction's state change and its answer in one transaction: both commit, or neither
 * does. The item is due at once; the runner picks it up at its next pass (the runner's own
 * `enqueue` also nudges it).
 */
import twitterText from 'twitter-text';
import { DeskFailure, describeIssues } from '../contract';
import type { Sql } from '../store/db';
import { getOutboxRow, getOutboxRowByKey, insertOutboxRow, outboxReferences, type OutboxRow } from '../store/outbox';
import { ACTION_KINDS, OutboxAction, OutboxRequest, type OutboxItem } from './actions';
import { DEFAULT_DEADLINES, deadlineMs, type DeadlinePolicy } from './policy';

export interface EnqueueOptions {
  /** The deadline policy (default: DEFAULT_DEADLINES); the runner passes its own. */
  deadlines?: DeadlinePolicy;
}

/**
 * Stores an outbound action as `pending`, due now, and returns it. With an idempotency key
 * already used, returns the first item with that key and stores nothing. Bad input (a
 * malformed action, an X reply over 280 characters as X counts them, an unknown contact)
 * throws a DeskFailure('bad_input' | 'not_found') and stores nothing.
 */
export async function enqueue(sql: Sql, request: OutboxRequest, now: number, options: EnqueueOptions = {}): Promise<OutboxItem> {
  const parsed = OutboxRequest.safeParse(request);
  if (!parsed.success) throw new DeskFailure('bad_input', `outbox: ${describeIssues(parsed.error)}`);
  const item = parsed.data;
  const { action } = item;
  if (action.kind === 'x.reply') {
    const weighted = twitterText.parseTweet(action.text).weightedLength;
    if (weighted > 280) throw new DeskFailure('bad_input', `outbox: an X reply holds 280 characters as X counts them; this one has ${weighted}`);
  }

  if (item.idempotencyKey !== undefined) {
    const existing = await getOutboxRowByKey(sql, item.idempotencyKey);
    if (existing) return rowToItem(existing);
  }
  const refs = await outboxReferences(sql, item.contactId, item.interactionId);
  if (!refs.contact) throw new DeskFailure('not_found', `outbox: there is no contact ${item.contactId}`);
  if (!refs.interaction) throw new DeskFailure('not_found', `outbox: there is no interaction ${item.interactionId}`);

  const policy = options.deadlines ?? DEFAULT_DEADLINES;
  const deadlineAt = Math.max(now, item.deadlineAt ?? now + deadlineMs(policy, action.kind, item.origin));
  const { kind, ...fields } = action;
  const id = await insertOutboxRow(sql, {
    kind,
    platform: ACTION_KINDS[kind].platform,
    payload: JSON.stringify(fields),
    contactId: item.contactId,
    interactionId: item.interactionId,
    origin: item.origin,
    idempotencyKey: item.idempotencyKey ?? null,
    createdAt: now,
    deadlineAt,
  });
  const row = id === null ? await getOutboxRowByKey(sql, item.idempotencyKey ?? '') : await getOutboxRow(sql, id);
  if (!row) throw new Error('outbox: the item just stored cannot be read back');
  return rowToItem(row);
}

/** A stored row as the outside sees it. Throws if the stored action no longer parses (a damaged row). */
export function rowToItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    action: rowAction(row),
    platform: row.platform,
    contactId: row.contact_id,
    contactName: row.contact_name,
    interactionId: row.interaction_id,
    origin: row.origin as OutboxItem['origin'],
    idempotencyKey: row.idempotency_key,
    state: row.state,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deadlineAt: row.deadline_at,
    nextAttemptAt: row.next_attempt_at,
    attempts: row.attempts,
    lastError: row.last_error,
    reason: row.reason,
    inDoubt: row.doubt_since !== null,
    resultId: row.result_id,
    messageId: row.message_id,
    sentAt: row.sent_at,
  };
}

export function rowAction(row: Pick<OutboxRow, 'id' | 'kind' | 'payload'>): OutboxAction {
  let fields: unknown;
  try {
    fields = JSON.parse(row.payload);
  } catch (error) {
    throw new Error(`outbox item ${row.id}: its stored action is not JSON`, { cause: error });
  }
  const parsed = OutboxAction.safeParse({ ...(typeof fields === 'object' && fields !== null ? fields : {}), kind: row.kind });
  if (!parsed.success) throw new Error(`outbox item ${row.id}: its stored action does not parse (${describeIssues(parsed.error)})`);
  return parsed.data;
}
