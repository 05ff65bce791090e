/**
 * What the outbox can do on a platform, and how an outbox item looks from outside.
 *
 * zod only (no Node, no DOM): the contract re-exports these schemas, and the contract must stay
 * importable from the renderer. Facts about each kind (its platform, the message it leaves in
 * the history, whether the platform lets the desk look for it after a crash) live here too, as
 * plain data, so the console and the core read them from one place.
 */
import { z } from 'zod';

const XId = z.string().regex(/^[0-9]{1,19}$/, 'an X id is 1 to 19 digits');
/** Graph ids: digits, optionally joined by underscores (page_post, post_comment). */
const GraphId = z.string().regex(/^[0-9]+(_[0-9]+)*$/, 'a Facebook id is digits, optionally joined by underscores');
const Psid = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'a Messenger id (PSID) is letters, digits, - and _');

/** Text we post. Blank text is refused here; each platform's own limit is checked too. */
const text = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .refine((value) => value.trim() !== '', 'the text is empty');

export const XReply = z.strictObject({ kind: z.literal('x.reply'), inReplyToTweetId: XId, text: text(10_000) });
export const XDm = z.strictObject({ kind: z.literal('x.dm'), participantId: XId, text: text(10_000) });
export const XLike = z.strictObject({ kind: z.literal('x.like'), tweetId: XId });
export const XUnlike = z.strictObject({ kind: z.literal('x.unlike'), tweetId: XId });
export const XRetweet = z.strictObject({ kind: z.literal('x.retweet'), tweetId: XId });
export const XUnretweet = z.strictObject({ kind: z.literal('x.unretweet'), tweetId: XId });
export const XHideReply = z.strictObject({ kind: z.literal('x.hide-reply'), tweetId: XId, hidden: z.boolean() });
/** A comment under a Page post or a reply to a comment (`objectId` is the post or the comment). */
export const FacebookComment = z.strictObject({ kind: z.literal('facebook.comment'), objectId: GraphId, text: text(8000) });
export const FacebookLike = z.strictObject({ kind: z.literal('facebook.like'), objectId: GraphId });
export const FacebookUnlike = z.strictObject({ kind: z.literal('facebook.unlike'), objectId: GraphId });
export const FacebookHide = z.strictObject({ kind: z.literal('facebook.hide'), commentId: GraphId, hidden: z.boolean() });
/** Facebook's private reply: one Messenger message to the author of a comment, once, within 7 days. */
export const FacebookPrivateReply = z.strictObject({ kind: z.literal('facebook.private-reply'), commentId: GraphId, text: text(2000) });
/**
 * A Messenger message. Without a tag it is a RESPONSE (within 24 hours of the customer's last
 * message); with `HUMAN_AGENT` it may go out up to 7 days after.
 */
export const MessengerSend = z.strictObject({ kind: z.literal('messenger.send'), psid: Psid, text: text(2000), tag: z.literal('HUMAN_AGENT').optional() });

export const OutboxAction = z.discriminatedUnion('kind', [
  XReply,
  XDm,
  XLike,
  XUnlike,
  XRetweet,
  XUnretweet,
  XHideReply,
  FacebookComment,
  FacebookLike,
  FacebookUnlike,
  FacebookHide,
  FacebookPrivateReply,
  MessengerSend,
]);
export type OutboxAction = z.infer<typeof OutboxAction>;

export const OUTBOX_ACTION_KINDS = [
  'x.reply',
  'x.dm',
  'x.like',
  'x.unlike',
  'x.retweet',
  'x.unretweet',
  'x.hide-reply',
  'facebook.comment',
  'facebook.like',
  'facebook.unlike',
  'facebook.hide',
  'facebook.private-reply',
  'messenger.send',
] as const;
export const OutboxActionKind = z.enum(OUTBOX_ACTION_KINDS);
export type OutboxActionKind = z.infer<typeof OutboxActionKind>;
/** One kind's action, by name: `ActionOf<'x.reply'>`. */
export type ActionOf<K extends OutboxActionKind> = Extract<OutboxAction, { kind: K }>;

