/**
 * The seam between a connector and the desk. A connector turns its platform's payloads into
 * the inbound message shape (ingest/inbound.ts) and hands them to `host.ingest` together with
 * the cursor that delivered them; the host stores both in one transaction. It reports what it
 * is doing through `host.report`, which the console shows.
 */
import type { Clock } from '../clock';
import type { ConnectorName, ConnectorStatus } from '../contract';
import type { IngestOutcome, IngestSource } from '../ingest/ingest';
import type { Logger } from '../logger';

export interface ConnectorHost {
  clock: Clock;
  logger: Logger;
  /** Stores a batch exactly once and moves the cursor with it (one transaction). */
  ingest(payloads: readonly unknown[], source: IngestSource): Promise<IngestOutcome>;
  readCursor(connector: string, stream: string): Promise<string | null>;
  /** A change of what the console shows for this connector; fields not named stay as they were. */
  report(connector: ConnectorName, patch: Partial<Omit<ConnectorStatus, 'connector'>>): void;
}

export interface Connector {
  readonly name: ConnectorName;
  /** Begins polling/streaming; resolves once the first cycle is scheduled (not when it ends). */
  start(): Promise<void>;
  /** Stops and waits for an in-flight batch to finish storing. */
  stop(): Promise<void>;
  /** Poll now (the console's "check now", and tests). Resolves when the cycle has stored what it found. */
  pollNow(): Promise<void>;
}
