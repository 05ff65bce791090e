/**
 * The machinery every connector shares: a poll loop per stream of work (mentions, DMs, feed,
 * inbox) with its own interval, rate-limit memory per endpoint, the reaction to each kind of
 * failure, and a guard that lets `stop()` wait for the batch being stored and nothing else.
 *
 * Time: every decision reads `clock.now()`; every wait goes through `Timers.sleep`, so a test
 * can hand in timers that move a manual clock instead of waiting real minutes. A loop never
 * spins: every failure waits at least a second, every interval at least 10 ms, and an idle
 * task (interval Infinity) sleeps until something wakes it.
 */
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { Backoff, ConnectorFailure, POLL_BACKOFF, RATE_LIMIT_BACKOFF, REQUEST_RETRY, failure, isAbort, type BackoffPolicy, type Failure } from './backoff';

export interface Timers {
  /** Resolves after `ms`, or at once when `signal` aborts (it never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Longest single timer: Node's setTimeout overflows past 2^31-1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

export const realTimers: Timers = {
  sleep(ms, signal) {
    return new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, Math.min(MAX_TIMER_MS, ms)));
      signal?.addEventListener('abort', done, { once: true });
    });
  },
};

/** One at a time: cycles of the same task, and the connector's writes of the same cursors. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

// ---------------------------------------------------------------------------------------------
// Rate-limit memory

export interface RateWindow {
  remaining: number;
  /** Epoch ms when the window resets. */
  resetAt: number;
}

/**
 * What each endpoint said about its window last time (X's x-rate-limit-* headers). An endpoint
 * with nothing left is not called again until its reset, so the desk waits instead of earning
 * a 429.
 */
export class RateLimitMemory {
  private readonly windows = new Map<string, RateWindow>();

  note(endpoint: string, window: RateWindow): void {
    this.windows.set(endpoint, window);
  }

  /** Marks an endpoint as closed until `resetAt` (after a 429). */
  block(endpoint: string, resetAt: number): void {
    this.windows.set(endpoint, { remaining: 0, resetAt });
  }

  /** When the endpoint may be called again, or null when it may be called now. */
  blockedUntil(endpoint: string, now: number): number | null {
    const w = this.windows.get(endpoint);
    if (!w || w.remaining > 0) return null;
    if (w.resetAt <= now) {
      this.windows.delete(endpoint);
      return null;
    }
    return w.resetAt;
  }

  get(endpoint: string): RateWindow | undefined {
    return this.windows.get(endpoint);
  }
}

// ---------------------------------------------------------------------------------------------
// Retrying one request inside a cycle

export interface RetryOptions {
  timers: Timers;
  signal: AbortSignal;
  classify(error: unknown): Failure;
  /** Tries in all (default 3). */
  attempts?: number;
  policy?: BackoffPolicy;
  random?: () => number;
  onRetry?(failure: Failure, delayMs: number, attempt: number): void;
}

/**
 * Runs one request, retrying transient failures (5xx, HTML error pages, dropped connections) a
 * couple of times with a short exponential backoff, so one blip does not cost a whole cycle.
 * Anything else, and the last transient failure, is thrown as a ConnectorFailure.
 */
export async function withRetry<T>(request: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const backoff = new Backoff(options.policy ?? REQUEST_RETRY, options.random);
  for (let attempt = 1; ; attempt += 1) {
    throwIfAborted(options.signal);
    try {
      return await request();
    } catch (error) {
      if (options.signal.aborted) throw abortFailure(error);
      const classified = error instanceof ConnectorFailure ? error.failure : options.classify(error);
      if (classified.kind !== 'transient' || attempt >= attempts) {
        if (error instanceof ConnectorFailure) throw error;
        throw new ConnectorFailure(classified, { cause: error });
      }
      const delay = backoff.next();
      options.onRetry?.(classified, delay, attempt);
      await options.timers.sleep(delay, options.signal);
    }
  }
}

function abortFailure(cause?: unknown): ConnectorFailure {
  return new ConnectorFailure(failure('aborted', 'Stopped.', 'stopped'), cause === undefined ? undefined : { cause });
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortFailure();
}

// ---------------------------------------------------------------------------------------------
// Tasks