/** Who asked for it: an agent, a strategy (R12 auto-reply, R14 auto-like), the closed-desk answer (R5-R7, R16), the desk itself. */
export const OutboxOrigin = z.enum(['agent', 'auto-reply', 'closed-desk', 'auto-like', 'system']);
export type OutboxOrigin = z.infer<typeof OutboxOrigin>;

/**
 * pending -> sending -> sent | retrying | failed; retrying -> sending -> ...; pending/retrying
 * -> cancelled. `sending` means the intent is committed and the request may be on the wire.
 */
export const OutboxState = z.enum(['pending', 'sending', 'retrying', 'sent', 'failed', 'cancelled']);
export type OutboxState = z.infer<typeof OutboxState>;

/** The account an action goes through: Messenger uses the Facebook Page's token. */
export const OutboxAccount = z.enum(['x', 'facebook']);
export type OutboxAccount = z.infer<typeof OutboxAccount>;

const PositiveId = z.number().int().positive();
const EpochMs = z.number().int().nonnegative();

/** What a caller hands to `enqueue`. */
export const OutboxRequest = z.strictObject({
  action: OutboxAction,
  /** The person it is for (or about): the sent message is stored under them. */
  contactId: PositiveId,
  /** The interaction it answers, if any. */
  interactionId: PositiveId.nullable(),
  origin: OutboxOrigin,
  /**
   * Unique across the outbox: enqueueing the same key again returns the first item, whatever its
   * state (the closed-desk answer uses "closed-desk:<contact>:<period>").
   */
  idempotencyKey: z.string().min(1).max(200).optional(),
  /** An absolute deadline (epoch ms), for a caller with its own (R12's configured deadline); else the outbox's policy. */
  deadlineAt: EpochMs.optional(),
});
export type OutboxRequest = z.input<typeof OutboxRequest>;

export const OutboxItem = z.strictObject({
  id: PositiveId,
  action: OutboxAction,
  platform: z.enum(['x', 'facebook', 'messenger']),
  contactId: PositiveId,
  /** The contact's display name when the item was read. */
  contactName: z.string(),
  interactionId: PositiveId.nullable(),
  origin: OutboxOrigin,
  idempotencyKey: z.string().nullable(),
  state: OutboxState,
  createdAt: EpochMs,
  updatedAt: EpochMs,
  deadlineAt: EpochMs,
  /** When the next try is due (pending, retrying); null otherwise. */
  nextAttemptAt: EpochMs.nullable(),
  attempts: z.number().int().nonnegative(),
  /** The latest thing that went wrong, in plain English (kept after success for the record). */
  lastError: z.string().nullable(),
  /** Why it ended as failed or cancelled, in plain English. */
  reason: z.string().nullable(),
  /** True while an earlier try may have reached the platform unseen: the next try looks before it sends. */
  inDoubt: z.boolean(),
  /** The platform's id of what was posted (tweet id, DM event id, comment id, message id); null for likes, retweets, hides. */
  resultId: z.string().nullable(),
  /** The outbound message stored in the history (replies, DMs, comments, private replies, Messenger). */
  messageId: PositiveId.nullable(),
  sentAt: EpochMs.nullable(),
});
export type OutboxItem = z.infer<typeof OutboxItem>;

export const OutboxListInput = z.strictObject({
  state: z.union([OutboxState, z.array(OutboxState).min(1).max(6)]).optional(),
  limit: z.number().int().min(1).max(500).default(50),
  /** Items with a smaller id than this (the `nextBefore` of the previous page). */
  before: PositiveId.optional(),
});
export type OutboxListInput = z.input<typeof OutboxListInput>;

export const OutboxPage = z.strictObject({ items: z.array(OutboxItem), nextBefore: PositiveId.nullable() });
export type OutboxPage = z.infer<typeof OutboxPage>;

// ---------------------------------------------------------------------------------------------
// Facts about each kind

type MessageKindName = 'x.reply' | 'x.dm' | 'facebook.comment' | 'facebook.reply' | 'facebook.private-reply' | 'messenger.message';

