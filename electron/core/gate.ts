/**
 * The calendar gate: the stage after ingest. Each new interaction meets the calendar: open, it
 * goes on to routing (queued); closed (emergency, special day, outside hours), the customer gets
 * the closed-desk answer through the outbox, at most once per closed period, and the interaction
 * waits for the desk to reopen. When the desk reopens, the waiting ones go on, oldest first.
 *
 * The gate works from the interactions' states, not from events: after a crash it simply
 * finds the `new` ones again, and the outbox's idempotency key keeps the answer single.
 */
import type { CalendarConfig, EmergencyState } from './calendar/schema';
import { decide, renderClosedAnswer, type ClosedDecision } from './calendar';
import type { Clock } from './clock';
import type { DeskEvent } from './contract';
import type { Logger } from './logger';
import type { Outbox, OutboxAction } from './outbox';
import type { Store } from './store';
import { interactionsInState, moveInteraction, type PendingInteraction } from './store/interactions';

const BATCH = 200;

export interface GateContext {
  calendar: CalendarConfig;
  emergency: EmergencyState;
  deskName: string;
  timeFormat: '24h' | '12h';
}

export interface CalendarGateOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  outbox: Outbox;
  context(): Promise<GateContext>;
  emit(event: DeskEvent): void;
}

function inboundVisibility(kind: PendingInteraction['kind']): 'public' | 'private' {
  return kind === 'x.dm' || kind === 'messenger.message' ? 'private' : 'public';
}

/** The outbound action that carries a closed-desk answer back on the channel it came from. */
export function answerAction(item: PendingInteraction, visibility: 'public' | 'private', text: string): OutboxAction | null {
  switch (item.platform) {
    case 'x':
      if (visibility === 'private' || item.kind === 'x.dm') return item.authorId ? { kind: 'x.dm', participantId: item.authorId, text } : null;
      return { kind: 'x.reply', inReplyToTweetId: item.externalId, text };
    case 'facebook':
      // Facebook's private reply exists for comments; a visitor post is answered on the post.
      if (visibility === 'private' && item.kind !== 'facebook.post') return { kind: 'facebook.private-reply', commentId: item.externalId, text };
      return { kind: 'facebook.comment', objectId: item.externalId, text };
    case 'messenger':
      return item.authorId ? { kind: 'messenger.send', psid: item.authorId, text } : null;
  }
}

export class CalendarGate {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(private readonly options: CalendarGateOptions) {}

  /** Gate everything new and release what waits if the desk is open; runs one pass at a time. */
  sweep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass()
      .catch((error: unknown) => this.options.logger.error('calendar gate pass failed', { error }))
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) {
          this.again = false;
          void this.sweep();
        }
      });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async pass(): Promise<void> {
    const { store, clock, outbox } = this.options;
    const context = await this.options.context();
    let nextCheck: number | null = null;
    for (;;) {
      const batch = await interactionsInState(store.db, 'new', BATCH);
      if (batch.length === 0) break;
      const now = clock.now();
      const changes: { interactionId: number; state: 'queued' | 'waiting-for-open' }[] = [];
      await store.db.transaction(async (tx) => {
        for (const item of batch) {
          const decision = decide({ calendar: context.calendar, emergency: context.emergency, at: now, channel: item.platform, inbound: inboundVisibility(item.kind) });
          if (decision.state === 'open') {
            if (await moveInteraction(tx, { id: item.id, from: 'new', to: 'queued', at: now, actor: 'calendar', reason: 'the desk is open' })) changes.push({ interactionId: item.id, state: 'queued' });
            continue;
          }
          await this.answer(tx, item, decision, context);
          if (await moveInteraction(tx, { id: item.id, from: 'new', to: 'waiting-for-open', at: now, actor: 'calendar', reason: `closed (${decision.reason}): ${decision.reopens}` })) {
            changes.push({ interactionId: item.id, state: 'waiting-for-open' });
          }
        }
      });
      if (changes.length > 0) this.options.emit({ type: 'interactionsChanged', payload: { changes } });
      if (batch.length < BATCH) break;
    }
    // Release what waited, oldest first, once the desk is open again.
    const now = clock.now();
    const open = decide({ calendar: context.calendar, emergency: context.emergency, at: now, channel: 'x' });
    if (open.state === 'open') {
      for (;;) {
        const waiting = await interactionsInState(store.db, 'waiting-for-open', BATCH);
        if (waiting.length === 0) break;
        await store.db.transaction(async (tx) => {
          for (const item of waiting) await moveInteraction(tx, { id: item.id, from: 'waiting-for-open', to: 'queued', at: now, actor: 'calendar', reason: 'the desk reopened' });
        });
        this.options.emit({ type: 'interactionsChanged', payload: { changes: waiting.map((item) => ({ interactionId: item.id, state: 'queued' as const })) } });
        if (waiting.length < BATCH) break;
      }
    } else {
      nextCheck = open.reopensAt;
    }
    void outbox.kick();
    this.scheduleAt(nextCheck);
  }

  private async answer(tx: Parameters<Parameters<Store['db']['transaction']>[0]>[0], item: PendingInteraction, decision: ClosedDecision, context: GateContext): Promise<void> {
    const { visibility, text } = renderClosedAnswer(decision, { ...context, contactName: item.contactName });
    const action = answerAction(item, visibility, text);
    if (!action) {
      this.options.logger.warn('no way to answer this closed-desk message', { interactionId: item.id, platform: item.platform });
      return;
    }
    // One answer per contact per closed period: the outbox keeps the first item with this key.
    const idempotencyKey = context.calendar.answerOncePerClosedPeriod ? `closed-answer:${item.contactId}:${decision.period.key}` : `closed-answer:interaction:${item.id}`;
    await this.options.outbox.enqueue(tx, { action, contactId: item.contactId, interactionId: item.id, origin: 'closed-desk', idempotencyKey });
  }

  /** Wake at the reopening (capped, so a changed calendar or a clock jump is seen within a minute). */
  private scheduleAt(reopensAt: number | null): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.stopped) return;
    const wait = reopensAt === null ? 60_000 : Math.min(60_000, Math.max(1_000, reopensAt - this.options.clock.now()));
    this.timer = setTimeout(() => void this.sweep(), wait);
    this.timer.unref?.();
  }
}
