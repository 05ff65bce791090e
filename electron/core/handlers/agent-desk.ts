/**
 * The agent-desk commands' handlers (see api/agent-desk.ts): an agent's work, the conversation,
 * replies, "move to private", reactions, completion with a disposition code, transfer, canned
 * responses. The rules of what may be sent are in ../agent-desk (pure); the SQL in
 * ../store/agent-desk.ts; every send goes through the outbox inside a store transaction.
 *
 * An action on an interaction runs in this order, so bad input changes nothing:
 *   1. the agent must hold it (routing's assignment, offered or accepted);
 *   2. the whole action is checked against the facts as they are (texts, windows, once-only rules);
 *   3. offered work is accepted (the agent is working it now);
 *   4. one transaction checks again, enqueues the sends and records the first response.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  CannedResponse,
  DeskFailure,
  type Agent,
  type Assignment,
  type CommandArgs,
  type ConversationView,
  type InteractionDetail,
  type JsonValue,
  type OutboxItem,
  type Reaction,
  type WorkItem,
} from '../contract';
import type { agentDeskCommands } from '../api/agent-desk';
import type { DeskParts, HandlersFor } from '../commands';
import { readInteractionDetail } from './routing';
import {
  agentTimeFormatter,
  canMoveToPrivate,
  cannedResponseProblems,
  DEFAULT_CANNED_RESPONSES,
  doneReactions,
  inboundVisibility,
  reactionAction,
  reactionOptions,
  reactionProblem,
  replyAction,
  replyChannels,
  replyProblem,
  type MessageFacts,
  type RuleClock,
} from '../agent-desk';
import { rowToItem } from '../outbox';
import type { Sql } from '../store/db';
import { appendAudit } from '../store/audit';
import { getContact } from '../store/contacts';
import { completeInteraction, getDispositionCode, recordFirstResponse } from '../store/dispositions';
import { contactHistory } from '../store/messages';
import { getOutboxRowByKey } from '../store/outbox';
import { readSettings } from '../store/settings';
import {
  answerTarget,
  answerTargets,
  contactOutboxRows,
  latestInbound,
  outboxRowsOn,
  readCannedResponsesRow,
  writeCannedResponsesRow,
  type AnswerTarget,
} from '../store/agent-desk';

const DAY = 86_400_000;
/** The conversation shows what ended (sent, cancelled) this recently, besides everything still open or failed. */
const OUTBOX_ENDED_WINDOW_MS = 7 * DAY;
const OUTBOX_SHOWN = 100;
const HISTORY_SHOWN = 200;
const REACTION_KINDS = ['x.like', 'x.unlike', 'x.retweet', 'x.unretweet', 'x.hide-reply', 'facebook.like', 'facebook.unlike', 'facebook.hide'] as const;

function refuse(code: 'bad_input' | 'not_found' | 'conflict', message: string): never {
  throw new DeskFailure(code, message);
}

/** A short, stable digest of a text for an idempotency key (keys hold at most 200 characters). */
function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

