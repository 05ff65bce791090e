/**
 * What each connector is doing: a compact strip on Monitor, the full picture in Settings.
 * Every figure comes from the desk (getConnectors, then connectorChanged events).
 */
import type { ConnectorStatus } from '../../../electron/core/contract';
import { useConnectors } from '../state/connectors';
import { useDeskSnapshot, useNow } from '../state/hooks';
import { connectorLabels, formatCount, formatDateTime, formatDuration, formatTime, formatWhen, isoInstant, zoneFormatOf, type ZoneFormat } from './format';
import { WarningIcon } from './icons';

type Tone = 'ok' | 'warn' | 'danger' | 'neutral' | 'info';

function chipFor(status: ConnectorStatus, zone: ZoneFormat): { label: string; tone: Tone } {
  switch (status.state) {
    case 'running':
      return { label: 'Running', tone: 'ok' };
    case 'starting':
      return { label: 'Starting…', tone: 'info' };
    case 'backing-off':
      return { label: status.backoffUntil === null ? 'Backing off' : `Backing off until ${formatTime(status.backoffUntil, zone)}`, tone: 'warn' };
    case 'auth-error':
      return { label: 'Auth error', tone: 'danger' };
    case 'budget-exhausted':
      return { label: 'Budget exhausted', tone: 'danger' };
    case 'stopped':
      return { label: 'Stopped', tone: 'neutral' };
    case 'not-configured':
      return { label: 'Not configured', tone: 'neutral' };
  }
}

export function ConnectorChip({ status, zone }: { status: ConnectorStatus; zone: ZoneFormat }) {
  const { label, tone } = chipFor(status, zone);
  return (
    <span className={`status-chip status-chip-${tone}`} data-testid="connector-state">
      <span className="status-chip-dot" aria-hidden="true" />
      {label}
    </span>
  );
}

function budgetText(budget: NonNullable<ConnectorStatus['budget']>): string {
  const period = budget.period.trim();
  if (budget.unit === 'percent') return `${formatCount(Math.round(budget.used))}% of the platform’s allowance used${period === '' ? '' : ` (${period})`}`;
  return `${formatCount(budget.used)} of ${formatCount(budget.limit)} posts read${period === '' ? '' : ` (${period})`}`;
}

function BudgetBar({ budget }: { budget: NonNullable<ConnectorStatus['budget']> }) {
  const ratio = Math.max(0, Math.min(1, budget.used / budget.limit));
  const tone = ratio >= 0.95 ? 'danger' : ratio >= 0.8 ? 'warn' : 'ok';
  return (
    <div className="budget" data-testid="connector-budget">
      <div className="budget-bar" aria-hidden="true">
        <span className={`budget-fill budget-${tone}`} style={{ width: `${(ratio * 100).toFixed(1)}%` }} />
      </div>
      <span className="budget-text">{budgetText(budget)}</span>
    </div>
  );
}

function backfillText(backfill: NonNullable<ConnectorStatus['backfill']>, zone: ZoneFormat): string {
  const fetched = backfill.fetched === 1 ? '1 message' : `${formatCount(backfill.fetched)} messages`;
  const since = formatDateTime(backfill.since, zone);
  return backfill.active ? `In progress: ${fetched} fetched so far, back to ${since}` : `Done: ${fetched} fetched, back to ${since}`;
}

function Counters({ status }: { status: ConnectorStatus }) {
  return (
    <>
      <span>
        <strong>{formatCount(status.received)}</strong> received
      </span>
      <span>
        <strong>{formatCount(status.duplicatesSkipped)}</strong> duplicates skipped
      </span>
      <span className={status.badPayloads > 0 ? 'connector-bad' : undefined}>
        <strong>{formatCount(status.badPayloads)}</strong> bad payloads
      </span>
    </>
  );
}

