/**
 * The agent desk's rules (electron/core/agent-desk): which channels a customer's message allows,
 * at the edges of Facebook's and Messenger's windows, X's weighted length, the action each answer
 * becomes, reactions and their done flags, canned responses.
 */
import { describe, expect, it } from 'vitest';
import {
  agentTimeFormatter,
  cannedResponseProblems,
  canMoveToPrivate,
  DEFAULT_CANNED_RESPONSES,
  doneReactions,
  measureText,
  reactionAction,
  reactionOptions,
  replyAction,
  replyChannels,
  replyProblem,
  type MessageFacts,
  type ReactionRecord,
} from '../../electron/core/agent-desk';
import { fillCannedResponse, type OutboxAction } from '../../electron/core/contract';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 2, 10, 0); // Monday 2 March 2026, 10:00 UTC
const at = (ms: number) => ({ now: ms, formatTime: agentTimeFormatter('Europe/Paris', '24h') });

function facts(overrides: Partial<MessageFacts>): MessageFacts {
  return {
    platform: 'x',
    kind: 'x.mention',
    externalId: '1800000000000000001',
    createdAt: T0,
    authorId: '2244994945',
    handle: 'ana_souza',
    privateReply: null,
    lastCustomerMessageAt: null,
    ...overrides,
  };
}

