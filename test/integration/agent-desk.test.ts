/**
 * The agent desk end to end on the sandbox (issue 7, R9-R11, R18): customers write through the
 * sandbox's control API, the desk ingests, routes to the agent, and the agent works through the
 * desk's commands as the console would. The sandbox's inspector shows what went out; the contact
 * history shows the desk's replies as outbound messages. Real SQLite, real HTTPS.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fetch } from 'undici';
import type { Clock } from '../../electron/core/clock';
import type { Agent, ConversationView, DeskResult, DispositionCode, OutboxItem, OutboxPage, QueueEntry, WorkItem } from '../../electron/core/contract';
import { createDesk, type Desk } from '../../electron/core/desk';
import { FileSecretStore } from '../../electron/core/secrets';
import { startSandbox, type InspectorAction, type Sandbox } from '../../electron/sandbox';
import { tempDir } from '../support/temp';

const DAY = 86_400_000;
const supervisor = { actor: 'supervisor Sam' };

/** Real time that a test can move forward (the sandbox keeps real time; only the desk jumps). */
class JumpingClock implements Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

let sandbox: Sandbox;
let dir: ReturnType<typeof tempDir>;
let desk: Desk;
let clock: JumpingClock;
let ana: Agent;
let bea: Agent;
const asAna = { actor: 'Ana' };

async function value<T>(promise: Promise<DeskResult<unknown>>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(`call failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

async function eventually<T>(what: string, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  for (let i = 0; i < 250; i += 1) {
    const found = await probe();
    if (found !== null && found !== undefined && found !== false) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** A customer acts through the sandbox's control API, as `curl -d ... $S/customers` would. */
async function customer(body: { kind: string; text: string; customer: string }): Promise<{ id: string; authorId: string }> {
  const response = await fetch('https://sandbox.local/customers', {
    method: 'POST',
    dispatcher: sandbox.dispatcher(),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; authorId: string };
}

let counter = 0;
/** A text no earlier run used (X refuses the same brand text twice within 24 hours). */
function unique(text: string): string {
  counter += 1;
  return `${text} (ref ${Date.now().toString(36)}${counter})`;
}

/** The work item on Ana's desk whose customer text contains `marker`, once routing has offered it. */
function workFor(marker: string): Promise<WorkItem> {
  return eventually(`"${marker}" on Ana's desk`, async () => {
    const work = await value<{ items: WorkItem[] }>(desk.call('listMyWork', { agentId: ana.id }, asAna));
    return work.items.find((item) => item.text.includes(marker));
  });
}

function conversation(interactionId: number): Promise<ConversationView> {
  return value<ConversationView>(desk.call('getConversation', { interactionId }, asAna));
}

/** Waits until every outbox item has ended, and returns them. */
async function settledOutbox(): Promise<OutboxItem[]> {
  return eventually('the outbox to settle', async () => {
    const page = await value<OutboxPage>(desk.call('listOutbox', { limit: 500 }, supervisor));
    return page.items.every((item) => item.state === 'sent' || item.state === 'failed' || item.state === 'cancelled') ? page.items : null;
  });
}

function newActions(after: number): InspectorAction[] {
  return sandbox.inspector.actions(after);
}

beforeEach(async () => {
  // A sandbox per test: a desk's first connection backfills what the sandbox already holds.
  sandbox = await startSandbox({ rateLimits: { multiplier: 100 } });
  dir = tempDir('desk-agent-');
  clock = new JumpingClock();
  desk = createDesk({
    dataDir: dir.path,
    version: 't',
    clock,
    secrets: new FileSecretStore(join(dir.path, 'secrets.json')),
    eventWindowMs: 5,
    sandbox: async () => ({ x: sandbox.x, facebook: sandbox.facebook, httpsAgent: () => sandbox.httpsAgent(), dispatcher: () => sandbox.dispatcher(), close: async () => {} }),
  });
  await desk.start();
  // Open around the clock, so the calendar never answers in the agent's place.
  const { calendar } = await value<{ calendar: Record<string, unknown> }>(desk.call('getCalendar', {}, supervisor));
  const allDay = [{ start: '00:00', end: '24:00' }];
  await value(desk.call('saveCalendar', { calendar: { ...calendar, weekly: { monday: allDay, tuesday: allDay, wednesday: allDay, thursday: allDay, friday: allDay, saturday: allDay, sunday: allDay } } }, supervisor));
  // Ana takes the general queue and the DM team's work; Bea exists but is offline.
  ana = await value<Agent>(desk.call('saveAgent', { name: 'Ana', groups: ['dm-team'], capacity: { public: 10, private: 10 } }, supervisor));
  bea = await value<Agent>(desk.call('saveAgent', { name: 'Bea', capacity: { public: 5, private: 5 } }, supervisor));
  ana = await value<Agent>(desk.call('setAgentState', { agentId: ana.id, state: { state: 'ready' } }, asAna));
});

