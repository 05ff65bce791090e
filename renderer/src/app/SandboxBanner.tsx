import type { DeskStatus } from '../../../electron/core/contract';
import { WarningIcon } from './icons';

/** Shown on every page while the desk talks to the simulated network, so no one mistakes it for production. */
export function SandboxBanner({ network }: { network: DeskStatus['network'] }) {
  if (network.mode !== 'sandbox') return null;
  return (
    <div className="sandbox-banner" data-testid="sandbox-banner">
      <WarningIcon size={20} />
      <p>
        <strong>SANDBOX — the desk is connected to the simulated network; nothing reaches real customers.</strong>
        {network.reason !== '' && <span className="sandbox-reason">{network.reason}</span>}
      </p>
    </div>
  );
}
