/**
 * The agent desk's commands (R9-R11, R18): an agent's assigned work, the conversation with the
 * contact's whole history, replies (public, private, "move to private"), likes / retweets / hides
 * without a reply, completion with a disposition code, transfer, and canned responses.
 *
 * Live chat needs no event of its own: the customer's new messages arrive as `feedAppended`, the
 * agent's own as `outboxChanged` (with their delivery state), new work as `routingChanged`.
 */
import { z } from 'zod';
import { OutboxActionKind, OutboxItem } from '../outbox/actions';
import { Agent, Assignment, MoveTarget, QueueEntry } from '../routing/schema';
import { InteractionDetail } from './routing';
import { ContactSummary, EpochMs, Empty, Id, InteractionState, Message, MessageKind, Platform, Visibility, type CommandSpec, type EventSpec } from './words';

/** One piece of work an agent holds (offered or accepted). */
export const WorkItem = z.strictObject({
  interactionId: Id,
  state: InteractionState,
  assignment: Assignment,
  contactId: Id,
  contactName: z.string(),
  handle: z.string().nullable(),
  platform: Platform,
  kind: MessageKind,
  text: z.string(),
  /** When the customer's message arrived. */
  arrivedAt: EpochMs,
});
export type WorkItem = z.infer<typeof WorkItem>;

/** How the agent may answer on one side (public or private), or why not. */
export const ReplyChannel = z.strictObject({
  visibility: Visibility,
  allowed: z.boolean(),
  /** What it becomes on the platform: "Reply to the tweet", "X direct message", "Private reply to the comment", ... */
  label: z.string(),
  /** The outbox action it becomes (null when not allowed). */
  actionKind: OutboxActionKind.nullable(),
  /** Why it is not allowed ("the 7 days for a private reply ended on ..."), or a caution while it is. */
  reason: z.string().nullable(),
  /** The longest text: X counts weighted length (twitter-text), the others characters. */
  maxLength: z.number().int().positive(),
  lengthRule: z.enum(['x-weighted', 'characters']),
  /** Messenger: the standard 24-hour window after the customer's last message ends at ... */
  windowEndsAt: EpochMs.nullable(),
  /** Messenger: the human-agent tag may be used until ... (7 days after the customer's last message). */
  humanAgentUntil: EpochMs.nullable(),
  /** Messenger: this reply would go out with the HUMAN_AGENT tag (outside 24 h, inside 7 days). */
  usesHumanAgentTag: z.boolean(),
});
export type ReplyChannel = z.infer<typeof ReplyChannel>;

export const Reaction = z.enum(['like', 'retweet', 'hide']);
export type Reaction = z.infer<typeof Reaction>;

export const ReactionOption = z.strictObject({
  reaction: Reaction,
  allowed: z.boolean(),
  /** Already done (liked, retweeted, hidden) by the desk. */
  done: z.boolean(),
  reason: z.string().nullable(),
});

export const ConversationView = z.strictObject({
  interaction: InteractionDetail,
  contact: ContactSummary,
  /** The contact's whole history across platforms, both directions, oldest first (the latest 200). */
  messages: z.array(Message),
  /** This contact's outbox items not yet delivered, failed, or recently sent: their delivery state. */
  outbox: z.array(OutboxItem),
  reply: z.strictObject({ public: ReplyChannel, private: ReplyChannel }),
  /** "Move to private" is offered for a public message that can also be answered privately. */
  canMoveToPrivate: z.boolean(),
  reactions: z.array(ReactionOption),
});
export type ConversationView = z.infer<typeof ConversationView>;

const ReplyText = z.string().max(10_000, 'is longer than 10,000 characters').refine((text) => text.trim() !== '', 'is empty: write the answer first');

export const CannedResponse = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be 1 to 64 lower-case letters, digits or "-"'),
  title: z.string().trim().min(1, 'must not be empty').max(80, 'is longer than 80 characters'),
  /** Placeholders: {contact_name}, {handle}, {agent_name}, {desk_name}. */
  text: z.string().trim().min(1, 'must not be empty').max(2000, 'is longer than 2000 characters'),
});
export type CannedResponse = z.infer<typeof CannedResponse>;

export const CANNED_PLACEHOLDERS = ['contact_name', 'handle', 'agent_name', 'desk_name'] as const;

/** Fills a canned response's placeholders; unknown ones stay as written so the agent sees them. */
export function fillCannedResponse(text: string, values: Partial<Record<(typeof CANNED_PLACEHOLDERS)[number], string | null>>): string {
  return text.replace(/\{([a-z_]+)\}/g, (whole, name: string) => {
    const value = (values as Record<string, string | null | undefined>)[name];
    return typeof value === 'string' && value !== '' ? value : whole;
  });
}

export const agentDeskCommands = {
  listMyWork: {
    summary: "An agent's work (offered or accepted), newest assigned first, with channel, contact and how long the customer has waited.",
    input: z.strictObject({ agentId: Id }),
    output: z.strictObject({ agent: Agent, items: z.array(WorkItem) }),
  },
  getConversation: {
    summary: "One interaction as the agent works it: the contact's whole history across platforms, why it was routed here, how it may be answered (public, private, windows and limits), and what may be liked, retweeted or hidden.",
    input: z.strictObject({ interactionId: Id }),
    output: ConversationView,
  },
  sendReply: {
    summary: 'The agent answers publicly (reply on X, comment on Facebook) or privately (X DM, Messenger, Facebook private reply) through the outbox. Refused, with nothing sent, when empty, too long, or outside the platform\'s window.',
    input: z.strictObject({ interactionId: Id, agentId: Id, visibility: Visibility, text: ReplyText }),
    output: OutboxItem,
  },
  moveToPrivate: {
    summary: 'One action: a public reply saying the conversation continues privately, then the private message. Both are checked before either is sent.',
    input: z.strictObject({ interactionId: Id, agentId: Id, publicText: ReplyText, privateText: ReplyText }),
    output: z.strictObject({ public: OutboxItem, private: OutboxItem }),
  },
  react: {
    summary: 'Like or retweet (X), like or hide (Facebook) the customer\'s message without replying.',
    input: z.strictObject({ interactionId: Id, agentId: Id, reaction: Reaction }),
    output: OutboxItem,
  },
  completeInteraction: {
    summary: 'Closes the interaction with a disposition code (required; retired codes are refused) and an optional note; the agent\'s capacity frees.',
    input: z.strictObject({
      interactionId: Id,
      agentId: Id,
      dispositionCodeId: Id.optional(),
      note: z.string().trim().max(1000, 'is longer than 1000 characters').optional(),
    }),
    output: z.strictObject({ interactionId: Id, state: InteractionState, completedAt: EpochMs }),
  },
  transferInteraction: {
    summary: 'The agent hands the interaction to another queue, agent group or agent; it leaves their desk. Recorded in its history.',
    input: z.strictObject({ interactionId: Id, agentId: Id, to: MoveTarget }),
    output: QueueEntry,
  },
  getCannedResponses: {
    summary: 'The canned responses agents insert into replies (with placeholders).',
    input: Empty,
    output: z.strictObject({ items: z.array(CannedResponse) }),
  },
  saveCannedResponses: {
    summary: 'Replaces the canned responses. Audited.',
    input: z.strictObject({ items: z.array(CannedResponse).max(200, 'has more than 200 responses') }),
    output: z.strictObject({ items: z.array(CannedResponse) }),
  },
} as const satisfies Record<string, CommandSpec>;

export const agentDeskEvents = {} as const satisfies Record<string, EventSpec>;