describe('reply channels', () => {
  it('answers an X mention by a reply to the tweet or a DM, and counts the reply as X does', () => {
    const message = facts({});
    const channels = replyChannels(message, at(T0 + HOUR));
    expect(channels.public).toMatchObject({ allowed: true, label: 'Reply to the tweet', actionKind: 'x.reply', maxLength: 280, lengthRule: 'x-weighted' });
    expect(channels.private).toMatchObject({ allowed: true, label: 'X direct message', actionKind: 'x.dm', maxLength: 10_000, lengthRule: 'characters' });
    expect(channels.private.reason).toContain('@ana_souza accepts direct messages');
    expect(canMoveToPrivate(message, channels)).toBe(true);
    expect(replyAction(message, channels.public, 'Sorry to hear that')).toEqual({ kind: 'x.reply', inReplyToTweetId: '1800000000000000001', text: 'Sorry to hear that' });
    expect(replyAction(message, channels.private, 'Here we are')).toEqual({ kind: 'x.dm', participantId: '2244994945', text: 'Here we are' });

    // 140 CJK characters are 280 as X counts them; one more is over.
    expect(measureText('字'.repeat(140), 'x-weighted')).toBe(280);
    expect(replyProblem(channels.public, '字'.repeat(140), 'the reply')).toBeNull();
    expect(replyProblem(channels.public, '字'.repeat(141), 'the reply')).toBe('the reply has 282 characters as X counts them (most CJK characters and emoji count as two); X allows 280');
    // A link counts 23 whatever its length.
    expect(measureText(`See ${'https://example.com/'.padEnd(200, 'a')}`, 'x-weighted')).toBe(27);
    expect(replyProblem(channels.public, '  \n ', 'the reply')).toBe('the reply is empty: write the answer first');
    // A DM is counted in characters as the outbox checks them: an emoji counts two.
    expect(replyProblem(channels.private, 'é'.repeat(10_000), 'the DM')).toBeNull();
    expect(replyProblem(channels.private, 'a'.repeat(10_001), 'the DM')).toBe('the DM has 10001 characters (an emoji counts as two); an X direct message holds at most 10000');
    expect(replyProblem(channels.private, '🙂'.repeat(5_001), 'the DM')).toBe('the DM has 10002 characters (an emoji counts as two); an X direct message holds at most 10000');
  });

  it('answers an X DM only privately, and cannot DM an author it does not know', () => {
    const dm = replyChannels(facts({ kind: 'x.dm' }), at(T0));
    expect(dm.public).toMatchObject({ allowed: false, actionKind: null, reason: 'a direct message is answered privately: there is no public post to reply to' });
    expect(dm.private).toMatchObject({ allowed: true, actionKind: 'x.dm', reason: null });
    expect(canMoveToPrivate(facts({ kind: 'x.dm' }), dm)).toBe(false);
    const anonymous = replyChannels(facts({ authorId: null }), at(T0));
    expect(anonymous.private.allowed).toBe(false);
    expect(replyProblem(anonymous.private, 'hello', 'the private reply')).toMatch(/^the private reply cannot go out as an X direct message: the desk does not know/);
  });

  it('allows one Facebook private reply per comment, within 7 days of the comment', () => {
    const comment = facts({ platform: 'facebook', kind: 'facebook.comment', externalId: '120_456', authorId: '7000000000000001', handle: null });
    const fresh = replyChannels(comment, at(T0 + 2 * DAY));
    expect(fresh.public).toMatchObject({ allowed: true, label: 'Reply to the comment', actionKind: 'facebook.comment', maxLength: 8_000 });
    expect(fresh.private).toMatchObject({ allowed: true, label: 'Private reply to the comment', actionKind: 'facebook.private-reply', maxLength: 2_000 });
    expect(fresh.private.reason).toBe('Facebook allows one private reply per comment, until Mon 9 Mar, 11:00 CET; it opens a Messenger conversation with the customer.');
    expect(replyAction(comment, fresh.private, 'Hi!')).toEqual({ kind: 'facebook.private-reply', commentId: '120_456', text: 'Hi!' });
    expect(replyAction(comment, fresh.public, 'Hi!')).toEqual({ kind: 'facebook.comment', objectId: '120_456', text: 'Hi!' });

    // The last millisecond of the 7 days is inside; the next is not.
    expect(replyChannels(comment, at(T0 + 7 * DAY)).private.allowed).toBe(true);
    const late = replyChannels(comment, at(T0 + 7 * DAY + 1));
    expect(late.private).toMatchObject({ allowed: false, actionKind: null, reason: 'the 7 days for a private reply to this comment ended on Mon 9 Mar, 11:00 CET' });
    expect(canMoveToPrivate(comment, late)).toBe(false);

    const used = replyChannels({ ...comment, privateReply: { at: T0 + HOUR, sent: true } }, at(T0 + 2 * HOUR));
    expect(used.private).toMatchObject({ allowed: false, reason: 'a private reply to this comment was already sent (Mon 2 Mar, 12:00 CET); Facebook allows one per comment' });
    const onItsWay = replyChannels({ ...comment, privateReply: { at: T0 + HOUR, sent: false } }, at(T0 + 2 * HOUR));
    expect(onItsWay.private.reason).toMatch(/already on its way/);
  });

  it('answers a visitor post with a comment; its private side is refused with the reason', () => {
    const post = replyChannels(facts({ platform: 'facebook', kind: 'facebook.post', externalId: '120_789' }), at(T0));
    expect(post.public).toMatchObject({ allowed: true, label: 'Comment on the post', actionKind: 'facebook.comment' });
    expect(post.private).toMatchObject({ allowed: false, reason: expect.stringMatching(/private reply is for comments/) });
  });

  it('keeps Messenger in its 24-hour window, then the human-agent tag until 7 days, then refuses', () => {
    const chat = facts({ platform: 'messenger', kind: 'messenger.message', externalId: 'm_1', authorId: '7000000000000001', handle: null, lastCustomerMessageAt: T0 + HOUR });
    // The window runs from the customer's latest message, not the one the interaction was born from.
    const inside = replyChannels(chat, at(T0 + 25 * HOUR));
    expect(inside.public).toMatchObject({ allowed: false, reason: 'a Messenger conversation is private: there is no public post to reply to' });
    expect(inside.private).toMatchObject({ allowed: true, actionKind: 'messenger.send', usesHumanAgentTag: false, reason: null, windowEndsAt: T0 + 25 * HOUR, humanAgentUntil: T0 + HOUR + 7 * DAY });
    expect(replyAction(chat, inside.private, 'Hello')).toEqual({ kind: 'messenger.send', psid: '7000000000000001', text: 'Hello' });

    const tagged = replyChannels(chat, at(T0 + 25 * HOUR + 1));
    expect(tagged.private).toMatchObject({ allowed: true, usesHumanAgentTag: true });
    expect(tagged.private.reason).toBe("The 24-hour window ended on Tue 3 Mar, 12:00 CET: this reply goes out with Messenger's human-agent tag, allowed until Mon 9 Mar, 12:00 CET.");
    expect(replyAction(chat, tagged.private, 'Hello')).toEqual({ kind: 'messenger.send', psid: '7000000000000001', text: 'Hello', tag: 'HUMAN_AGENT' });
    expect(replyChannels(chat, at(T0 + HOUR + 7 * DAY)).private.allowed).toBe(true);

    const closed = replyChannels(chat, at(T0 + HOUR + 7 * DAY + 1));
    expect(closed.private).toMatchObject({ allowed: false, actionKind: null, usesHumanAgentTag: false, windowEndsAt: T0 + 25 * HOUR, humanAgentUntil: T0 + HOUR + 7 * DAY });
    expect(replyProblem(closed.private, 'Are you there?', 'the private reply')).toBe(
      "the private reply cannot go out as a Messenger message: Messenger allows a reply only within 7 days of the customer's last message (with the human-agent tag after 24 hours); that ended on Mon 9 Mar, 12:00 CET. The customer has to write again first.",
    );
    expect(() => replyAction(chat, closed.private, 'x')).toThrow();
  });
});