export function agentDeskHandlers(parts: DeskParts): HandlersFor<typeof agentDeskCommands> {
  const { store, clock, router, outbox } = parts;

  async function ruleClock(): Promise<RuleClock> {
    const { settings } = await readSettings(store.db);
    return { now: clock.now(), formatTime: agentTimeFormatter(settings.timeZone, settings.timeFormat) };
  }

  /** The facts the reply and reaction rules need, read now (inside a transaction when given one). */
  async function factsOf(sql: Sql, target: AnswerTarget): Promise<MessageFacts> {
    let privateReply: MessageFacts['privateReply'] = null;
    if (target.kind === 'facebook.comment' || target.kind === 'facebook.reply') {
      const rows = await outboxRowsOn(sql, target.contactId, ['facebook.private-reply'], target.externalId);
      // Failed and cancelled tries used nothing up: Facebook saw no private reply from them.
      const used = rows.find((row) => row.state !== 'failed' && row.state !== 'cancelled');
      if (used) privateReply = { at: used.sent_at ?? used.created_at, sent: used.state === 'sent' };
    }
    const last = target.platform === 'messenger' ? await latestInbound(sql, target.contactId, 'messenger') : null;
    return {
      platform: target.platform,
      kind: target.kind,
      externalId: target.externalId,
      createdAt: target.createdAt,
      authorId: target.authorId,
      handle: target.handle,
      privateReply,
      lastCustomerMessageAt: last?.createdAt ?? null,
    };
  }

  async function reactionRecords(sql: Sql, target: AnswerTarget): Promise<OutboxItem[]> {
    const rows = await outboxRowsOn(sql, target.contactId, REACTION_KINDS, target.externalId);
    return rows.map(rowToItem);
  }

  /**
   * The interaction, the agent, and the agent's assignment of it; refused unless the agent holds
   * it now (offered or accepted).
   */
  async function held(what: string, interactionId: number, agentId: number): Promise<{ target: AnswerTarget; agent: Agent; assignment: Assignment }> {
    const agent = router.agent(agentId) ?? refuse('not_found', `${what}: there is no agent ${agentId}`);
    const target = (await answerTarget(store.db, interactionId)) ?? refuse('not_found', `${what}: there is no interaction ${interactionId}`);
    if (target.state === 'completed') refuse('conflict', `${what}: interaction ${interactionId} is already completed`);
    const assignment = router.assignment(interactionId);
    if (!assignment || assignment.agentId !== agentId) {
      const where = assignment ? `${assignment.agentName} holds it` : target.state === 'queued' ? 'it waits in a queue' : `it is ${target.state}`;
      refuse('conflict', `${what}: interaction ${interactionId} is not on ${agent.name}'s desk (${where})`);
    }
    return { target, agent, assignment };
  }

  /** Offered work the agent acts on is theirs from now: accept it first (idempotent). */
  async function acceptIfOffered(assignment: Assignment): Promise<void> {
    if (assignment.acceptedAt === null) await router.accept(assignment.interactionId, assignment.agentId);
  }

  /** What makes a repeated command the same command: the customer's latest message on that platform and the text. */
  async function replyKey(prefix: string, target: AnswerTarget, text: string): Promise<string> {
    const latest = await latestInbound(store.db, target.contactId, target.platform);
    return `${prefix}:${target.interactionId}:${latest?.id ?? target.messageId}:${digest(text)}`;
  }

  async function existingByKey(sql: Sql, key: string): Promise<OutboxItem | null> {
    const row = await getOutboxRowByKey(sql, key);
    return row ? rowToItem(row) : null;
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  const interactionDetail = (interactionId: number): Promise<InteractionDetail> => readInteractionDetail(parts, interactionId, 'getConversation');

  async function readCanned(): Promise<CannedResponse[]> {
    const row = await readCannedResponsesRow(store.db);
    if (!row) return [...DEFAULT_CANNED_RESPONSES];
    // A stored list from an older or newer desk: keep every response that still reads.
    const list = z.array(z.unknown()).safeParse(row.value);
    if (!list.success) return [];
    return list.data.flatMap((value) => {
      const parsed = CannedResponse.safeParse(value);
      return parsed.success ? [parsed.data] : [];
    });
  }

  // -------------------------------------------------------------------------------------------
  // Sending

  type SendReplyArgs = CommandArgs<'sendReply'>;

  async function sendReply({ interactionId, agentId, visibility, text }: SendReplyArgs): Promise<OutboxItem> {
    const what = 'sendReply refused';
    const { target, assignment } = await held(what, interactionId, agentId);
    const body = text.trim();
    const key = await replyKey(`agent-reply:${visibility}`, target, body);
    // The same command again (a retry after a lost answer): the first item, nothing new.
    const earlier = await existingByKey(store.db, key);
    if (earlier) return earlier;

    const plan = async (sql: Sql, rules: RuleClock) => {
      const facts = await factsOf(sql, target);
      const channel = replyChannels(facts, rules)[visibility];
      const problem = replyProblem(channel, body, visibility === 'public' ? 'the public reply' : 'the private reply');
      if (problem) refuse('bad_input', `${what}: ${problem}`);
      return replyAction(facts, channel, body);
    };
    await plan(store.db, await ruleClock());
    await acceptIfOffered(assignment);
    const rules = await ruleClock();
    return store.db.transaction(async (tx) => {
      const again = await existingByKey(tx, key);
      if (again) return again;
      const action = await plan(tx, rules);
      const item = await outbox.enqueue(tx, { action, contactId: target.contactId, interactionId, origin: 'agent', idempotencyKey: key });
      await recordFirstResponse(tx, { interactionId, at: rules.now, visibility });
      return item;
    });
  }

  async function moveToPrivate({ interactionId, agentId, publicText, privateText }: CommandArgs<'moveToPrivate'>): Promise<{ public: OutboxItem; private: OutboxItem }> {
    const what = 'moveToPrivate refused';
    const { target, assignment } = await held(what, interactionId, agentId);
    if (inboundVisibility(target.kind) === 'private') {
      refuse('bad_input', `${what}: this conversation is already private: answer it with a private reply`);
    }
    const publicBody = publicText.trim();
    const privateBody = privateText.trim();
    const key = await replyKey('agent-move-to-private', target, `${publicBody}\u0000${privateBody}`);
    const keys = { public: `${key}:public`, private: `${key}:private` };
    const earlierPublic = await existingByKey(store.db, keys.public);
    const earlierPrivate = await existingByKey(store.db, keys.private);
    if (earlierPublic && earlierPrivate) return { public: earlierPublic, private: earlierPrivate };

    // Both halves are checked before either is enqueued; every problem is named at once.
    const plan = async (sql: Sql, rules: RuleClock) => {
      const facts = await factsOf(sql, target);
      const channels = replyChannels(facts, rules);
      const problems = [replyProblem(channels.public, publicBody, 'the public reply'), replyProblem(channels.private, privateBody, 'the private message')].filter(
        (problem): problem is string => problem !== null,
      );
      if (problems.length > 0) refuse('bad_input', `${what}: ${problems.join('; ')}`);
      if (!canMoveToPrivate(facts, channels)) refuse('bad_input', `${what}: this message cannot be answered both publicly and privately`);
      return { public: replyAction(facts, channels.public, publicBody), private: replyAction(facts, channels.private, privateBody) };
    };
    await plan(store.db, await ruleClock());
    await acceptIfOffered(assignment);
    const rules = await ruleClock();
    return store.db.transaction(async (tx) => {
      const againPublic = await existingByKey(tx, keys.public);
      const againPrivate = await existingByKey(tx, keys.private);
      if (againPublic && againPrivate) return { public: againPublic, private: againPrivate };
      const actions = await plan(tx, rules);
      // The public reply first: items of one account go out in the order they were enqueued.
      const publicItem = await outbox.enqueue(tx, { action: actions.public, contactId: target.contactId, interactionId, origin: 'agent', idempotencyKey: keys.public });
      const privateItem = await outbox.enqueue(tx, { action: actions.private, contactId: target.contactId, interactionId, origin: 'agent', idempotencyKey: keys.private });
      await recordFirstResponse(tx, { interactionId, at: rules.now, visibility: 'public' });
      await recordFirstResponse(tx, { interactionId, at: rules.now, visibility: 'private' });
      return { public: publicItem, private: privateItem };
    });
  }

  async function react({ interactionId, agentId, reaction }: { interactionId: number; agentId: number; reaction: Reaction }): Promise<OutboxItem> {
    const what = 'react refused';
    const { target, assignment } = await held(what, interactionId, agentId);
    const problem = reactionProblem(target, reaction);
    if (problem) refuse('bad_input', `${what}: ${problem}`);
    // Done already (by this agent, another, or a rule): that item answers, nothing goes out twice.
    const done = doneReactions(await reactionRecords(store.db, target), target.externalId)[reaction];
    if (done) return done;
    await acceptIfOffered(assignment);
    const now = clock.now();
    return store.db.transaction(async (tx) => {
      const again = doneReactions(await reactionRecords(tx, target), target.externalId)[reaction];
      if (again) return again;
      const item = await outbox.enqueue(tx, { action: reactionAction(target, reaction), contactId: target.contactId, interactionId, origin: 'agent' });
      // A like or retweet answers the customer (R10); hiding their comment does not.
      if (reaction !== 'hide') await recordFirstResponse(tx, { interactionId, at: now, visibility: 'public' });
      return item;
    });
  }

  return {
    listMyWork: async ({ agentId }) => {
      const agent = router.agent(agentId) ?? refuse('not_found', `listMyWork: there is no agent ${agentId}`);
      const assignments = router.assignmentsOf(agentId).sort((a, b) => b.offeredAt - a.offeredAt || b.id - a.id);
      const targets = await answerTargets(store.db, assignments.map((assignment) => assignment.interactionId));
      const items: WorkItem[] = [];
      for (const assignment of assignments) {
        const target = targets.get(assignment.interactionId);
        if (!target) continue;
        items.push({
          interactionId: target.interactionId,
          state: target.state,
          assignment,
          contactId: target.contactId,
          contactName: target.contactName,
          handle: target.handle,
          platform: target.platform,
          kind: target.kind,
          text: target.text,
          arrivedAt: target.createdAt,
        });
      }
      return { agent, items };
    },

    getConversation: async ({ interactionId }): Promise<ConversationView> => {
      const target = (await answerTarget(store.db, interactionId)) ?? refuse('not_found', `getConversation: there is no interaction ${interactionId}`);
      const interaction = await interactionDetail(interactionId);
      const contact = (await getContact(store.db, target.contactId)) ?? refuse('not_found', `getConversation: there is no contact ${target.contactId}`);
      const rules = await ruleClock();
      const history = await contactHistory(store.db, contact.id, undefined, HISTORY_SHOWN);
      const outboxRows = await contactOutboxRows(store.db, contact.id, { endedSince: rules.now - OUTBOX_ENDED_WINDOW_MS, limit: OUTBOX_SHOWN });
      const facts = await factsOf(store.db, target);
      const channels = replyChannels(facts, rules);
      const done = doneReactions(await reactionRecords(store.db, target), target.externalId);
      return {
        interaction,
        contact,
        messages: history.messages.reverse(),
        outbox: outboxRows.map(rowToItem),
        reply: channels,
        canMoveToPrivate: canMoveToPrivate(facts, channels),
        reactions: reactionOptions(target, done),
      };
    },

    sendReply: (args) => sendReply(args),

    moveToPrivate: (args) => moveToPrivate(args),

    react: (args) => react(args),

    completeInteraction: async ({ interactionId, agentId, dispositionCodeId, note }) => {
      const what = 'completeInteraction refused';
      if (dispositionCodeId === undefined) refuse('bad_input', `${what}: choose a disposition code to complete`);
      const { agent, assignment } = await held(what, interactionId, agentId);
      const code = (await getDispositionCode(store.db, dispositionCodeId)) ?? refuse('not_found', `${what}: there is no disposition code ${dispositionCodeId}`);
      if (code.retired) refuse('bad_input', `${what}: the disposition code "${code.name}" is retired: choose another`);
      await acceptIfOffered(assignment);
      const completedAt = clock.now();
      await store.db.transaction((tx) => completeInteraction(tx, { interactionId, agentId, dispositionCodeId, note: note ?? null, at: completedAt, actor: agent.name }));
      // The agent's slot frees once routing lets go of it (routing keeps capacity in memory).
      await router.release(interactionId);
      parts.emit({ type: 'interactionsChanged', payload: { changes: [{ interactionId, state: 'completed' }] } });
      return { interactionId, state: 'completed', completedAt };
    },

    transferInteraction: async ({ interactionId, agentId, to }, context) => {
      const { agent } = await held('transferInteraction refused', interactionId, agentId);
      // Routing records the move in the interaction's history under the agent's name.
      const entry = await router.move(interactionId, to, agent.name);
      const target: Record<string, JsonValue> = 'agentId' in to ? { agentId: to.agentId } : 'queueId' in to ? { queueId: to.queueId } : { group: to.group };
      const at = clock.now();
      const audited = await store.db.transaction((tx) =>
        appendAudit(tx, { at, actor: context.actor, action: 'interaction.transferred', subject: `interaction ${interactionId}`, detail: { agentId, agentName: agent.name, to: target } }),
      );
      parts.emit({ type: 'auditAppended', payload: audited });
      return entry;
    },

    getCannedResponses: async () => ({ items: await readCanned() }),

    saveCannedResponses: async ({ items }, context) => {
      const problems = cannedResponseProblems(items);
      if (problems.length > 0) refuse('bad_input', `saveCannedResponses: ${problems.slice(0, 5).join('; ')}`);
      const at = clock.now();
      const entry = await store.db.transaction(async (tx) => {
        await writeCannedResponsesRow(tx, items, at, context.actor);
        return appendAudit(tx, { at, actor: context.actor, action: 'canned-responses.saved', subject: `${items.length} canned responses`, detail: { ids: items.map((item) => item.id) } });
      });
      parts.emit({ type: 'auditAppended', payload: entry });
      return { items };
    },
  };
}
