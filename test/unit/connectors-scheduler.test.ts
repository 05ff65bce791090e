// The shared machinery: backoff schedules (X's stream guidance included), rate-limit memory,
// the poll scheduler's reaction to each kind of failure, in-cycle retries, error
// classification for X and Graph, Graph usage headers, cursors and resume-time sentences.
import { describe, expect, it } from 'vitest';
import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { ManualClock } from '../../electron/core/clock';
import { silentLogger } from '../../electron/core/logger';
import {
  Backoff,
  ConnectorFailure,
  POLL_BACKOFF,
  STREAM_HTTP_BACKOFF,
  STREAM_NETWORK_BACKOFF,
  STREAM_RATE_LIMIT_BACKOFF,
  describeFailure,
  failure,
  monthKey,
  nextMonthStart,
} from '../../electron/core/connectors/backoff';
import { advanceTimeCursor, compareSnowflakes, formatTimeCursor, isAfterCursor, maxSnowflake, parseTimeCursor } from '../../electron/core/connectors/cursors';
import { GraphApiError, GraphHttpError, classifyGraphError, parseUsage } from '../../electron/core/connectors/graph';
import { RateLimitMemory, Scheduler, withRetry } from '../../electron/core/connectors/scheduler';
import { classifyXError } from '../../electron/core/connectors/x-client';
import { VirtualTimers } from '../integration/connectors-support';

const NOW = Date.UTC(2026, 10, 25, 10, 30);
const fakeRequest = {} as ClientRequest;
const fakeResponse = {} as IncomingMessage;

function xError(code: number, data: unknown, reset?: number): ApiResponseError {
  return new ApiResponseError(`Request failed with code ${code}`, {
    code,
    data: data as ApiResponseError['data'],
    headers: {},
    request: fakeRequest,
    response: fakeResponse,
    ...(reset !== undefined ? { rateLimit: { limit: 300, remaining: 0, reset } } : {}),
  });
}

describe('backoff schedules', () => {
  const take = (b: Backoff, n: number): number[] => Array.from({ length: n }, () => b.next());

  it("follows X's stream guidance: network +250 ms to 16 s, HTTP 5 s doubling to 320 s, 429 from one minute", () => {
    expect(take(new Backoff(STREAM_NETWORK_BACKOFF), 4)).toEqual([250, 500, 750, 1000]);
    const network = new Backoff(STREAM_NETWORK_BACKOFF);
    expect(take(network, 70).at(-1)).toBe(16_000);
    expect(take(new Backoff(STREAM_HTTP_BACKOFF), 8)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 320_000]);
    expect(take(new Backoff(STREAM_RATE_LIMIT_BACKOFF), 3)).toEqual([60_000, 120_000, 240_000]);
  });

  it('jitters poll retries between half and all of the nominal delay, and starts over after a reset', () => {
    const low = new Backoff(POLL_BACKOFF, () => 0);
    const high = new Backoff(POLL_BACKOFF, () => 1);
    expect(take(low, 3)).toEqual([1_000, 2_000, 4_000]);
    expect(take(high, 3)).toEqual([2_000, 4_000, 8_000]);
    expect(take(high, 20).at(-1)).toBe(300_000);
    high.reset();
    expect(high.next()).toBe(2_000);
  });
});

describe('rate-limit memory', () => {
  it('closes an endpoint with nothing left until its reset, and only that endpoint', () => {
    const memory = new RateLimitMemory();
    memory.note('users/:id/mentions', { remaining: 0, resetAt: NOW + 60_000 });
    memory.note('dm_events', { remaining: 12, resetAt: NOW + 60_000 });
    expect(memory.blockedUntil('users/:id/mentions', NOW)).toBe(NOW + 60_000);
    expect(memory.blockedUntil('dm_events', NOW)).toBeNull();
    expect(memory.blockedUntil('users/:id/mentions', NOW + 60_000)).toBeNull();
  });
});