afterEach(async () => {
  await desk.stop();
  await sandbox.close();
  dir.remove();
});

describe('an agent on the sandbox', () => {
  it('answers a mention publicly, moves another to private, likes a third, completes with a code; each action goes out once and replies land in the history', async () => {
    const before = sandbox.inspector.actions().length;
    const publicText = unique('my parcel 4471 has not arrived yet @NorthwindCare');
    const privateText = unique('I was billed twice for order 9921 @NorthwindCare');
    const likeText = unique('the new store opening hours are out @NorthwindCare');
    const answered = await customer({ kind: 'x.mention', text: publicText, customer: 'mention-public' });
    const moved = await customer({ kind: 'x.mention', text: privateText, customer: 'mention-private' });
    const liked = await customer({ kind: 'x.mention', text: likeText, customer: 'mention-like' });

    const first = await workFor(publicText);
    const second = await workFor(privateText);
    const third = await workFor(likeText);
    expect(first).toMatchObject({ platform: 'x', kind: 'x.mention', assignment: { agentId: ana.id, acceptedAt: null } });

    // The conversation says how each may be answered.
    const view = await conversation(first.interactionId);
    expect(view.interaction).toMatchObject({ id: first.interactionId, state: 'assigned', message: { externalId: answered.id } });
    expect(view.reply.public).toMatchObject({ allowed: true, actionKind: 'x.reply', maxLength: 280, lengthRule: 'x-weighted' });
    expect(view.reply.private).toMatchObject({ allowed: true, actionKind: 'x.dm' });
    expect(view.canMoveToPrivate).toBe(true);
    expect(view.reactions.map((r) => [r.reaction, r.allowed, r.done])).toEqual([['like', true, false], ['retweet', true, false], ['hide', false, false]]);
    expect(view.messages.at(-1)).toMatchObject({ externalId: answered.id, direction: 'inbound' });

    // Only the agent holding it may answer.
    expect(await desk.call('sendReply', { interactionId: first.interactionId, agentId: bea.id, visibility: 'public', text: 'hello' }, { actor: 'Bea' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: `sendReply refused: interaction ${first.interactionId} is not on Bea's desk (Ana holds it)` },
    });

    const replyText = unique('Sorry about the delay! We are checking parcel 4471 with the courier now.');
    const reply = await value<OutboxItem>(desk.call('sendReply', { interactionId: first.interactionId, agentId: ana.id, visibility: 'public', text: replyText }, asAna));
    expect(reply).toMatchObject({ action: { kind: 'x.reply', inReplyToTweetId: answered.id, text: replyText }, origin: 'agent', interactionId: first.interactionId });
    // Sending the same reply again (a console retrying a lost answer) sends nothing more.
    const again = await value<OutboxItem>(desk.call('sendReply', { interactionId: first.interactionId, agentId: ana.id, visibility: 'public', text: replyText }, asAna));
    expect(again.id).toBe(reply.id);

    const movePublic = unique('We have sent you a DM so we can look at your account.');
    const movePrivate = unique('Hi! Could you send us the email address on the account, and the last 4 digits of the card?');
    const move = await value<{ public: OutboxItem; private: OutboxItem }>(
      desk.call('moveToPrivate', { interactionId: second.interactionId, agentId: ana.id, publicText: movePublic, privateText: movePrivate }, asAna),
    );
    expect(move.public.action).toEqual({ kind: 'x.reply', inReplyToTweetId: moved.id, text: movePublic });
    expect(move.private.action).toEqual({ kind: 'x.dm', participantId: moved.authorId, text: movePrivate });

    const like = await value<OutboxItem>(desk.call('react', { interactionId: third.interactionId, agentId: ana.id, reaction: 'like' }, asAna));
    expect(like.action).toEqual({ kind: 'x.like', tweetId: liked.id });
    expect((await value<OutboxItem>(desk.call('react', { interactionId: third.interactionId, agentId: ana.id, reaction: 'like' }, asAna))).id).toBe(like.id);

    const items = await settledOutbox();
    expect(items.map((item) => [item.action.kind, item.state]).sort()).toEqual([['x.dm', 'sent'], ['x.like', 'sent'], ['x.reply', 'sent'], ['x.reply', 'sent']]);

    // The sandbox saw each action exactly once, the public reply before the DM.
    const actions = newActions(before);
    expect(actions.map((a) => [a.kind, a.targetId, a.text])).toEqual(
      expect.arrayContaining([
        ['reply', answered.id, replyText],
        ['reply', moved.id, movePublic],
        ['dm', moved.authorId, movePrivate],
        ['like', liked.id, null],
      ]),
    );
    expect(actions).toHaveLength(4);
    expect(actions.findIndex((a) => a.text === movePublic)).toBeLessThan(actions.findIndex((a) => a.text === movePrivate));

    // Each reply is in the contact's history as an outbound message; the like leaves none.
    const answeredView = await conversation(first.interactionId);
    expect(answeredView.messages.filter((m) => m.direction === 'outbound')).toMatchObject([{ kind: 'x.reply', visibility: 'public', text: replyText }]);
    expect(answeredView.outbox).toMatchObject([{ id: reply.id, state: 'sent' }]);
    const movedView = await conversation(second.interactionId);
    expect(movedView.messages.filter((m) => m.direction === 'outbound').map((m) => [m.kind, m.visibility, m.text])).toEqual([
      ['x.reply', 'public', movePublic],
      ['x.dm', 'private', movePrivate],
    ]);
    // The contact's history page (Contacts) shows the same, newest first.
    const page = await value<{ messages: { direction: string; kind: string; text: string }[] }>(desk.call('getContactHistory', { contactId: second.contactId }, supervisor));
    expect(page.messages.map((m) => [m.direction, m.kind, m.text])).toEqual([
      ['outbound', 'x.dm', movePrivate],
      ['outbound', 'x.reply', movePublic],
      ['inbound', 'x.mention', privateText],
    ]);
    const likedView = await conversation(third.interactionId);
    expect(likedView.messages.filter((m) => m.direction === 'outbound')).toEqual([]);
    expect(likedView.reactions.find((r) => r.reaction === 'like')).toMatchObject({ allowed: true, done: true });

    // Acting accepted the offered work; completing with a code closes it and frees the slot.
    expect((await value<{ items: WorkItem[] }>(desk.call('listMyWork', { agentId: ana.id }, asAna))).items.every((item) => item.assignment.acceptedAt !== null)).toBe(true);
    const { codes } = await value<{ codes: DispositionCode[] }>(desk.call('listDispositionCodes', {}, asAna));
    const resolved = codes.find((code) => code.name === 'Resolved')!;
    const done = await value<{ state: string; completedAt: number }>(
      desk.call('completeInteraction', { interactionId: first.interactionId, agentId: ana.id, dispositionCodeId: resolved.id, note: 'courier confirmed' }, asAna),
    );
    expect(done.state).toBe('completed');
    const after = await value<{ agent: Agent; items: WorkItem[] }>(desk.call('listMyWork', { agentId: ana.id }, asAna));
    expect(after.items.map((item) => item.interactionId).sort()).toEqual([second.interactionId, third.interactionId].sort());
    expect(after.agent.load.public).toBe(2);
    const closed = await conversation(first.interactionId);
    expect(closed.interaction.state).toBe('completed');
    expect(closed.interaction.history.at(-1)).toMatchObject({ from: 'assigned', to: 'completed', actor: 'Ana', reason: 'disposition: Resolved' });
    // Nothing more can be sent on it.
    expect(await desk.call('sendReply', { interactionId: first.interactionId, agentId: ana.id, visibility: 'public', text: 'one more thing' }, asAna)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: `sendReply refused: interaction ${first.interactionId} is already completed` },
    });

    // Transfer: straight to Bea is refused while she is offline; to the general queue it waits there.
    const general = (await value<{ queues: { id: number; name: string }[] }>(desk.call('getRouting', {}, supervisor))).queues[0]!;
    expect(await desk.call('transferInteraction', { interactionId: third.interactionId, agentId: ana.id, to: { agentId: bea.id } }, asAna)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'move refused: Bea is offline' },
    });
    // Ana steps away first, or routing would offer it straight back to her.
    await value(desk.call('setAgentState', { agentId: ana.id, state: { state: 'not-ready', reason: 'lunch' } }, asAna));
    const entry = await value<QueueEntry>(desk.call('transferInteraction', { interactionId: third.interactionId, agentId: ana.id, to: { queueId: general.id } }, asAna));
    expect(entry).toMatchObject({ interactionId: third.interactionId, queueId: general.id, assignedTo: null });
    const transferred = await conversation(third.interactionId);
    expect(transferred.interaction.history.some((change) => change.actor === 'Ana' && change.to === 'queued')).toBe(true);
    const audit = await value<{ entries: { actor: string; subject: string }[] }>(desk.call('readAuditLog', { action: 'interaction.transferred' }, supervisor));
    expect(audit.entries).toMatchObject([{ actor: 'Ana', subject: `interaction ${third.interactionId}` }]);
    expect(sandbox.inspector.actions().length - before).toBe(4);
  });

  it('holds a Messenger chat: the customer\'s new messages appear while it is open, the agent\'s go out through the outbox', async () => {
    const before = sandbox.inspector.actions().length;
    const opening = unique('Hi, my order 5512 arrived damaged');
    const chat = await customer({ kind: 'messenger.message', text: opening, customer: 'chat' });
    const work = await workFor(opening);
    expect(work).toMatchObject({ platform: 'messenger', kind: 'messenger.message' });

    const view = await conversation(work.interactionId);
    expect(view.reply.public.allowed).toBe(false);
    expect(view.reply.private).toMatchObject({ allowed: true, actionKind: 'messenger.send', usesHumanAgentTag: false, lengthRule: 'characters', maxLength: 2000 });
    expect(view.reply.private.windowEndsAt).toBe(view.messages.at(-1)!.createdAt + DAY);
    expect(view.canMoveToPrivate).toBe(false);

    const first = unique('So sorry to hear that! Could you send a photo of the damage?');
    const sent = await value<OutboxItem>(desk.call('sendReply', { interactionId: work.interactionId, agentId: ana.id, visibility: 'private', text: first }, asAna));
    expect(sent.action).toEqual({ kind: 'messenger.send', psid: chat.authorId, text: first });
    await eventually('the first answer to be delivered', async () => (await conversation(work.interactionId)).outbox.find((item) => item.id === sent.id && item.state === 'sent'));

    // The customer writes again while the agent has the chat open. Graph gives a message's time
    // to the second, so a customer answering within the same second as the desk's reply would
    // sort before it: a person takes longer than that.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000)));
    const followUp = unique('Sure, sending it now. The box was crushed.');
    await customer({ kind: 'messenger.message', text: followUp, customer: 'chat' });
    const open = await eventually('the customer\'s new message in the open chat', async () => {
      const current = await conversation(work.interactionId);
      return current.messages.some((m) => m.text === followUp) ? current : null;
    });
    expect(open.messages.map((m) => [m.direction, m.text]).slice(-3)).toEqual([
      ['inbound', opening],
      ['outbound', first],
      ['inbound', followUp],
    ]);
    // The 24-hour window now runs from the newer message.
    expect(open.reply.private.windowEndsAt).toBe(open.messages.at(-1)!.createdAt + DAY);

    const second = unique('Thank you. A replacement is on its way, tracking to follow.');
    const next = await value<OutboxItem>(desk.call('sendReply', { interactionId: work.interactionId, agentId: ana.id, visibility: 'private', text: second }, asAna));
    const delivered = await eventually('the second answer to be delivered', async () => {
      const current = await conversation(work.interactionId);
      return current.outbox.find((item) => item.id === next.id && item.state === 'sent') ? current : null;
    });
    expect(delivered.messages.filter((m) => m.platform === 'messenger').map((m) => [m.direction, m.kind, m.text]).slice(-4)).toEqual([
      ['inbound', 'messenger.message', opening],
      ['outbound', 'messenger.message', first],
      ['inbound', 'messenger.message', followUp],
      ['outbound', 'messenger.message', second],
    ]);
    const sends = newActions(before).filter((a) => a.kind === 'messenger-send');
    expect(sends.map((a) => [a.targetId, a.text])).toEqual([
      [chat.authorId, first],
      [chat.authorId, second],
    ]);
    expect(newActions(before)).toHaveLength(2);
  });
});

