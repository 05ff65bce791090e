// The sandbox's Facebook Graph API and Messenger, over real HTTPS with undici.fetch and the
// sandbox dispatcher (URLs stay https://graph.facebook.com/v25.0/...).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index';

class TestClock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface GraphAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: Record<string, unknown>; data?: Array<Record<string, unknown>>; paging?: Record<string, unknown> };
}

function graphClient(sandbox: Sandbox) {
  return async (method: string, path: string, options: { query?: Record<string, string>; json?: Record<string, unknown>; form?: Record<string, string>; token?: string | null } = {}): Promise<GraphAnswer> => {
    const url = new URL(`https://graph.facebook.com/${sandbox.facebook.graphVersion}/${path.replace(/^\//, '')}`);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const token = options.token === undefined ? sandbox.facebook.pageToken : options.token;
    if (token !== null) url.searchParams.set('access_token', token);
    const init: { method: string; dispatcher: ReturnType<Sandbox['dispatcher']>; headers?: Record<string, string>; body?: string } = { method, dispatcher: sandbox.dispatcher() };
    if (options.json) {
      init.headers = { 'content-type': 'application/json' };
      init.body = JSON.stringify(options.json);
    } else if (options.form) {
      init.headers = { 'content-type': 'application/x-www-form-urlencoded' };
      init.body = new URLSearchParams(options.form).toString();
    }
    const res = await fetch(url, init);
    const headers = new Headers(res.headers as unknown as Headers);
    return { status: res.status, headers, body: (await res.json()) as GraphAnswer['body'] };
  };
}

