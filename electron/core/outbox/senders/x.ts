/**
 * The outbox's X sender, through twitter-api-v2 (user context, OAuth 1.0a): v2.reply,
 * v2.sendDmToParticipant, v2.like/unlike, v2.retweet/unretweet, v2.hideReply. Every error
 * becomes an OutboxSendError; after an unseen outcome it looks for our reply among the
 * account's own tweets, and for our DM in the conversation with the participant.
 */
import { ApiPartialResponseError, ApiRequestError, ApiResponseError, TwitterApi, type ITwitterApiClientPlugin, type TwitterRateLimit } from 'twitter-api-v2';
import type { Clock } from '../../clock';
import type { Transport, XCredentials } from '../../network';
import { ACTION_KINDS, type OutboxAction } from '../actions';
import { OutboxSendError, asSendError, networkFailure } from '../errors';
import { FIND_MARGIN_MS, sameText, type FindRequest, type SendResult, type Sender } from './types';

export const X_SEND_TIMEOUT_MS = 30_000;

export interface XSenderOptions {
  credentials: XCredentials;
  transport: Transport;
  clock: Clock;
  /** The account's X user id. Default: the digits before '-' in the access token (X's format), else one GET /2/users/me. */
  userId?: string;
  /** A request not answered after this long is abandoned (and counts as an unseen outcome). */
  requestTimeoutMs?: number;
  /** Pages of 100 read when looking for an earlier try (default 5). */
  findPages?: number;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** RFC 3339 without milliseconds, as X documents `start_time`. */
function xTime(ms: number): string {
  return new Date(Math.max(0, ms)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The network error under an ApiRequestError: twitter-api-v2 1.29 stores it as `error` in its
 * options while its `requestError` getter reads `requestError`.
 */
function requestCause(error: ApiRequestError): unknown {
  const options = (error as unknown as { _options?: { error?: unknown; requestError?: unknown } })._options;
  return error.requestError ?? options?.requestError ?? options?.error ?? error;
}

/** The reset (epoch ms) of whichever X window the answer says is used up, if any. */
function exhaustedUntil(rateLimit: TwitterRateLimit | undefined, headers: Record<string, unknown> | undefined, now: number): number | null {
  const resets: number[] = [];
  const consider = (remaining: unknown, reset: unknown): void => {
    const r = Number(remaining);
    const t = Number(reset);
    if (Number.isFinite(r) && r <= 0 && Number.isFinite(t) && t * 1000 > now) resets.push(t * 1000);
  };
  if (rateLimit) {
    consider(rateLimit.remaining, rateLimit.reset);
    if (rateLimit.day) consider(rateLimit.day.remaining, rateLimit.day.reset);
    if (rateLimit.userDay) consider(rateLimit.userDay.remaining, rateLimit.userDay.reset);
  }
  if (headers) {
    for (const scope of ['app', 'user']) consider(headers[`x-${scope}-limit-24hour-remaining`], headers[`x-${scope}-limit-24hour-reset`]);
  }
  return resets.length > 0 ? Math.max(...resets) : null;
}

function problemText(data: unknown): { title: string | null; detail: string | null; type: string; reason: string | null } {
  const body = record(data);
  const errors = Array.isArray(body?.errors) ? body.errors.map(record).filter((e): e is Record<string, unknown> => e !== null) : [];
  const first = errors[0];
  return {
    title: str(body?.title) ?? str(first?.title),
    detail: str(body?.detail) ?? str(first?.detail) ?? str(first?.message),
    type: str(body?.type) ?? str(first?.type) ?? '',
    reason: str(body?.reason),
  };
}

/** What an X failure means for the outbox. `noun` names the action ("X reply"). */
export function classifyXSendError(error: unknown, noun: string, now: number): OutboxSendError {
  if (error instanceof OutboxSendError) return error;
  if (error instanceof ApiResponseError) {
    const code = error.code;
    const html = typeof error.data === 'string';
    const problem = html ? { title: null, detail: null, type: '', reason: null } : problemText(error.data);
    const said = problem.detail ?? problem.title;
    const tag = `HTTP ${code}${problem.title ? ` ${problem.title}` : ''}`;
    const cause = { cause: error };
    if (problem.title === 'UsageCapExceeded' || problem.type.includes('usage-capped')) {
      return new OutboxSendError('permanent', { reason: `X says the plan's monthly usage cap is reached; the ${noun} was not sent.`, detail: tag, ...cause });
    }
    if (code === 429) {
      const until = exhaustedUntil(error.rateLimit, error.headers as Record<string, unknown>, now);
      return new OutboxSendError('rate-limited', { reason: `X says too many requests; the ${noun} waits for X's limit to reset.`, detail: tag, retryAt: until ?? undefined, ...cause });
    }
    if (code === 401) {
      return new OutboxSendError('auth', { reason: `the account's token was refused by X (401 Unauthorized); reconnect the X account in Settings`, detail: tag, ...cause });
    }
    if (code === 403 && (problem.reason === 'client-not-enrolled' || problem.type.includes('client-forbidden'))) {
      return new OutboxSendError('auth', {
        reason: 'X refused the app (403 client-not-enrolled): attach the X app to a Project with API v2 access, then reconnect the account in Settings',
        detail: tag,
        ...cause,
      });
    }
    if (code === 403 && /duplicate content/i.test(said ?? '')) {
      return new OutboxSendError('permanent', {
        reason: `X refused the ${noun} as duplicate content: the account posted the same text recently. Change the text to send it again.`,
        detail: `${tag} duplicate content`,
        alreadyDone: true,
        ...cause,
      });
    }
    if (code >= 500 || html) {
      // A JSON problem from X itself means it did not do it; a proxy's error page or a gateway
      // timeout says nothing about what happened behind it.
      const unseen = html || code === 502 || code === 504;
      return new OutboxSendError('transient', {
        reason: `X is having trouble (HTTP ${code}${html ? ', an error page' : ''})${unseen ? `; the desk looks on X for the ${noun} before trying again` : ''}.`,
        detail: `${tag}${html ? ' (HTML body)' : ''}`,
        uncertain: unseen,
        ...cause,
      });
    }
    return new OutboxSendError('permanent', { reason: `X refused the ${noun} (HTTP ${code})${said ? `: ${said}` : '.'}`, detail: tag, ...cause });
  }
  if (error instanceof ApiPartialResponseError) return networkFailure('X', error, { afterAnswerStarted: true });
  if (error instanceof ApiRequestError) return networkFailure('X', requestCause(error));
  return asSendError(error, 'X');
}

/** A 200 answer carrying only `errors` (X's partial errors: the tweet does not exist, say). */
function partialFailure(body: unknown, noun: string): OutboxSendError | null {
  const b = record(body);
  if (b && record(b.data)) return null;
  const problem = problemText(body);
  return new OutboxSendError('permanent', {
    reason: `X refused the ${noun}${problem.detail ? `: ${problem.detail}` : ' (no data in its answer).'}`,
    detail: `HTTP 200 ${problem.title ?? 'without data'}`,
  });
}

export function createXSender(options: XSenderOptions): Sender {
  const { credentials, transport, clock } = options;
  const timeout = options.requestTimeoutMs ?? X_SEND_TIMEOUT_MS;
  const findPages = Math.max(1, options.findPages ?? 5);
  let lastRateLimit: TwitterRateLimit | undefined;
  const plugin: ITwitterApiClientPlugin = {
    onBeforeRequestConfig({ params }) {
      params.timeout ??= timeout;
    },
    onAfterRequest({ response }) {
      lastRateLimit = response.rateLimit;
    },
  };
  const client = new TwitterApi(
    { appKey: credentials.appKey, appSecret: credentials.appSecret, accessToken: credentials.accessToken, accessSecret: credentials.accessSecret },
    { plugins: [plugin], ...(transport.httpsAgent ? { httpAgent: transport.httpsAgent } : {}) },
  );
  let me: string | null = options.userId ?? /^(\d{1,19})-/.exec(credentials.accessToken)?.[1] ?? null;

  async function userId(noun: string): Promise<string> {
    if (me !== null) return me;
    try {
      const answer = await client.v2.me();
      me = answer.data.id;
      return me;
    } catch (error) {
      throw classifyXSendError(error, noun, clock.now());
    }
  }

  function held(): number | null {
    return exhaustedUntil(lastRateLimit, undefined, clock.now());
  }

  async function send(action: OutboxAction): Promise<SendResult> {
    const noun = ACTION_KINDS[action.kind].noun;
    lastRateLimit = undefined;
    try {
      switch (action.kind) {
        case 'x.reply': {
          const answer: unknown = await client.v2.reply(action.text, action.inReplyToTweetId);
          const id = str(record(record(answer)?.data)?.id);
          if (id === null) throw partialFailure(answer, noun) ?? new OutboxSendError('transient', { reason: `X answered without the new tweet's id.`, detail: 'no data.id', uncertain: true });
          return { resultId: id, holdUntil: held() };
        }
        case 'x.dm': {
          // twitter-api-v2 types the answer as {dm_conversation_id, dm_event_id}; X wraps it in `data`.
          const answer: unknown = await client.v2.sendDmToParticipant(action.participantId, { text: action.text });
          const data = record(record(answer)?.data) ?? record(answer);
          const id = str(data?.dm_event_id);
          if (id === null) throw new OutboxSendError('transient', { reason: 'X answered without the DM event id.', detail: 'no dm_event_id', uncertain: true });
          return { resultId: id, conversationRef: str(data?.dm_conversation_id), holdUntil: held() };
        }
        case 'x.like':
        case 'x.unlike': {
          const user = await userId(noun);
          const answer: unknown = action.kind === 'x.like' ? await client.v2.like(user, action.tweetId) : await client.v2.unlike(user, action.tweetId);
          const failed = partialFailure(answer, noun);
          if (failed) throw failed;
          return { resultId: null, holdUntil: held() };
        }
        case 'x.retweet':
        case 'x.unretweet': {
          const user = await userId(noun);
          const answer: unknown = action.kind === 'x.retweet' ? await client.v2.retweet(user, action.tweetId) : await client.v2.unretweet(user, action.tweetId);
          const failed = partialFailure(answer, noun);
          if (failed) throw failed;
          return { resultId: null, holdUntil: held() };
        }
        case 'x.hide-reply': {
          const answer: unknown = await client.v2.hideReply(action.tweetId, action.hidden);
          const failed = partialFailure(answer, noun);
          if (failed) throw failed;
          return { resultId: null, holdUntil: held() };
        }
        default:
          throw new OutboxSendError('permanent', { reason: `The X sender cannot do a ${noun}.`, detail: `unsupported kind ${action.kind}` });
      }
    } catch (error) {
      throw classifyXSendError(error, noun, clock.now());
    }
  }

  async function findReply(action: Extract<OutboxAction, { kind: 'x.reply' }>, request: FindRequest): Promise<SendResult | null> {
    const user = await userId('X reply');
    let token: string | null = null;
    for (let page = 0; page < findPages; page += 1) {
      const body: unknown = await client.v2.get(
        'users/:id/tweets',
        {
          start_time: xTime(request.since - FIND_MARGIN_MS),
          max_results: 100,
          exclude: 'retweets',
          'tweet.fields': 'referenced_tweets,created_at',
          ...(token ? { pagination_token: token } : {}),
        },
        { params: { id: user } },
      );
      const b = record(body);
      for (const tweet of Array.isArray(b?.data) ? b.data : []) {
        const t = record(tweet);
        const id = str(t?.id);
        if (id === null || request.exclude.has(id)) continue;
        const refs = Array.isArray(t?.referenced_tweets) ? t.referenced_tweets.map(record) : [];
        const answers = refs.some((r) => r?.type === 'replied_to' && r.id === action.inReplyToTweetId);
        if (answers && typeof t?.text === 'string' && sameText(t.text, action.text)) return { resultId: id };
      }
      token = str(record(b?.meta)?.next_token);
      if (token === null) break;
    }
    return null;
  }

  async function findDm(action: Extract<OutboxAction, { kind: 'x.dm' }>, request: FindRequest): Promise<SendResult | null> {
    const user = await userId('X direct message');
    const from = request.since - FIND_MARGIN_MS;
    let token: string | null = null;
    for (let page = 0; page < findPages; page += 1) {
      const body: unknown = await client.v2.get(
        'dm_conversations/with/:participant_id/dm_events',
        {
          event_types: 'MessageCreate',
          max_results: 100,
          'dm_event.fields': 'id,text,sender_id,created_at,dm_conversation_id',
          ...(token ? { pagination_token: token } : {}),
        },
        { params: { participant_id: action.participantId } },
      );
      const b = record(body);
      let older = false;
      for (const event of Array.isArray(b?.data) ? b.data : []) {
        const e = record(event);
        const id = str(e?.id);
        const at = Date.parse(str(e?.created_at) ?? '');
        if (Number.isFinite(at) && at < from) {
          older = true;
          continue;
        }
        if (id === null || request.exclude.has(id) || e?.sender_id !== user) continue;
        if (typeof e.text === 'string' && sameText(e.text, action.text)) return { resultId: id, conversationRef: str(e.dm_conversation_id) };
      }
      token = str(record(b?.meta)?.next_token);
      if (token === null || older) break;
    }
    return null;
  }

  return {
    account: 'x',
    send,
    async find(action, request) {
      const noun = ACTION_KINDS[action.kind].noun;
      try {
        if (action.kind === 'x.reply') return await findReply(action, request);
        if (action.kind === 'x.dm') return await findDm(action, request);
        return null;
      } catch (error) {
        throw classifyXSendError(error, noun, clock.now());
      }
    },
  };
}