describe('refusals: nothing is sent or changed', () => {
  it('refuses an empty reply, one over X\'s limit, a second Facebook private reply, a reply on the wrong side, and completing without a code', async () => {
    const mentionText = unique('where is my refund @NorthwindCare');
    const commentText = unique('Nobody answers the phone at your Lisbon store');
    const chatText = unique('hello, is anyone there?');
    const mention = await customer({ kind: 'x.mention', text: mentionText, customer: 'bad-x' });
    const comment = await customer({ kind: 'facebook.comment', text: commentText, customer: 'bad-fb' });
    await customer({ kind: 'messenger.message', text: chatText, customer: 'bad-chat' });
    const onX = await workFor(mentionText);
    const onFacebook = await workFor(commentText);
    const onMessenger = await workFor(chatText);
    expect((await conversation(onX.interactionId)).interaction.message.externalId).toBe(mention.id);

    // A Facebook comment moved to private: one public reply, one private reply.
    const publicPart = unique('Sorry about that! We have sent you a private message.');
    const privatePart = unique('Hi, which day did you call the Lisbon store?');
    const moved = await value<{ public: OutboxItem; private: OutboxItem }>(
      desk.call('moveToPrivate', { interactionId: onFacebook.interactionId, agentId: ana.id, publicText: publicPart, privateText: privatePart }, asAna),
    );
    expect(moved.public.action).toEqual({ kind: 'facebook.comment', objectId: comment.id, text: publicPart });
    expect(moved.private.action).toEqual({ kind: 'facebook.private-reply', commentId: comment.id, text: privatePart });
    await settledOutbox();
    expect(sandbox.inspector.actions().filter((a) => a.kind === 'private-reply').map((a) => [a.targetId, a.text])).toEqual([[comment.id, privatePart]]);

    const inspected = sandbox.inspector.actions().length;
    const outboxBefore = await value<OutboxPage>(desk.call('listOutbox', { limit: 500 }, supervisor));
    const refused = async (name: string, input: Record<string, unknown>, message: RegExp | string) => {
      const result = await desk.call(name, input, asAna);
      expect(result).toMatchObject({ ok: false, error: { code: 'bad_input' } });
      const text = (result as { error: { message: string } }).error.message;
      if (typeof message === 'string') expect(text).toBe(message);
      else expect(text).toMatch(message);
    };
    const base = { interactionId: onX.interactionId, agentId: ana.id };

    await refused('sendReply', { ...base, visibility: 'public', text: '  \n ' }, 'sendReply: text is empty: write the answer first');
    // 141 CJK characters: 282 as X counts them.
    await refused('sendReply', { ...base, visibility: 'public', text: '退'.repeat(141) }, 'sendReply refused: the public reply has 282 characters as X counts them (most CJK characters and emoji count as two); X allows 280');
    // Move to private checks both halves before either goes: a fine private text does not go alone.
    await refused('moveToPrivate', { ...base, publicText: `${'a'.repeat(270)} 🙂🙂🙂🙂🙂🙂`, privateText: 'Hi! Could you DM us your order number?' }, /^moveToPrivate refused: the public reply has 28\d characters as X counts them/);
    await refused('react', { ...base, reaction: 'hide' }, /^react refused: the desk hides Facebook comments/);
    await refused(
      'sendReply',
      { interactionId: onFacebook.interactionId, agentId: ana.id, visibility: 'private', text: 'One more thing...' },
      /^sendReply refused: the private reply cannot go out as a private reply to the comment: a private reply to this comment was already sent \(.+\); Facebook allows one per comment$/,
    );
    await refused('sendReply', { interactionId: onMessenger.interactionId, agentId: ana.id, visibility: 'public', text: 'Hello!' }, /^sendReply refused: the public reply cannot go out as a public reply: a Messenger conversation is private/);
    await refused('moveToPrivate', { interactionId: onMessenger.interactionId, agentId: ana.id, publicText: 'a', privateText: 'b' }, 'moveToPrivate refused: this conversation is already private: answer it with a private reply');
    await refused('react', { interactionId: onMessenger.interactionId, agentId: ana.id, reaction: 'like' }, 'react refused: a private message cannot be liked, retweeted or hidden');
    await refused('completeInteraction', { ...base }, 'completeInteraction refused: choose a disposition code to complete');
    const { codes } = await value<{ codes: DispositionCode[] }>(desk.call('listDispositionCodes', {}, supervisor));
    const retired = await value<DispositionCode>(desk.call('retireDispositionCode', { id: codes[0]!.id }, supervisor));
    await refused('completeInteraction', { ...base, dispositionCodeId: retired.id }, `completeInteraction refused: the disposition code "${retired.name}" is retired: choose another`);

    // Nothing went out, nothing was queued to go, and the refused work is still on Ana's desk, untouched.
    expect(sandbox.inspector.actions()).toHaveLength(inspected);
    expect(await value<OutboxPage>(desk.call('listOutbox', { limit: 500 }, supervisor))).toEqual(outboxBefore);
    const work = await value<{ items: WorkItem[] }>(desk.call('listMyWork', { agentId: ana.id }, asAna));
    expect(work.items.find((item) => item.interactionId === onX.interactionId)).toMatchObject({ state: 'assigned', assignment: { acceptedAt: null } });
    const view = await conversation(onFacebook.interactionId);
    expect(view.reply.private).toMatchObject({ allowed: false, actionKind: null });
    expect(view.canMoveToPrivate).toBe(false);
  });

  it('tags a late Messenger reply with HUMAN_AGENT, and refuses Messenger after 7 days and a Facebook private reply after 7 days', async () => {
    const chatText = unique('my voucher code does not work');
    const commentText = unique('Is the Porto store open on Sundays?');
    const chat = await customer({ kind: 'messenger.message', text: chatText, customer: 'late-chat:pt' });
    await customer({ kind: 'facebook.comment', text: commentText, customer: 'late-fb' });
    const onMessenger = await workFor(chatText);
    const onFacebook = await workFor(commentText);
    // Accepted work stays with the agent however long she takes (offers would be given back).
    for (const item of [onMessenger, onFacebook]) await value(desk.call('acceptInteraction', { interactionId: item.interactionId, agentId: ana.id }, asAna));

    // Two days later: outside the 24-hour window, inside the human-agent tag's 7 days.
    clock.advance(2 * DAY);
    const late = await conversation(onMessenger.interactionId);
    expect(late.reply.private).toMatchObject({ allowed: true, usesHumanAgentTag: true, reason: expect.stringMatching(/^The 24-hour window ended on .+: this reply goes out with Messenger's human-agent tag, allowed until .+\.$/) });
    const before = sandbox.inspector.actions().length;
    const text = unique('Sorry for the wait! Here is a new voucher: NW-2231.');
    const tagged = await value<OutboxItem>(desk.call('sendReply', { interactionId: onMessenger.interactionId, agentId: ana.id, visibility: 'private', text }, asAna));
    expect(tagged.action).toEqual({ kind: 'messenger.send', psid: chat.authorId, text, tag: 'HUMAN_AGENT' });
    await settledOutbox();
    const sends = sandbox.inspector.actions(before);
    expect(sends.map((a) => [a.kind, a.text])).toEqual([['messenger-send', text]]);
    expect(JSON.stringify(sends[0]!.request)).toContain('HUMAN_AGENT');

    // Eight days after the customer's messages: neither Messenger nor a private reply may go.
    clock.advance(6 * DAY);
    const inspected = sandbox.inspector.actions().length;
    const outboxBefore = await value<OutboxPage>(desk.call('listOutbox', { limit: 500 }, supervisor));
    const closedChat = await conversation(onMessenger.interactionId);
    expect(closedChat.reply.private).toMatchObject({ allowed: false, actionKind: null, usesHumanAgentTag: false });
    expect(await desk.call('sendReply', { interactionId: onMessenger.interactionId, agentId: ana.id, visibility: 'private', text: 'Are you still there?' }, asAna)).toMatchObject({
      ok: false,
      error: { code: 'bad_input', message: expect.stringMatching(/^sendReply refused: the private reply cannot go out as a Messenger message: Messenger allows a reply only within 7 days of the customer's last message .+\. The customer has to write again first\.$/) },
    });
    expect(await desk.call('sendReply', { interactionId: onFacebook.interactionId, agentId: ana.id, visibility: 'private', text: 'Hi! Yes, 10:00-18:00.' }, asAna)).toMatchObject({
      ok: false,
      error: { code: 'bad_input', message: expect.stringMatching(/^sendReply refused: the private reply cannot go out as a private reply to the comment: the 7 days for a private reply to this comment ended on /) },
    });
    expect(await desk.call('moveToPrivate', { interactionId: onFacebook.interactionId, agentId: ana.id, publicText: 'We sent you a message', privateText: 'Hi!' }, asAna)).toMatchObject({
      ok: false,
      error: { code: 'bad_input', message: expect.stringMatching(/^moveToPrivate refused: the private message cannot go out as a private reply to the comment: the 7 days/) },
    });
    expect(sandbox.inspector.actions()).toHaveLength(inspected);
    expect(await value<OutboxPage>(desk.call('listOutbox', { limit: 500 }, supervisor))).toEqual(outboxBefore);
  });
});

describe('canned responses', () => {
  it('starts with defaults, saves a team\'s own (audited), and refuses a placeholder the desk cannot fill', async () => {
    const initial = await value<{ items: { id: string }[] }>(desk.call('getCannedResponses', {}, asAna));
    expect(initial.items.map((item) => item.id)).toContain('move-to-private');
    const items = [{ id: 'greeting', title: 'Greeting', text: 'Hi {contact_name}, {agent_name} here from {desk_name}.' }];
    expect(await value(desk.call('saveCannedResponses', { items }, supervisor))).toEqual({ items });
    expect(await value(desk.call('getCannedResponses', {}, asAna))).toEqual({ items });
    const audit = await value<{ entries: { actor: string; subject: string }[] }>(desk.call('readAuditLog', { action: 'canned-responses.saved' }, supervisor));
    expect(audit.entries).toMatchObject([{ actor: 'supervisor Sam', subject: '1 canned responses' }]);
    expect(await desk.call('saveCannedResponses', { items: [...items, { id: 'greeting', title: 'Other', text: 'Order {order}' }] }, supervisor)).toMatchObject({
      ok: false,
      error: { code: 'bad_input', message: 'saveCannedResponses: items.1.id "greeting" is already used by items.0; items.1.text uses {order}, which the desk cannot fill (use {contact_name}, {handle}, {agent_name}, {desk_name})' },
    });
    expect(await value(desk.call('getCannedResponses', {}, asAna))).toEqual({ items });
  });
});
