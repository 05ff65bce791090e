/**
 * Every switch of emergency mode, newest first, from the audit log (action 'emergency.switched'):
 * who, when, on or off, and the message customers got. New switches appear as they happen.
 */
import { useEffect, useRef, useState } from 'react';
import type { AuditEntry } from '../../../electron/core/contract';
import { DeskCallError } from '../client/desk-client';
import { formatDateTime, isoInstant, type ZoneFormat } from '../app/format';
import { HistoryIcon, WarningIcon } from '../app/icons';
import { useDeskClient, useDeskEvents, useDeskSnapshot } from '../state/hooks';

const ACTION = 'emergency.switched';
const PAGE = 20;

type HistoryState =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; entries: AuditEntry[]; nextCursor: string | null; loadingOlder: boolean };

function merge(existing: readonly AuditEntry[], incoming: readonly AuditEntry[]): AuditEntry[] {
  const byId = new Map(existing.map((entry) => [entry.id, entry]));
  for (const entry of incoming) byId.set(entry.id, entry);
  return [...byId.values()].sort((a, b) => b.at - a.at || b.id - a.id);
}

function switchedOn(entry: AuditEntry): boolean {
  const on = entry.detail?.on;
  return typeof on === 'boolean' ? on : entry.subject === 'on';
}

function messageOf(entry: AuditEntry): string {
  const message = entry.detail?.message;
  return typeof message === 'string' ? message : '';
}

function errorText(error: unknown): string {
  return error instanceof DeskCallError ? error.message : 'Something went wrong while asking the desk.';
}

export function EmergencyHistory({ zone }: { zone: ZoneFormat }) {
  const client = useDeskClient();
  const { connection } = useDeskSnapshot();
  const [state, setState] = useState<HistoryState>({ kind: 'loading' });
  const wasLive = useRef(connection === 'live');
  const load = useRef(() => {});
  load.current = () => {
    client.readAuditLog({ action: ACTION, limit: PAGE }).then(
      (page) =>
        setState((previous) =>
          previous.kind === 'ready'
            ? { ...previous, entries: merge(previous.entries, page.entries) }
            : { kind: 'ready', entries: page.entries, nextCursor: page.nextCursor, loadingOlder: false },
        ),
      (error: unknown) => setState((previous) => (previous.kind === 'ready' ? previous : { kind: 'failed', message: errorText(error) })),
    );
  };

  useEffect(() => load.current(), [client]);
  useEffect(() => {
    if (connection === 'live' && !wasLive.current) load.current();
    wasLive.current = connection === 'live';
  }, [connection]);

  useDeskEvents((events) => {
    const switches = events.flatMap((event) => (event.type === 'auditAppended' && event.payload.action === ACTION ? [event.payload] : []));
    if (switches.length === 0) return;
    setState((previous) => (previous.kind === 'ready' ? { ...previous, entries: merge(previous.entries, switches) } : previous));
  });

  if (state.kind === 'loading') return <p className="muted card-pad">Loading the history…</p>;
  if (state.kind === 'failed') {
    return (
      <p className="inline-error card-pad" role="alert">
        <WarningIcon size={16} /> Could not read the history: {state.message}
      </p>
    );
  }
  if (state.entries.length === 0) {
    return (
      <div className="table-empty">
        <HistoryIcon size={24} />
        <p>Emergency mode has never been switched on. Every switch, on or off, will be listed here with who did it and when.</p>
      </div>
    );
  }

  const loadOlder = () => {
    if (state.nextCursor === null || state.loadingOlder) return;
    const before = state.nextCursor;
    setState({ ...state, loadingOlder: true });
    client.readAuditLog({ action: ACTION, before, limit: PAGE }).then(
      (page) =>
        setState((previous) =>
          previous.kind === 'ready' ? { ...previous, entries: merge(previous.entries, page.entries), nextCursor: page.nextCursor, loadingOlder: false } : previous,
        ),
      () => setState((previous) => (previous.kind === 'ready' ? { ...previous, loadingOlder: false } : previous)),
    );
  };

  return (
    <>
      <div className="table-scroll">
        <table className="table" data-testid="emergency-history">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Switched</th>
              <th scope="col">By</th>
              <th scope="col">Message customers got</th>
            </tr>
          </thead>
          <tbody>
            {state.entries.map((entry) => {
              const on = switchedOn(entry);
              return (
                <tr key={entry.id} data-testid="emergency-history-row">
                  <td className="nowrap">
                    <time dateTime={isoInstant(entry.at)}>{formatDateTime(entry.at, zone)}</time>
                  </td>
                  <td>
                    <span className={`switch-tag switch-tag-${on ? 'on' : 'off'}`}>{on ? 'On' : 'Off'}</span>
                  </td>
                  <td>{entry.actor}</td>
                  <td className="history-message">{on ? messageOf(entry) || <span className="muted">No message</span> : <span className="muted">—</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {state.nextCursor !== null && (
        <div className="card-footer">
          <button type="button" className="button button-secondary" onClick={loadOlder} disabled={state.loadingOlder}>
            {state.loadingOlder ? 'Loading…' : 'Load older switches'}
          </button>
        </div>
      )}
    </>
  );
}
