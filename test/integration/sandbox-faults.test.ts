// Every fault the sandbox injects, as the real clients see it on the wire.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiPartialResponseError, ApiRequestError, ApiResponseError, TwitterApi } from 'twitter-api-v2';
import { fetch } from 'undici';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index';

async function xFailure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

describe('sandbox faults', () => {
  let sandbox: Sandbox;
  let user: TwitterApi;
  let mention: string;

  const graph = async (path: string, init: { method?: string; body?: string } = {}) => {
    const url = `https://graph.facebook.com/v25.0/${path}${path.includes('?') ? '&' : '?'}access_token=${sandbox.facebook.pageToken}`;
    return fetch(url, { method: init.method ?? 'GET', dispatcher: sandbox.dispatcher(), ...(init.body ? { body: init.body, headers: { 'content-type': 'application/json' } } : {}) });
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 41 });
    user = new TwitterApi({ ...sandbox.x.credentials }, { httpAgent: sandbox.httpsAgent() });
    mention = (await sandbox.customers.post({ kind: 'x.mention' })).id;
  });
  afterEach(() => sandbox.faults.clear());
  afterAll(async () => {
    await sandbox.close();
  });

  it('X rate-limit: 429 with x-rate-limit-* and the given reset', async () => {
    const now = Math.floor(Date.now() / 1000);
    sandbox.faults.inject({ kind: 'rate-limit', platform: 'x', path: '/2/users/:id/mentions', resetInSeconds: 120 });
    const error = (await xFailure(user.v2.userMentionTimeline(sandbox.x.userId))) as ApiResponseError;
    expect(error).toBeInstanceOf(ApiResponseError);
    expect(error.code).toBe(429);
    expect(error.rateLimitError).toBe(true);
    expect(error.data).toEqual({ title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
    expect(error.rateLimit?.remaining).toBe(0);
    expect(error.rateLimit?.reset).toBeGreaterThanOrEqual(now + 119);
    // Used up: the next call passes.
    expect((await user.v2.userMentionTimeline(sandbox.x.userId)).tweets.length).toBeGreaterThan(0);
  });

  it('X server-error and HTML 503: JSON problem, then a string body', async () => {
    sandbox.faults.inject({ kind: 'server-error', platform: 'x' });
    const json = (await xFailure(user.v2.me())) as ApiResponseError;
    expect(json.code).toBe(503);
    expect(json.data).toMatchObject({ title: 'Service Unavailable', status: 503 });
    sandbox.faults.inject({ kind: 'html-503', platform: 'x' });
    const html = (await xFailure(user.v2.me())) as ApiResponseError;
    expect(html.code).toBe(503);
    expect(typeof html.data).toBe('string');
    expect(html.data as unknown as string).toMatch(/<html>/);
  });

  it('X expired token and usage cap', async () => {
    sandbox.faults.inject({ kind: 'expired-token', platform: 'x', times: 2 });
    for (let i = 0; i < 2; i++) {
      const error = (await xFailure(user.v2.me())) as ApiResponseError;
      expect(error.code).toBe(401);
      expect(error.isAuthError).toBe(true);
    }
    expect((await user.v2.me()).data.id).toBe(sandbox.x.userId);
    sandbox.faults.inject({ kind: 'usage-cap', platform: 'x' });
    const cap = (await xFailure(user.v2.userMentionTimeline(sandbox.x.userId))) as ApiResponseError;
    expect(cap.code).toBe(429);
    expect(cap.data).toMatchObject({ title: 'UsageCapExceeded', type: 'https://api.twitter.com/2/problems/usage-capped', period: 'Monthly', scope: 'Product' });
  });

  it('X monthly post cap: reads count against it, then UsageCapExceeded', async () => {
    const capped = await startSandbox({ seed: 42, x: { monthlyPostCap: 6 } });
    try {
      for (let i = 0; i < 8; i++) await capped.customers.post({ kind: 'x.mention' });
      const client = new TwitterApi({ ...capped.x.credentials }, { httpAgent: capped.httpsAgent() });
      expect((await client.v2.userMentionTimeline(capped.x.userId, { max_results: 5 })).tweets).toHaveLength(5);
      expect((await client.v2.userMentionTimeline(capped.x.userId, { max_results: 5 })).tweets).toHaveLength(5);
      const error = (await xFailure(client.v2.userMentionTimeline(capped.x.userId))) as ApiResponseError;
      expect(error.data).toMatchObject({ title: 'UsageCapExceeded' });
      const app = new TwitterApi(capped.x.credentials.bearerToken, { httpAgent: capped.httpsAgent() });
      const usage = await app.v2.get('usage/tweets');
      expect(usage).toMatchObject({ data: { project_cap: '6', project_usage: '10' } });
    } finally {
      await capped.close();
    }
  });

  it('X dropped connection: mid-response the reply took effect; before processing it did not', async () => {
    const before = sandbox.inspector.actions().length;
    sandbox.faults.inject({ kind: 'drop-connection', path: 'POST /2/tweets' });
    const mid = await xFailure(user.v2.reply('We are looking into it.', mention));
    expect(mid instanceof ApiPartialResponseError || mid instanceof ApiRequestError).toBe(true);
    expect(sandbox.inspector.actions(before).map((a) => a.kind)).toEqual(['reply']);
    // A blind retry is a duplicate on X.
    const retry = (await xFailure(user.v2.reply('We are looking into it.', mention))) as ApiResponseError;
    expect(retry.code).toBe(403);

    sandbox.faults.inject({ kind: 'drop-connection', path: 'POST /2/tweets', when: 'before-processing' });
    const early = await xFailure(user.v2.reply('Second try', mention));
    expect(early).toBeInstanceOf(ApiRequestError);
    expect(sandbox.inspector.actions(before)).toHaveLength(1);
  });

  it('X client-not-enrolled and the stream\'s ProvisioningSubscription', async () => {
    sandbox.faults.inject({ kind: 'forbidden', platform: 'x' });
    const forbidden = (await xFailure(user.v2.me())) as ApiResponseError;
    expect(forbidden.code).toBe(403);
    expect(forbidden.data).toMatchObject({ title: 'Client Forbidden', reason: 'client-not-enrolled', type: 'https://api.twitter.com/2/problems/client-forbidden' });
    sandbox.faults.inject({ kind: 'server-error', path: '/2/tweets/search/stream' });
    const app = new TwitterApi(sandbox.x.credentials.bearerToken, { httpAgent: sandbox.httpsAgent() });
    const stream = app.v2.searchStream({ autoConnect: false });
    const provisioning = (await xFailure(stream.connect({ autoReconnect: false }))) as ApiResponseError;
    expect(provisioning.code).toBe(503);
    expect(provisioning.data).toMatchObject({ title: 'ConnectionException', connection_issue: 'ProvisioningSubscription' });
  });

  it('faults stay in scope: platform, path, times', async () => {
    sandbox.faults.inject({ kind: 'server-error', platform: 'facebook', times: Infinity });
    sandbox.faults.inject({ kind: 'server-error', platform: 'x', path: '/2/dm_events', times: 2 });
    expect((await user.v2.me()).data.id).toBe(sandbox.x.userId);
    expect(((await xFailure(user.v2.listDmEvents())) as ApiResponseError).code).toBe(503);
    expect(((await xFailure(user.v2.listDmEvents())) as ApiResponseError).code).toBe(503);
    expect((await user.v2.listDmEvents()).meta.result_count).toBe(0);
    expect(sandbox.faults.list()).toHaveLength(1);
    expect((await graph('me')).status).toBe(500);
  });

  it('Graph rate limits, server errors, HTML 503 and expired tokens', async () => {
    sandbox.faults.inject({ kind: 'rate-limit', platform: 'facebook', resetInSeconds: 600 });
    const limited = await graph(`${sandbox.facebook.pageId}/feed`);
    expect(limited.status).toBe(403);
    expect(await limited.json()).toMatchObject({ error: { code: 80001, type: 'OAuthException', is_transient: true, fbtrace_id: expect.any(String) } });
    const buc = JSON.parse(limited.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, Array<{ call_count: number; estimated_time_to_regain_access: number }>>;
    expect(buc[sandbox.facebook.pageId]?.[0]).toMatchObject({ call_count: 100, estimated_time_to_regain_access: 10 });

    sandbox.faults.inject({ kind: 'rate-limit', platform: 'facebook', graphCode: 4 });
    const app = await graph('me');
    expect(await app.json()).toMatchObject({ error: { code: 4, message: '(#4) Application request limit reached' } });
    expect(JSON.parse(app.headers.get('x-app-usage') ?? '{}')).toMatchObject({ call_count: 100 });

    sandbox.faults.inject({ kind: 'server-error', platform: 'facebook' });
    const server = await graph('me');
    expect(server.status).toBe(500);
    expect(await server.json()).toMatchObject({ error: { code: 2, is_transient: true } });

    sandbox.faults.inject({ kind: 'html-503', platform: 'facebook' });
    const html = await graph('me');
    expect(html.status).toBe(503);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toMatch(/<html>/);

    sandbox.faults.inject({ kind: 'expired-token', platform: 'facebook', path: '/:page-id/conversations' });
    expect((await graph('me')).status).toBe(200);
    const expired = await graph(`${sandbox.facebook.pageId}/conversations`);
    expect(await expired.json()).toMatchObject({ error: { code: 190, error_subcode: 463, type: 'OAuthException' } });
    expect(expired.headers.get('www-authenticate')).toMatch(/invalid_token/);

    sandbox.faults.inject({ kind: 'usage-cap', platform: 'facebook' });
    expect(await (await graph('me')).json()).toMatchObject({ error: { code: 4 } });

    sandbox.faults.inject({ kind: 'expired-token', platform: 'facebook', graphSubcode: 460 });
    expect(await (await graph('me')).json()).toMatchObject({ error: { code: 190, error_subcode: 460, message: expect.stringMatching(/changed their password/) } });
    sandbox.faults.inject({ kind: 'forbidden', platform: 'facebook' });
    const permission = await graph('me');
    expect(permission.status).toBe(403);
    expect(await permission.json()).toMatchObject({ error: { code: 200, type: 'OAuthException' } });
    sandbox.faults.inject({ kind: 'graph-error', platform: 'facebook', graphCode: 551, graphSubcode: 1545041 });
    expect(await (await graph('me')).json()).toMatchObject({ error: { code: 551, error_subcode: 1545041, message: "(#551) This person isn't available right now." } });
  });

  it('Graph dropped connection: fetch fails half-way; the send still happened', async () => {
    const psid = (await sandbox.customers.post({ kind: 'messenger.message', customer: 'drop-me' })).authorId;
    const before = sandbox.inspector.actions().length;
    sandbox.faults.inject({ kind: 'drop-connection', platform: 'facebook', path: '/messages' });
    const body = JSON.stringify({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'Are you still there?' } });
    let failed = false;
    try {
      const res = await graph(`${sandbox.facebook.pageId}/messages`, { method: 'POST', body });
      await res.text();
    } catch {
      failed = true;
    }
    expect(failed).toBe(true);
    expect(sandbox.inspector.actions(before).map((a) => a.kind)).toEqual(['messenger-send']);
  });

  it('validates fault descriptions', () => {
    expect(() => sandbox.faults.inject({ kind: 'meteor' as never })).toThrow(/fault.kind must be one of/);
    expect(() => sandbox.faults.inject({ kind: 'rate-limit', platform: 'myspace' as never })).toThrow(/platform/);
  });
});