describe('reactions', () => {
  it('offers like and retweet on X, like and hide on Facebook, nothing on private messages', () => {
    const none = { like: null, retweet: null, hide: null };
    expect(reactionOptions({ platform: 'x', kind: 'x.mention' }, none).map((o) => [o.reaction, o.allowed])).toEqual([['like', true], ['retweet', true], ['hide', false]]);
    expect(reactionOptions({ platform: 'facebook', kind: 'facebook.comment' }, none).map((o) => [o.reaction, o.allowed])).toEqual([['like', true], ['retweet', false], ['hide', true]]);
    expect(reactionOptions({ platform: 'messenger', kind: 'messenger.message' }, none).every((o) => !o.allowed && o.reason === 'a private message cannot be liked, retweeted or hidden')).toBe(true);
    expect(reactionAction({ platform: 'x', kind: 'x.reply', externalId: '42' }, 'retweet')).toEqual({ kind: 'x.retweet', tweetId: '42' });
    expect(reactionAction({ platform: 'facebook', kind: 'facebook.reply', externalId: '1_2' }, 'hide')).toEqual({ kind: 'facebook.hide', commentId: '1_2', hidden: true });
    expect(reactionAction({ platform: 'facebook', kind: 'facebook.post', externalId: '1_3' }, 'like')).toEqual({ kind: 'facebook.like', objectId: '1_3' });
    expect(() => reactionAction({ platform: 'x', kind: 'x.dm', externalId: '42' }, 'like')).toThrow();
  });

  it('reads what is done from the outbox: failed tries change nothing, undos cancel', () => {
    const item = (id: number, state: ReactionRecord['state'], action: OutboxAction): ReactionRecord => ({ id, state, action });
    const items = [
      item(1, 'failed', { kind: 'x.like', tweetId: '42' }),
      item(2, 'sent', { kind: 'x.retweet', tweetId: '42' }),
      item(3, 'sent', { kind: 'x.like', tweetId: '43' }),
      item(5, 'sent', { kind: 'x.unretweet', tweetId: '42' }),
      item(4, 'pending', { kind: 'x.like', tweetId: '42' }),
    ];
    const done = doneReactions(items, '42');
    expect(done.like?.id).toBe(4);
    expect(done.retweet).toBeNull();
    expect(reactionOptions({ platform: 'x', kind: 'x.mention' }, done).map((o) => o.done)).toEqual([true, false, false]);
    const hidden = doneReactions([item(1, 'sent', { kind: 'facebook.hide', commentId: '1_2', hidden: true }), item(2, 'cancelled', { kind: 'facebook.hide', commentId: '1_2', hidden: false })], '1_2');
    expect(hidden.hide?.id).toBe(1);
  });
});

describe('canned responses', () => {
  it('refuses ids used twice and placeholders the desk cannot fill, and fills the known ones', () => {
    expect(cannedResponseProblems(DEFAULT_CANNED_RESPONSES)).toEqual([]);
    expect(
      cannedResponseProblems([
        { id: 'hello', title: 'Hello', text: 'Hi {contact_name}' },
        { id: 'hello', title: 'Hello again', text: 'Your order {order} is on its way' },
      ]),
    ).toEqual([
      'items.1.id "hello" is already used by items.0',
      'items.1.text uses {order}, which the desk cannot fill (use {contact_name}, {handle}, {agent_name}, {desk_name})',
    ]);
    expect(fillCannedResponse('Hi {contact_name}, {agent_name} here from {desk_name}. {handle}', { contact_name: 'Ana', agent_name: 'Bea', desk_name: 'Northwind Care', handle: null })).toBe(
      'Hi Ana, Bea here from Northwind Care. {handle}',
    );
  });
});
