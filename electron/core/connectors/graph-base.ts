/**
 * What the Facebook Page and Messenger connectors share: the scheduler, the Graph client with
 * its usage budget, storing through the stop guard, bad-payload accounting, backfill progress
 * and the status sentence.
 */
import type { ConnectorName } from '../contract';
import type { IngestOutcome, IngestSource } from '../ingest/ingest';
import type { InboundMessageInput } from '../ingest/inbound';
import type { FacebookPage, Transport } from '../network';
import { describeFailure, resumeTime, type Failure } from './backoff';
export { everyPhrase as every } from './backoff';
import { GraphClient, classifyGraphError, usagePercent } from './graph';
import { IngestGuard, Scheduler, realTimers, throwIfAborted, type TaskSpec, type Timers } from './scheduler';
import { StatusBoard } from './status';
import type { Connector, ConnectorHost } from './types';

export interface GraphConnectorOptions {
  page: FacebookPage;
  transport: Transport;
  backfillSince: number;
  /** Messages per stored batch (default 500). */
  batchSize?: number;
  timers?: Timers;
  timeZone?: string;
  random?: () => number;
}

const MAX_BAD_LOGS_PER_CYCLE = 20;

export abstract class GraphConnectorBase implements Connector {
  abstract readonly name: ConnectorName;
  protected readonly timers: Timers;
  protected readonly scheduler: Scheduler;
  protected readonly graph: GraphClient;
  protected readonly batchSize: number;
  protected backfill: { active: boolean; fetched: number; since: number } | null = null;
  protected pageName: string | null = null;
  private readonly guardAbort = new AbortController();
  private readonly guard: IngestGuard;
  private board: StatusBoard | null = null;
  private started = false;
  protected stopped = false;
  private badLogged = 0;

  constructor(
    protected readonly host: ConnectorHost,
    protected readonly base: GraphConnectorOptions,
    private readonly connectorName: ConnectorName,
  ) {
    this.timers = base.timers ?? realTimers;
    this.batchSize = Math.max(1, base.batchSize ?? 500);
    this.scheduler = new Scheduler({
      connector: connectorName,
      clock: host.clock,
      timers: this.timers,
      logger: host.logger,
      onChange: () => this.refresh(),
      ...(base.random ? { random: base.random } : {}),
    });
    this.guard = new IngestGuard(this.guardAbort.signal);
    this.graph = new GraphClient({
      page: base.page,
      transport: base.transport,
      clock: host.clock,
      timers: this.timers,
      logger: host.logger,
      signal: this.scheduler.signal,
      onUsage: () => this.refresh(),
      ...(base.random ? { random: base.random } : {}),
    });
  }

  /** The backfill start on Graph's one-second grid (its times have no milliseconds). */
  protected get floor(): number {
    return Math.floor(this.base.backfillSince / 1000) * 1000;
  }

  protected get status(): StatusBoard {
    this.board ??= new StatusBoard(this.host, this.connectorName, { detail: 'Connecting to Facebook…', mode: 'poll' });
    return this.board;
  }

  protected addTask(spec: Omit<TaskSpec, 'classify'> & { what: string }): void {
    this.scheduler.add({ ...spec, classify: (error) => classifyGraphError(error, spec.what, this.host.clock.now()) });
  }

  async start(): Promise<void> {
    if (this.started || this.stopped) return;
    this.started = true;
    this.status.set({ state: 'starting', detail: 'Connecting to Facebook…' });
    this.scheduler.start();
  }

  private stopping: Promise<void> | null = null;

  /** Stops polling and waits for the batch being stored; calling it again waits for the same stop. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopped = true;
      this.scheduler.stop();
      this.guardAbort.abort();
      await this.guard.idle();
      this.status.set({ state: 'stopped', detail: this.stoppedDetail(), backoffUntil: null, backfill: this.backfill ? { ...this.backfill, active: false } : null });
    })();
    return this.stopping;
  }

  async pollNow(): Promise<void> {
    if (this.stopped) return;
    await this.scheduler.runNow(this.pollNowTasks());
    this.refresh();
  }

  protected pollNowTasks(): string[] | undefined {
    return undefined;
  }

  protected abstract runningDetail(): string;
  protected abstract stoppedDetail(): string;

  /** The Page's name for details (one GET the first time; a wrong page id stops here). */
  protected async ensurePage(): Promise<void> {
    if (this.pageName !== null) return;
    const body = await this.graph.get(this.base.page.pageId, { fields: 'id,name' }, 'the Page');
    const name = typeof body === 'object' && body !== null ? (body as { name?: unknown }).name : undefined;
    this.pageName = typeof name === 'string' && name.trim() !== '' ? name.trim().slice(0, 80) : 'the Page';
  }

