/**
 * The desk's composition root: opens the store, wires the parts, answers commands, pushes
 * events. Both transports (Electron IPC, server mode) hold one of these and only relay.
 */
import { mkdirSync } from 'node:fs';
import type { Agent } from 'node:https';
import { commands, DeskFailure, isCommandName, parseCommandInput, type CommandName, type DeskResult, type EventBatch } from './contract';
import { systemClock, type Clock } from './clock';
import { createHandlers, type CallContext, type Handlers } from './commands';
import { lockDataDir, type DataLock } from './data-lock';
import { createEventBus } from './event-bus';
import { silentLogger, type Logger } from './logger';
import { CalendarGate } from './gate';
import { Router } from './routing';
import { RulesStage } from './rules-stage';
import { openMessengerChats } from './store/interaction-detail';
import { ensureDefaultQueue, startQueueSampler, type QueueSampler } from './queue-sampler';
import { LiveIngest } from './live-ingest';
import { createOutbox, type Outbox } from './outbox';
import { readCalendar } from './store/calendar';
import type { SandboxFactory } from './network';
import type { SecretStore } from './secrets';
import { readSettings } from './store/settings';
import { openStore, type Store } from './store';

export type { CallContext } from './commands';

export interface DeskOptions {
  dataDir: string;
  version: string;
  secrets: SecretStore;
  logger?: Logger;
  clock?: Clock;
  /** Outbound HTTPS for the connectors: injected so the sandbox network can stand in for the real one. */
  httpAgent?: Agent;
  /** How long events gather before they are sent as one batch. */
  eventWindowMs?: number;
  migrationsDir?: string;
  /**
   * Starts the simulated network, used while no real account is configured. Injected by the
   * composition root so core never imports the sandbox.
   */
  sandbox?: SandboxFactory;
}

export interface Desk {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Never throws: every failure comes back as `{ ok: false, error }`. */
  call(name: string, input: unknown, context: CallContext): Promise<DeskResult<unknown>>;
  subscribe(listener: (batch: EventBatch) => void): () => void;
}

type Phase = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