describe('scheduler', () => {
  function setup() {
    const clock = new ManualClock(NOW);
    const timers = new VirtualTimers(clock);
    let changes = 0;
    const scheduler = new Scheduler({ connector: 'x', clock, timers, logger: silentLogger, onChange: () => (changes += 1), random: () => 1 });
    return { clock, timers, scheduler, changes: () => changes };
  }

  it('waits for the reset after a 429, then runs again', async () => {
    const { clock, scheduler } = setup();
    let runs = 0;
    let fail = true;
    scheduler.add({
      name: 'mentions',
      intervalMs: () => 60_000,
      cycle: async () => {
        runs += 1;
        if (fail) throw new ConnectorFailure(failure('rate-limited', 'X says too many requests; resuming at {until}.', 'HTTP 429', NOW + 120_000));
      },
      classify: () => failure('internal', '', ''),
    });
    await scheduler.runNow();
    expect(scheduler.status('mentions')).toMatchObject({ blockedUntil: NOW + 120_000, failure: { kind: 'rate-limited' } });
    clock.advance(60_000);
    await scheduler.runNow();
    expect(runs).toBe(1);
    clock.advance(60_000);
    fail = false;
    await scheduler.runNow();
    expect(runs).toBe(2);
    expect(scheduler.status('mentions')).toMatchObject({ blockedUntil: null, failure: null, cycles: 1 });
  });

  it('backs off exponentially on transient failures, and at least a second even when told "now"', async () => {
    const { clock, scheduler } = setup();
    scheduler.add({
      name: 'dms',
      intervalMs: () => 60_000,
      cycle: async () => {
        throw new ConnectorFailure(failure('transient', 'X is having trouble; retry at {until}.', 'HTTP 503'));
      },
      classify: () => failure('internal', '', ''),
    });
    const waits: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      await scheduler.runNow();
      const until = scheduler.status('dms')!.blockedUntil!;
      waits.push(until - clock.now());
      clock.set(until);
    }
    expect(waits).toEqual([2_000, 4_000, 8_000, 16_000]);

    scheduler.add({
      name: 'now',
      intervalMs: () => 60_000,
      cycle: async () => {
        throw new ConnectorFailure(failure('rate-limited', '', '', clock.now()));
      },
      classify: () => failure('internal', '', ''),
    });
    await scheduler.runNow(['now']);
    expect(scheduler.status('now')!.blockedUntil! - clock.now()).toBeGreaterThanOrEqual(1_000);
  });

  it('stops everything on an auth failure: the loops end and nothing runs again', async () => {
    const { scheduler } = setup();
    let runs = 0;
    scheduler.add({
      name: 'a',
      intervalMs: () => 10,
      cycle: async () => {
        runs += 1;
        throw new Error('401');
      },
      classify: () => failure('auth', 'X refused the access token; re-enter it in Settings.', 'HTTP 401'),
    });
    scheduler.add({ name: 'b', intervalMs: () => 10, cycle: async () => void (runs += 1), classify: () => failure('internal', '', '') });
    scheduler.start();
    await scheduler.settled();
    expect(scheduler.halted).toMatchObject({ kind: 'auth', reason: 'HTTP 401' });
    const after = runs;
    await scheduler.runNow();
    expect(runs).toBe(after);
  });

  it('runs a task again after its interval and ends its loop on stop', async () => {
    const { clock, scheduler } = setup();
    const ranAt: number[] = [];
    scheduler.add({
      name: 'feed',
      intervalMs: () => 30_000,
      cycle: async () => {
        ranAt.push(clock.now() - NOW);
        if (ranAt.length === 3) scheduler.stop();
      },
      classify: () => failure('internal', '', ''),
    });
    scheduler.start();
    await scheduler.settled();
    expect(ranAt).toEqual([0, 30_000, 60_000]);
  });

  it('lets an idle task (interval Infinity) sleep in long stretches until woken, never spinning', async () => {
    const clock = new ManualClock(NOW);
    const waits: number[] = [];
    let scheduler: Scheduler | null = null;
    const timers = {
      sleep: async (ms: number, signal?: AbortSignal): Promise<void> => {
        if (signal?.aborted) return;
        waits.push(ms);
        clock.advance(ms);
        if (waits.length === 3) scheduler?.wake('idle');
        if (waits.length === 6) scheduler?.stop();
      },
    };
    let cycles = 0;
    scheduler = new Scheduler({ connector: 'messenger', clock, timers, logger: silentLogger, onChange: () => undefined });
    scheduler.add({ name: 'idle', intervalMs: () => Infinity, cycle: async () => void (cycles += 1), classify: () => failure('internal', '', '') });
    scheduler.start();
    await scheduler.settled();
    expect(cycles).toBe(1);
    expect(waits).toEqual(Array(6).fill(60 * 60_000));
  });

  it('keeps a budget wait until the next month', async () => {
    const { scheduler } = setup();
    scheduler.add({
      name: 'mentions',
      intervalMs: () => 60_000,
      cycle: async () => {
        throw new ConnectorFailure(failure('budget', 'used up; resume on {until}', 'cap', nextMonthStart(NOW)));
      },
      classify: () => failure('internal', '', ''),
    });
    await scheduler.runNow();
    expect(scheduler.status('mentions')!.blockedUntil).toBe(Date.UTC(2026, 11, 1));
  });
});

