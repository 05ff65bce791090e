// The outbox's pure parts: action schemas, deadlines, backoff, text matching, and how platform
// errors are classified.
import { describe, expect, it } from 'vitest';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import {
  ACTION_KINDS,
  DEFAULT_DEADLINES,
  OUTBOX_ACTION_KINDS,
  OutboxAction,
  OutboxActionKind,
  OutboxItem,
  OutboxRequest,
  backoffDelay,
  backoffPolicy,
  classifyGraphSendError,
  classifyXSendError,
  deadlineMs,
  deadlinePolicy,
  parseGraphUsage,
} from '../../electron/core/outbox';
import { networkFailure } from '../../electron/core/outbox/errors';
import { usageHold, type GraphErrorInfo } from '../../electron/core/outbox/senders/graph';
import { normalizeText, sameText } from '../../electron/core/outbox/senders/types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

describe('actions', () => {
  it('one schema per kind, and the kind list, the facts table and the union agree', () => {
    expect(OutboxActionKind.options).toEqual([...OUTBOX_ACTION_KINDS]);
    expect(Object.keys(ACTION_KINDS).sort()).toEqual([...OUTBOX_ACTION_KINDS].sort());
    const samples: OutboxAction[] = [
      { kind: 'x.reply', inReplyToTweetId: '1', text: 'hi' },
      { kind: 'x.dm', participantId: '2', text: 'hi' },
      { kind: 'x.like', tweetId: '3' },
      { kind: 'x.unlike', tweetId: '3' },
      { kind: 'x.retweet', tweetId: '3' },
      { kind: 'x.unretweet', tweetId: '3' },
      { kind: 'x.hide-reply', tweetId: '3', hidden: true },
      { kind: 'facebook.comment', objectId: '10_20', text: 'hi' },
      { kind: 'facebook.like', objectId: '10_20' },
      { kind: 'facebook.unlike', objectId: '10_20' },
      { kind: 'facebook.hide', commentId: '20_30', hidden: false },
      { kind: 'facebook.private-reply', commentId: '20_30', text: 'hi' },
      { kind: 'messenger.send', psid: '777', text: 'hi', tag: 'HUMAN_AGENT' },
    ];
    expect(samples.map((s) => OutboxAction.parse(s).kind)).toEqual([...OUTBOX_ACTION_KINDS]);
  });

  it('refuses malformed actions', () => {
    expect(OutboxAction.safeParse({ kind: 'x.reply', inReplyToTweetId: 'abc', text: 'hi' }).success).toBe(false);
    expect(OutboxAction.safeParse({ kind: 'x.reply', inReplyToTweetId: '1', text: ' \n ' }).success).toBe(false);
    expect(OutboxAction.safeParse({ kind: 'x.like', tweetId: '1', extra: true }).success).toBe(false);
    expect(OutboxAction.safeParse({ kind: 'messenger.send', psid: '1', text: 'hi', tag: 'ACCOUNT_UPDATE' }).success).toBe(false);
    expect(OutboxAction.safeParse({ kind: 'messenger.send', psid: '1', text: 'x'.repeat(2001) }).success).toBe(false);
    expect(OutboxAction.safeParse({ kind: 'x.post', text: 'hi' }).success).toBe(false);
    expect(OutboxRequest.safeParse({ action: { kind: 'x.like', tweetId: '1' }, contactId: 1, interactionId: null, origin: 'robot' }).success).toBe(false);
    expect(OutboxRequest.safeParse({ action: { kind: 'x.like', tweetId: '1' }, contactId: 1, interactionId: null, origin: 'system', idempotencyKey: '' }).success).toBe(false);
  });

  it('an item is a plain object the contract can carry', () => {
    const item = {
      id: 1,
      action: { kind: 'x.like', tweetId: '1' },
      platform: 'x',
      contactId: 2,
      contactName: 'Ana',
      interactionId: null,
      origin: 'auto-like',
      idempotencyKey: null,
      state: 'retrying',
      createdAt: NOW,
      updatedAt: NOW,
      deadlineAt: NOW + HOUR,
      nextAttemptAt: NOW + 5000,
      attempts: 1,
      lastError: 'X is having trouble (HTTP 503).',
      reason: null,
      inDoubt: false,
      resultId: null,
      messageId: null,
      sentAt: null,
    };
    expect(OutboxItem.parse(JSON.parse(JSON.stringify(item)))).toEqual(item);
  });

  it('answers leave a message in the history; actions do not; Messenger rides on the Page account', () => {
    const withMessage = OUTBOX_ACTION_KINDS.filter((k) => ACTION_KINDS[k].message !== null);
    expect(withMessage).toEqual(['x.reply', 'x.dm', 'facebook.comment', 'facebook.private-reply', 'messenger.send']);
    expect(OUTBOX_ACTION_KINDS.filter((k) => ACTION_KINDS[k].inDoubt === 'look')).toEqual(withMessage);
    expect(ACTION_KINDS['messenger.send']).toMatchObject({ platform: 'messenger', account: 'facebook', message: { kind: 'messenger.message', visibility: 'private' } });
  });
});

