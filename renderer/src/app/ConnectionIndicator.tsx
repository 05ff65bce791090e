import type { ConnectionState } from '../client/desk-client';

const text: Record<ConnectionState, { label: string; detail: string }> = {
  connecting: { label: 'Connecting…', detail: 'Opening the live event stream to the desk.' },
  live: { label: 'Live', detail: 'Connected to the desk; changes appear as they happen.' },
  reconnecting: { label: 'Reconnecting…', detail: 'The live event stream dropped; retrying. What you see may be out of date.' },
  unauthorized: { label: 'Signed out', detail: 'The desk no longer accepts this console link.' },
};

export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  const { label, detail } = text[state];
  return (
    <span className={`connection connection-${state}`} role="status" title={detail} data-testid="connection">
      <span className="connection-dot" aria-hidden="true" />
      <span>{label}</span>
      <span className="visually-hidden">. {detail}</span>
    </span>
  );
}