describe('retrying one request', () => {
  it('retries transient failures twice with growing waits, then gives up; anything else is thrown at once', async () => {
    const clock = new ManualClock(NOW);
    const timers = new VirtualTimers(clock);
    const signal = new AbortController().signal;
    let calls = 0;
    const classify = (e: unknown): ReturnType<typeof failure> => (e instanceof Error && e.message === '503' ? failure('transient', '', '503') : failure('auth', '', '401'));
    await expect(withRetry(async () => {
      calls += 1;
      throw new Error('503');
    }, { timers, signal, classify, random: () => 1 })).rejects.toMatchObject({ failure: { kind: 'transient' } });
    expect(calls).toBe(3);
    expect(timers.waits).toEqual([500, 1_000]);

    calls = 0;
    await expect(withRetry(async () => {
      calls += 1;
      throw new Error('401');
    }, { timers, signal, classify })).rejects.toMatchObject({ failure: { kind: 'auth' } });
    expect(calls).toBe(1);

    calls = 0;
    const value = await withRetry(async () => {
      calls += 1;
      if (calls === 1) throw new Error('503');
      return 'ok';
    }, { timers, signal, classify });
    expect(value).toBe('ok');
  });
});

describe('classifying X errors', () => {
  it('tells a rate limit (until the reset), the monthly cap, a refused token, a 5xx, an HTML 503 and a dropped connection apart', () => {
    const reset = Math.floor(NOW / 1000) + 90;
    expect(classifyXError(xError(429, { title: 'Too Many Requests', status: 429 }, reset), 'mentions', NOW)).toMatchObject({ kind: 'rate-limited', until: reset * 1000 });
    expect(classifyXError(xError(429, { title: 'UsageCapExceeded', type: 'https://api.twitter.com/2/problems/usage-capped', period: 'Monthly' }), 'mentions', NOW)).toMatchObject({ kind: 'budget', until: Date.UTC(2026, 11, 1) });
    expect(classifyXError(xError(401, { title: 'Unauthorized', status: 401 }), 'mentions', NOW)).toMatchObject({ kind: 'auth', detail: expect.stringMatching(/re-enter the X keys and tokens in Settings/) });
    expect(classifyXError(xError(403, { title: 'Client Forbidden', reason: 'client-not-enrolled', type: 'https://api.twitter.com/2/problems/client-forbidden' }), 'mentions', NOW)).toMatchObject({ kind: 'config' });
    expect(classifyXError(xError(503, { title: 'Service Unavailable' }), 'mentions', NOW)).toMatchObject({ kind: 'transient', reason: 'HTTP 503' });
    expect(classifyXError(xError(503, '<!DOCTYPE html><h1>503</h1>'), 'mentions', NOW)).toMatchObject({ kind: 'transient', reason: 'HTTP 503 (HTML body)' });
    const dropped = new ApiPartialResponseError('partial', { request: fakeRequest, response: fakeResponse, responseError: new Error('aborted'), rawContent: '{"da' });
    expect(classifyXError(dropped, 'mentions', NOW)).toMatchObject({ kind: 'transient', reason: 'connection dropped mid-response' });
    const refused = new ApiRequestError('Request failed.', { request: fakeRequest, error: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) } as unknown as ConstructorParameters<typeof ApiRequestError>[1]);
    expect(classifyXError(refused, 'mentions', NOW)).toMatchObject({ kind: 'transient', reason: 'network: ECONNREFUSED' });
  });

  it('fills the resume time into the sentence in the desk zone', () => {
    const f = classifyXError(xError(429, { title: 'Too Many Requests' }, Date.UTC(2026, 10, 25, 10, 42) / 1000), 'mentions', NOW);
    expect(describeFailure(f, NOW, 'UTC')).toBe('X says too many requests for mentions; resuming at 10:42.');
    expect(describeFailure(f, NOW, 'Europe/Paris')).toBe('X says too many requests for mentions; resuming at 11:42.');
    const cap = classifyXError(xError(429, { title: 'UsageCapExceeded' }), 'mentions', NOW);
    expect(describeFailure(cap, NOW, 'UTC')).toBe("X says the plan's monthly read allowance is used up; reading mentions resumes on 1 December at 00:00.");
  });
});

