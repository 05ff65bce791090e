/**
 * How an agent may answer one customer message (R9), as pure rules: which public and private
 * channel the message allows and why not, how long a text may be there, and the outbox action
 * an answer becomes. No SQL, no clock of its own: the caller reads the facts and says what time
 * it is, so a test can stand at any instant (the last minute of a window included).
 *
 * The platform facts (PLATFORM-APIS.md):
 *   - X mention / reply: public = a reply to the tweet (280, weighted as X counts it);
 *     private = a direct message to the author (X delivers it only if they accept DMs).
 *   - X DM: private only.
 *   - Facebook comment / reply: public = a reply to the comment; private = Facebook's private
 *     reply to the comment, once per comment and within 7 days of it.
 *   - Facebook visitor post: public = a comment on the post; the outbox's private reply is for
 *     comments, so a post is answered publicly (as the calendar gate does).
 *   - Messenger: private only; a standard reply within 24 hours of the customer's last
 *     message, then with the HUMAN_AGENT tag until 7 days after it, then nothing until they
 *     write again.
 */
import twitterText from 'twitter-text';
import type { MessageKind, OutboxAction, OutboxActionKind, Platform, ReplyChannel, Visibility } from '../contract';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Facebook allows one private reply per comment, within this long after the comment. */
export const PRIVATE_REPLY_WINDOW_MS = 7 * DAY;
/** Messenger's standard messaging window after the customer's last message. */
export const MESSENGER_STANDARD_WINDOW_MS = DAY;
/** Messenger's HUMAN_AGENT tag reaches this far after the customer's last message. */
export const MESSENGER_HUMAN_AGENT_WINDOW_MS = 7 * DAY;

/** The longest answer per outbox action (the outbox's own schema enforces the same). */
export const REPLY_LIMITS: Record<'x.reply' | 'x.dm' | 'facebook.comment' | 'facebook.private-reply' | 'messenger.send', { maxLength: number; lengthRule: ReplyChannel['lengthRule'] }> = {
  'x.reply': { maxLength: 280, lengthRule: 'x-weighted' },
  'x.dm': { maxLength: 10_000, lengthRule: 'characters' },
  'facebook.comment': { maxLength: 8_000, lengthRule: 'characters' },
  'facebook.private-reply': { maxLength: 2_000, lengthRule: 'characters' },
  'messenger.send': { maxLength: 2_000, lengthRule: 'characters' },
};
type ReplyKind = keyof typeof REPLY_LIMITS;

/** What the rules need to know about the message being answered. */
export interface MessageFacts {
  platform: Platform;
  kind: MessageKind;
  /** The message's id on its platform: the tweet, comment, post or Messenger message. */
  externalId: string;
  /** When the customer wrote it (the platform's time). */
  createdAt: number;
  /** The sender's id on the platform (X user id, Messenger PSID); null when the desk never learnt it. */
  authorId: string | null;
  /** The sender's handle, for words like "@ana". */
  handle: string | null;
  /** Facebook: a private reply to this comment the desk already made or is making (not failed or cancelled). */
  privateReply: { at: number; sent: boolean } | null;
  /** Messenger: when the customer last wrote on Messenger (the window's anchor). */
  lastCustomerMessageAt: number | null;
}

export interface RuleClock {
  now: number;
  /** Writes an instant for an agent, in the desk's zone ("Tue 3 Mar, 14:05 CET"). */
  formatTime(at: number): string;
}

export interface ReplyChannels {
  public: ReplyChannel;
  private: ReplyChannel;
}

/** Private chats: X DMs and Messenger. Everything else a customer writes is public. */
export function inboundVisibility(kind: MessageKind): Visibility {
  return kind === 'x.dm' || kind === 'messenger.message' || kind === 'facebook.private-reply' ? 'private' : 'public';
}

function open(visibility: Visibility, label: string, kind: ReplyKind, reason: string | null = null, extra: Partial<ReplyChannel> = {}): ReplyChannel {
  return {
    visibility,
    allowed: true,
    label,
    actionKind: kind,
    reason,
    ...REPLY_LIMITS[kind],
    windowEndsAt: null,
    humanAgentUntil: null,
    usesHumanAgentTag: false,
    ...extra,
  };
}

