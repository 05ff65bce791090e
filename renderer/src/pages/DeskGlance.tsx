/**
 * The desk at a glance: real numbers from getStatus, so the pages still to come are
 * not empty shells.
 */
import type { ReactNode } from 'react';
import type { DeskStatus } from '../../../electron/core/contract';
import { DeskStatePill } from '../app/DeskStatePill';
import { formatDateTime, formatDuration, zoneFormatOf, zoneLabel } from '../app/format';
import { ClockIcon, NetworkIcon, WarningIcon } from '../app/icons';
import { useDeskSnapshot, useNow } from '../state/hooks';

function StatCard({ label, children, detail }: { label: string; children: ReactNode; detail: string }) {
  return (
    <div className="card stat">
      <p className="stat-label">{label}</p>
      <div className="stat-value">{children}</div>
      <p className="stat-detail" title={detail}>
        {detail}
      </p>
    </div>
  );
}

export function DeskGlance({ status }: { status: DeskStatus }) {
  const { clockOffsetMs } = useDeskSnapshot();
  const now = useNow(clockOffsetMs);
  const zone = zoneFormatOf(status);
  return (
    <section className="stat-grid" aria-label="Desk at a glance">
      <StatCard label="Desk state" detail={status.deskState.reason}>
        <DeskStatePill deskState={status.deskState} />
      </StatCard>
      <StatCard label="Network" detail={status.network.reason}>
        <span className={`stat-network stat-network-${status.network.mode}`}>
          {status.network.mode === 'sandbox' ? <WarningIcon size={18} /> : <NetworkIcon size={18} />}
          {status.network.mode === 'sandbox' ? 'Sandbox' : 'Live platforms'}
        </span>
      </StatCard>
      <StatCard label="Desk time zone" detail={`${status.timeFormat === '24h' ? '24-hour' : '12-hour'} clock`}>
        <span className="stat-text">{zoneLabel(status.timeZone, now)}</span>
      </StatCard>
      <StatCard label="Running for" detail={`Since ${formatDateTime(status.startedAt, zone)}`}>
        <span className="stat-text">
          <ClockIcon size={18} /> {formatDuration(now - status.startedAt)}
        </span>
      </StatCard>
    </section>
  );
}