describe('classifying Graph errors', () => {
  const usage = { app: 40, page: 100, regainMinutes: 7, at: NOW };
  it('decides on error.code: 190 auth, rate limits with the time to regain access, permissions, transient, HTML pages, network', () => {
    expect(classifyGraphError(new GraphApiError(400, 190, 463, 'OAuthException', false, 'Error validating access token: Session has expired', null, null), 'the Page feed', NOW)).toMatchObject({
      kind: 'auth',
      detail: expect.stringMatching(/expired.*reconnect the Page in Settings/),
    });
    expect(classifyGraphError(new GraphApiError(403, 80001, null, 'OAuthException', true, '(#80001) too many calls', null, usage), 'the Page feed', NOW)).toMatchObject({ kind: 'rate-limited', until: NOW + 7 * 60_000 });
    expect(classifyGraphError(new GraphApiError(403, 4, null, 'OAuthException', true, '(#4) Application request limit reached', 30_000, null), 'the Page feed', NOW)).toMatchObject({ kind: 'rate-limited', until: NOW + 30_000 });
    expect(classifyGraphError(new GraphApiError(403, 200, null, 'OAuthException', false, '(#200) Permissions error', null, null), 'the Page feed', NOW)).toMatchObject({ kind: 'config' });
    expect(classifyGraphError(new GraphApiError(500, 2, null, 'OAuthException', true, 'unexpected', null, null), 'the Page feed', NOW)).toMatchObject({ kind: 'transient' });
    expect(classifyGraphError(new GraphHttpError(503, 'text/html; charset=utf-8'), 'the Page feed', NOW)).toMatchObject({ kind: 'transient', detail: expect.stringMatching(/an error page/) });
    expect(classifyGraphError(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }), 'the Page feed', NOW)).toMatchObject({ kind: 'transient', reason: 'network: ECONNREFUSED' });
    expect(classifyGraphError(new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }), 'the Page feed', NOW)).toMatchObject({ kind: 'transient', reason: 'connection dropped' });
  });

  it('reads X-App-Usage and X-Business-Use-Case-Usage (the highest share; the time to regain access)', () => {
    const headers = new Headers({
      'x-app-usage': '{"call_count":28,"total_cputime":25,"total_time":31}',
      'x-business-use-case-usage': '{"167":[{"type":"pages","call_count":92,"total_cputime":10,"total_time":12,"estimated_time_to_regain_access":3}]}',
    });
    expect(parseUsage(headers, '167', NOW)).toEqual({ app: 31, page: 92, regainMinutes: 3, at: NOW });
    expect(parseUsage(new Headers({ 'x-app-usage': 'not json' }), '167', NOW)).toBeNull();
  });
});

describe('cursors', () => {
  it('compares snowflakes as 64-bit numbers, not as doubles or text', () => {
    expect(compareSnowflakes('1861234567890123457', '1861234567890123456')).toBe(1);
    expect(compareSnowflakes('999', '1000')).toBe(-1);
    expect(maxSnowflake('18612345678901234560', '9999999999999999999')).toBe('18612345678901234560');
    expect(maxSnowflake(null, '5')).toBe('5');
  });

  it('time cursors keep the ids of their last second, so same-second items are neither lost nor repeated', () => {
    let cursor = advanceTimeCursor(null, 1000, 'a');
    cursor = advanceTimeCursor(cursor, 2000, 'b');
    cursor = advanceTimeCursor(cursor, 2000, 'c');
    expect(cursor).toEqual({ t: 2000, ids: ['b', 'c'] });
    const restored = parseTimeCursor(formatTimeCursor(cursor));
    expect(isAfterCursor(restored, 0, 2000, 'b')).toBe(false);
    expect(isAfterCursor(restored, 0, 2000, 'd')).toBe(true);
    expect(isAfterCursor(restored, 0, 1999, 'z')).toBe(false);
    expect(isAfterCursor(null, 1500, 1000, 'a')).toBe(false);
    expect(parseTimeCursor('not json')).toBeNull();
  });

  it('names the budget period and the next one in UTC', () => {
    expect(monthKey(NOW)).toBe('2026-11');
    expect(nextMonthStart(Date.UTC(2026, 11, 31, 23))).toBe(Date.UTC(2027, 0, 1));
  });
});
