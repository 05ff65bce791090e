// The sandbox's X API v2, driven by the real twitter-api-v2 client over real HTTPS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiResponseError, TwitterApi, type TweetV2 } from 'twitter-api-v2';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index';

class TestClock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
}

async function failure(promise: Promise<unknown>): Promise<ApiResponseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiResponseError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

describe('sandbox X API', () => {
  let sandbox: Sandbox;
  let user: TwitterApi;
  let app: TwitterApi;
  const clock = new TestClock(Date.now());

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 11, clock });
    user = new TwitterApi({ ...sandbox.x.credentials }, { httpAgent: sandbox.httpsAgent() });
    app = new TwitterApi(sandbox.x.credentials.bearerToken, { httpAgent: sandbox.httpsAgent() });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('pages the mentions timeline newest first, then only what is new after since_id', async () => {
    const first: string[] = [];
    for (let i = 0; i < 25; i++) {
      clock.t += 1000;
      first.push((await sandbox.customers.post({ kind: 'x.mention' })).id);
    }
    const page = await user.v2.userMentionTimeline(sandbox.x.userId, {
      max_results: 10,
      expansions: ['author_id'],
      'tweet.fields': ['created_at', 'author_id', 'conversation_id', 'lang', 'entities'],
      'user.fields': ['username', 'name'],
    });
    expect(page.tweets).toHaveLength(10);
    expect(page.meta.next_token).toBeTruthy();
    expect(page.rateLimit).toMatchObject({ limit: 300, remaining: 299 });
    for (const t of page.tweets) {
      expect(t.text).toMatch(/@NorthwindCare/i);
      expect(page.includes.author(t)?.id).toBe(t.author_id);
      expect(t.entities?.mentions?.some((m) => m.username === 'NorthwindCare')).toBe(true);
    }
    await page.fetchLast(100);
    const ids = page.tweets.map((t) => t.id);
    expect(ids).toEqual([...first].reverse());
    expect(page.done).toBe(true);

    // Seven more arrive; a poll from the newest seen id gets exactly those, in two pages.
    const newest = ids[0] as string;
    const second: string[] = [];
    for (let i = 0; i < 7; i++) {
      clock.t += 1000;
      second.push((await sandbox.customers.post({ kind: i % 2 ? 'x.reply' : 'x.mention' })).id);
    }
    const poll = await user.v2.userMentionTimeline(sandbox.x.userId, { since_id: newest, max_results: 5 });
    expect(poll.tweets).toHaveLength(5);
    expect(poll.meta.next_token).toBeTruthy();
    const rest = await poll.next();
    expect(rest.tweets).toHaveLength(2);
    expect(rest.meta.next_token).toBeUndefined();
    expect([...poll.tweets, ...rest.tweets].map((t: TweetV2) => t.id)).toEqual([...second].reverse());

    const empty = await user.v2.userMentionTimeline(sandbox.x.userId, { since_id: second[6] as string, max_results: 5 });
    expect(empty.data).toEqual({ meta: { result_count: 0 } });

    // Same through app-only auth, which has its own (higher) limit.
    const viaApp = await app.v2.userMentionTimeline(sandbox.x.userId, { max_results: 5 });
    expect(viaApp.rateLimit.limit).toBe(450);

    const invalid = await failure(user.v2.userMentionTimeline(sandbox.x.userId, { max_results: 4 }));
    expect(invalid.code).toBe(400);
    expect(invalid.data).toMatchObject({ title: 'Invalid Request', type: 'https://api.twitter.com/2/problems/invalid-request' });
    expect(JSON.stringify(invalid.data.errors)).toMatch(/The `max_results` query parameter value \[4\] is not between 5 and 100/);
  });

  it('lists DM events with paging and sends a DM that the inspector records once', async () => {
    const fresh = await startSandbox({ seed: 3 });
    try {
      const client = new TwitterApi({ ...fresh.x.credentials }, { httpAgent: fresh.httpsAgent() });
      const none = await client.v2.listDmEvents();
      expect(none.data).toEqual({ meta: { result_count: 0 } });

      const a = await fresh.customers.post({ kind: 'x.dm', customer: 'dm-a' });
      await fresh.customers.post({ kind: 'x.dm', customer: 'dm-b' });
      const last = await fresh.customers.post({ kind: 'x.dm', customer: 'dm-a', text: 'Any news on my refund?' });
      const list = await client.v2.listDmEvents({ max_results: 2, 'dm_event.fields': ['sender_id', 'created_at', 'dm_conversation_id'], expansions: ['sender_id'] });
      expect(list.events).toHaveLength(2);
      expect(list.events[0]).toMatchObject({ id: last.id, event_type: 'MessageCreate', text: 'Any news on my refund?', sender_id: a.authorId });
      expect(list.includes.users.map((u) => u.id)).toContain(a.authorId);
      expect(list.meta.next_token).toBeTruthy();
      await list.fetchNext();
      expect(list.events).toHaveLength(3);

      // X answers {data:{dm_conversation_id, dm_event_id}}; twitter-api-v2's type forgets the `data` wrapper.
      const result: unknown = await client.v2.sendDmToParticipant(a.authorId, { text: 'Hi, we are on it.' });
      const sent = (result as { data: { dm_conversation_id: string; dm_event_id: string } }).data;
      expect(sent.dm_conversation_id).toContain(a.authorId);
      expect(sent.dm_conversation_id).toContain(fresh.x.userId);
      const after = await client.v2.listDmEvents({ 'dm_event.fields': ['sender_id'] });
      expect(after.events[0]).toMatchObject({ id: sent.dm_event_id, sender_id: fresh.x.userId, text: 'Hi, we are on it.' });
      const dms = fresh.inspector.actions().filter((x) => x.kind === 'dm');
      expect(dms).toEqual([expect.objectContaining({ platform: 'x', targetId: a.authorId, text: 'Hi, we are on it.', resultId: sent.dm_event_id })]);
    } finally {
      await fresh.close();
    }
  });

  it('records reply, like, retweet and hide once each, with ids', async () => {
    const before = sandbox.inspector.actions().length;
    const mention = await sandbox.customers.post({ kind: 'x.mention', text: 'my router keeps rebooting', customer: 'hide-me' });
    const reply = await user.v2.reply('Sorry about that, can you DM us the serial number?', mention.id);
    const liked = await user.v2.like(sandbox.x.userId, mention.id);
    const retweeted = await user.v2.retweet(sandbox.x.userId, mention.id);
    // Replies can be hidden in conversations the brand started (a reply under one of its posts).
    const answer = await sandbox.customers.post({ kind: 'x.reply', customer: 'hide-me', target: reply.data.id, text: 'still broken' });
    expect((await failure(user.v2.hideReply(answer.id, true))).code).toBe(403);
    const rude = await sandbox.customers.post({ kind: 'x.reply', customer: 'rude-one', text: 'useless' });
    const hidden = await user.v2.hideReply(rude.id, true);
    expect(reply.data.text).toBe('Sorry about that, can you DM us the serial number?');
    expect(liked.data.liked).toBe(true);
    expect(retweeted.data.retweeted).toBe(true);
    expect(hidden.data.hidden).toBe(true);
    const actions = sandbox.inspector.actions(before);
    expect(actions.map((a) => a.kind)).toEqual(['reply', 'like', 'retweet', 'hide']);
    expect(actions[0]).toMatchObject({ platform: 'x', targetId: mention.id, resultId: reply.data.id, text: 'Sorry about that, can you DM us the serial number?' });
    expect(actions[1]).toMatchObject({ targetId: mention.id, resultId: null });
    expect(actions[2]?.targetId).toBe(mention.id);
    expect(actions[3]).toMatchObject({ targetId: rude.id });

    // The reply is a real tweet in the conversation; the customer's answer mentions the brand.
    const tweet = await user.v2.singleTweet(reply.data.id, { 'tweet.fields': ['referenced_tweets', 'in_reply_to_user_id', 'conversation_id'] });
    expect(tweet.data.referenced_tweets).toEqual([{ type: 'replied_to', id: mention.id }]);
    expect(tweet.data.in_reply_to_user_id).toBe(mention.authorId);

    // Replies to a tweet that does not exist, and duplicates, are refused like X does.
    const missing = await failure(user.v2.reply('hello', '1234567890123456789'));
    expect(missing.code).toBe(403);
    const duplicate = await failure(user.v2.reply('Sorry about that, can you DM us the serial number?', rude.id));
    expect(duplicate.code).toBe(403);
    expect(duplicate.data.detail).toBe('You are not allowed to create a Tweet with duplicate content.');
    expect(sandbox.inspector.actions(before)).toHaveLength(4);
  });

  it('verifies OAuth 1.0a signatures and the kind of auth each endpoint takes', async () => {
    const wrongSecret = new TwitterApi({ ...sandbox.x.credentials, appSecret: 'not-the-secret' }, { httpAgent: sandbox.httpsAgent() });
    const e1 = await failure(wrongSecret.v2.me());
    expect(e1.code).toBe(401);
    expect(e1.isAuthError).toBe(true);
    expect(e1.data).toEqual({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    expect(e1.headers['content-type']).toContain('application/problem+json');

    const wrongToken = new TwitterApi({ ...sandbox.x.credentials, accessSecret: 'nope' }, { httpAgent: sandbox.httpsAgent() });
    expect((await failure(wrongToken.v2.like(sandbox.x.userId, '1'))).code).toBe(401);
    const wrongBearer = new TwitterApi('AAAAwrong', { httpAgent: sandbox.httpsAgent() });
    expect((await failure(wrongBearer.v2.streamRules())).code).toBe(401);

    const me = await user.v2.me({ 'user.fields': ['created_at', 'public_metrics'] });
    expect(me.data).toMatchObject({ id: sandbox.x.userId, username: 'NorthwindCare' });

    const appOnWrite = await failure(app.v2.tweet('hello'));
    expect(appOnWrite.code).toBe(403);
    expect(appOnWrite.data.title).toBe('Unsupported Authentication');
    const userOnStream = await failure(user.v2.streamRules());
    expect(userOnStream.code).toBe(403);
    expect(userOnStream.data.type).toBe('https://api.twitter.com/2/problems/unsupported-authentication');
  });

  it('counts rate limits per 15-minute window with X headers, and resets', async () => {
    const limitedClock = new TestClock(Date.now());
    const limited = await startSandbox({ seed: 5, clock: limitedClock, rateLimits: { x: { 'GET /2/users/:id/mentions': 3 } } });
    try {
      const client = new TwitterApi({ ...limited.x.credentials }, { httpAgent: limited.httpsAgent() });
      const remaining: number[] = [];
      for (let i = 0; i < 3; i++) remaining.push((await client.v2.userMentionTimeline(limited.x.userId)).rateLimit.remaining);
      expect(remaining).toEqual([2, 1, 0]);
      const limitedError = await failure(client.v2.userMentionTimeline(limited.x.userId));
      expect(limitedError.code).toBe(429);
      expect(limitedError.rateLimitError).toBe(true);
      expect(limitedError.data).toEqual({ title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
      expect(limitedError.rateLimit?.remaining).toBe(0);
      expect(limitedError.rateLimit?.reset).toBe(Math.ceil((limitedClock.t + 15 * 60_000) / 1000));
      // Other endpoints have their own windows; posting shows the 24-hour app limit too.
      const posted = await client.v2.tweet('Service update: all fixed.');
      expect(posted.data.id).toBeTruthy();
      const direct = await client.v2.get('users/me', undefined, { fullResponse: true });
      expect(direct.rateLimit?.limit).toBe(75);
      limitedClock.t += 15 * 60_000;
      expect((await client.v2.userMentionTimeline(limited.x.userId)).rateLimit.remaining).toBe(2);
    } finally {
      await limited.close();
    }
  });

  it('answers recent search with X query operators', async () => {
    await sandbox.customers.post({ kind: 'x.mention', text: 'Where is my ZEBRAREFUND? order #123', customer: 'search-1' });
    await sandbox.customers.post({ kind: 'x.mention', text: 'zebrarefund arrived, thanks!', customer: 'search-2:es' });
    await sandbox.customers.post({ kind: 'x.mention', text: 'just saying zebrahi', customer: 'search-3' });
    const found = await app.v2.search('zebrarefund -thanks', { 'tweet.fields': ['author_id'], max_results: 10 });
    expect(found.tweets.map((t) => t.text)).toEqual(['@NorthwindCare Where is my ZEBRAREFUND? order #123']);
    const phrase = await user.v2.search('"zebrarefund arrived" OR zebrahi', { max_results: 10 });
    expect(phrase.tweets).toHaveLength(2);
    const bad = await failure(app.v2.search('nonsense:operator'));
    expect(bad.code).toBe(400);
  });
});