function CompactConnector({ status, zone, now }: { status: ConnectorStatus; zone: ZoneFormat; now: number }) {
  return (
    <li className={`connector connector-${status.state}`} data-testid="connector" data-connector={status.connector}>
      <div className="connector-head">
        <span className="connector-name">{connectorLabels[status.connector]}</span>
        <ConnectorChip status={status} zone={zone} />
      </div>
      <p className="connector-detail" title={status.detail}>
        {status.detail}
      </p>
      <p className="connector-stats">
        <span>
          {status.lastPollAt === null ? (
            'Not polled yet'
          ) : (
            <>
              Last poll <time dateTime={isoInstant(status.lastPollAt)}>{formatWhen(status.lastPollAt, now, zone)}</time>
            </>
          )}
        </span>
        <Counters status={status} />
      </p>
      {status.budget !== null && <BudgetBar budget={status.budget} />}
      {status.backfill !== null && (
        <p className="connector-backfill">
          {status.backfill.active && <span className="spinner" aria-hidden="true" />}
          Backfill — {backfillText(status.backfill, zone)}
        </p>
      )}
    </li>
  );
}

function FullConnector({ status, zone, now }: { status: ConnectorStatus; zone: ZoneFormat; now: number }) {
  return (
    <li className={`connector-full connector-${status.state}`} data-testid="connector" data-connector={status.connector}>
      <div className="connector-full-head">
        <div className="connector-full-title">
          <span className="connector-name">{connectorLabels[status.connector]}</span>
          <ConnectorChip status={status} zone={zone} />
          {status.state !== 'not-configured' && <span className="connector-mode">{status.mode === 'stream' ? 'Filtered stream' : 'Polling'}</span>}
        </div>
        <p className="connector-detail-full">{status.detail}</p>
        {status.state === 'backing-off' && status.backoffUntil !== null && status.backoffUntil > now && (
          <p className="connector-note">Next attempt in {formatDuration(status.backoffUntil - now + 59_999)}.</p>
        )}
        {status.lastError !== null && status.state !== 'running' && (
          <p className="connector-error">
            <WarningIcon size={14} /> Last error: {status.lastError}
          </p>
        )}
      </div>
      <dl className="connector-facts">
        <div>
          <dt>Last poll</dt>
          <dd>
            {status.lastPollAt === null ? '—' : <time dateTime={isoInstant(status.lastPollAt)}>{formatWhen(status.lastPollAt, now, zone)}</time>}
          </dd>
        </div>
        <div>
          <dt>Received</dt>
          <dd>{formatCount(status.received)}</dd>
        </div>
        <div>
          <dt>Duplicates skipped</dt>
          <dd>{formatCount(status.duplicatesSkipped)}</dd>
        </div>
        <div title="Payloads skipped because they did not match the platform’s format">
          <dt>Bad payloads</dt>
          <dd className={status.badPayloads > 0 ? 'connector-bad' : undefined}>{formatCount(status.badPayloads)}</dd>
        </div>
        <div className="connector-facts-wide">
          <dt>Read budget</dt>
          <dd>{status.budget === null ? 'Not counted for this connector' : <BudgetBar budget={status.budget} />}</dd>
        </div>
        <div className="connector-facts-wide">
          <dt>Backfill</dt>
          <dd>
            {status.backfill === null ? (
              'Nothing to fetch from before the first connection'
            ) : (
              <span className="connector-backfill">
                {status.backfill.active && <span className="spinner" aria-hidden="true" />}
                {backfillText(status.backfill, zone)}
              </span>
            )}
          </dd>
        </div>
      </dl>
    </li>
  );
}

export function ConnectorPanel({ variant }: { variant: 'compact' | 'full' }) {
  const state = useConnectors();
  const { status, clockOffsetMs } = useDeskSnapshot();
  const now = useNow(clockOffsetMs);
  const zone = zoneFormatOf(status);
  if (state.kind === 'loading') return <p className="muted card-pad">Reading the connectors…</p>;
  if (state.kind === 'failed') {
    return (
      <p className="inline-error card-pad" role="alert">
        <WarningIcon size={16} /> Could not read the connectors: {state.message}
      </p>
    );
  }
  const Item = variant === 'compact' ? CompactConnector : FullConnector;
  return (
    <ul className={variant === 'compact' ? 'connector-strip' : 'connector-list'} data-testid="connector-panel">
      {state.connectors.map((connector) => (
        <Item key={connector.connector} status={connector} zone={zone} now={now} />
      ))}
    </ul>
  );
}
