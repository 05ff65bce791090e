import type { DeskStatus } from '../../../electron/core/contract';

const labels: Record<DeskStatus['deskState']['state'], string> = {
  open: 'Open',
  closed: 'Closed',
  emergency: 'Emergency',
};

export function DeskStatePill({ deskState }: { deskState: DeskStatus['deskState'] }) {
  return (
    <span className={`state-pill state-${deskState.state}`} data-testid="desk-state" title={deskState.reason}>
      <span className="state-dot" aria-hidden="true" />
      {labels[deskState.state]}
    </span>
  );
}
