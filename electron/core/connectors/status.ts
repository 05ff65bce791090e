/**
 * What a connector shows the console: one status object kept here, sent whole to
 * `host.report` on every change (the host and the transports coalesce).
 */
import type { ConnectorName, ConnectorStatus } from '../contract';
import type { IngestOutcome } from '../ingest/ingest';
import type { ConnectorHost } from './types';

export type StatusFields = Omit<ConnectorStatus, 'connector'>;

/** A status with nothing counted yet. */
export function freshStatus(state: StatusFields['state'], detail: string, mode: StatusFields['mode'] = 'poll'): StatusFields {
  return { state, detail, mode, backoffUntil: null, lastPollAt: null, lastError: null, received: 0, duplicatesSkipped: 0, badPayloads: 0, budget: null, backfill: null };
}

export class StatusBoard {
  private current: StatusFields;

  constructor(
    private readonly host: ConnectorHost,
    private readonly name: ConnectorName,
    initial: Pick<StatusFields, 'detail' | 'mode'>,
  ) {
    this.current = freshStatus('starting', initial.detail, initial.mode);
  }

  get value(): Readonly<StatusFields> {
    return this.current;
  }

  /** Counts what one stored batch did (rejections by ingest are bad payloads too). */
  count(outcome: IngestOutcome): void {
    this.current = {
      ...this.current,
      received: this.current.received + outcome.stored.length,
      duplicatesSkipped: this.current.duplicatesSkipped + outcome.duplicates,
      badPayloads: this.current.badPayloads + outcome.rejected.length,
    };
  }

  countBad(n: number): void {
    if (n > 0) this.current = { ...this.current, badPayloads: this.current.badPayloads + n };
  }

  /** Merges a change and reports the whole status, when something changed since the last report. */
  set(patch: Partial<StatusFields>): void {
    this.current = { ...this.current, ...patch };
    this.publish();
  }

  private lastPublished = '';

  publish(): void {
    const { state, detail, mode, backoffUntil, lastPollAt, lastError, received, duplicatesSkipped, badPayloads, budget, backfill } = this.current;
    const status: StatusFields = {
      state,
      detail,
      mode,
      backoffUntil,
      lastPollAt,
      lastError,
      received,
      duplicatesSkipped,
      badPayloads,
      budget: budget ? { ...budget } : null,
      backfill: backfill ? { ...backfill } : null,
    };
    const text = JSON.stringify(status);
    if (text === this.lastPublished) return;
    this.lastPublished = text;
    this.host.report(this.name, status);
  }
}