/** A refused channel still says what it would have been and its limit, so the console can show it greyed with the reason. */
function closed(visibility: Visibility, label: string, kind: ReplyKind, reason: string, extra: Partial<ReplyChannel> = {}): ReplyChannel {
  return { ...open(visibility, label, kind, reason, extra), allowed: false, actionKind: null };
}

function who(facts: MessageFacts): string {
  return facts.handle ? (facts.platform === 'x' ? `@${facts.handle.replace(/^@/, '')}` : facts.handle) : 'the customer';
}

/** The public and private channel for this message now. */
export function replyChannels(facts: MessageFacts, clock: RuleClock): ReplyChannels {
  switch (facts.kind) {
    case 'x.mention':
    case 'x.reply':
      return {
        public: open('public', 'Reply to the tweet', 'x.reply'),
        private: facts.authorId
          ? open('private', 'X direct message', 'x.dm', `X delivers it only if ${who(facts)} accepts direct messages from the desk or has written to it before.`)
          : closed('private', 'X direct message', 'x.dm', 'the desk does not know the author\'s X account id, so it cannot write to them privately'),
      };
    case 'x.dm':
      return {
        public: closed('public', 'Reply to the tweet', 'x.reply', 'a direct message is answered privately: there is no public post to reply to'),
        private: facts.authorId
          ? open('private', 'X direct message', 'x.dm')
          : closed('private', 'X direct message', 'x.dm', 'the desk does not know the sender\'s X account id'),
      };
    case 'facebook.post':
      return {
        public: open('public', 'Comment on the post', 'facebook.comment'),
        private: closed('private', 'Private reply', 'facebook.private-reply', 'Facebook\'s private reply is for comments: answer a visitor post with a comment, and invite the customer to write on Messenger'),
      };
    case 'facebook.comment':
    case 'facebook.reply':
      return { public: open('public', 'Reply to the comment', 'facebook.comment'), private: privateReplyChannel(facts, clock) };
    case 'messenger.message':
      return {
        public: closed('public', 'Public reply', 'facebook.comment', 'a Messenger conversation is private: there is no public post to reply to'),
        private: messengerChannel(facts, clock),
      };
    case 'facebook.private-reply':
      // The desk's own kind of message, never an inbound one: nothing to answer.
      return {
        public: closed('public', 'Public reply', 'facebook.comment', 'this is the desk\'s own private reply, not a customer\'s message'),
        private: closed('private', 'Private reply', 'facebook.private-reply', 'this is the desk\'s own private reply, not a customer\'s message'),
      };
  }
}

function privateReplyChannel(facts: MessageFacts, clock: RuleClock): ReplyChannel {
  const label = 'Private reply to the comment';
  const until = facts.createdAt + PRIVATE_REPLY_WINDOW_MS;
  if (facts.privateReply) {
    const when = clock.formatTime(facts.privateReply.at);
    return closed('private', label, 'facebook.private-reply', facts.privateReply.sent
      ? `a private reply to this comment was already sent (${when}); Facebook allows one per comment`
      : `a private reply to this comment is already on its way (since ${when}); Facebook allows one per comment`);
  }
  if (clock.now > until) {
    return closed('private', label, 'facebook.private-reply', `the 7 days for a private reply to this comment ended on ${clock.formatTime(until)}`);
  }
  return open('private', label, 'facebook.private-reply', `Facebook allows one private reply per comment, until ${clock.formatTime(until)}; it opens a Messenger conversation with ${who(facts)}.`);
}

