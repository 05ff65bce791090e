// The simulated customers (deterministic, varied, on a schedule) and the sandbox's control API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwitterApi } from 'twitter-api-v2';
import { fetch } from 'undici';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index';
import { tweetLength } from '../../electron/sandbox/texts';

const AT = Date.UTC(2026, 0, 15, 9, 30);
const fixedClock = { now: () => AT };

describe('sandbox customers', () => {
  it('are deterministic for a seed', async () => {
    const a = await startSandbox({ seed: 99, clock: fixedClock });
    const b = await startSandbox({ seed: 99, clock: fixedClock });
    const c = await startSandbox({ seed: 100, clock: fixedClock });
    try {
      const counts = await Promise.all([a, b, c].map((s) => s.customers.schedule('backlog', { count: 300, spreadMs: 3_600_000 }).done));
      expect(counts).toEqual([300, 300, 300]);
      expect(a.customers.posted()).toEqual(b.customers.posted());
      expect(a.x).toEqual(b.x);
      expect(a.customers.posted().map((p) => p.text)).not.toEqual(c.customers.posted().map((p) => p.text));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('make a realistic backlog: past timestamps, every kind, many languages, all readable once', async () => {
    const sandbox = await startSandbox({ seed: 7, clock: fixedClock });
    try {
      const made = await sandbox.customers.schedule('backlog', { count: 2000, spreadMs: 8 * 3_600_000 }).done;
      expect(made).toBe(2000);
      const posted = sandbox.customers.posted();
      expect(posted).toHaveLength(2000);
      for (const p of posted) {
        expect(p.at).toBeLessThan(AT);
        expect(p.at).toBeGreaterThanOrEqual(AT - 8 * 3_600_000 - 1000);
      }
      expect(new Set(posted.map((p) => p.kind))).toEqual(new Set(['x.mention', 'x.reply', 'x.dm', 'facebook.post', 'facebook.comment', 'facebook.reply', 'messenger.message']));
      const langs = new Set(posted.map((p) => p.lang));
      for (const lang of ['en', 'es', 'fr', 'de', 'pt', 'ar']) expect(langs).toContain(lang);
      expect(posted.some((p) => /\p{Extended_Pictographic}/u.test(p.text))).toBe(true);
      expect(posted.some((p) => /https:\/\//.test(p.text))).toBe(true);
      expect(posted.some((p) => p.text.length > 280 && p.platform !== 'x')).toBe(true);
      expect(posted.some((p) => p.text.includes('🙃'))).toBe(true); // sarcasm
      for (const p of posted.filter((q) => q.platform === 'x')) expect(tweetLength(p.text)).toBeLessThanOrEqual(280);

      // Everything that landed in the mentions timeline comes back exactly once.
      const client = new TwitterApi({ ...sandbox.x.credentials }, { httpAgent: sandbox.httpsAgent() });
      const timeline = await client.v2.userMentionTimeline(sandbox.x.userId, { max_results: 100, 'tweet.fields': ['created_at', 'lang'] });
      await timeline.fetchLast(5000);
      const expected = posted.filter((p) => p.kind === 'x.mention' || p.kind === 'x.reply').map((p) => p.id);
      const got = timeline.tweets.map((t) => t.id);
      expect(new Set(got).size).toBe(got.length);
      expect(new Set(got)).toEqual(new Set(expected));
      const created = timeline.tweets.map((t) => Date.parse(t.created_at as string));
      expect([...created].sort((x, y) => y - x)).toEqual(created);
    } finally {
      await sandbox.close();
    }
  });

  it('run storms and steady trickles to a count', async () => {
    const sandbox = await startSandbox({ seed: 8 });
    try {
      const storm = sandbox.customers.schedule('storm', { ratePerSecond: 5000, count: 600, mix: { 'x.mention': 1, 'messenger.message': 1 } });
      expect(await storm.done).toBe(600);
      const steady = sandbox.customers.schedule('steady', { ratePerSecond: 200, count: 3 });
      expect(await steady.done).toBe(3);
      const posted = sandbox.customers.posted();
      expect(posted).toHaveLength(603);
      expect(new Set(posted.slice(0, 600).map((p) => p.kind))).toEqual(new Set(['x.mention', 'messenger.message']));
      const endless = sandbox.customers.schedule('steady', { ratePerSecond: 1 });
      endless.stop();
      expect(await endless.done).toBe(0);
    } finally {
      await sandbox.close();
    }
  });
});

describe('sandbox control API (sandbox.local)', () => {
  let sandbox: Sandbox;
  const control = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`https://sandbox.local${path}`, {
      method,
      dispatcher: sandbox.dispatcher(),
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 9 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('describes itself, makes customers act, injects faults and shows the inspector', async () => {
    const about = await control('GET', '/');
    expect(about.body).toMatchObject({ sandbox: true, port: sandbox.port, x: { userId: sandbox.x.userId }, facebook: { pageId: sandbox.facebook.pageId } });

    const posted = await control('POST', '/customers', { kind: 'x.mention', text: 'hello desk', customer: 'curl-user' });
    expect(posted.status).toBe(201);
    const listed = await control('GET', '/posted');
    expect(listed.body.posted).toEqual([expect.objectContaining({ id: (posted.body as { id: string }).id, text: '@NorthwindCare hello desk' })]);

    const fault = await control('POST', '/faults', { kind: 'server-error', platform: 'x', times: -1 });
    expect(fault.status).toBe(201);
    expect((await control('GET', '/faults')).body.faults).toEqual([expect.objectContaining({ kind: 'server-error', remaining: -1 })]);
    const client = new TwitterApi({ ...sandbox.x.credentials }, { httpAgent: sandbox.httpsAgent() });
    await expect(client.v2.me()).rejects.toMatchObject({ code: 503 });
    await control('DELETE', '/faults');
    await client.v2.like(sandbox.x.userId, (posted.body as { id: string }).id);
    const inspector = await control('GET', '/inspector');
    expect(inspector.body.actions).toEqual([expect.objectContaining({ seq: 1, kind: 'like', targetId: (posted.body as { id: string }).id })]);
    expect((await control('GET', '/inspector?after=1')).body.actions).toEqual([]);

    const scheduled = await control('POST', '/schedule', { kind: 'backlog', count: 5 });
    expect(scheduled.status).toBe(201);
    expect((await control('DELETE', '/schedule')).status).toBe(200);

    expect((await control('POST', '/faults', { kind: 'nope' })).status).toBe(400);
    expect((await control('GET', '/', undefined, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await control('GET', '/nothing-here')).status).toBe(404);
  });
});