export interface ActionKindInfo {
  platform: 'x' | 'facebook' | 'messenger';
  account: OutboxAccount;
  /**
   * The message left in the contact's history, or null for actions (likes, retweets, hides).
   * `facebook.comment` becomes 'facebook.comment' under a post and 'facebook.reply' under a comment.
   */
  message: { kind: MessageKindName; visibility: 'public' | 'private' } | null;
  /**
   * 'look': after an unseen outcome the platform is searched for what we posted before any new try.
   * 'redo': doing it twice leaves the same state (like, retweet, hide), so it is simply done again.
   */
  inDoubt: 'look' | 'redo';
  /** Which rate-limit window it uses: a 429 holds every item of the same group until the reset. */
  rateGroup: string;
  /** Words for the console and for reasons ("reply", "like"). */
  noun: string;
}

export const ACTION_KINDS: Record<OutboxActionKind, ActionKindInfo> = {
  'x.reply': { platform: 'x', account: 'x', message: { kind: 'x.reply', visibility: 'public' }, inDoubt: 'look', rateGroup: 'x:tweets', noun: 'X reply' },
  'x.dm': { platform: 'x', account: 'x', message: { kind: 'x.dm', visibility: 'private' }, inDoubt: 'look', rateGroup: 'x:dm', noun: 'X direct message' },
  'x.like': { platform: 'x', account: 'x', message: null, inDoubt: 'redo', rateGroup: 'x:likes', noun: 'X like' },
  'x.unlike': { platform: 'x', account: 'x', message: null, inDoubt: 'redo', rateGroup: 'x:likes', noun: 'X unlike' },
  'x.retweet': { platform: 'x', account: 'x', message: null, inDoubt: 'redo', rateGroup: 'x:retweets', noun: 'retweet' },
  'x.unretweet': { platform: 'x', account: 'x', message: null, inDoubt: 'redo', rateGroup: 'x:retweets', noun: 'undo of a retweet' },
  'x.hide-reply': { platform: 'x', account: 'x', message: null, inDoubt: 'redo', rateGroup: 'x:hide', noun: 'hiding of an X reply' },
  'facebook.comment': { platform: 'facebook', account: 'facebook', message: { kind: 'facebook.comment', visibility: 'public' }, inDoubt: 'look', rateGroup: 'facebook', noun: 'Facebook comment' },
  'facebook.like': { platform: 'facebook', account: 'facebook', message: null, inDoubt: 'redo', rateGroup: 'facebook', noun: 'Facebook like' },
  'facebook.unlike': { platform: 'facebook', account: 'facebook', message: null, inDoubt: 'redo', rateGroup: 'facebook', noun: 'Facebook unlike' },
  'facebook.hide': { platform: 'facebook', account: 'facebook', message: null, inDoubt: 'redo', rateGroup: 'facebook', noun: 'hiding of a Facebook comment' },
  'facebook.private-reply': {
    platform: 'facebook',
    account: 'facebook',
    message: { kind: 'facebook.private-reply', visibility: 'private' },
    inDoubt: 'look',
    rateGroup: 'facebook',
    noun: 'Facebook private reply',
  },
  'messenger.send': { platform: 'messenger', account: 'facebook', message: { kind: 'messenger.message', visibility: 'private' }, inDoubt: 'look', rateGroup: 'facebook', noun: 'Messenger message' },
};

/** The platform id the action answers or acts on (what `in_reply_to` means for its message). */
export function actionTarget(action: OutboxAction): string {
  switch (action.kind) {
    case 'x.reply':
      return action.inReplyToTweetId;
    case 'x.dm':
      return action.participantId;
    case 'x.like':
    case 'x.unlike':
    case 'x.retweet':
    case 'x.unretweet':
    case 'x.hide-reply':
      return action.tweetId;
    case 'facebook.comment':
    case 'facebook.like':
    case 'facebook.unlike':
      return action.objectId;
    case 'facebook.hide':
    case 'facebook.private-reply':
      return action.commentId;
    case 'messenger.send':
      return action.psid;
  }
}

/** The text the action posts, if it posts any. */
export function actionText(action: OutboxAction): string | null {
  return 'text' in action ? action.text : null;
}