export function createDesk(options: DeskOptions): Desk {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const bus = createEventBus({
    windowMs: options.eventWindowMs ?? 50,
    onListenerError: (error) => logger.error('event listener failed', { error }),
  });
  let phase: Phase = 'idle';
  let store: Store | null = null;
  let lock: DataLock | null = null;
  let live: LiveIngest | null = null;
  let outbox: Outbox | null = null;
  let gate: CalendarGate | null = null;
  let router: Router | null = null;
  let sampler: QueueSampler | null = null;
  let stopChats: (() => void) | null = null;
  let handlers: Handlers | null = null;
  let inFlight = 0;
  let drained: (() => void) | null = null;

  async function dispatch(name: CommandName, input: unknown, context: CallContext): Promise<DeskResult<unknown>> {
    const args = parseCommandInput(name, input);
    if (!args.ok) return args;
    const handler = handlers?.[name] as ((args: unknown, context: CallContext) => Promise<unknown>) | undefined;
    if (!handler) return { ok: false, error: { code: 'unavailable', message: 'the desk is not running' } };
    const value = await handler(args.value, context);
    const checked = commands[name].output.safeParse(value);
    if (!checked.success) {
      // A handler answered outside the contract: a bug on our side, not the caller's.
      logger.error('command output broke the contract', { command: name, issues: checked.error.issues.slice(0, 5) });
      return { ok: false, error: { code: 'internal', message: `${name} failed inside the desk; the details are in the log` } };
    }
    return { ok: true, value: checked.data };
  }

  return {
    async start() {
      if (phase !== 'idle') throw new Error(`the desk cannot start from ${phase}`);
      phase = 'starting';
      try {
        mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
        lock = lockDataDir(options.dataDir);
        store = await openStore(options.dataDir, { migrationsDir: options.migrationsDir });
      } catch (error) {
        lock?.release();
        lock = null;
        phase = 'stopped';
        throw error;
      }
      const startedAt = clock.now();
      const opened = store;
      const emit = bus.emit.bind(bus);
      const sending = createOutbox({
        db: opened.db,
        clock,
        logger,
        senders: {},
        onAuthError: (account, reason) => {
          logger.warn('outbox account refused', { account, reason });
          live?.reportAuthError(account, reason);
        },
      }, (item) => emit({ type: 'outboxChanged', payload: item }));
      outbox = sending;
      const { settings: initial } = await readSettings(opened.db);
      // Live chats poll fast while an agent holds them: recomputed (at most once a second) as assignments change.
      const chats: Debounced = debounced(1_000, async () => live?.setActiveChats(await openMessengerChats(opened.db)), (error) => logger.warn('could not list the open chats', { error }));
      stopChats = () => chats.cancel();
      const routing = new Router({ db: opened.db, clock, logger, zone: initial.timeZone, acceptTimeoutMs: initial.offerTimeoutSeconds * 1000, onChange: (change) => {
          emit({ type: 'routingChanged', payload: change });
          if (change.type === 'assignment') chats.refresh();
        },
      });
      router = routing;
      const rules = new RulesStage({ db: opened.db, logger });
      const gating = new CalendarGate({
        store: opened,
        clock,
        logger,
        outbox: sending,
        router: routing,
        rules,
        emit,
        context: async () => {
          const { settings } = await readSettings(opened.db);
          const { calendar, emergency } = await readCalendar(opened.db, settings.timeZone);
          return { calendar, emergency, deskName: settings.deskName, timeFormat: settings.timeFormat };
        },
      });
      gate = gating;
      live = new LiveIngest({
        store: opened,
        secrets: options.secrets,
        clock,
        logger,
        emit,
        httpAgent: options.httpAgent,
        sandbox: options.sandbox,
        backfillSince: async () => clock.now() - (await readSettings(opened.db)).settings.backfillHours * 3_600_000,
        xStream: async () => (await readSettings(opened.db)).settings.xStream,
        timeZone: async () => (await readSettings(opened.db)).settings.timeZone,
        afterIngest: () => void gating.sweep(),
      });
      live.onSendersChanged = (senders) => {
        sending.setSender('x', senders.x ?? null);
        sending.setSender('facebook', senders.facebook ?? null);
      };
      handlers = createHandlers({
        store: opened,
        clock,
        version: options.version,
        dataDir: options.dataDir,
        startedAt,
        httpAgent: options.httpAgent,
        secrets: options.secrets,
        live,
        outbox: sending,
        gate: gating,
        router: routing,
        rules,
        emit,
      });
      try {
        await rules.load();
        await routing.start();
        await ensureDefaultQueue(routing, logger);
        await live.start();
        chats.refresh();
        await sending.start();
        sampler = startQueueSampler({ db: opened.db, router: routing, clock, logger });
        // Interactions left `new` or waiting by an earlier run are gated now.
        void gating.sweep();
      } catch (error) {
        sampler?.stop();
        await live.stop().catch(() => undefined);
        await sending.stop().catch(() => undefined);
        await routing.stop().catch(() => undefined);
        await opened.close();
        lock?.release();
        phase = 'stopped';
        throw error;
      }
      phase = 'running';
      logger.info('desk started', { dataDir: options.dataDir, schemaVersion: store.schemaVersion, version: options.version });
    },

    async stop() {
      if (phase === 'stopped' || phase === 'idle') {
        phase = 'stopped';
        return;
      }
      phase = 'stopping';
      // Let calls already inside the desk finish, so none is cut off between its statements.
      if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
      await live?.stop();
      live = null;
      sampler?.stop();
      sampler = null;
      stopChats?.();
      stopChats = null;
      await gate?.stop();
      gate = null;
      await router?.stop();
      router = null;
      await outbox?.stop();
      outbox = null;
      bus.close();
      await store?.close();
      store = null;
      lock?.release();
      lock = null;
      handlers = null;
      phase = 'stopped';
      logger.info('desk stopped');
    },

    async call(name, input, context) {
      if (!isCommandName(name)) return { ok: false, error: { code: 'unknown_command', message: `there is no command called ${JSON.stringify(name.slice(0, 80))}` } };
      if (phase !== 'running') return { ok: false, error: { code: 'unavailable', message: `the desk is ${phase === 'starting' ? 'starting' : 'not running'}` } };
      inFlight += 1;
      try {
        return await dispatch(name, input, context);
      } catch (error) {
        if (error instanceof DeskFailure) return { ok: false, error: { code: error.code, message: error.message } };
        logger.error('command failed', { command: name, error });
        return { ok: false, error: { code: 'internal', message: `${name} failed inside the desk; the details are in the log` } };
      } finally {
        inFlight -= 1;
        if (inFlight === 0 && drained) {
          drained();
          drained = null;
        }
      }
    },

    subscribe: (listener) => bus.subscribe(listener),
  };
}

interface Debounced {
  refresh(): void;
  cancel(): void;
}

/** Runs `work` at most once per `ms`, after the latest request; errors go to `onError`. */
function debounced(ms: number, work: () => Promise<void>, onError: (error: unknown) => void): Debounced {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let cancelled = false;
  return {
    refresh() {
      if (timer || cancelled) return;
      timer = setTimeout(() => {
        timer = null;
        if (!cancelled) work().catch(onError);
      }, ms);
      timer.unref?.();
    },
    cancel() {
      cancelled = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
