/**
 * The outbox runner: takes due items, records the intent, sends, and settles the outcome.
 *
 * One try of one item:
 *   1. intent: pending/retrying -> sending (attempts + 1), committed before anything goes out;
 *   2. if an earlier try's outcome was never seen (`doubt_since`) and the platform lets us look,
 *      look for what it posted; found: settle as sent, nothing goes out again;
 *   3. send;
 *   4. settle in one transaction: sent + the outbound message under the contact; or retrying
 *      (backoff, or the platform's reset); or failed (permanent, auth, deadline).
 * A crash anywhere between 1 and 4 leaves the item in `sending`; `start()` turns those into
 * in-doubt items due at once, so step 2 runs before any new request.
 *
 * Accounts run side by side (X, and the Facebook Page with Messenger), items of one account
 * one after another. A 429 holds its whole rate group until the reset; an auth error holds the
 * account until `setSender` gives it a new one. Time comes from the injected clock; the
 * runner's own timer only wakes it at the next due time (tests drive it with `kick()`).
 */
import { DeskFailure, describeIssues, type MessageKind, type Platform } from '../contract';
import type { Clock } from '../clock';
import { silentLogger, type Logger } from '../logger';
import type { Database, Sql } from '../store/db';
import {
  cancelOutboxRow,
  claimedOutboxResults,
  dueOutboxRows,
  findMessageByExternalId,
  getOutboxRow,
  latestConversationRef,
  listOutboxRows,
  markOutboxFailed,
  markOutboxRetrying,
  markOutboxSending,
  markOutboxSent,
  nextOutboxWake,
  recoverOutboxSending,
  rescheduleOutboxRow,
  resolveMergedContact,
  retryOutboxRowNow,
  storeOutboundMessage,
  type OutboxRow,
  type OutboxStateName,
} from '../store/outbox';
import type { NewMessage } from '../store/messages';
import { ACTION_KINDS, OutboxListInput, type OutboxAccount, type OutboxAction, type OutboxItem, type OutboxPage, type OutboxRequest } from './actions';
import { enqueue as enqueueItem, rowAction, rowToItem } from './enqueue';
import { OutboxSendError, asSendError } from './errors';
import { backoffDelay, backoffPolicy, deadlineMs, deadlinePolicy, type BackoffPolicy, type DeadlineOverrides, type DeadlinePolicy } from './policy';
import type { SendResult, Sender } from './senders/types';

/** Wakes the runner later. Real timers by default; `manualOutboxTimers` never fires (tests call `kick()`). */
export interface OutboxTimers {
  /** Calls `callback` after `ms` of real time; returns a function that cancels it. */
  schedule(callback: () => void, ms: number): () => void;
}