describe('deadlines', () => {
  it('defaults: answers 2 h, likes and retweets 24 h, hides 1 h, closed-desk answers 30 min', () => {
    expect(deadlineMs(DEFAULT_DEADLINES, 'x.reply', 'agent')).toBe(2 * HOUR);
    expect(deadlineMs(DEFAULT_DEADLINES, 'messenger.send', 'auto-reply')).toBe(2 * HOUR);
    expect(deadlineMs(DEFAULT_DEADLINES, 'x.retweet', 'auto-like')).toBe(24 * HOUR);
    expect(deadlineMs(DEFAULT_DEADLINES, 'facebook.hide', 'agent')).toBe(HOUR);
    expect(deadlineMs(DEFAULT_DEADLINES, 'messenger.send', 'closed-desk')).toBe(30 * MINUTE);
  });

  it('overrides merge over the defaults and must be positive', () => {
    const policy = deadlinePolicy({ byKind: { 'x.reply': HOUR }, byOrigin: { 'auto-reply': 10 * MINUTE } });
    expect(deadlineMs(policy, 'x.reply', 'agent')).toBe(HOUR);
    expect(deadlineMs(policy, 'x.reply', 'auto-reply')).toBe(10 * MINUTE);
    expect(deadlineMs(policy, 'x.dm', 'closed-desk')).toBe(30 * MINUTE);
    expect(() => deadlinePolicy({ byKind: { 'x.like': 0 } })).toThrow(/x.like must be a positive/);
  });
});

describe('backoff', () => {
  it('full jitter under a ceiling that doubles from 5 s to 5 min, never under a second', () => {
    const half = backoffPolicy({ random: () => 0.5 });
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => backoffDelay(half, n))).toEqual([2_500, 5_000, 10_000, 20_000, 40_000, 80_000, 150_000, 150_000, 150_000]);
    expect(backoffDelay(backoffPolicy({ random: () => 0 }), 3)).toBe(1_000);
    expect(backoffDelay(backoffPolicy({ random: () => 0.999_999 }), 20)).toBe(299_999);
    expect(() => backoffPolicy({ baseMs: 10, maxMs: 5 })).toThrow();
  });
});

describe('finding our own post again', () => {
  it('compares texts the way platforms return them', () => {
    expect(sameText('Fish &amp; chips &lt;3', 'Fish & chips <3')).toBe(true);
    expect(sameText('See https://t.co/abc123 now', 'See https://example.com/a?b=c now')).toBe(true);
    expect(sameText('  two\r\nlines  ', 'two\nlines')).toBe(true);
    expect(sameText('Hello Ana', 'Hello Bob')).toBe(false);
    expect(normalizeText('e\u0301')).toBe('\u00e9');
  });
});

const graphError = (over: Partial<GraphErrorInfo>): GraphErrorInfo => ({
  status: 400,
  code: 100,
  subcode: null,
  message: 'Invalid parameter',
  isTransient: false,
  retryAfterMs: null,
  usage: { percent: null, regainMinutes: 0 },
  ...over,
});