describe('sandbox Facebook Graph and Messenger', () => {
  let sandbox: Sandbox;
  let graph: ReturnType<typeof graphClient>;
  const clock = new TestClock(Date.now());

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 31, clock });
    graph = graphClient(sandbox);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('pages the feed and a post’s comments with cursors, in both orders', async () => {
    for (let i = 0; i < 12; i++) {
      clock.t += 1000;
      await sandbox.customers.post({ kind: 'facebook.post' });
    }
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await graph('GET', `${sandbox.facebook.pageId}/feed`, { query: { fields: 'id,message,created_time,from{id,name}', limit: '5', ...(after ? { after } : {}) } });
      expect(page.status).toBe(200);
      seen.push(...(page.body.data ?? []).map((p) => p.id as string));
      const paging = page.body.paging as { cursors: { after: string }; next?: string };
      if (!paging.next) break;
      expect(paging.next).toMatch(/^https:\/\/graph\.facebook\.com\/v25\.0\//);
      after = paging.cursors.after;
    }
    expect(seen).toHaveLength(15); // 12 visitor posts + 3 of the Page's own
    expect(new Set(seen).size).toBe(15);
    const visitor = await graph('GET', `${sandbox.facebook.pageId}/visitor_posts`, { query: { limit: '100' } });
    expect(visitor.body.data).toHaveLength(12);

    const post = (await graph('GET', `${sandbox.facebook.pageId}/posts`, { query: { limit: '1' } })).body.data?.[0]?.id as string;
    const comments: string[] = [];
    for (let i = 0; i < 23; i++) {
      clock.t += 1000;
      comments.push((await sandbox.customers.post({ kind: 'facebook.comment', target: post })).id);
    }
    const reply = await sandbox.customers.post({ kind: 'facebook.reply', target: comments[0] as string });
    const forward: string[] = [];
    after = undefined;
    for (;;) {
      const page = await graph('GET', `${post}/comments`, { query: { fields: 'id,message,from,created_time,parent{id},can_reply_privately,is_hidden', limit: '10', ...(after ? { after } : {}) } });
      forward.push(...(page.body.data ?? []).map((c) => c.id as string));
      const paging = page.body.paging as { cursors: { after?: string }; next?: string };
      if (!paging.next) break;
      after = paging.cursors.after;
    }
    expect(forward).toEqual(comments); // top level, oldest first
    const stream = await graph('GET', `${post}/comments`, { query: { filter: 'stream', order: 'reverse_chronological', summary: 'true', limit: '3', fields: 'id,parent{id}' } });
    expect(stream.body.data?.[0]).toEqual({ id: reply.id, parent: { id: comments[0] } });
    expect(stream.body.summary).toMatchObject({ total_count: 24 });
    const nested = await graph('GET', `${post}`, { query: { fields: 'id,comments.limit(2).summary(true){id,message}' } });
    expect((nested.body.comments as { data: unknown[]; summary: { total_count: number } }).data).toHaveLength(2);

    const tooMany = await graph('GET', `${sandbox.facebook.pageId}/feed`, { query: { limit: '101' } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ type: 'OAuthException', code: 100, message: '(#100) The limit parameter should not exceed 100' });
  });

  it('replies to, likes and hides a comment; the inspector sees each once', async () => {
    const comment = await sandbox.customers.post({ kind: 'facebook.comment', text: 'My bill is wrong again', customer: 'fb-1' });
    const before = sandbox.inspector.actions().length;
    const reply = await graph('POST', `${comment.id}/comments`, { form: { message: 'Sorry! We sent you a private message.' } });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ id: expect.stringMatching(/^\d+_\d+$/) });
    expect((await graph('POST', `${comment.id}/likes`)).body).toEqual({ success: true });
    expect((await graph('POST', comment.id, { form: { is_hidden: 'true' } })).body).toEqual({ success: true });
    const state = await graph('GET', comment.id, { query: { fields: 'id,is_hidden,comment_count,user_likes,from' } });
    expect(state.body).toEqual({ id: comment.id, is_hidden: true, comment_count: 1, user_likes: true, from: { id: comment.authorId, name: expect.any(String) } });
    const replies = await graph('GET', `${comment.id}/comments`, { query: { fields: 'id,message,from{id}' } });
    expect(replies.body.data).toEqual([{ id: reply.body.id, message: 'Sorry! We sent you a private message.', from: { id: sandbox.facebook.pageId } }]);
    const actions = sandbox.inspector.actions(before);
    expect(actions.map((a) => [a.platform, a.kind, a.targetId])).toEqual([
      ['facebook', 'reply', comment.id],
      ['facebook', 'like', comment.id],
      ['facebook', 'hide', comment.id],
    ]);
    expect(actions[0]?.resultId).toBe(reply.body.id);
  });

  it('allows one private reply per comment, within 7 days', async () => {
    const recent = await sandbox.customers.post({ kind: 'facebook.comment', customer: 'pr-1', at: clock.t - HOUR });
    const old = await sandbox.customers.post({ kind: 'facebook.comment', customer: 'pr-2', at: clock.t - 8 * DAY });
    const send = (commentId: string) => graph('POST', `${sandbox.facebook.pageId}/messages`, { json: { recipient: { comment_id: commentId }, message: { text: 'Hi, can you send us your order number?' } } });
    const first = await send(recent.id);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ recipient_id: recent.authorId, message_id: expect.stringMatching(/^m_/) });
    const second = await send(recent.id);
    expect(second.status).toBe(400);
    expect(second.body.error).toMatchObject({ type: 'OAuthException', code: 10900, message: '(#10900) Activity already replied to' });
    const tooOld = await send(old.id);
    expect(tooOld.body.error).toMatchObject({ code: 10903 });
    const field = await graph('GET', recent.id, { query: { fields: 'can_reply_privately,private_reply_conversation' } });
    expect(field.body.can_reply_privately).toBe(false);
    expect(sandbox.inspector.actions().filter((a) => a.kind === 'private-reply' && a.targetId === recent.id)).toHaveLength(1);
    // The private reply opened a Messenger thread with the commenter, but not the 24-hour window.
    const outside = await graph('POST', `${sandbox.facebook.pageId}/messages`, { json: { recipient: { id: recent.authorId }, messaging_type: 'RESPONSE', message: { text: 'Still there?' } } });
    expect(outside.body.error).toMatchObject({ code: 10, error_subcode: 2018278 });
  });

  it('keeps Messenger’s 24-hour window; HUMAN_AGENT extends it to 7 days', async () => {
    const fresh = await sandbox.customers.post({ kind: 'messenger.message', customer: 'm-fresh', text: 'Hello?', at: clock.t - HOUR });
    const dayOld = await sandbox.customers.post({ kind: 'messenger.message', customer: 'm-day', at: clock.t - 25 * HOUR });
    const weekOld = await sandbox.customers.post({ kind: 'messenger.message', customer: 'm-week', at: clock.t - 8 * DAY });
    const send = (psid: string, extra: Record<string, unknown>) =>
      graph('POST', `${sandbox.facebook.pageId}/messages`, { json: { recipient: { id: psid }, message: { text: 'Thanks for waiting.' }, ...extra } });

    const ok = await send(fresh.authorId, { messaging_type: 'RESPONSE' });
    expect(ok.body).toEqual({ recipient_id: fresh.authorId, message_id: expect.stringMatching(/^m_/) });
    const late = await send(dayOld.authorId, { messaging_type: 'RESPONSE' });
    expect(late.status).toBe(400);
    expect(late.body.error).toMatchObject({ type: 'OAuthException', code: 10, error_subcode: 2018278, fbtrace_id: expect.any(String) });
    expect(late.body.error?.message).toMatch(/outside of allowed window/);
    const tagged = await send(dayOld.authorId, { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    expect(tagged.status).toBe(200);
    const tooLate = await send(weekOld.authorId, { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    expect(tooLate.body.error).toMatchObject({ code: 10, error_subcode: 2018278 });
    const nobody = await send('1234567890123456', { messaging_type: 'RESPONSE' });
    expect(nobody.body.error).toMatchObject({ code: 100, error_subcode: 2018001 });
    // Form posts carry JSON strings, as the Send API allows.
    const form = await graph('POST', `${sandbox.facebook.pageId}/messages`, { form: { recipient: JSON.stringify({ id: fresh.authorId }), messaging_type: 'RESPONSE', message: JSON.stringify({ text: 'Form works too' }) } });
    expect(form.status).toBe(200);

    const sends = sandbox.inspector.actions().filter((a) => a.kind === 'messenger-send');
    expect(sends.map((a) => a.targetId)).toEqual([fresh.authorId, dayOld.authorId, fresh.authorId]);
    expect(sends.every((a) => a.platform === 'messenger')).toBe(true);

    // The inbox: conversations by last update, with their messages nested.
    const inbox = await graph('GET', `${sandbox.facebook.pageId}/conversations`, {
      query: { platform: 'messenger', fields: 'id,updated_time,participants,messages.limit(5){id,message,from,to,created_time}', limit: '2' },
    });
    const top = inbox.body.data?.[0] as { participants: { data: Array<{ id: string }> }; messages: { data: Array<{ message: string; from: { id: string } }> } };
    expect(top.participants.data.map((p) => p.id)).toEqual([fresh.authorId, sandbox.facebook.pageId]);
    expect(top.messages.data.map((m) => m.message)).toEqual(['Form works too', 'Thanks for waiting.', 'Hello?']);
    const next = await graph('GET', `${sandbox.facebook.pageId}/conversations`, { query: { limit: '2', after: (inbox.body.paging as { cursors: { after: string } }).cursors.after } });
    expect(next.body.data?.length).toBeGreaterThan(0);
    expect(next.body.data?.map((c) => c.id)).not.toContain((inbox.body.data?.[0] as { id: string }).id);
    const one = await graph('GET', `${sandbox.facebook.pageId}/conversations`, { query: { user_id: weekOld.authorId } });
    expect(one.body.data).toHaveLength(1);
  });

  it('answers errors in Graph’s shape', async () => {
    const noToken = await graph('GET', `${sandbox.facebook.pageId}/feed`, { token: null });
    expect(noToken.status).toBe(400);
    expect(noToken.body.error).toMatchObject({ code: 104, type: 'OAuthException' });
    const badToken = await graph('GET', `${sandbox.facebook.pageId}/feed`, { token: 'EAAGnope' });
    expect(badToken.body.error).toMatchObject({ code: 190, type: 'OAuthException', message: 'Invalid OAuth access token - Cannot parse access token' });
    expect(badToken.headers.get('www-authenticate')).toMatch(/^OAuth "Facebook Platform" "invalid_token"/);
    const missing = await graph('GET', '999999999999');
    expect(missing.body.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
    const field = await graph('GET', sandbox.facebook.pageId, { query: { fields: 'id,nonsense' } });
    expect(field.body.error).toMatchObject({ code: 100, message: '(#100) Tried accessing nonexisting field (nonsense) on node type (Page)' });
    const page = await graph('GET', 'me', { query: { fields: 'id,name' } });
    expect(page.body).toEqual({ id: sandbox.facebook.pageId, name: sandbox.facebook.pageName });
  });

  it('reports usage in X-App-Usage / X-Business-Use-Case-Usage and throttles past 100%', async () => {
    const usageClock = new TestClock(Date.now());
    const limited = await startSandbox({ seed: 2, clock: usageClock, rateLimits: { facebook: { appCalls: 100, pageCalls: 4 } } });
    try {
      const g = graphClient(limited);
      const usage: number[] = [];
      for (let i = 0; i < 4; i++) {
        const answer = await g('GET', 'me');
        expect(answer.status).toBe(200);
        const buc = JSON.parse(answer.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, Array<{ type: string; call_count: number }>>;
        usage.push(buc[limited.facebook.pageId]?.[0]?.call_count ?? -1);
        expect(JSON.parse(answer.headers.get('x-app-usage') ?? '{}')).toMatchObject({ call_count: i + 1 });
      }
      expect(usage).toEqual([25, 50, 75, 100]);
      const throttled = await g('GET', 'me');
      expect(throttled.body.error).toMatchObject({ code: 80001, type: 'OAuthException', is_transient: true });
      const buc = JSON.parse(throttled.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, Array<{ estimated_time_to_regain_access: number }>>;
      expect(buc[limited.facebook.pageId]?.[0]?.estimated_time_to_regain_access).toBeGreaterThan(0);
      usageClock.t += HOUR;
      expect((await g('GET', 'me')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