export const realOutboxTimers: OutboxTimers = {
  schedule(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export const manualOutboxTimers: OutboxTimers = { schedule: () => () => undefined };

export interface OutboxOptions {
  db: Database;
  clock: Clock;
  logger?: Logger;
  /** Who does the actions of each account; an account without one keeps its items waiting (until their deadline). */
  senders: Partial<Record<OutboxAccount, Sender>>;
  deadlines?: DeadlineOverrides;
  backoff?: Partial<BackoffPolicy>;
  timers?: OutboxTimers;
  /** An account's token was refused: the desk stops that account and alerts (Messenger rides on 'facebook'). */
  onAuthError?: (account: OutboxAccount, reason: string) => void;
  /** Items looked at per pass (default 50). */
  batchSize?: number;
  /** The longest the runner's timer sleeps before looking again (default 60 s), in case the clock jumps. */
  maxSleepMs?: number;
}

export interface Outbox {
  /** Resolves in-doubt items left by a crash (they are looked up before any new try) and starts working. */
  start(): Promise<void>;
  /** Stops taking items and waits for the try in flight to settle. */
  stop(): Promise<void>;
  /** Processes every due item now; resolves when the runner is idle again. A no-op unless started. */
  kick(): Promise<void>;
  /** `enqueue` with this outbox's deadlines and clock, then a nudge (the nudge waits for the caller's transaction). */
  enqueue(sql: Sql, request: OutboxRequest): Promise<OutboxItem>;
  /** A waiting item is due at once; a failed one waits again, due at once, with a fresh deadline. */
  retryNow(id: number): Promise<OutboxItem>;
  /** A waiting item (pending, retrying) ends as cancelled. */
  cancel(id: number, reason?: string): Promise<OutboxItem>;
  get(id: number): Promise<OutboxItem | null>;
  /** Newest first. */
  list(input?: OutboxListInput): Promise<OutboxPage>;
  /** Gives an account a (new) sender, or takes it away; also lifts a hold after an auth error. */
  setSender(account: OutboxAccount, sender: Sender | null): void;
  /** Accounts held after their token was refused, with the reason. */
  accountHolds(): Partial<Record<OutboxAccount, string>>;
}

const PLATFORMS_OF: Record<OutboxAccount, readonly Platform[]> = { x: ['x'], facebook: ['facebook', 'messenger'] };
const PLATFORM_NAME: Record<OutboxAccount, string> = { x: 'X', facebook: 'Facebook' };
const RECOVERED = 'The desk stopped while this was being sent; it looks on the platform for it before trying again.';
const MIN_SLEEP_MS = 500;

export function createOutbox(options: OutboxOptions, onChange?: (item: OutboxItem) => void): Outbox {
  const { db, clock } = options;
  const logger = options.logger ?? silentLogger;
  const timers = options.timers ?? realOutboxTimers;
  const deadlines: DeadlinePolicy = deadlinePolicy(options.deadlines);
  const backoff = backoffPolicy(options.backoff);
  const batchSize = Math.max(1, options.batchSize ?? 50);
  const maxSleepMs = Math.max(MIN_SLEEP_MS, options.maxSleepMs ?? 60_000);
  const senders: Partial<Record<OutboxAccount, Sender>> = { ...options.senders };
  const authHolds = new Map<OutboxAccount, string>();
  const rateHolds = new Map<string, number>();

  let started = false;
  let stopping = false;
  let dirty = false;
  let loop: Promise<void> | null = null;
  let cancelTimer: (() => void) | null = null;

  // ---- reading and telling -------------------------------------------------------------------

  async function emit(id: number): Promise<void> {
    if (!onChange) return;
    try {
      const row = await getOutboxRow(db, id);
      if (row) onChange(rowToItem(row));
    } catch (error) {
      logger.error('outbox.on-change-failed', { id, error });
    }
  }

  function usablePlatforms(): Platform[] {
    const out: Platform[] = [];
    for (const account of ['x', 'facebook'] as const) if (senders[account] && !authHolds.has(account)) out.push(...PLATFORMS_OF[account]);
    return out;
  }

  function doubtNote(doubtSince: number | null, account: OutboxAccount): string {
    return doubtSince === null ? '' : ` An earlier try may have reached ${PLATFORM_NAME[account]} unseen; the desk looks for it before any new try.`;
  }

  // ---- the loop ------------------------------------------------------------------------------

  function kick(): Promise<void> {
    if (!started || stopping) return loop ?? Promise.resolve();
    dirty = true;
    loop ??= (async () => {
      try {
        await drain();
        if (started && !stopping && !dirty) await arm();
      } finally {
        loop = null;
      }
      if (dirty && started && !stopping) void kick();
    })();
    return loop;
  }

  async function drain(): Promise<void> {
    cancelTimer?.();
    cancelTimer = null;
    while (dirty && !stopping) {
      dirty = false;
      try {
        const full = await pass();
        if (full) dirty = true;
      } catch (error) {
        logger.error('outbox.pass-failed', { error });
        return;
      }
    }
  }

  async function arm(): Promise<void> {
    cancelTimer?.();
    cancelTimer = null;
    let wake: number | null;
    try {
      wake = await nextOutboxWake(db, usablePlatforms());
    } catch (error) {
      logger.error('outbox.wake-failed', { error });
      wake = clock.now() + maxSleepMs;
    }
    if (!started || stopping) return;
    const delay = wake === null ? maxSleepMs : Math.min(maxSleepMs, Math.max(MIN_SLEEP_MS, wake - clock.now()));
    cancelTimer = timers.schedule(() => {
      cancelTimer = null;
      void kick();
    }, delay);
  }

  /** One look at what is due; true when the batch was full (there may be more). */
  async function pass(): Promise<boolean> {
    const rows = await dueOutboxRows(db, { now: clock.now(), platforms: usablePlatforms(), limit: batchSize });
    const byAccount = new Map<OutboxAccount, OutboxRow[]>();
    for (const row of rows) {
      const account = ACTION_KINDS[row.kind as OutboxAction['kind']]?.account ?? (row.platform === 'x' ? 'x' : 'facebook');
      const list = byAccount.get(account) ?? [];
      list.push(row);
      byAccount.set(account, list);
    }
    await Promise.all(
      [...byAccount.values()].map(async (list) => {
        for (const row of list) {
          if (stopping) return;
          try {
            await processRow(row);
          } catch (error) {
            logger.error('outbox.item-failed', { id: row.id, kind: row.kind, error });
          }
        }
      }),
    );
    return rows.length === batchSize;
  }

  // ---- one item ------------------------------------------------------------------------------

  async function failWaiting(row: OutboxRow, reason: string): Promise<void> {
    if (await markOutboxFailed(db, { id: row.id, at: clock.now(), reason, lastError: null, doubtSince: row.doubt_since, from: ['pending', 'retrying'] })) {
      logger.warn('outbox.failed', { id: row.id, kind: row.kind, attempts: row.attempts, why: 'ended while waiting' });
      await emit(row.id);
    }
  }

  async function processRow(row: OutboxRow): Promise<void> {
    let action: OutboxAction;
    try {
      action = rowAction(row);
    } catch (error) {
      logger.error('outbox.unreadable-item', { id: row.id, error });
      await failWaiting(row, 'Not sent: the stored action cannot be read (the database row is damaged).');
      return;
    }
    const info = ACTION_KINDS[action.kind];
    const account = info.account;
    const platformName = PLATFORM_NAME[account];
    const now = clock.now();
    const sender = senders[account];
    const held = authHolds.get(account);
    const late = now > row.deadline_at;

    if (!sender || held !== undefined) {
      // Only picked up because its deadline passed: nobody can send it, nobody can look.
      if (late) {
        const why = held !== undefined ? `Not sent: ${held}.` : `Not sent: no ${platformName} account was connected before the deadline.`;
        await failWaiting(row, why + doubtNote(row.doubt_since, account));
      }
      return;
    }
    if (late) {
      await endWithoutSending(row, action, sender, `Not sent: the deadline passed${row.last_error ? ` (last problem: ${row.last_error})` : ''}.`);
      return;
    }
    const hold = rateHolds.get(info.rateGroup);
    if (hold !== undefined && hold > now) {
      if (hold > row.deadline_at) {
        await endWithoutSending(row, action, sender, `Not sent: ${platformName}'s rate limit resets only after the deadline.`);
        return;
      }
      if (await rescheduleOutboxRow(db, { id: row.id, at: now, nextAttemptAt: hold, lastError: `Waiting for ${platformName}'s rate limit to reset.` })) await emit(row.id);
      return;
    }
    await attempt(row, action, sender, { lookOnly: false });
  }

  /** An item that may not be sent any more: if an earlier try may have landed, look first; else fail. */
  async function endWithoutSending(row: OutboxRow, action: OutboxAction, sender: Sender, reason: string): Promise<void> {
    if (row.doubt_since !== null && ACTION_KINDS[action.kind].inDoubt === 'look') {
      await attempt(row, action, sender, { lookOnly: true, reason });
      return;
    }
    await failWaiting(row, reason + doubtNote(row.doubt_since, ACTION_KINDS[action.kind].account));
  }

  async function attempt(row: OutboxRow, action: OutboxAction, sender: Sender, mode: { lookOnly: false } | { lookOnly: true; reason: string }): Promise<void> {
    const info = ACTION_KINDS[action.kind];
    const intentAt = clock.now();
    if (!(await markOutboxSending(db, row.id, intentAt))) return; // cancelled meanwhile
    await emit(row.id);
    const attempts = row.attempts + 1;
    const doubtSince = info.inDoubt === 'look' ? row.doubt_since : null;
    const lookFor = async (since: number): Promise<SendResult | null> =>
      sender.find(action, { since, exclude: await claimedOutboxResults(db, { kind: action.kind, since: since - 86_400_000, exceptId: row.id }) });

    let phase: 'look' | 'send' = 'look';
    let result: SendResult | null = null;
    let failure: OutboxSendError | null = null;
    try {
      if (doubtSince !== null) {
        result = await lookFor(doubtSince);
        if (result) logger.info('outbox.found-earlier-try', { id: row.id, kind: action.kind });
      }
      if (!result && !mode.lookOnly) {
        phase = 'send';
        result = await sender.send(action);
      }
    } catch (thrown) {
      failure = asSendError(thrown, PLATFORM_NAME[info.account]);
      if (phase === 'look' && failure.class === 'permanent') {
        // The platform refused the look, not the action: nothing is known yet, so try again later.
        failure = new OutboxSendError('transient', { reason: `Could not look on ${PLATFORM_NAME[info.account]} for an earlier try (${failure.reason})`, detail: `look: ${failure.detail}`, cause: failure });
      }
      if (phase === 'send' && failure.alreadyDone && doubtSince !== null) {
        // "Duplicate" / "already replied" after an unseen try: most likely ours. Look once more.
        result = await lookFor(doubtSince).catch(() => null);
        if (result) failure = null;
      }
    }
    if (result) await settleSent(row, action, result, intentAt);
    else if (failure) await settleError(row, action, failure, { phase, intentAt, attempts });
    else if (mode.lookOnly) await settleFailed(row, mode.reason, null, null, ['sending']); // looked: not there, and too late to send
  }

  async function settleFailed(row: OutboxRow, reason: string, lastError: string | null, doubtSince: number | null, from: readonly OutboxStateName[]): Promise<void> {
    if (await markOutboxFailed(db, { id: row.id, at: clock.now(), reason, lastError, doubtSince, from })) {
      logger.warn('outbox.failed', { id: row.id, kind: row.kind, attempts: row.attempts + 1 });
      await emit(row.id);
    }
  }

  async function settleError(row: OutboxRow, action: OutboxAction, error: OutboxSendError, context: { phase: 'look' | 'send'; intentAt: number; attempts: number }): Promise<void> {
    const info = ACTION_KINDS[action.kind];
    const account = info.account;
    const now = clock.now();
    const doubtSince = error.uncertain && context.phase === 'send' ? (row.doubt_since ?? context.intentAt) : row.doubt_since;
    logger.info('outbox.try-failed', { id: row.id, kind: action.kind, attempt: context.attempts, class: error.class, detail: error.detail, phase: context.phase });
    switch (error.class) {
      case 'auth': {
        authHolds.set(account, error.reason);
        await settleFailed(row, `Not sent: ${error.reason}.${doubtNote(doubtSince, account)}`, error.reason, doubtSince, ['sending']);
        try {
          options.onAuthError?.(account, error.reason);
        } catch (callbackError) {
          logger.error('outbox.on-auth-error-failed', { error: callbackError });
        }
        return;
      }
      case 'permanent':
        await settleFailed(row, error.reason + doubtNote(doubtSince, account), error.reason, doubtSince, ['sending']);
        return;
      case 'rate-limited': {
        const retryAt = Math.max(now + backoff.minMs, error.retryAt ?? now + Math.max(backoff.rateLimitFloorMs, backoffDelay(backoff, context.attempts)));
        rateHolds.set(info.rateGroup, retryAt);
        if (retryAt > row.deadline_at) {
          await settleFailed(row, `Not sent: ${PLATFORM_NAME[account]}'s rate limit resets only after the deadline.${doubtNote(doubtSince, account)}`, error.reason, doubtSince, ['sending']);
          return;
        }
        await settleRetrying(row, retryAt, error.reason, doubtSince);
        return;
      }
      case 'transient': {
        if (now >= row.deadline_at) {
          await settleFailed(row, `Not sent: the deadline passed (last problem: ${error.reason})${doubtNote(doubtSince, account)}`, error.reason, doubtSince, ['sending']);
          return;
        }
        await settleRetrying(row, Math.min(row.deadline_at, now + backoffDelay(backoff, context.attempts)), error.reason, doubtSince);
        return;
      }
    }
  }

  async function settleRetrying(row: OutboxRow, nextAttemptAt: number, lastError: string, doubtSince: number | null): Promise<void> {
    if (await markOutboxRetrying(db, { id: row.id, at: clock.now(), nextAttemptAt, lastError, doubtSince })) await emit(row.id);
  }

  async function settleSent(row: OutboxRow, action: OutboxAction, result: SendResult, intentAt: number): Promise<void> {
    const info = ACTION_KINDS[action.kind];
    const now = clock.now();
    if (result.holdUntil && result.holdUntil > now) rateHolds.set(info.rateGroup, result.holdUntil);
    try {
      await db.transaction(async (tx) => {
        let messageId: number | null = null;
        if (info.message && result.resultId !== null) messageId = await storeOutboundMessage(tx, await outboundMessage(tx, row, action, result, now));
        if (!(await markOutboxSent(tx, { id: row.id, at: now, resultId: result.resultId, messageId }))) throw new Error(`outbox item ${row.id} left 'sending' under the runner`);
      });
    } catch (error) {
      // The platform did it but the store could not say so: keep it in doubt so the next try looks first.
      logger.error('outbox.settle-failed', { id: row.id, kind: action.kind, error });
      await markOutboxRetrying(db, {
        id: row.id,
        at: now,
        nextAttemptAt: Math.min(row.deadline_at, now + backoffDelay(backoff, row.attempts + 1)),
        lastError: 'Sent, but the desk could not record it; it looks on the platform before trying again.',
        doubtSince: row.doubt_since ?? intentAt,
      }).catch(() => undefined);
      await emit(row.id);
      return;
    }
    logger.info('outbox.sent', { id: row.id, kind: action.kind, attempts: row.attempts + 1 });
    await emit(row.id);
  }

  // ---- the console's operations ----------------------------------------------------------------

  async function mustGet(id: number): Promise<OutboxRow> {
    const row = await getOutboxRow(db, id);
    if (!row) throw new DeskFailure('not_found', `there is no outbox item ${id}`);
    return row;
  }

  function refusal(row: OutboxRow, verb: string): DeskFailure {
    const why: Record<OutboxStateName, string> = {
      pending: 'it is waiting',
      retrying: 'it is waiting',
      sending: 'it is being sent right now; wait for the outcome',
      sent: 'it was sent already',
      failed: 'it has failed already',
      cancelled: 'it was cancelled already',
    };
    return new DeskFailure('conflict', `cannot ${verb} outbox item ${row.id}: ${why[row.state]}`);
  }

  return {
    async start() {
      if (started) return;
      started = true;
      stopping = false;
      const recovered = await recoverOutboxSending(db, clock.now(), RECOVERED);
      if (recovered.length > 0) logger.warn('outbox.in-doubt-after-restart', { ids: recovered.slice(0, 50), count: recovered.length });
      for (const id of recovered) await emit(id);
      void kick();
    },

    async stop() {
      if (!started) return;
      stopping = true;
      cancelTimer?.();
      cancelTimer = null;
      if (loop) await loop;
      started = false;
    },

    kick,

    async enqueue(sql, request) {
      const item = await enqueueItem(sql, request, clock.now(), { deadlines });
      // Not awaited: if `sql` is a transaction, these reads queue behind it and see the item
      // committed, or not at all if it rolled back.
      setImmediate(() => {
        void emit(item.id);
        void kick();
      });
      return item;
    },

    async retryNow(id) {
      const row = await mustGet(id);
      if (row.state !== 'pending' && row.state !== 'retrying' && row.state !== 'failed') throw refusal(row, 'retry');
      const action = rowAction(row);
      const now = clock.now();
      if (!(await retryOutboxRowNow(db, { id, at: now, deadlineAt: now + deadlineMs(deadlines, action.kind, row.origin as OutboxItem['origin']) }))) {
        throw refusal(await mustGet(id), 'retry');
      }
      await emit(id);
      void kick();
      return rowToItem(await mustGet(id));
    },

    async cancel(id, reason = 'Cancelled by an agent.') {
      const row = await mustGet(id);
      if (row.state === 'cancelled') return rowToItem(row);
      if (row.state !== 'pending' && row.state !== 'retrying') throw refusal(row, 'cancel');
      const account = ACTION_KINDS[row.kind as OutboxAction['kind']]?.account ?? 'x';
      if (!(await cancelOutboxRow(db, { id, at: clock.now(), reason: reason + doubtNote(row.doubt_since, account) }))) throw refusal(await mustGet(id), 'cancel');
      await emit(id);
      return rowToItem(await mustGet(id));
    },

    async get(id) {
      const row = await getOutboxRow(db, id);
      return row ? rowToItem(row) : null;
    },

    async list(input = {}) {
      const checked = OutboxListInput.safeParse(input);
      if (!checked.success) throw new DeskFailure('bad_input', `outbox list: ${describeIssues(checked.error)}`);
      const parsed = checked.data;
      const states = parsed.state === undefined ? null : Array.isArray(parsed.state) ? parsed.state : [parsed.state];
      const rows = await listOutboxRows(db, { states, limit: parsed.limit + 1, before: parsed.before ?? null });
      const page = rows.slice(0, parsed.limit);
      const last = page[page.length - 1];
      return { items: page.map(rowToItem), nextBefore: rows.length > parsed.limit && last ? last.id : null };
    },

    setSender(account, sender) {
      if (sender) senders[account] = sender;
      else delete senders[account];
      authHolds.delete(account);
      void kick();
    },

    accountHolds() {
      return Object.fromEntries(authHolds) as Partial<Record<OutboxAccount, string>>;
    },
  };
}

/** The history row for what was sent: under the contact (merges followed), in the thread it answers. */
async function outboundMessage(tx: Sql, row: OutboxRow, action: OutboxAction, result: SendResult, now: number): Promise<NewMessage> {
  const info = ACTION_KINDS[action.kind];
  const message = info.message;
  if (!message || result.resultId === null) throw new Error(`outbox item ${row.id}: ${action.kind} leaves no message`);
  const contactId = await resolveMergedContact(tx, row.contact_id);
  let kind: MessageKind = message.kind;
  let conversationRef = result.conversationRef ?? null;
  let inReplyTo: string | null = null;
  switch (action.kind) {
    case 'x.reply': {
      inReplyTo = action.inReplyToTweetId;
      conversationRef ??= (await findMessageByExternalId(tx, 'x', inReplyTo))?.conversation_ref ?? null;
      break;
    }
    case 'facebook.comment': {
      inReplyTo = action.objectId;
      const target = await findMessageByExternalId(tx, 'facebook', inReplyTo);
      // Under a post it is a comment; under a comment (or a reply) it is a reply.
      kind = target && target.kind !== 'facebook.post' ? 'facebook.reply' : 'facebook.comment';
      conversationRef ??= target?.conversation_ref ?? null;
      break;
    }
    case 'facebook.private-reply':
      inReplyTo = action.commentId;
      break;
    case 'messenger.send':
      conversationRef ??= await latestConversationRef(tx, contactId, 'messenger');
      break;
    default:
      break;
  }
  return {
    platform: info.platform,
    externalId: result.resultId,
    contactId,
    kind,
    direction: 'outbound',
    visibility: message.visibility,
    text: 'text' in action ? action.text : '',
    conversationRef,
    inReplyToExternalId: inReplyTo,
    createdAt: now,
    receivedAt: now,
  };
}