export interface TaskSpec {
  /** 'mentions', 'dms', 'feed', 'inbox': also the word used in details. */
  name: string;
  /** Wait after a cycle before the next regular one; Infinity: only when asked (pollNow, wake). */
  intervalMs(): number;
  /** One cycle: fetch what is new and store it. Throws on failure. */
  cycle(signal: AbortSignal): Promise<void>;
  /** Turns whatever the cycle threw into a Failure. */
  classify(error: unknown): Failure;
  /** Failures of these kinds stop only this task, not the whole connector (default: none). */
  localKinds?: readonly Failure['kind'][];
}

export interface TaskStatus {
  name: string;
  /** The failure of the last cycle (null after a success). */
  failure: Failure | null;
  /** No cycle before this instant (a reset, a backoff, next month). */
  blockedUntil: number | null;
  /** This task stopped for good (local auth/config failure). */
  stopped: boolean;
  lastRunAt: number | null;
  /** Successful cycles so far. */
  cycles: number;
}

interface Task {
  spec: TaskSpec;
  mutex: Mutex;
  backoff: Backoff;
  rateBackoff: Backoff;
  status: TaskStatus;
  wake: AbortController;
  running: boolean;
}

export interface SchedulerDeps {
  connector: string;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  /** Called after every cycle and every change of state (the connector reports). */
  onChange(): void;
  random?: () => number;
}

/** Shortest wait after a failure, whatever the platform's reset says: a loop never spins. */
const MIN_FAILURE_WAIT_MS = 1_000;
const MIN_INTERVAL_MS = 10;
/** An idle task re-checks at least this often (nothing is lost by a spurious wake-up). */
const IDLE_RECHECK_MS = 60 * 60_000;

export class Scheduler {
  private readonly tasks = new Map<string, Task>();
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private haltedBy: Failure | null = null;
  private started = false;

  constructor(private readonly deps: SchedulerDeps) {}

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** The failure that stopped the whole connector (auth, config), if any. */
  get halted(): Failure | null {
    return this.haltedBy;
  }

  get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  add(spec: TaskSpec): void {
    const random = this.deps.random ?? Math.random;
    this.tasks.set(spec.name, {
      spec,
      mutex: new Mutex(),
      backoff: new Backoff(POLL_BACKOFF, random),
      rateBackoff: new Backoff(RATE_LIMIT_BACKOFF, random),
      status: { name: spec.name, failure: null, blockedUntil: null, stopped: false, lastRunAt: null, cycles: 0 },
      wake: new AbortController(),
      running: false,
    });
  }

  status(name: string): TaskStatus | undefined {
    const task = this.tasks.get(name);
    return task ? { ...task.status } : undefined;
  }

  statuses(): TaskStatus[] {
    return [...this.tasks.values()].map((t) => ({ ...t.status }));
  }

  /** Starts one loop per task; the first cycles begin at once. */
  start(): void {
    if (this.started || this.stopping) return;
    this.started = true;
    for (const task of this.tasks.values()) this.loops.push(this.loop(task));
  }

  /** Stops the loops (sleeping ones at once; a running cycle ends at its next check). */
  stop(): void {
    this.abort.abort();
    for (const task of this.tasks.values()) task.wake.abort();
  }

  /** Resolves when every loop has ended (after stop() or a halt). */
  async settled(): Promise<void> {
    await Promise.all(this.loops);
  }

  /** Stops everything for good: the token was refused, the account is set up wrong. */
  halt(reason: Failure): void {
    if (this.haltedBy) return;
    this.haltedBy = reason;
    this.deps.logger.warn('connector.halted', { connector: this.deps.connector, reason: reason.reason });
    for (const task of this.tasks.values()) task.wake.abort();
    this.deps.onChange();
  }

  /** Re-evaluates a task's next run now (its interval changed, or there is work for it). */
  wake(name: string): void {
    this.tasks.get(name)?.wake.abort();
  }

  /** Clears a task's wait (the console's "check now" after a backoff, a test past a reset). */
  unblock(name: string): void {
    const task = this.tasks.get(name);
    if (!task) return;
    task.status.blockedUntil = null;
    task.wake.abort();
  }

  /**
   * Runs a cycle of each named task (all by default) now, unless the task waits for a reset,
   * a backoff or next month, or the connector is stopped. Resolves when they have stored what
   * they found; never rejects (failures are in the status).
   */
  async runNow(names?: readonly string[]): Promise<void> {
    const chosen = names ? names.map((n) => this.tasks.get(n)).filter((t): t is Task => t !== undefined) : [...this.tasks.values()];
    await Promise.all(chosen.map((task) => this.runCycle(task)));
  }

