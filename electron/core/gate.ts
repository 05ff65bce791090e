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
import { CONTACT_NAME_UNKNOWN, decide, fillPlaceholders, renderClosedAnswer, type ClosedDecision, type DeskDecision } from './calendar';
import type { Clock } from './clock';
import type { DeskEvent } from './contract';
import type { Logger } from './logger';
import type { Outbox, OutboxAction, OutboxRequest } from './outbox';
import { DeskFailure, type InteractionState } from './contract';
import { workKindOf, type Router, type EnqueueTarget } from './routing';
import { DEFAULT_QUEUE, NEGATIVE_AT, type RuleDecision, type RuleSend } from './rules';
import { calendarStateOf, isRuleEventType, startOfDay, storedRoute, type RulesStage } from './rules-stage';
import type { Store } from './store';
import type { Sql } from './store/db';
import { interactionsInState, moveInteraction, type PendingInteraction } from './store/interactions';
import { complaintThreadReplies, countAutoLikesSince, openPrivateInteractions, routesOf, writeRuleDecision, type StoredRoute } from './store/rule-decisions';

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
  router: Router;
  rules: RulesStage;
  context(): Promise<GateContext>;
  emit(event: DeskEvent): void;
}

/** How the customer wrote: a DM or Messenger message is private (routing's work kinds say the same). */
const inboundVisibility = (kind: PendingInteraction['kind']): 'public' | 'private' => workKindOf(kind);

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
    const { store, clock, outbox, router } = this.options;
    const context = await this.options.context();
    let nextCheck: number | null = null;
    // Each loop checks `stopped`: a desk shutting down finishes the batch in hand, not a backlog.
    for (;;) {
      if (this.stopped) return;
      const batch = await interactionsInState(store.db, 'new', BATCH);
      if (batch.length === 0) break;
      const now = clock.now();
      const inComplaintThread = await complaintThreadReplies(store.db, batch, NEGATIVE_AT);
      const likes = { today: await countAutoLikesSince(store.db, startOfDay(now, context.calendar.zone)) };
      const changes: { interactionId: number; state: InteractionState }[] = [];
      await store.db.transaction(async (tx) => {
        // Read inside the transaction: an agent completing a chat meanwhile must not swallow its next message.
        const openChats = await openPrivateInteractions(tx, [...new Set(batch.map((item) => item.contactId))]);
        for (const item of batch) {
          const state = await this.triage(tx, item, context, now, inComplaintThread.has(item.messageId), likes, openChats);
          if (state) changes.push({ interactionId: item.id, state });
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
        if (this.stopped) return;
        const waiting = await interactionsInState(store.db, 'waiting-for-open', BATCH);
        if (waiting.length === 0) break;
        const routes = await routesOf(store.db, waiting.map((item) => item.id));
        const released: number[] = [];
        await store.db.transaction(async (tx) => {
          for (const item of waiting) {
            if (await moveInteraction(tx, { id: item.id, from: 'waiting-for-open', to: 'queued', at: now, actor: 'calendar', reason: 'the desk reopened' })) {
              await this.route(tx, item.id, routes.get(item.id) ?? null);
              released.push(item.id);
            }
          }
        });
        if (released.length > 0) this.options.emit({ type: 'interactionsChanged', payload: { changes: released.map((interactionId) => ({ interactionId, state: 'queued' as const })) } });
        if (waiting.length < BATCH) break;
      }
      // Queued before routing existed, or left unrouted by a route that could not be taken.
      const unrouted = await router.unrouted(BATCH);
      if (unrouted.length > 0) {
        const routes = await routesOf(store.db, unrouted);
        await store.db.transaction(async (tx) => {
          for (const id of unrouted) await this.route(tx, id, routes.get(id) ?? null);
        });
      }
    } else {
      nextCheck = open.reopensAt;
    }
    void outbox.kick();
    this.scheduleAt(nextCheck);
  }

  /**
   * One new interaction: the rules decide (with the calendar's state, today's automatic likes and
   * the complaint-thread fact), the decision is stored with it, the desk's own sends go to the
   * outbox, and it ends ignored, auto-handled, queued (routed) or waiting for the desk to reopen.
   */
  private async triage(
    tx: Sql,
    item: PendingInteraction,
    context: GateContext,
    now: number,
    inComplaintThread: boolean,
    likes: { today: number },
    openChats: Map<string, number>,
  ): Promise<InteractionState | null> {
    if (inboundVisibility(item.kind) === 'private') {
      // A live chat (R18): the customer's next message belongs to the conversation already open
      // with the desk, not to a new piece of work in the queue. It stays in the history.
      const chatKey = `${item.contactId}:${item.platform}`;
      const open = openChats.get(chatKey);
      if (open !== undefined && open !== item.id) {
        return (await moveInteraction(tx, { id: item.id, from: 'new', to: 'ignored', at: now, actor: 'rules', reason: `continues the open conversation (interaction ${open})` })) ? 'ignored' : null;
      }
    }
    const state = await this.decideOne(tx, item, context, now, inComplaintThread, likes);
    if ((state === 'queued' || state === 'waiting-for-open') && inboundVisibility(item.kind) === 'private') openChats.set(`${item.contactId}:${item.platform}`, item.id);
    return state;
  }

  private async decideOne(tx: Sql, item: PendingInteraction, context: GateContext, now: number, inComplaintThread: boolean, likes: { today: number }): Promise<InteractionState | null> {
    const calendarDecision = decide({ calendar: context.calendar, emergency: context.emergency, at: now, channel: item.platform, inbound: inboundVisibility(item.kind) });
    const arrival = context.emergency.on ? 'emergency' : calendarDecision.state;
    if (!isRuleEventType(item.kind)) {
      // Not a message a customer sends (an outbound kind): nothing for the rules; route it as the default would.
      return this.gateRouted(tx, item, calendarDecision, context, now, null);
    }
    let ruling: RuleDecision;
    try {
      ruling = this.options.rules.decide({
        text: item.text,
        kind: item.kind,
        lang: item.lang,
        at: now,
        calendarState: calendarStateOf(calendarDecision),
        replyInComplaintThread: inComplaintThread,
        autoLikesToday: likes.today,
      });
    } catch (error) {
      // A bug in the rules must not hold up every message behind this one: it goes to the default queue.
      this.options.logger.error('the rules could not decide; the default queue takes it', { interactionId: item.id, error });
      return this.gateRouted(tx, item, calendarDecision, context, now, null, 'the rules failed (see the log)');
    }
    const route = storedRoute(ruling.route);
    await writeRuleDecision(tx, item.id, { decision: ruling, route, sentiment: ruling.sentiment.score, calendarOnArrival: arrival });
    let sent = 0;
    for (const send of ruling.sends) if (await this.send(tx, item, send, context, likes)) sent += 1;
    const because = `rule "${ruling.rule.name}"`;
    if (ruling.outcome === 'ignored') {
      return (await moveInteraction(tx, { id: item.id, from: 'new', to: 'ignored', at: now, actor: 'rules', reason: `${because}: ignore` })) ? 'ignored' : null;
    }
    if (ruling.outcome === 'auto-handled' && sent === 0) {
      // Nothing the rule wanted could be sent (the outbox refused it): a person must see the message.
      return this.gateRouted(tx, item, calendarDecision, context, now, null, `${because} could not act, so the default queue`);
    }
    if (ruling.outcome === 'auto-handled') {
      const what = ruling.sends.map((send) => send.type).join(' and ') || 'nothing to send';
      return (await moveInteraction(tx, { id: item.id, from: 'new', to: 'auto-handled', at: now, actor: 'rules', reason: `${because}: ${what}` })) ? 'auto-handled' : null;
    }
    return this.gateRouted(tx, item, calendarDecision, context, now, route, because);
  }

  /** A routed interaction meets the calendar: open, it enters its queue; closed, it gets the closed-desk answer and waits. */
  private async gateRouted(tx: Sql, item: PendingInteraction, decision: DeskDecision, context: GateContext, now: number, route: StoredRoute | null, because = 'the default route'): Promise<InteractionState | null> {
    if (decision.state === 'open') {
      if (!(await moveInteraction(tx, { id: item.id, from: 'new', to: 'queued', at: now, actor: 'calendar', reason: `the desk is open; ${because}` }))) return null;
      await this.route(tx, item.id, route);
      return 'queued';
    }
    await this.answer(tx, item, decision, context);
    return (await moveInteraction(tx, { id: item.id, from: 'new', to: 'waiting-for-open', at: now, actor: 'calendar', reason: `closed (${decision.reason}): ${decision.reopens}` })) ? 'waiting-for-open' : null;
  }

  /**
   * Puts a queued interaction where its rule said. A queue that no longer exists, or a group nobody
   * is in, sends it to the default queue instead: work never waits where no one can take it.
   */
  private async route(tx: Sql, interactionId: number, route: StoredRoute | null): Promise<void> {
    const { router, logger } = this.options;
    const queues = router.queues();
    const byName = (name: string) => queues.find((queue) => queue.name.toLowerCase() === name.toLowerCase()) ?? null;
    const fallback = byName(DEFAULT_QUEUE) ?? queues[0] ?? null;
    let target: EnqueueTarget | null = null;
    if (route && 'group' in route) {
      if (router.agents().some((agent) => agent.groups.includes(route.group))) target = { group: route.group, priority: route.priority };
    } else if (route) {
      const queue = byName(route.queue);
      if (queue) target = { queueId: queue.id, priority: route.priority };
    }
    if (!target && fallback) {
      if (route) logger.warn('route not available: the default queue takes it', { interactionId, route, queue: fallback.name });
      target = { queueId: fallback.id, priority: route?.priority };
    }
    if (!target) {
      logger.warn('no queue exists: the interaction stays queued until one does', { interactionId });
      return;
    }
    try {
      await router.enqueue(tx, interactionId, target);
    } catch (error) {
      // Refused before it wrote anything: the interaction stays queued and unrouted, and the next sweep tries again.
      logger.error('routing refused the interaction; it stays queued', { interactionId, target, error });
    }
  }

  /** One of the desk's own sends (R12 auto-reply, R14 like / retweet), once per interaction. */
  /** True when the outbox took it. */
  private async send(tx: Sql, item: PendingInteraction, send: RuleSend, context: GateContext, likes: { today: number }): Promise<boolean> {
    const { logger } = this.options;
    let action: OutboxAction | null;
    if (send.type === 'reply') {
      const text = fillPlaceholders(send.template, { contact_name: item.contactName.trim() || CONTACT_NAME_UNKNOWN, desk_name: context.deskName });
      action = answerAction(item, send.visibility, text);
    } else if (send.type === 'like') {
      action = item.platform === 'x' ? { kind: 'x.like', tweetId: item.externalId } : item.platform === 'facebook' ? { kind: 'facebook.like', objectId: item.externalId } : null;
    } else {
      action = item.platform === 'x' ? { kind: 'x.retweet', tweetId: item.externalId } : null;
    }
    if (!action) {
      logger.warn('a rule asked for a send this channel cannot carry', { interactionId: item.id, send: send.type, platform: item.platform });
      return false;
    }
    const taken = await this.enqueueOrLog(tx, {
      action,
      contactId: item.contactId,
      interactionId: item.id,
      origin: send.origin,
      idempotencyKey: `rule:${item.id}:${send.type}`,
      ...(send.type === 'reply' && send.deadlineAt !== null ? { deadlineAt: send.deadlineAt } : {}),
    });
    if (taken && send.type !== 'reply') likes.today += 1;
    return taken;
  }

  private async answer(tx: Sql, item: PendingInteraction, decision: ClosedDecision, context: GateContext): Promise<void> {
    const { visibility, text } = renderClosedAnswer(decision, { ...context, contactName: item.contactName });
    const action = answerAction(item, visibility, text);
    if (!action) {
      this.options.logger.warn('no way to answer this closed-desk message', { interactionId: item.id, platform: item.platform });
      return;
    }
    // One answer per contact per closed period: the outbox keeps the first item with this key.
    const idempotencyKey = context.calendar.answerOncePerClosedPeriod ? `closed-answer:${item.contactId}:${decision.period.key}` : `closed-answer:interaction:${item.id}`;
    await this.enqueueOrLog(tx, { action, contactId: item.contactId, interactionId: item.id, origin: 'closed-desk', idempotencyKey });
  }

  /**
   * The outbox checks an action before it writes anything (a text too long for the platform, a
   * bad id): one message it refuses is logged and skipped, never a reason to hold up the rest.
   */
  private async enqueueOrLog(tx: Sql, request: OutboxRequest): Promise<boolean> {
    try {
      await this.options.outbox.enqueue(tx, request);
      return true;
    } catch (error) {
      if (!(error instanceof DeskFailure)) throw error;
      this.options.logger.error('the outbox refused a send of the desk\'s own; it is skipped', { interactionId: request.interactionId, origin: request.origin, kind: request.action.kind, reason: error.message });
      return false;
    }
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
