/**
 * How long the outbox keeps trying, and how long it waits between tries.
 *
 * Deadlines (from the moment an item is enqueued; an item's own `deadlineAt` wins, then its
 * origin's, then its kind's):
 *
 * - a reply, DM, comment, private reply or Messenger message: 2 hours. Later than that the answer
 *   reads as if nobody was listening, and the agent should see it failed and decide.
 * - likes, unlikes, retweets, undos: 24 hours. They cost nobody anything when late.
 * - hiding or unhiding a reply/comment: 1 hour. Hiding abuse is only worth it while people read.
 * - the closed-desk answer (origin 'closed-desk': special day, out of hours, emergency): 30
 *   minutes. "We are closed" an hour later is noise, and the desk reopens anyway.
 *
 * Backoff: exponential with full jitter. The n-th failure waits a random time up to
 * min(maxMs, baseMs * 2^(n-1)) (5 s, 10 s, 20 s ... 5 min), never less than minMs, and the next
 * try is never set past the deadline (the last one happens at the deadline). A rate limit waits
 * for the platform's reset instead; with no reset given, at least a minute.
 */
import type { OutboxActionKind, OutboxOrigin } from './actions';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_KIND_DEADLINES: Readonly<Record<OutboxActionKind, number>> = {
  'x.reply': 2 * HOUR,
  'x.dm': 2 * HOUR,
  'x.like': 24 * HOUR,
  'x.unlike': 24 * HOUR,
  'x.retweet': 24 * HOUR,
  'x.unretweet': 24 * HOUR,
  'x.hide-reply': HOUR,
  'facebook.comment': 2 * HOUR,
  'facebook.like': 24 * HOUR,
  'facebook.unlike': 24 * HOUR,
  'facebook.hide': HOUR,
  'facebook.private-reply': 2 * HOUR,
  'messenger.send': 2 * HOUR,
};

export const DEFAULT_ORIGIN_DEADLINES: Readonly<Partial<Record<OutboxOrigin, number>>> = {
  'closed-desk': 30 * MINUTE,
};

export interface DeadlinePolicy {
  byKind: Readonly<Record<OutboxActionKind, number>>;
  byOrigin: Readonly<Partial<Record<OutboxOrigin, number>>>;
}

export interface DeadlineOverrides {
  byKind?: Partial<Record<OutboxActionKind, number>>;
  byOrigin?: Partial<Record<OutboxOrigin, number>>;
}

export function deadlinePolicy(overrides: DeadlineOverrides = {}): DeadlinePolicy {
  const byKind = { ...DEFAULT_KIND_DEADLINES, ...definedOnly(overrides.byKind ?? {}) };
  const byOrigin = { ...DEFAULT_ORIGIN_DEADLINES, ...definedOnly(overrides.byOrigin ?? {}) };
  for (const [name, ms] of [...Object.entries(byKind), ...Object.entries(byOrigin)]) {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) throw new Error(`outbox deadline for ${name} must be a positive number of milliseconds`);
  }
  return { byKind, byOrigin };
}

function definedOnly<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}

export const DEFAULT_DEADLINES: DeadlinePolicy = deadlinePolicy();

/** How long an item may keep trying, from when it was enqueued. */
export function deadlineMs(policy: DeadlinePolicy, kind: OutboxActionKind, origin: OutboxOrigin): number {
  return policy.byOrigin[origin] ?? policy.byKind[kind];
}

export interface BackoffPolicy {
  /** The ceiling of the first wait (default 5 s). */
  baseMs: number;
  /** The highest ceiling (default 5 min). */
  maxMs: number;
  /** No wait is shorter (default 1 s), so a zero draw never means "at once". */
  minMs: number;
  /** A rate limit with no reset time waits at least this long (default 60 s). */
  rateLimitFloorMs: number;
  /** [0, 1); injectable for tests. */
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 5 * MINUTE, minMs: 1_000, rateLimitFloorMs: MINUTE, random: Math.random };

export function backoffPolicy(overrides: Partial<BackoffPolicy> = {}): BackoffPolicy {
  const policy = { ...DEFAULT_BACKOFF, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) } as BackoffPolicy;
  if (!(policy.baseMs > 0) || !(policy.maxMs >= policy.baseMs) || !(policy.minMs >= 0)) throw new Error('outbox backoff needs 0 < baseMs <= maxMs and minMs >= 0');
  return policy;
}

/** The wait after the `failures`-th failed try in a row (1 = the first failure). */
export function backoffDelay(policy: BackoffPolicy, failures: number): number {
  const exponent = Math.max(0, Math.min(30, failures - 1));
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const draw = Math.min(0.999_999, Math.max(0, policy.random()));
  return Math.max(policy.minMs, Math.floor(draw * ceiling));
}