  protected async store(payloads: InboundMessageInput[], source: IngestSource, signal: AbortSignal): Promise<IngestOutcome> {
    throwIfAborted(signal);
    const outcome = await this.guard.run(() => this.host.ingest(payloads, source));
    this.status.count(outcome);
    for (const rejection of outcome.rejected.slice(0, MAX_BAD_LOGS_PER_CYCLE)) {
      this.host.logger.warn(`${this.connectorName}.bad-payload`, { source: source.stream, id: rejection.externalId, reason: rejection.reason });
    }
    return outcome;
  }

  protected resetBadLog(): void {
    this.badLogged = 0;
  }

  /** Logs (the first few per cycle) and counts payloads that could not become messages. */
  protected noteBad(errors: readonly { id: string | null; error: string }[], source: string): void {
    for (const item of errors) {
      if (this.badLogged < MAX_BAD_LOGS_PER_CYCLE) this.host.logger.warn(`${this.connectorName}.bad-payload`, { source, id: item.id, reason: item.error });
      this.badLogged += 1;
    }
    this.status.countBad(errors.length);
  }

  protected beginBackfill(): void {
    if (this.backfill?.active) return;
    this.backfill = { active: true, fetched: this.backfill?.fetched ?? 0, since: this.base.backfillSince };
    this.refresh();
  }

  protected progressBackfill(n: number): void {
    if (!this.backfill?.active || n === 0) return;
    this.backfill = { ...this.backfill, fetched: this.backfill.fetched + n };
    this.refresh();
  }

  protected endBackfill(): void {
    if (this.backfill?.active) this.backfill = { ...this.backfill, active: false };
  }

  protected refresh(): void {
    if (this.stopped) return;
    const now = this.host.clock.now();
    const tz = this.base.timeZone;
    const statuses = this.scheduler.statuses();
    const lastPollAt = statuses.reduce<number | null>((max, s) => (s.lastRunAt !== null && (max === null || s.lastRunAt > max) ? s.lastRunAt : max), null);
    const pct = usagePercent(this.graph.usage);
    const budget = pct === null ? null : { used: Math.round(pct * 10) / 10, limit: 100, unit: 'percent' as const, period: 'rolling hour' };
    const backfill = this.backfill ? { ...this.backfill } : null;
    const halted = this.scheduler.halted;
    const lastError = halted?.reason ?? statuses.find((s) => s.failure !== null)?.failure?.reason ?? null;
    if (halted) {
      this.status.set({ state: 'auth-error', detail: describeFailure(halted, now, tz), backoffUntil: null, lastPollAt, lastError, budget, backfill });
      return;
    }
    const waiting = statuses
      .filter((s) => s.failure !== null && s.blockedUntil !== null && s.blockedUntil > now)
      .map((s) => ({ failure: s.failure as Failure, until: s.blockedUntil as number }));
    if (waiting.length > 0) {
      const worst = waiting.reduce((a, b) => (b.until > a.until ? b : a));
      this.status.set({ state: 'backing-off', detail: describeFailure(worst.failure, now, tz, worst.until), backoffUntil: worst.until, lastPollAt, lastError, budget, backfill });
      return;
    }
    const detail = backfill?.active
      ? `Catching up on ${this.pageName ?? 'the Page'} since ${resumeTime(backfill.since, now, tz)}: ${backfill.fetched.toLocaleString('en-US')} fetched so far.`
      : this.runningDetail();
    const anyRun = statuses.some((s) => s.lastRunAt !== null);
    this.status.set({ state: anyRun ? 'running' : 'starting', detail, backoffUntil: null, lastPollAt, lastError, budget, backfill });
  }
}