function messengerChannel(facts: MessageFacts, clock: RuleClock): ReplyChannel {
  const label = 'Messenger message';
  if (!facts.authorId) return closed('private', label, 'messenger.send', 'the desk does not know the customer\'s Messenger id');
  // The window runs from the customer's latest message, which may be newer than this one (a live chat).
  const last = Math.max(facts.createdAt, facts.lastCustomerMessageAt ?? facts.createdAt);
  const windowEndsAt = last + MESSENGER_STANDARD_WINDOW_MS;
  const humanAgentUntil = last + MESSENGER_HUMAN_AGENT_WINDOW_MS;
  const windows = { windowEndsAt, humanAgentUntil };
  if (clock.now <= windowEndsAt) return open('private', label, 'messenger.send', null, windows);
  if (clock.now <= humanAgentUntil) {
    return open(
      'private',
      label,
      'messenger.send',
      `The 24-hour window ended on ${clock.formatTime(windowEndsAt)}: this reply goes out with Messenger's human-agent tag, allowed until ${clock.formatTime(humanAgentUntil)}.`,
      { ...windows, usesHumanAgentTag: true },
    );
  }
  return closed(
    'private',
    label,
    'messenger.send',
    `Messenger allows a reply only within 7 days of the customer's last message (with the human-agent tag after 24 hours); that ended on ${clock.formatTime(humanAgentUntil)}. The customer has to write again first.`,
    windows,
  );
}

/** "Move to private" makes sense for a public message that can be answered both ways. */
export function canMoveToPrivate(facts: MessageFacts, channels: ReplyChannels): boolean {
  return inboundVisibility(facts.kind) === 'public' && channels.public.allowed && channels.private.allowed;
}

/**
 * A text's length as the channel counts it: X's weighted length, or characters as the outbox
 * checks them (UTF-16 units: an emoji outside the basic plane counts two). Counting as the
 * outbox does means a text this lets through is never refused later, and it errs on the short
 * side of what the platforms allow.
 */
export function measureText(text: string, lengthRule: ReplyChannel['lengthRule']): number {
  return lengthRule === 'x-weighted' ? twitterText.parseTweet(text).weightedLength : text.length;
}

/**
 * Why this text cannot go out on this channel, in a sentence that names the channel; null when
 * it can. `what` names the text for the sentence ("the reply", "the public reply").
 */
export function replyProblem(channel: ReplyChannel, text: string, what: string): string | null {
  if (!channel.allowed) return `${what} cannot go out as ${article(channel.label)}: ${channel.reason ?? 'not allowed here'}`;
  if (text.trim() === '') return `${what} is empty: write the answer first`;
  const length = measureText(text, channel.lengthRule);
  if (length > channel.maxLength) {
    return channel.lengthRule === 'x-weighted'
      ? `${what} has ${length} characters as X counts them (most CJK characters and emoji count as two); X allows ${channel.maxLength}`
      : `${what} has ${length} characters (an emoji counts as two); ${article(channel.label)} holds at most ${channel.maxLength}`;
  }
  return null;
}

/** "Reply to the tweet" -> "a reply to the tweet", "X direct message" -> "an X direct message". */
function article(label: string): string {
  if (label.startsWith('X ')) return `an ${label}`;
  if (/^(Messenger|Facebook)\b/.test(label)) return `a ${label}`;
  return `a ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
}

/** The outbox action an allowed channel makes of a text. Throws for a refused channel (check `replyProblem` first). */
export function replyAction(facts: MessageFacts, channel: ReplyChannel, text: string): OutboxAction {
  const kind: OutboxActionKind | null = channel.actionKind;
  switch (kind) {
    case 'x.reply':
      return { kind, inReplyToTweetId: facts.externalId, text };
    case 'x.dm':
      return { kind, participantId: required(facts.authorId, 'the author\'s X id'), text };
    case 'facebook.comment':
      return { kind, objectId: facts.externalId, text };
    case 'facebook.private-reply':
      return { kind, commentId: facts.externalId, text };
    case 'messenger.send':
      return channel.usesHumanAgentTag
        ? { kind, psid: required(facts.authorId, 'the customer\'s Messenger id'), text, tag: 'HUMAN_AGENT' }
        : { kind, psid: required(facts.authorId, 'the customer\'s Messenger id'), text };
    default:
      throw new Error(`no reply action for ${channel.label} (${channel.reason ?? 'not allowed'})`);
  }
}

function required(value: string | null, what: string): string {
  if (value === null) throw new Error(`${what} is unknown`);
  return value;
}
