// X's filtered stream in the sandbox: rules, matching tweets as JSON lines, heartbeats, one
// connection at a time, and the stream faults — all through twitter-api-v2's TweetStream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiResponseError, ETwitterStreamEvent, TwitterApi, type TweetStream, type TweetV2SingleStreamResult } from 'twitter-api-v2';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index';

function once<T = unknown>(stream: TweetStream<TweetV2SingleStreamResult>, event: ETwitterStreamEvent): Promise<T> {
  return new Promise((resolve) => stream.once(event, (payload: T) => resolve(payload)));
}

describe('sandbox X filtered stream', () => {
  let sandbox: Sandbox;
  let app: TwitterApi;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 21, x: { streamHeartbeatMs: 40 } });
    app = new TwitterApi(sandbox.x.credentials.bearerToken, { httpAgent: sandbox.httpsAgent() });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  /** The server notices a client hang-up a moment later; like X, it refuses a second stream until then. */
  const noStreamOpen = async (): Promise<void> => {
    while (sandbox.stats().openStreams > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  const open = async (waitForTheLastOne = true): Promise<TweetStream<TweetV2SingleStreamResult>> => {
    if (waitForTheLastOne) await noStreamOpen();
    const stream = app.v2.searchStream({ autoConnect: false, expansions: ['author_id'], 'tweet.fields': ['author_id', 'created_at'] });
    await stream.connect({ autoReconnect: false, keepAliveTimeout: 'disable' });
    return stream;
  };

  it('manages rules: add with tags, dry run, duplicates, invalid rules, delete', async () => {
    const added = await app.v2.updateStreamRules({ add: [{ value: '@NorthwindCare -is:retweet', tag: 'brand' }, { value: '(outage OR down) lang:en', tag: 'outage' }] });
    expect(added.meta.summary).toEqual({ created: 2, not_created: 0, valid: 2, invalid: 0 });
    expect(added.data.map((r) => r.tag)).toEqual(['brand', 'outage']);

    const dry = await app.v2.updateStreamRules({ add: [{ value: 'refund' }] }, { dry_run: true });
    expect(dry.meta.summary.created).toBe(1);
    const duplicate = await app.v2.updateStreamRules({ add: [{ value: '@NorthwindCare -is:retweet' }] });
    expect(duplicate.meta.summary).toMatchObject({ created: 0, not_created: 1 });
    expect(duplicate.errors?.[0]).toMatchObject({ title: 'DuplicateRule', id: added.data[0]?.id });

    let invalid: unknown;
    try {
      await app.v2.updateStreamRules({ add: [{ value: 'nosuch:operator' }] });
    } catch (error) {
      invalid = error;
    }
    expect(invalid).toBeInstanceOf(ApiResponseError);
    expect((invalid as ApiResponseError).data.errors?.[0]).toMatchObject({ title: 'UnprocessableEntity', type: 'https://api.twitter.com/2/problems/invalid-rules' });

    const temporary = await app.v2.updateStreamRules({ add: [{ value: 'temporary' }] });
    const deleted = await app.v2.updateStreamRules({ delete: { ids: [temporary.data[0]?.id as string] } });
    expect(deleted.meta.summary).toMatchObject({ deleted: 1, not_deleted: 0 });
    const rules = await app.v2.streamRules();
    expect(rules.data.map((r) => r.value)).toEqual(['@NorthwindCare -is:retweet', '(outage OR down) lang:en']);
  });

  it('streams matching tweets with matching_rules and sends bare \\r\\n heartbeats', async () => {
    const stream = await open();
    try {
      await once(stream, ETwitterStreamEvent.DataKeepAlive);
      const data = once<TweetV2SingleStreamResult>(stream, ETwitterStreamEvent.Data);
      const posted = await sandbox.customers.post({ kind: 'x.mention', text: 'my line is down again', customer: 'streamer:en' });
      const item = await data;
      expect(item.data).toMatchObject({ id: posted.id, author_id: posted.authorId, text: '@NorthwindCare my line is down again' });
      expect(item.matching_rules.map((r) => r.tag).sort()).toEqual(['brand', 'outage']);
      expect(item.includes?.users?.[0]?.id).toBe(posted.authorId);

      // One connection at a time.
      let second: unknown;
      try {
        await open(false);
      } catch (error) {
        second = error;
      }
      expect((second as ApiResponseError).code).toBe(429);
      expect((second as ApiResponseError).data).toMatchObject({ title: 'ConnectionException', connection_issue: 'TooManyConnections' });
    } finally {
      stream.close();
    }
  });

  it('sends the operational-disconnect line and closes when told to', async () => {
    const stream = await open();
    const error = once<{ errors: Array<Record<string, unknown>> }>(stream, ETwitterStreamEvent.DataError);
    const closed = once(stream, ETwitterStreamEvent.ConnectionClosed);
    sandbox.faults.inject({ kind: 'stream-disconnect', platform: 'x' });
    expect((await error).errors[0]).toMatchObject({ title: 'operational-disconnect', disconnect_type: 'UpstreamOperationalDisconnect' });
    await closed;
    expect(sandbox.stats().openStreams).toBe(0);

    // A disconnect waiting for the next connection hits it as soon as it connects.
    sandbox.faults.inject({ kind: 'stream-disconnect', path: '/2/tweets/search/stream' });
    await noStreamOpen();
    const next = app.v2.searchStream({ autoConnect: false });
    const nextError = once<{ errors: Array<Record<string, unknown>> }>(next, ETwitterStreamEvent.DataError);
    await next.connect({ autoReconnect: false, keepAliveTimeout: 'disable' });
    expect((await nextError).errors[0]?.disconnect_type).toBe('UpstreamOperationalDisconnect');
    next.close();
  });

  it('drops the socket of an open stream', async () => {
    const stream = await open();
    const lost = once<Error>(stream, ETwitterStreamEvent.ConnectionError);
    sandbox.faults.inject({ kind: 'drop-connection', path: '/2/tweets/search/stream' });
    expect(await lost).toBeInstanceOf(Error);
    stream.close();
    // Reconnecting works again afterwards, with backfill of the last minutes.
    await noStreamOpen();
    const back = app.v2.searchStream({ autoConnect: false, backfill_minutes: 5 });
    const replay = once<TweetV2SingleStreamResult>(back, ETwitterStreamEvent.Data);
    await back.connect({ autoReconnect: false, keepAliveTimeout: 'disable' });
    expect((await replay).data.text).toMatch(/@NorthwindCare/);
    back.close();
  });
});
