// The outbox against the sandbox over real HTTPS with a real SQLite store: retries until the
// deadline, rate limits, permanent and auth errors, cancel / retry now, idempotency keys, and
// enqueueing inside a caller's transaction.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import { moveInteraction, openInteractions } from '../../electron/core/store/interactions';
import { startSandbox, type FaultSpec } from '../../electron/sandbox/index';
import { createGraphSender, type OutboxTimers, type Sender } from '../../electron/core/outbox';
import { actions, item, openDeskSide, outboundMessages, startWorld, stepToNextTry, storeInbound, uniqueText, xSender, type DeskSide, type World } from './outbox-support';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let world: World;
let side: DeskSide;

beforeAll(async () => {
  world = await startWorld(71);
});
afterAll(async () => {
  await world.sandbox.close();
});
beforeEach(async () => {
  side = await openDeskSide(world);
});
afterEach(async () => {
  world.sandbox.faults.clear();
  await side.close();
});

async function mention(): Promise<string> {
  return (await world.sandbox.customers.post({ kind: 'x.mention' })).id;
}

describe('retrying until the deadline', () => {
  it('an X reply that fails (5xx, an HTML 503, a dropped connection) until just before its deadline goes out exactly once', async () => {
    const outbox = side.outbox();
    await outbox.start();
    const tweet = await mention();
    await storeInbound(side, { platform: 'x', kind: 'x.mention', externalId: tweet, text: 'help', conversationRef: tweet, at: world.clock.now() });
    const text = uniqueText('Sorry about that, Ana! We are on it.');
    const enqueuedAt = world.clock.now();
    const queued = await outbox.enqueue(side.store.db, { action: { kind: 'x.reply', inReplyToTweetId: tweet, text }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    expect(queued).toMatchObject({ state: 'pending', attempts: 0, deadlineAt: enqueuedAt + 2 * HOUR, nextAttemptAt: enqueuedAt });

    const faults: FaultSpec[] = [
      { kind: 'server-error', platform: 'x', path: 'POST /2/tweets' },
      { kind: 'html-503', platform: 'x', path: 'POST /2/tweets' },
      { kind: 'drop-connection', when: 'before-processing', platform: 'x', path: 'POST /2/tweets' },
    ];
    let tries = 0;
    let current = queued;
    const waits: number[] = [];
    // Keep failing while the next try is more than 3 minutes before the deadline.
    while (current.nextAttemptAt !== null && current.nextAttemptAt < current.deadlineAt - 3 * MINUTE) {
      world.sandbox.faults.inject(faults[tries % faults.length] as FaultSpec);
      const before = world.clock.now();
      current = await stepToNextTry(world, outbox, queued.id);
      tries += 1;
      expect(current.state).toBe('retrying');
      expect(current.attempts).toBe(tries);
      expect(current.lastError).toBeTruthy();
      expect(current.nextAttemptAt).not.toBeNull();
      expect(current.nextAttemptAt as number).toBeLessThanOrEqual(current.deadlineAt);
      waits.push((current.nextAttemptAt as number) - Math.max(before, world.clock.now()));
    }
    expect(tries).toBeGreaterThan(20);
    // Full jitter with a fixed draw of 0.5: 2.5 s, 5 s, 10 s ... up to half of 5 minutes.
    expect(waits.slice(0, 4)).toEqual([2_500, 5_000, 10_000, 20_000]);
    expect(Math.max(...waits)).toBe(150_000);
    // A dropped connection left the outcome unseen: it is in doubt, and the next try looks first.
    expect(world.sandbox.faults.list()).toEqual([]);

    const sent = await stepToNextTry(world, outbox, queued.id);
    expect(sent.state).toBe('sent');
    expect(sent.attempts).toBe(tries + 1);
    expect(sent.sentAt as number).toBeLessThanOrEqual(sent.deadlineAt);
    expect(sent.inDoubt).toBe(false);
    const replies = actions(world, 'reply', text);
    expect(replies).toHaveLength(1);
    expect(sent.resultId).toBe(replies[0]?.resultId);

    const messages = await outboundMessages(side);
    expect(messages).toEqual([
      expect.objectContaining({ platform: 'x', external_id: sent.resultId, contact_id: side.contactId, kind: 'x.reply', visibility: 'public', text, conversation_ref: tweet, in_reply_to_external_id: tweet }),
    ]);
    expect(sent.messageId).toBe(messages[0]?.id);
    // Another pass changes nothing.
    world.clock.advance(HOUR);
    await outbox.kick();
    expect(actions(world, 'reply', text)).toHaveLength(1);
    expect(await outboundMessages(side)).toHaveLength(1);
  });

  it('a Messenger message that fails until just before its deadline goes out exactly once', async () => {
    const outbox = side.outbox();
    await outbox.start();
    const customer = await world.sandbox.customers.post({ kind: 'messenger.message', customer: 'retry-messenger' });
    const text = uniqueText('Thanks for waiting, we found your order.');
    const queued = await outbox.enqueue(side.store.db, { action: { kind: 'messenger.send', psid: customer.authorId, text }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    const faults: FaultSpec[] = [
      { kind: 'server-error', platform: 'facebook', path: '/:page-id/messages' },
      { kind: 'html-503', platform: 'facebook', path: '/:page-id/messages' },
      { kind: 'drop-connection', when: 'before-processing', platform: 'facebook', path: '/:page-id/messages' },
      { kind: 'graph-error', graphCode: 2, platform: 'facebook', path: '/:page-id/messages' },
    ];
    let current = queued;
    let tries = 0;
    while (current.nextAttemptAt !== null && current.nextAttemptAt < current.deadlineAt - 3 * MINUTE) {
      world.sandbox.faults.inject(faults[tries % faults.length] as FaultSpec);
      current = await stepToNextTry(world, outbox, queued.id);
      tries += 1;
      expect(current.state).toBe('retrying');
    }
    const sent = await stepToNextTry(world, outbox, queued.id);
    expect(sent).toMatchObject({ state: 'sent', attempts: tries + 1 });
    expect(actions(world, 'messenger-send', text)).toHaveLength(1);
    expect(await outboundMessages(side)).toEqual([
      expect.objectContaining({ platform: 'messenger', external_id: sent.resultId, kind: 'messenger.message', visibility: 'private', text, contact_id: side.contactId }),
    ]);
  });

  it('fails with the reason once the deadline passes, and sends nothing', async () => {
    const outbox = side.outbox();
    await outbox.start();
    const tweet = await mention();
    const text = uniqueText('This will never get through.');
    world.sandbox.faults.inject({ kind: 'server-error', platform: 'x', path: 'POST /2/tweets', times: Infinity });
    const queued = await outbox.enqueue(side.store.db, { action: { kind: 'x.reply', inReplyToTweetId: tweet, text }, contactId: side.contactId, interactionId: null, origin: 'auto-reply' });
    let current = queued;
    let steps = 0;
    while (current.state !== 'failed') {
      current = await stepToNextTry(world, outbox, queued.id);
      steps += 1;
      expect(steps).toBeLessThan(200);
    }
    // The last try happened at the deadline itself, then it gave up.
    expect(world.clock.now()).toBe(current.deadlineAt);
    expect(current.reason).toMatch(/^Not sent: the deadline passed \(last problem: X is having trouble \(HTTP 503\)/);
    expect(current.nextAttemptAt).toBeNull();
    expect(current.attempts).toBe(steps);
    expect(actions(world, 'reply', text)).toEqual([]);
    expect(await outboundMessages(side)).toEqual([]);
    expect(side.changes.filter((c) => c.id === queued.id).map((c) => c.state).at(-1)).toBe('failed');
  });

  it('an item whose deadline passed while the desk was off ends failed without a try', async () => {
    const outbox = side.outbox();
    const tweet = await mention();
    const text = uniqueText('Too late to say this.');
    const queued = await outbox.enqueue(side.store.db, { action: { kind: 'x.reply', inReplyToTweetId: tweet, text }, contactId: side.contactId, interactionId: null, origin: 'closed-desk' });
    expect(queued.deadlineAt - queued.createdAt).toBe(30 * MINUTE);
    world.clock.advance(31 * MINUTE);
    await outbox.start();
    await outbox.kick();
    expect(await item(outbox, queued.id)).toMatchObject({ state: 'failed', attempts: 0, reason: 'Not sent: the deadline passed.' });
    expect(actions(world, 'reply', text)).toEqual([]);
  });
});

describe('rate limits', () => {
  it('X 429: waits for x-rate-limit-reset by the clock (holding the other replies too), then sends', async () => {
    const outbox = side.outbox();
    await outbox.start();
    const [first, second] = [await mention(), await mention()];
    const texts = [uniqueText('First answer.'), uniqueText('Second answer.')];
    world.sandbox.faults.inject({ kind: 'rate-limit', platform: 'x', path: 'POST /2/tweets', resetInSeconds: 900 });
    const expectedReset = (Math.ceil(world.clock.now() / 1000) + 900) * 1000;
    const a = await outbox.enqueue(side.store.db, { action: { kind: 'x.reply', inReplyToTweetId: first as string, text: texts[0] as string }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    await outbox.kick();
    expect(await item(outbox, a.id)).toMatchObject({ state: 'retrying', attempts: 1, nextAttemptAt: expectedReset, lastError: expect.stringMatching(/too many requests/) });

    // A second reply meets the hold: moved to the reset without a request.
    const b = await outbox.enqueue(side.store.db, { action: { kind: 'x.reply', inReplyToTweetId: second as string, text: texts[1] as string }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    await outbox.kick();
    expect(await item(outbox, b.id)).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: expectedReset });
    // A like is another window: it goes.
    const like = await outbox.enqueue(side.store.db, { action: { kind: 'x.like', tweetId: first as string }, contactId: side.contactId, interactionId: null, origin: 'auto-like' });
    await outbox.kick();
    expect((await item(outbox, like.id)).state).toBe('sent');

    world.clock.set(expectedReset - 1000);
    await outbox.kick();
    expect(await item(outbox, a.id)).toMatchObject({ state: 'retrying', attempts: 1 });
    expect(actions(world, 'reply').filter((r) => texts.includes(r.text ?? ''))).toEqual([]);

    world.clock.set(expectedReset);
    await outbox.kick();
    expect(await item(outbox, a.id)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(await item(outbox, b.id)).toMatchObject({ state: 'sent', attempts: 1 });
    expect(actions(world, 'reply', texts[0])).toHaveLength(1);
    expect(actions(world, 'reply', texts[1])).toHaveLength(1);
  });

  it('Graph throttling: waits for estimated_time_to_regain_access, then sends', async () => {
    const outbox = side.outbox();
    await outbox.start();
    const customer = await world.sandbox.customers.post({ kind: 'messenger.message', customer: 'throttled' });
    const text = uniqueText('Here is your tracking link.');
    world.sandbox.faults.inject({ kind: 'rate-limit', platform: 'facebook', path: '/:page-id/messages', graphCode: 80001, resetInSeconds: 300 });
    const start = world.clock.now();
    const queued = await outbox.enqueue(side.store.db, { action: { kind: 'messenger.send', psid: customer.authorId, text }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    await outbox.kick();
    expect(await item(outbox, queued.id)).toMatchObject({ state: 'retrying', nextAttemptAt: start + 5 * MINUTE });
    world.clock.set(start + 5 * MINUTE - 1);
    await outbox.kick();
    expect((await item(outbox, queued.id)).state).toBe('retrying');
    world.clock.set(start + 5 * MINUTE);
    await outbox.kick();
    expect((await item(outbox, queued.id)).state).toBe('sent');
    expect(actions(world, 'messenger-send', text)).toHaveLength(1);
  });

  it('Graph usage headers at 100% after a send hold the Page until access is regained', async () => {
    const clock = world.clock;
    const small = await startSandbox({ seed: 72, clock, rateLimits: { facebook: { pageCalls: 2 } } });
    try {
      const { pageId, pageToken, graphVersion } = small.facebook;
      const outbox = side.outbox({ senders: { facebook: createGraphSender({ page: { pageId, pageToken, graphVersion }, transport: { dispatcher: small.dispatcher() }, clock }) } });
      await outbox.start();
      const customer = await small.customers.post({ kind: 'messenger.message', customer: 'busy' });
      const ids: number[] = [];
      for (const n of [1, 2, 3]) {
        ids.push((await outbox.enqueue(side.store.db, { action: { kind: 'messenger.send', psid: customer.authorId, text: uniqueText(`Part ${n}.`) }, contactId: side.contactId, interactionId: null, origin: 'agent' })).id);
      }
      await outbox.kick();
      const [one, two, three] = await Promise.all(ids.map((id) => item(outbox, id)));
      expect([one?.state, two?.state]).toEqual(['sent', 'sent']);
      // The second answer said 100% of the Page's hour: the third waits, untried, until access is regained.
      expect(three).toMatchObject({ state: 'pending', attempts: 0, lastError: "Waiting for Facebook's rate limit to reset." });
      expect(three?.nextAttemptAt as number).toBeGreaterThan(clock.now());
      expect(small.inspector.actions().filter((a) => a.kind === 'messenger-send')).toHaveLength(2);
      clock.set((three?.nextAttemptAt as number) + 60 * MINUTE); // past the sandbox's usage window too
      await outbox.kick();
      expect((await item(outbox, ids[2] as number)).state).toBe('sent');
    } finally {
      await small.close();
    }
  });

  it('a reset later than the deadline fails at once, saying so', async () => {
    const outbox = side.outbox();
    await outbox.start();
    const tweet = await mention();
    world.sandbox.faults.inject({ kind: 'rate-limit', platform: 'x', path: 'POST /2/tweets', resetInSeconds: 3 * 3600 });
    const queued = await outbox.enqueue(side.store.db, { action: { kind: 'x.reply', inReplyToTweetId: tweet, text: uniqueText('Late.') }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    await outbox.kick();
    expect(await item(outbox, queued.id)).toMatchObject({ state: 'failed', attempts: 1, reason: "Not sent: X's rate limit resets only after the deadline." });
    // The hold is remembered; move past it so later tests start clean.
    world.clock.advance(3 * HOUR + MINUTE);
  });
});

describe('errors that end an item at once', () => {
  it('X duplicate content (403)', async () => {
    const outbox = side.outbox();
    await outbox.start();
    const text = uniqueText('We have sent you a DM.');
    const one = await outbox.enqueue(side.store.db, { action: { kind: 'x.reply', inReplyToTweetId: await mention(), text }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    const two = await outbox.enqueue(side.store.db, { action: { kind: 'x.reply', inReplyToTweetId: await mention(), text }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    await outbox.kick();
    expect((await item(outbox, one.id)).state).toBe('sent');
    expect(await item(outbox, two.id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      reason: 'X refused the X reply as duplicate content: the account posted the same text recently. Change the text to send it again.',
    });
    expect(actions(world, 'reply', text)).toHaveLength(1);
  });

  it('Messenger outside the 24-hour window (code 10 / 2018278); the human-agent tag still reaches them', async () => {
    const outbox = side.outbox();
    await outbox.start();
    const customer = await world.sandbox.customers.post({ kind: 'messenger.message', customer: 'old-thread', at: world.clock.now() - 25 * HOUR });
    const late = await outbox.enqueue(side.store.db, { action: { kind: 'messenger.send', psid: customer.authorId, text: uniqueText('Any news?') }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    const tagged = await outbox.enqueue(side.store.db, {
      action: { kind: 'messenger.send', psid: customer.authorId, text: uniqueText('An agent here, following up.'), tag: 'HUMAN_AGENT' },
      contactId: side.contactId,
      interactionId: null,
      origin: 'agent',
    });
    await outbox.kick();
    expect(await item(outbox, late.id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      reason: "Messenger allows a reply only within 24 hours of the customer's last message (7 days with the human-agent tag); the Messenger message was outside that window and was not sent.",
    });
    expect((await item(outbox, tagged.id)).state).toBe('sent');
  });

  it('Messenger person unavailable (551)', async () => {
    const outbox = side.outbox();
    await outbox.start();
    const customer = await world.sandbox.customers.post({ kind: 'messenger.message', customer: 'gone' });
    world.sandbox.faults.inject({ kind: 'graph-error', platform: 'facebook', path: '/:page-id/messages', graphCode: 551, graphSubcode: 1545041 });
    const queued = await outbox.enqueue(side.store.db, { action: { kind: 'messenger.send', psid: customer.authorId, text: uniqueText('Hello?') }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    await outbox.kick();
    expect(await item(outbox, queued.id)).toMatchObject({ state: 'failed', attempts: 1, reason: expect.stringMatching(/^This person isn't available on Messenger right now/) });
    expect(await outboundMessages(side)).toEqual([]);
  });

  it("auth (expired token): fails, raises the account alert, holds the account's other items until it gets a new sender", async () => {
    const outbox = side.outbox();
    await outbox.start();
    world.sandbox.faults.inject({ kind: 'expired-token', platform: 'x' });
    const first = await outbox.enqueue(side.store.db, { action: { kind: 'x.reply', inReplyToTweetId: await mention(), text: uniqueText('One.') }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    await outbox.kick();
    expect(await item(outbox, first.id)).toMatchObject({ state: 'failed', attempts: 1, reason: expect.stringMatching(/^Not sent: the account's token was refused by X \(401 Unauthorized\)/) });
    expect(side.authErrors).toEqual([{ account: 'x', reason: expect.stringMatching(/the account's token was refused/) }]);
    expect(outbox.accountHolds()).toEqual({ x: expect.stringMatching(/token was refused/) });

    // While held: X items wait untried, the Page's still go out.
    const second = await outbox.enqueue(side.store.db, { action: { kind: 'x.like', tweetId: await mention() }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    const customer = await world.sandbox.customers.post({ kind: 'messenger.message', customer: 'meanwhile' });
    const page = await outbox.enqueue(side.store.db, { action: { kind: 'messenger.send', psid: customer.authorId, text: uniqueText('Hi!') }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    await outbox.kick();
    expect(await item(outbox, second.id)).toMatchObject({ state: 'pending', attempts: 0 });
    expect((await item(outbox, page.id)).state).toBe('sent');

    // The desk reconnects the account: the held item goes, and the failed one can be retried.
    outbox.setSender('x', xSender(world));
    await outbox.kick();
    expect((await item(outbox, second.id)).state).toBe('sent');
    expect(outbox.accountHolds()).toEqual({});
    expect((await outbox.retryNow(first.id)).state).toBe('retrying');
    await outbox.kick();
    expect(await item(outbox, first.id)).toMatchObject({ state: 'sent', attempts: 2, reason: null });
    expect(side.authErrors).toHaveLength(1);
  });

  it('a held account’s items fail at their deadline with the reason', async () => {
    const outbox = side.outbox();
    await outbox.start();
    world.sandbox.faults.inject({ kind: 'expired-token', platform: 'facebook' });
    const customer = await world.sandbox.customers.post({ kind: 'messenger.message', customer: 'held' });
    const first = await outbox.enqueue(side.store.db, { action: { kind: 'messenger.send', psid: customer.authorId, text: uniqueText('A') }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    await outbox.kick();
    expect((await item(outbox, first.id)).reason).toMatch(/the account's token was refused by Facebook \(it has expired\)/);
    expect(side.authErrors.map((e) => e.account)).toEqual(['facebook']);
    const second = await outbox.enqueue(side.store.db, { action: { kind: 'facebook.like', objectId: '123_456' }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    world.clock.advance(24 * HOUR + 1);
    await outbox.kick();
    expect(await item(outbox, second.id)).toMatchObject({ state: 'failed', attempts: 0, reason: expect.stringMatching(/^Not sent: the account's token was refused by Facebook/) });
  });
});

describe('cancel and retry now', () => {
  it('retry now makes a retrying item due at once; cancel stops one; both refuse what they cannot change', async () => {
    const outbox = side.outbox();
    await outbox.start();
    world.sandbox.faults.inject({ kind: 'server-error', platform: 'x', path: 'POST /2/tweets', times: 2 });
    const text = uniqueText('Retry me.');
    const a = await outbox.enqueue(side.store.db, { action: { kind: 'x.reply', inReplyToTweetId: await mention(), text }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    const b = await outbox.enqueue(side.store.db, { action: { kind: 'x.reply', inReplyToTweetId: await mention(), text: uniqueText('Cancel me.') }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    await outbox.kick();
    const waiting = await item(outbox, a.id);
    expect(waiting.state).toBe('retrying');
    expect(waiting.nextAttemptAt as number).toBeGreaterThan(world.clock.now());

    const now = world.clock.now();
    expect(await outbox.retryNow(a.id)).toMatchObject({ state: 'retrying', nextAttemptAt: now });
    const cancelled = await outbox.cancel(b.id);
    expect(cancelled).toMatchObject({ state: 'cancelled', reason: 'Cancelled by an agent.', nextAttemptAt: null });
    await outbox.kick();
    expect((await item(outbox, a.id)).state).toBe('sent');
    expect((await item(outbox, b.id)).state).toBe('cancelled');
    world.clock.advance(HOUR);
    await outbox.kick();
    expect(actions(world, 'reply', text)).toHaveLength(1);
    expect(actions(world, 'reply').filter((r) => r.text?.startsWith('Cancel me.'))).toEqual([]);

    expect(await outbox.cancel(b.id)).toMatchObject({ state: 'cancelled' });
    await expect(outbox.cancel(a.id)).rejects.toThrow(/cannot cancel outbox item \d+: it was sent already/);
    await expect(outbox.retryNow(a.id)).rejects.toThrow(/it was sent already/);
    await expect(outbox.retryNow(b.id)).rejects.toThrow(/it was cancelled already/);
    await expect(outbox.cancel(999_999)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lists newest first, by state, in pages', async () => {
    const outbox = side.outbox();
    const ids: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      ids.push((await outbox.enqueue(side.store.db, { action: { kind: 'x.like', tweetId: String(1000 + i) }, contactId: side.contactId, interactionId: null, origin: 'agent' })).id);
    }
    await outbox.cancel(ids[1] as number);
    const first = await outbox.list({ limit: 2 });
    expect(first.items.map((i) => i.id)).toEqual([ids[4], ids[3]]);
    expect(first.nextBefore).toBe(ids[3]);
    const rest = await outbox.list({ limit: 10, before: first.nextBefore as number });
    expect(rest).toEqual({ items: expect.any(Array), nextBefore: null });
    expect(rest.items.map((i) => i.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect((await outbox.list({ state: 'cancelled', limit: 10 })).items.map((i) => i.id)).toEqual([ids[1]]);
    expect((await outbox.list({ state: ['pending', 'cancelled'], limit: 10 })).items).toHaveLength(5);
    expect(first.items[0]).toMatchObject({ contactName: 'Ana Souza', action: { kind: 'x.like', tweetId: '1004' }, origin: 'agent', inDoubt: false });
  });
});

describe('enqueueing', () => {
  it('the same idempotency key twice gives back the first item', async () => {
    const outbox = side.outbox();
    await outbox.start();
    const customer = await world.sandbox.customers.post({ kind: 'messenger.message', customer: 'closed-desk' });
    const key = `closed-desk:${side.contactId}:2026-12-25`;
    const text = uniqueText('We are closed today; we answer tomorrow from 8:00.');
    const first = await outbox.enqueue(side.store.db, { action: { kind: 'messenger.send', psid: customer.authorId, text }, contactId: side.contactId, interactionId: null, origin: 'closed-desk', idempotencyKey: key });
    const again = await outbox.enqueue(side.store.db, {
      action: { kind: 'messenger.send', psid: customer.authorId, text: 'something else' },
      contactId: side.contactId,
      interactionId: null,
      origin: 'closed-desk',
      idempotencyKey: key,
    });
    expect(again).toEqual(first);
    await outbox.kick();
    const afterSend = await outbox.enqueue(side.store.db, { action: { kind: 'messenger.send', psid: customer.authorId, text }, contactId: side.contactId, interactionId: null, origin: 'closed-desk', idempotencyKey: key });
    expect(afterSend).toMatchObject({ id: first.id, state: 'sent' });
    expect(await side.store.db.get('SELECT count(*) AS n FROM outbox')).toEqual({ n: 1 });
    expect(actions(world, 'messenger-send', text)).toHaveLength(1);
  });

  it('inside a transaction: commits with the caller, and a rollback leaves nothing behind', async () => {
    const outbox = side.outbox();
    await outbox.start();
    const tweet = await mention();
    await storeInbound(side, { platform: 'x', kind: 'x.mention', externalId: tweet, text: 'hello?', at: world.clock.now() });
    const message = await side.store.db.get<{ id: number }>('SELECT id FROM messages WHERE external_id = ?', [tweet]);
    const [interaction] = await openInteractions(side.store.db, [{ messageId: message?.id as number, contactId: side.contactId }], world.clock.now());
    const text = uniqueText('Thanks for reaching out!');

    await expect(
      side.store.db.transaction(async (tx) => {
        await moveInteraction(tx, { id: interaction as number, from: 'new', to: 'auto-handled', at: world.clock.now(), actor: 'auto-reply', reason: null });
        await outbox.enqueue(tx, { action: { kind: 'x.reply', inReplyToTweetId: tweet, text }, contactId: side.contactId, interactionId: interaction as number, origin: 'auto-reply' });
        throw new Error('the rule engine changed its mind');
      }),
    ).rejects.toThrow(/changed its mind/);
    await outbox.kick();
    expect(await side.store.db.get('SELECT count(*) AS n FROM outbox')).toEqual({ n: 0 });
    expect(await side.store.db.get('SELECT state FROM interactions WHERE id = ?', [interaction as number])).toEqual({ state: 'new' });
    expect(actions(world, 'reply', text)).toEqual([]);
    expect(side.changes).toEqual([]);

    const committed = await side.store.db.transaction(async (tx) => {
      await moveInteraction(tx, { id: interaction as number, from: 'new', to: 'auto-handled', at: world.clock.now(), actor: 'auto-reply', reason: null });
      return outbox.enqueue(tx, { action: { kind: 'x.reply', inReplyToTweetId: tweet, text }, contactId: side.contactId, interactionId: interaction as number, origin: 'auto-reply' });
    });
    await outbox.kick();
    expect(await item(outbox, committed.id)).toMatchObject({ state: 'sent', interactionId: interaction, origin: 'auto-reply' });
    expect(await side.store.db.get('SELECT state FROM interactions WHERE id = ?', [interaction as number])).toEqual({ state: 'auto-handled' });
    expect(actions(world, 'reply', text)).toHaveLength(1);
  });

  it('refuses bad input with a clear message and stores nothing', async () => {
    const outbox = side.outbox();
    const base = { contactId: side.contactId, interactionId: null, origin: 'agent' as const };
    await expect(outbox.enqueue(side.store.db, { ...base, action: { kind: 'x.reply', inReplyToTweetId: '12', text: '   ' } })).rejects.toThrow(/action.text the text is empty/);
    await expect(outbox.enqueue(side.store.db, { ...base, action: { kind: 'x.reply', inReplyToTweetId: '12', text: 'é'.repeat(281) } })).rejects.toThrow(/280 characters as X counts them; this one has 281/);
    await expect(outbox.enqueue(side.store.db, { ...base, action: { kind: 'x.like', tweetId: 'abc' } })).rejects.toMatchObject({ code: 'bad_input' });
    await expect(outbox.enqueue(side.store.db, { ...base, contactId: 4242, action: { kind: 'x.like', tweetId: '1' } })).rejects.toThrow(/there is no contact 4242/);
    await expect(outbox.enqueue(side.store.db, { ...base, interactionId: 77, action: { kind: 'x.like', tweetId: '1' } })).rejects.toThrow(/there is no interaction 77/);
    expect(await side.store.db.get('SELECT count(*) AS n FROM outbox')).toEqual({ n: 0 });
  });

  it('per-kind and per-origin deadlines are configurable, and an item may bring its own', async () => {
    const outbox = side.outbox({ deadlines: { byKind: { 'x.like': 5 * MINUTE }, byOrigin: { 'closed-desk': 10 * MINUTE } } });
    const now = world.clock.now();
    const base = { contactId: side.contactId, interactionId: null };
    expect((await outbox.enqueue(side.store.db, { ...base, origin: 'agent', action: { kind: 'x.like', tweetId: '1' } })).deadlineAt).toBe(now + 5 * MINUTE);
    expect((await outbox.enqueue(side.store.db, { ...base, origin: 'agent', action: { kind: 'x.retweet', tweetId: '1' } })).deadlineAt).toBe(now + 24 * HOUR);
    expect((await outbox.enqueue(side.store.db, { ...base, origin: 'agent', action: { kind: 'facebook.hide', commentId: '1_2', hidden: true } })).deadlineAt).toBe(now + HOUR);
    expect((await outbox.enqueue(side.store.db, { ...base, origin: 'closed-desk', action: { kind: 'x.dm', participantId: '5', text: 'closed' } })).deadlineAt).toBe(now + 10 * MINUTE);
    expect((await outbox.enqueue(side.store.db, { ...base, origin: 'auto-reply', deadlineAt: now + 7 * MINUTE, action: { kind: 'x.reply', inReplyToTweetId: '5', text: 'hi' } })).deadlineAt).toBe(now + 7 * MINUTE);
  });
});

describe('what each kind leaves behind', () => {
  it('DMs, comments, replies to comments and private replies are stored under the contact; likes, retweets and hides are not', async () => {
    const outbox = side.outbox();
    await outbox.start();
    const { sandbox } = world;
    const dm = await sandbox.customers.post({ kind: 'x.dm', customer: 'kinds' });
    const xReply = await sandbox.customers.post({ kind: 'x.reply', customer: 'kinds' }); // under a brand post: hideable
    const comment = await sandbox.customers.post({ kind: 'facebook.comment', customer: 'kinds' });
    await storeInbound(side, { platform: 'facebook', kind: 'facebook.comment', externalId: comment.id, text: 'my router is dead', at: world.clock.now() });
    const posts = (await (
      await fetch(`https://graph.facebook.com/v25.0/${sandbox.facebook.pageId}/posts?limit=1`, { dispatcher: sandbox.dispatcher(), headers: { authorization: `Bearer ${sandbox.facebook.pageToken}` } })
    ).json()) as { data: Array<{ id: string }> };
    const pagePostId = posts.data[0]?.id as string;
    expect(pagePostId).toBeTruthy();

    const base = { contactId: side.contactId, interactionId: null, origin: 'agent' as const };
    const texts = { dm: uniqueText('Can you send your order number?'), reply: uniqueText('Sorry to hear that!'), comment: uniqueText('Welcome, everyone!'), private: uniqueText('Let us continue here.') };
    const ids = {
      dm: (await outbox.enqueue(side.store.db, { ...base, action: { kind: 'x.dm', participantId: dm.authorId, text: texts.dm } })).id,
      like: (await outbox.enqueue(side.store.db, { ...base, action: { kind: 'x.like', tweetId: xReply.id } })).id,
      retweet: (await outbox.enqueue(side.store.db, { ...base, action: { kind: 'x.retweet', tweetId: xReply.id } })).id,
      hide: (await outbox.enqueue(side.store.db, { ...base, action: { kind: 'x.hide-reply', tweetId: xReply.id, hidden: true } })).id,
      reply: (await outbox.enqueue(side.store.db, { ...base, action: { kind: 'facebook.comment', objectId: comment.id, text: texts.reply } })).id,
      comment: (await outbox.enqueue(side.store.db, { ...base, action: { kind: 'facebook.comment', objectId: pagePostId, text: texts.comment } })).id,
      private: (await outbox.enqueue(side.store.db, { ...base, action: { kind: 'facebook.private-reply', commentId: comment.id, text: texts.private } })).id,
      fbLike: (await outbox.enqueue(side.store.db, { ...base, action: { kind: 'facebook.like', objectId: comment.id } })).id,
      fbHide: (await outbox.enqueue(side.store.db, { ...base, action: { kind: 'facebook.hide', commentId: comment.id, hidden: true } })).id,
    };
    await outbox.kick();
    for (const id of Object.values(ids)) expect((await item(outbox, id)).state).toBe('sent');
    for (const id of [ids.like, ids.retweet, ids.hide, ids.fbLike, ids.fbHide]) expect(await item(outbox, id)).toMatchObject({ resultId: null, messageId: null });

    const stored = await outboundMessages(side);
    const byText = (text: string) => stored.find((m) => m.text === text);
    expect(byText(texts.dm)).toMatchObject({ platform: 'x', kind: 'x.dm', visibility: 'private', external_id: (await item(outbox, ids.dm)).resultId, conversation_ref: expect.stringContaining(dm.authorId) });
    expect(byText(texts.reply)).toMatchObject({ platform: 'facebook', kind: 'facebook.reply', visibility: 'public', in_reply_to_external_id: comment.id });
    expect(byText(texts.comment)).toMatchObject({ platform: 'facebook', kind: 'facebook.comment', visibility: 'public', in_reply_to_external_id: pagePostId });
    expect(byText(texts.private)).toMatchObject({ platform: 'facebook', kind: 'facebook.private-reply', visibility: 'private', in_reply_to_external_id: comment.id });
    expect(stored).toHaveLength(4);
    expect(stored.every((m) => m.contact_id === side.contactId && m.direction === 'outbound')).toBe(true);
    expect(actions(world, 'hide').map((a) => a.targetId)).toEqual(expect.arrayContaining([xReply.id, comment.id]));
  });

  it('stores the message under the contact a merged contact became', async () => {
    const outbox = side.outbox();
    await outbox.start();
    const other = await side.store.db.run("INSERT INTO contacts (display_name, created_at, updated_at) VALUES ('Ana (merged)', 0, 0)");
    await side.store.db.run('UPDATE contacts SET merged_into_id = ? WHERE id = ?', [other.lastID, side.contactId]);
    const customer = await world.sandbox.customers.post({ kind: 'messenger.message', customer: 'merged' });
    const text = uniqueText('Following up.');
    await outbox.enqueue(side.store.db, { action: { kind: 'messenger.send', psid: customer.authorId, text }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    await outbox.kick();
    expect((await outboundMessages(side)).map((m) => m.contact_id)).toEqual([other.lastID]);
  });
});

describe('the runner', () => {
  it('wakes itself at the next due time through its timers', async () => {
    const scheduled: Array<{ run: () => void; ms: number }> = [];
    const timers: OutboxTimers = {
      schedule(run, ms) {
        scheduled.push({ run, ms });
        return () => undefined;
      },
    };
    const outbox = side.outbox({ timers });
    await outbox.start();
    world.sandbox.faults.inject({ kind: 'server-error', platform: 'x', path: 'POST /2/tweets' });
    const text = uniqueText('Wake me up.');
    const queued = await outbox.enqueue(side.store.db, { action: { kind: 'x.reply', inReplyToTweetId: await mention(), text }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    await outbox.kick(); // a pass, then the timer armed for the next due time
    const waiting = await item(outbox, queued.id);
    expect(waiting.state).toBe('retrying');
    const last = scheduled.at(-1);
    expect(last?.ms).toBe((waiting.nextAttemptAt as number) - world.clock.now());
    world.clock.set(waiting.nextAttemptAt as number);
    last?.run();
    await outbox.kick();
    expect((await item(outbox, queued.id)).state).toBe('sent');
    expect(scheduled.at(-1)?.ms).toBe(60_000); // nothing waits: it looks again in a minute
  });

  it('stop() waits for the send in flight, and the outcome is recorded', async () => {
    const real = xSender(world);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered: () => void = () => undefined;
    const inFlight = new Promise<void>((resolve) => (entered = resolve));
    const slow: Sender = {
      account: 'x',
      find: (action, request) => real.find(action, request),
      async send(action) {
        entered();
        await gate;
        return real.send(action);
      },
    };
    const outbox = side.outbox({ senders: { x: slow } });
    await outbox.start();
    const text = uniqueText('Slow but sure.');
    const queued = await outbox.enqueue(side.store.db, { action: { kind: 'x.reply', inReplyToTweetId: await mention(), text }, contactId: side.contactId, interactionId: null, origin: 'agent' });
    void outbox.kick();
    await inFlight;
    let stopped = false;
    const stopping = outbox.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    expect((await item(outbox, queued.id)).state).toBe('sending');
    release();
    await stopping;
    expect((await item(outbox, queued.id)).state).toBe('sent');
    expect(actions(world, 'reply', text)).toHaveLength(1);
  });
});
