/**
 * The console's one client for the desk.
 *
 * Every command in the contract becomes a method with the contract's types
 * (`client.getStatus({})`, `client.updateSettings({ deskName })`). The transport underneath
 * is either Electron IPC or server mode's HTTP + WebSocket; this module does not care which.
 * Whatever comes back is validated against the contract before anyone sees it, so a desk
 * and console of different versions fail loudly at the boundary instead of deep in a page.
 *
 * DOM-free: the frame scheduler and the transport are injected.
 */
import {
  commandNames,
  commands,
  DeskEventSchema,
  describeIssues,
  EventBatch,
  resultSchema,
  type CommandInput,
  type CommandName,
  type CommandOutput,
  type DeskEvent,
  type ErrorCode,
} from '../../../electron/core/contract';
import { compactDeskEvents, EventCoalescer, type FrameScheduler } from './coalesce';

/** A refusal or failure from the desk, or a transport failure, with the desk's own code. */
export class DeskCallError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly command: CommandName | null = null,
  ) {
    super(message);
    this.name = 'DeskCallError';
  }
}

/**
 * - connecting: first contact not made yet
 * - live: events are flowing
 * - reconnecting: the event stream dropped; commands may still work, events are missed until it is back
 * - unauthorized: the desk rejected the token (a new desk launch mints a new one); retrying will not help
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

/** What a transport must provide. It moves unvalidated JSON; validation happens here. */
export interface DeskTransport {
  readonly kind: 'ipc' | 'server';
  /** Resolves with the raw `DeskResult` envelope; rejects with DeskCallError only when the desk could not be reached. */
  call(name: CommandName, input: unknown): Promise<unknown>;
  /** Raw event batches as they arrive. */
  onEvents(listener: (batch: unknown) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  connection(): ConnectionState;
  close(): void;
}

export type DeskCommands = {
  [N in CommandName]: (input: CommandInput<N>) => Promise<CommandOutput<N>>;
};

export type DeskEventListener = (events: readonly DeskEvent[]) => void;

export interface DeskClient extends DeskCommands {
  readonly transportKind: DeskTransport['kind'];
  /** Events, coalesced: at most one call per frame however many arrived. */
  subscribe(listener: DeskEventListener): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  connection(): ConnectionState;
  close(): void;
}

export interface DeskClientOptions {
  schedule: FrameScheduler;
  /** Where contract violations are reported; they are bugs, not user errors. */
  reportProblem?: (message: string) => void;
}

const resultSchemas = new Map<CommandName, ReturnType<typeof resultSchema>>();
function resultSchemaFor(name: CommandName): ReturnType<typeof resultSchema> {
  let schema = resultSchemas.get(name);
  if (schema === undefined) {
    schema = resultSchema(commands[name].output);
    resultSchemas.set(name, schema);
  }
  return schema;
}

/** Validates one command's raw envelope; returns the value or throws DeskCallError. */
export function unwrapResult<N extends CommandName>(name: N, raw: unknown): CommandOutput<N> {
  const parsed = resultSchemaFor(name).safeParse(raw);
  if (!parsed.success) {
    throw new DeskCallError(
      'internal',
      `The desk answered ${name} with data this console does not understand (${describeIssues(parsed.error)}).`,
      name,
    );
  }
  const result = parsed.data;
  if (!result.ok) throw new DeskCallError(result.error.code, result.error.message, name);
  return result.value as CommandOutput<N>;
}

/**
 * Validates a raw event batch. A batch that fails as a whole is salvaged event by event, so
 * one event this console does not know (a newer desk) does not hide the ones it does.
 */
export function parseEventBatch(raw: unknown): { events: DeskEvent[]; rejected: number } {
  const whole = EventBatch.safeParse(raw);
  if (whole.success) return { events: whole.data.events, rejected: 0 };
  const list: unknown =
    typeof raw === 'object' && raw !== null && 'events' in raw ? (raw as { events: unknown }).events : null;
  if (!Array.isArray(list)) return { events: [], rejected: 1 };
  const events: DeskEvent[] = [];
  let rejected = 0;
  for (const item of list as unknown[]) {
    const one = DeskEventSchema.safeParse(item);
    if (one.success) events.push(one.data);
    else rejected += 1;
  }
  return { events, rejected };
}

export function createDeskClient(transport: DeskTransport, options: DeskClientOptions): DeskClient {
  const listeners = new Set<DeskEventListener>();
  const report = options.reportProblem ?? (() => undefined);

  const coalescer = new EventCoalescer<DeskEvent>(
    options.schedule,
    (batch) => {
      for (const listener of [...listeners]) {
        try {
          listener(batch);
        } catch (error) {
          // One broken subscriber must not starve the others of events.
          report(`An event listener failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    },
    compactDeskEvents,
  );

  const stopEvents = transport.onEvents((raw) => {
    const { events, rejected } = parseEventBatch(raw);
    if (rejected > 0) report(`Ignored ${rejected} event(s) that do not match the contract.`);
    coalescer.push(events);
  });

  async function call<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>> {
    const raw = await transport.call(name, input);
    try {
      return unwrapResult(name, raw);
    } catch (error) {
      if (error instanceof DeskCallError && error.code === 'internal') report(error.message);
      throw error;
    }
  }

  const methods = {} as Record<CommandName, (input: never) => Promise<unknown>>;
  for (const name of commandNames) {
    methods[name] = (input: never) => call(name, input);
  }

  return Object.assign(methods as DeskCommands, {
    transportKind: transport.kind,
    subscribe(listener: DeskEventListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onConnection: (listener: (state: ConnectionState) => void) => transport.onConnection(listener),
    connection: () => transport.connection(),
    close(): void {
      stopEvents();
      listeners.clear();
      transport.close();
    },
  });
}