  private runCycle(task: Task): Promise<void> {
    return task.mutex.run(async () => {
      if (this.stopping || this.haltedBy || task.status.stopped) return;
      const now = this.deps.clock.now();
      if (task.status.blockedUntil !== null && task.status.blockedUntil > now) return;
      task.running = true;
      try {
        await task.spec.cycle(this.abort.signal);
        task.status.failure = null;
        task.status.blockedUntil = null;
        task.status.cycles += 1;
        task.backoff.reset();
        task.rateBackoff.reset();
      } catch (error) {
        this.onFailure(task, error);
      } finally {
        task.running = false;
        task.status.lastRunAt = this.deps.clock.now();
        if (!this.stopping) this.deps.onChange();
      }
    });
  }

  private onFailure(task: Task, error: unknown): void {
    if (this.stopping || isAbort(error)) return;
    const f = error instanceof ConnectorFailure ? error.failure : task.spec.classify(error);
    if (f.kind === 'aborted') return;
    const now = this.deps.clock.now();
    task.status.failure = f;
    const log = { connector: this.deps.connector, task: task.spec.name, kind: f.kind, reason: f.reason };
    switch (f.kind) {
      case 'auth':
      case 'config':
        if (task.spec.localKinds?.includes(f.kind)) {
          task.status.stopped = true;
          this.deps.logger.warn('connector.task-stopped', log);
        } else this.halt(f);
        return;
      case 'budget':
        task.status.blockedUntil = Math.max(f.until ?? now + 60 * 60_000, now + MIN_FAILURE_WAIT_MS);
        this.deps.logger.warn('connector.budget-exhausted', { ...log, until: task.status.blockedUntil });
        return;
      case 'rate-limited': {
        const until = f.until !== null && f.until > now ? f.until : now + task.rateBackoff.next();
        task.status.blockedUntil = Math.max(until, now + MIN_FAILURE_WAIT_MS);
        this.deps.logger.warn('connector.rate-limited', { ...log, until: task.status.blockedUntil });
        return;
      }
      case 'transient':
      case 'internal': {
        const wait = task.backoff.next();
        const until = f.until !== null && f.until > now + wait ? f.until : now + wait;
        task.status.blockedUntil = Math.max(until, now + MIN_FAILURE_WAIT_MS);
        const fields = { ...log, until: task.status.blockedUntil, attempt: task.backoff.attempts };
        if (f.kind === 'internal') this.deps.logger.error('connector.cycle-failed', { ...fields, error: error instanceof Error ? error.message : String(error) });
        else this.deps.logger.warn('connector.cycle-failed', fields);
        return;
      }
    }
  }

  private async loop(task: Task): Promise<void> {
    const { clock, timers } = this.deps;
    while (!this.stopping && !this.haltedBy && !task.status.stopped) {
      const now = clock.now();
      let due: number;
      if (task.status.blockedUntil !== null) due = task.status.blockedUntil;
      else if (task.status.lastRunAt === null) due = now;
      else {
        const interval = task.spec.intervalMs();
        due = Number.isFinite(interval) ? task.status.lastRunAt + Math.max(MIN_INTERVAL_MS, interval) : Infinity;
      }
      if (due > now) {
        if (task.wake.signal.aborted) task.wake = new AbortController();
        await timers.sleep(Math.min(due - now, IDLE_RECHECK_MS), task.wake.signal);
        continue;
      }
      await this.runCycle(task);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Storing, stoppably

/**
 * Counts batches being stored, so `stop()` can wait for them, and refuses new ones once the
 * connector is stopping (a request that comes back after stop() stores nothing).
 */
export class IngestGuard {
  private inflight = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly signal: AbortSignal) {}

  async run<T>(store: () => Promise<T>): Promise<T> {
    throwIfAborted(this.signal);
    this.inflight += 1;
    try {
      return await store();
    } finally {
      this.inflight -= 1;
      if (this.inflight === 0) {
        const waiting = this.waiters;
        this.waiters = [];
        for (const resolve of waiting) resolve();
      }
    }
  }

  /** Resolves when no batch is being stored. */
  idle(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
