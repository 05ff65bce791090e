/**
 * What went wrong talking to a platform, in the desk's words, and how long to wait before the
 * next try. Every connector classifies its platform's errors into a `Failure`; the scheduler
 * decides from its kind alone (wait until a reset, back off exponentially, stop, wait for next
 * month). Delays come from `Backoff` policies, so X's published reconnect guidance for the
 * filtered stream and the ordinary poll retry schedule live side by side.
 */

export type FailureKind =
  /** The platform said "too many requests": wait until `until` (its reset), else back off. */
  | 'rate-limited'
  /** 5xx, an HTML error page, a dropped or refused connection: retry with exponential backoff. */
  | 'transient'
  /** The token or keys were refused: stop until someone re-enters them. */
  | 'auth'
  /** The account is set up wrong (missing permission, unknown page): stop until fixed. */
  | 'config'
  /** The monthly read allowance is used up: wait until `until` (the next period). */
  | 'budget'
  /** A bug or an unexpected answer (our side or theirs): back off and keep trying. */
  | 'internal'
  /** The connector is stopping: not a failure at all. */
  | 'aborted';

export interface Failure {
  kind: FailureKind;
  /** When the platform allows the next try (epoch ms); null: the backoff schedule decides. */
  until: number | null;
  /** One sentence a supervisor understands; may contain `{until}`, replaced with the resume time. */
  detail: string;
  /** Short technical reason for `lastError` and the log (never a secret, never message text). */
  reason: string;
}

/** An error carrying its classification, thrown by connector code that already knows what happened. */
export class ConnectorFailure extends Error {
  constructor(
    readonly failure: Failure,
    options?: { cause?: unknown },
  ) {
    super(failure.reason, options);
    this.name = 'ConnectorFailure';
  }
}

export function failure(kind: FailureKind, detail: string, reason: string, until: number | null = null): Failure {
  return { kind, until, detail, reason };
}

export function isAbort(error: unknown): boolean {
  if (error instanceof ConnectorFailure) return error.failure.kind === 'aborted';
  // A request timeout (TimeoutError) is a network failure, not a stop.
  return error instanceof Error && error.name === 'AbortError';
}

// ---------------------------------------------------------------------------------------------
// Backoff schedules

export interface BackoffPolicy {
  /** 'exponential': initial * factor^n; 'linear': initial + step * n. */
  shape: 'exponential' | 'linear';
  initialMs: number;
  maxMs: number;
  /** exponential: the multiplier (default 2). */
  factor?: number;
  /** linear: the step (default initialMs). */
  stepMs?: number;
  /** 0..1: the share of each delay that is random (0.5: between 50% and 100% of the nominal delay). */
  jitter: number;
}

/** Polls: a failed cycle waits 2 s, 4 s, 8 s ... up to 5 minutes, half of it random. */
export const POLL_BACKOFF: BackoffPolicy = { shape: 'exponential', initialMs: 2_000, maxMs: 5 * 60_000, jitter: 0.5 };
/** A request retried within one cycle: 500 ms, 1 s, then the cycle gives up. */
export const REQUEST_RETRY: BackoffPolicy = { shape: 'exponential', initialMs: 500, maxMs: 4_000, jitter: 0.5 };
/** A 429 without a usable reset: one minute, doubling, up to 15 minutes (X's window). */
export const RATE_LIMIT_BACKOFF: BackoffPolicy = { shape: 'exponential', initialMs: 60_000, maxMs: 15 * 60_000, jitter: 0.1 };

// X's guidance for the filtered stream (https://docs.x.com/x-api/posts/filtered-stream/integrate/handling-disconnections).
/** Network errors (TCP/TLS, drops): back off linearly, +250 ms per try, up to 16 s. */
export const STREAM_NETWORK_BACKOFF: BackoffPolicy = { shape: 'linear', initialMs: 250, stepMs: 250, maxMs: 16_000, jitter: 0 };
/** HTTP errors: exponentially from 5 s, up to 320 s. */
export const STREAM_HTTP_BACKOFF: BackoffPolicy = { shape: 'exponential', initialMs: 5_000, maxMs: 320_000, jitter: 0 };
/** 429 on connect: exponentially from one minute. */
export const STREAM_RATE_LIMIT_BACKOFF: BackoffPolicy = { shape: 'exponential', initialMs: 60_000, maxMs: 16 * 60_000, jitter: 0 };

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /** How many delays were handed out since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The next delay (ms), then moves on. */
  next(): number {
    const p = this.policy;
    const n = this.attempt;
    this.attempt += 1;
    const nominal = p.shape === 'linear' ? p.initialMs + (p.stepMs ?? p.initialMs) * n : p.initialMs * Math.pow(p.factor ?? 2, Math.min(n, 40));
    const capped = Math.min(p.maxMs, nominal);
    const jitter = Math.min(1, Math.max(0, p.jitter));
    return Math.round(capped * (1 - jitter) + capped * jitter * this.random());
  }

  reset(): void {
    this.attempt = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Times in sentences

// Making an Intl.DateTimeFormat costs far more than using one: one per zone and shape.
const formats = new Map<string, Intl.DateTimeFormat>();
function format(shape: 'time' | 'day', timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${shape} ${timeZone ?? ''}`;
  let f = formats.get(key);
  if (!f) {
    const zone = timeZone ? { timeZone } : {};
    f = shape === 'time' ? new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, ...zone }) : new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', ...zone });
    formats.set(key, f);
  }
  return f;
}

/** "10:42" in the desk's zone (the system's when none is given). */
export function clockTime(epochMs: number, timeZone?: string): string {
  return format('time', timeZone).format(epochMs);
}

/** "1 December" in the desk's zone. */
export function dayName(epochMs: number, timeZone?: string): string {
  return format('day', timeZone).format(epochMs);
}

/** "10:42" when it is within a day of `now` (either side), else "1 December at 10:42". */
export function resumeTime(untilMs: number, now: number, timeZone?: string): string {
  if (Math.abs(untilMs - now) < 20 * 3_600_000) return clockTime(untilMs, timeZone);
  return `${dayName(untilMs, timeZone)} at ${clockTime(untilMs, timeZone)}`;
}

/** "every minute", "every 5 minutes", "every hour", "every 3 s". */
export function everyPhrase(ms: number): string {
  if (ms === 3_600_000) return 'every hour';
  if (ms % 60_000 === 0 && ms >= 60_000) return ms === 60_000 ? 'every minute' : `every ${ms / 60_000} minutes`;
  if (ms % 1000 === 0) return `every ${ms / 1000} s`;
  return `every ${ms} ms`;
}

/** Fills `{until}` in a failure's detail. */
export function describeFailure(f: Failure, now: number, timeZone?: string, until: number | null = f.until): string {
  if (!f.detail.includes('{until}')) return f.detail;
  return f.detail.replaceAll('{until}', until === null ? 'shortly' : resumeTime(until, now, timeZone));
}

/** The first instant of the next UTC month: when X's monthly allowance starts over. */
export function nextMonthStart(epochMs: number): number {
  const d = new Date(epochMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** 'YYYY-MM' (UTC) of an instant: the budget period. */
export function monthKey(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 7);
}