describe('Graph errors', () => {
  it('decides on the code and subcode', () => {
    expect(classifyGraphSendError(graphError({ code: 190, subcode: 463, message: 'Session has expired' }), 'Facebook comment', NOW)).toMatchObject({
      class: 'auth',
      reason: "the account's token was refused by Facebook (it has expired); reconnect the Page in Settings",
    });
    expect(classifyGraphSendError(graphError({ code: 80001, status: 403, usage: { percent: 100, regainMinutes: 7 } }), 'x', NOW)).toMatchObject({ class: 'rate-limited', retryAt: NOW + 7 * MINUTE });
    expect(classifyGraphSendError(graphError({ code: 4, status: 403, usage: { percent: 100, regainMinutes: 0 } }), 'x', NOW)).toMatchObject({ class: 'rate-limited', retryAt: NOW + 5 * MINUTE });
    expect(classifyGraphSendError(graphError({ code: 613, status: 403, retryAfterMs: 30_000 }), 'x', NOW)).toMatchObject({ class: 'rate-limited', retryAt: NOW + 30_000 });
    expect(classifyGraphSendError(graphError({ code: 10, subcode: 2018278 }), 'Messenger message', NOW)).toMatchObject({ class: 'permanent', reason: expect.stringMatching(/within 24 hours/) });
    expect(classifyGraphSendError(graphError({ code: 551, subcode: 1545041 }), 'Messenger message', NOW)).toMatchObject({ class: 'permanent', reason: expect.stringMatching(/isn't available/) });
    expect(classifyGraphSendError(graphError({ code: 10900 }), 'Facebook private reply', NOW)).toMatchObject({ class: 'permanent', alreadyDone: true });
    expect(classifyGraphSendError(graphError({ code: 2, status: 500, isTransient: true }), 'x', NOW)).toMatchObject({ class: 'transient', uncertain: false });
    expect(classifyGraphSendError(graphError({ code: 100, subcode: 33 }), 'x', NOW)).toMatchObject({ class: 'permanent', reason: expect.stringMatching(/no longer exists/) });
    expect(classifyGraphSendError(graphError({ code: 200 }), 'x', NOW)).toMatchObject({ class: 'permanent', reason: expect.stringMatching(/lacks a permission/) });
  });

  it('reads the usage headers, and holds at 100% or when told when to come back', () => {
    const headers = new Headers({
      'x-app-usage': JSON.stringify({ call_count: 12, total_cputime: 3, total_time: 40 }),
      'x-business-use-case-usage': JSON.stringify({ '1': [{ type: 'pages', call_count: 100, total_cputime: 2, total_time: 5, estimated_time_to_regain_access: 0 }] }),
    });
    const usage = parseGraphUsage(headers);
    expect(usage).toEqual({ percent: 100, regainMinutes: 0 });
    expect(usageHold(usage, NOW)).toBe(NOW + 5 * MINUTE);
    expect(usageHold({ percent: 60, regainMinutes: 3 }, NOW)).toBe(NOW + 3 * MINUTE);
    expect(usageHold(parseGraphUsage(new Headers({ 'x-app-usage': 'not json' })), NOW)).toBeNull();
  });
});

function xResponseError(code: number, data: unknown, headers: Record<string, string> = {}, rateLimit?: { limit: number; remaining: number; reset: number }): ApiResponseError {
  return new ApiResponseError(`Request failed with code ${code}`, {
    code,
    data: data as ApiResponseError['data'],
    headers,
    ...(rateLimit ? { rateLimit } : {}),
    request: undefined as unknown as ClientRequest,
    response: undefined as unknown as IncomingMessage,
  });
}

describe('X errors', () => {
  it('429 waits for the latest exhausted window', () => {
    const reset = NOW / 1000 + 600;
    expect(classifyXSendError(xResponseError(429, { title: 'Too Many Requests' }, {}, { limit: 100, remaining: 0, reset }), 'X reply', NOW)).toMatchObject({ class: 'rate-limited', retryAt: reset * 1000 });
    const day = NOW / 1000 + 20 * 3600;
    expect(
      classifyXSendError(xResponseError(429, { title: 'Too Many Requests' }, { 'x-user-limit-24hour-remaining': '0', 'x-user-limit-24hour-reset': String(day) }, { limit: 100, remaining: 40, reset }), 'X like', NOW),
    ).toMatchObject({ class: 'rate-limited', retryAt: day * 1000 });
  });

  it('401 is auth; duplicate content is permanent; an unenrolled app stops the account', () => {
    expect(classifyXSendError(xResponseError(401, { title: 'Unauthorized' }), 'X reply', NOW)).toMatchObject({ class: 'auth', reason: expect.stringMatching(/^the account's token was refused by X/) });
    expect(classifyXSendError(xResponseError(403, { title: 'Forbidden', detail: 'You are not allowed to create a Tweet with duplicate content.' }), 'X reply', NOW)).toMatchObject({
      class: 'permanent',
      alreadyDone: true,
    });
    expect(classifyXSendError(xResponseError(403, { title: 'Client Forbidden', reason: 'client-not-enrolled', type: 'https://api.twitter.com/2/problems/client-forbidden' }), 'X reply', NOW)).toMatchObject({ class: 'auth' });
    expect(classifyXSendError(xResponseError(403, { title: 'Forbidden', detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.' }), 'X reply', NOW)).toMatchObject({
      class: 'permanent',
      reason: 'X refused the X reply (HTTP 403): You attempted to reply to a Tweet that is deleted or not visible to you.',
    });
  });

  it('5xx retries; an error page or a cut-off answer leaves the outcome in doubt', () => {
    expect(classifyXSendError(xResponseError(503, { title: 'Service Unavailable', status: 503 }), 'X reply', NOW)).toMatchObject({ class: 'transient', uncertain: false });
    expect(classifyXSendError(xResponseError(503, '<html>down</html>'), 'X reply', NOW)).toMatchObject({ class: 'transient', uncertain: true });
    const partial = new ApiPartialResponseError('partial', { request: undefined as unknown as ClientRequest, response: undefined as unknown as IncomingMessage, rawContent: '{"da', responseError: new Error('aborted') });
    expect(classifyXSendError(partial, 'X reply', NOW)).toMatchObject({ class: 'transient', uncertain: true });
    const refused = new ApiRequestError('refused', { request: undefined as unknown as ClientRequest, error: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(classifyXSendError(refused, 'X reply', NOW)).toMatchObject({ class: 'transient', uncertain: false });
    const reset = new ApiRequestError('reset', { request: undefined as unknown as ClientRequest, error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    expect(classifyXSendError(reset, 'X reply', NOW)).toMatchObject({ class: 'transient', uncertain: true });
  });

  it('a network failure keeps its cause', () => {
    const cause = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const error = networkFailure('Facebook', cause);
    expect(error).toMatchObject({ class: 'transient', uncertain: true, detail: 'network: UND_ERR_SOCKET' });
    expect(error.cause).toBe(cause);
  });
});
