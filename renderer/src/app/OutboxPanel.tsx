/**
 * The outbox: everything the desk sends or does on the platforms (closed-desk answers, replies,
 * likes), with where each stands: waiting, retrying (next try, last error), sent, failed (why),
 * cancelled. A supervisor can retry a failed or waiting item now, or cancel one not yet sent.
 * Live from outboxChanged events.
 */
import { useCallback, useEffect, useState } from 'react';
import type { OutboxItem } from '../../../electron/core/contract';
import { DeskCallError } from '../client/desk-client';
import { useDeskClient, useDeskEvents, useDeskSnapshot } from '../state/hooks';
import { formatDateTime, zoneFormatOf } from './format';

const SHOWN = 30;

const STATE_LABEL: Record<OutboxItem['state'], { label: string; tone: 'ok' | 'warn' | 'danger' | 'neutral' | 'info' }> = {
  pending: { label: 'Waiting', tone: 'info' },
  sending: { label: 'Sending…', tone: 'info' },
  retrying: { label: 'Retrying', tone: 'warn' },
  sent: { label: 'Sent', tone: 'ok' },
  failed: { label: 'Failed', tone: 'danger' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
};

const ORIGIN_LABEL: Record<OutboxItem['origin'], string> = {
  agent: 'Agent',
  'auto-reply': 'Auto-reply',
  'closed-desk': 'Closed-desk answer',
  'auto-like': 'Automatic like',
  system: 'Desk',
};

function describeAction(item: OutboxItem): string {
  const action = item.action;
  const text = 'text' in action && typeof action.text === 'string' ? action.text : null;
  const what = action.kind.replace(/^(x|facebook|messenger)\./, '').replace(/-/g, ' ');
  return text === null ? what : `${what}: ${text}`;
}

export function OutboxPanel() {
  const client = useDeskClient();
  const { status } = useDeskSnapshot();
  const zone = zoneFormatOf(status);
  const [items, setItems] = useState<OutboxItem[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    client.listOutbox({ limit: SHOWN }).then(
      (page) => live && setItems(page.items),
      (error: unknown) => live && setProblem(error instanceof DeskCallError ? error.message : 'The outbox could not be read.'),
    );
    return () => {
      live = false;
    };
  }, [client]);

  useDeskEvents(
    useCallback((events) => {
      const changed = events.flatMap((event) => (event.type === 'outboxChanged' ? [event.payload] : []));
      if (changed.length === 0) return;
      setItems((current) => {
        const byId = new Map((current ?? []).map((item) => [item.id, item]));
        for (const item of changed) byId.set(item.id, item);
        return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, SHOWN);
      });
    }, []),
  );

  const act = async (what: 'retry' | 'cancel', item: OutboxItem): Promise<void> => {
    setProblem(null);
    try {
      const updated = what === 'retry' ? await client.retryOutboxItem({ id: item.id }) : await client.cancelOutboxItem({ id: item.id });
      setItems((current) => (current ?? []).map((old) => (old.id === updated.id ? updated : old)));
    } catch (error) {
      setProblem(error instanceof DeskCallError ? error.message : 'That did not work.');
    }
  };

  if (items === null) return <p className="card-pad muted">{problem ?? 'Reading the outbox…'}</p>;
  return (
    <div data-testid="outbox-panel">
      {problem && (
        <p className="card-pad inline-error" role="alert">
          {problem}
        </p>
      )}
      {items.length === 0 ? (
        <p className="card-pad muted">Nothing sent yet. Closed-desk answers, replies, likes and retweets appear here with where each stands.</p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="outbox-table">
            <thead>
              <tr>
                <th scope="col">Queued</th>
                <th scope="col">To</th>
                <th scope="col">What</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => {
                const state = STATE_LABEL[item.state];
                const waiting = item.state === 'pending' || item.state === 'retrying';
                return (
                  <tr key={item.id} data-testid="outbox-row" data-state={item.state}>
                    <td>{formatDateTime(item.createdAt, zone)}</td>
                    <td>
                      {item.contactName}
                      <div className="muted">{ORIGIN_LABEL[item.origin]}</div>
                    </td>
                    <td className="outbox-what">{describeAction(item)}</td>
                    <td>
                      <span className={`status-chip status-chip-${state.tone}`}>
                        <span className="status-chip-dot" aria-hidden="true" />
                        {state.label}
                      </span>
                      {item.state === 'retrying' && item.nextAttemptAt !== null && <div className="muted">next try {formatDateTime(item.nextAttemptAt, zone)}</div>}
                      {(item.reason ?? item.lastError) && item.state !== 'sent' && <div className="muted">{item.reason ?? item.lastError}</div>}
                    </td>
                    <td className="outbox-actions">
                      {(waiting || item.state === 'failed') && (
                        <button type="button" className="button button-secondary button-small" onClick={() => void act('retry', item)}>
                          {item.state === 'failed' ? 'Retry' : 'Try now'}
                        </button>
                      )}
                      {waiting && (
                        <button type="button" className="button button-ghost button-small" onClick={() => void act('cancel', item)}>
                          Cancel
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
