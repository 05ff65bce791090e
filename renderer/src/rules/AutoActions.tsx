/**
 * What the desk did by itself because of a rule (auto-likes, retweets, auto-replies), newest
 * first, with a one-click undo for a like or retweet (unlike / undo retweet through the outbox; one
 * not sent yet is cancelled). Follows outboxChanged events, a few reads a second at most.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AutoAction, OutboxItem } from '../../../electron/core/contract';
import { DeskCallError } from '../client/desk-client';
import { formatDateTime, platformLabels, type ZoneFormat } from '../app/format';
import { HeartIcon, UndoIcon, WarningIcon } from '../app/icons';
import { throttledRefresh } from '../queues/throttle';
import { useDeskClient, useDeskEvents } from '../state/hooks';

const PAGE = 25;

const stateWords: Record<OutboxItem['state'], { label: string; tone: string }> = {
  pending: { label: 'Waiting', tone: 'info' },
  sending: { label: 'Sending…', tone: 'info' },
  retrying: { label: 'Retrying', tone: 'warn' },
  sent: { label: 'Done', tone: 'ok' },
  failed: { label: 'Failed', tone: 'danger' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
};

function whatItDid(item: OutboxItem): string {
  switch (item.action.kind) {
    case 'x.like':
    case 'facebook.like':
      return 'Liked';
    case 'x.retweet':
      return 'Retweeted';
    case 'x.unlike':
    case 'facebook.unlike':
      return 'Unliked';
    case 'x.unretweet':
      return 'Undid a retweet';
    default:
      return 'text' in item.action ? `Replied: “${item.action.text}”` : item.action.kind;
  }
}

function undoState(undo: OutboxItem): { label: string; tone: string } {
  if (undo.state === 'sent') return { label: 'Undone', tone: 'neutral' };
  if (undo.state === 'failed') return { label: 'Undo failed', tone: 'danger' };
  if (undo.state === 'cancelled') return { label: 'Undo cancelled', tone: 'neutral' };
  return { label: 'Undoing…', tone: 'info' };
}

export function AutoActions({ zone }: { zone: ZoneFormat }) {
  const client = useDeskClient();
  const [items, setItems] = useState<AutoAction[] | null>(null);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [shown, setShown] = useState(PAGE);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  const reader = useMemo(
    () =>
      throttledRefresh(async () => {
        try {
          const page = await client.listAutoActions({ limit: Math.min(200, shown) });
          setItems(page.items);
          setNextBefore(page.nextBefore);
          setProblem(null);
        } catch (error) {
          setProblem(error instanceof DeskCallError ? error.message : 'The automatic actions could not be read.');
        }
      }, 1000),
    [client, shown],
  );
  useEffect(() => {
    reader.now();
    return () => reader.dispose();
  }, [reader]);

  useDeskEvents(
    useCallback(
      (events) => {
        // Any outbox change: an undo goes out as an ordinary outbox item of its own.
        if (events.some((e) => e.type === 'outboxChanged')) reader.request();
      },
      [reader],
    ),
  );

  const undo = (action: AutoAction): void => {
    setBusy(action.item.id);
    setProblem(null);
    client.undoAutoAction({ outboxItemId: action.item.id }).then(
      (updated) => {
        setBusy(null);
        setItems((current) => (current ?? []).map((a) => (a.item.id === updated.item.id ? updated : a)));
      },
      (error: unknown) => {
        setBusy(null);
        setProblem(error instanceof DeskCallError ? error.message : 'The undo did not happen.');
      },
    );
  };

  if (items === null) {
    return problem !== null ? (
      <p className="card-pad inline-error" role="alert">
        <WarningIcon size={16} /> {problem}
      </p>
    ) : (
      <p className="card-pad muted">Reading what the desk did…</p>
    );
  }
  return (
    <div data-testid="auto-actions">
      {problem !== null && (
        <p className="card-pad inline-error card-alert" role="alert">
          <WarningIcon size={16} /> <span>{problem}</span>
        </p>
      )}
      {items.length === 0 ? (
        <p className="table-empty">
          <HeartIcon size={18} /> Nothing yet. Likes, retweets and auto-replies the rules make appear here, each with an undo where the platform allows it.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="auto-actions-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">On</th>
                <th scope="col">Rule</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Undo</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => {
                const state = stateWords[a.item.state];
                return (
                  <tr key={a.item.id} data-testid="auto-action-row" data-kind={a.item.action.kind}>
                    <td className="nowrap">{formatDateTime(a.item.createdAt, zone)}</td>
                    <td className="auto-what">{whatItDid(a.item)}</td>
                    <td className="auto-on">
                      <span className="auto-on-head">
                        <span className={`platform-badge platform-${a.item.platform}`}>{platformLabels[a.item.platform]}</span> {a.item.contactName}
                      </span>
                      {a.messageText !== null && <span className="auto-message">{a.messageText}</span>}
                    </td>
                    <td>{a.ruleName ?? <span className="muted">—</span>}</td>
                    <td>
                      {a.undoneBy === null ? (
                        <span className={`status-chip status-chip-${state.tone}`} data-testid="auto-state">
                          <span className="status-chip-dot" aria-hidden="true" />
                          {state.label}
                        </span>
                      ) : (
                        <span className={`status-chip status-chip-${undoState(a.undoneBy).tone}`} data-testid="auto-undone">
                          <span className="status-chip-dot" aria-hidden="true" />
                          {undoState(a.undoneBy).label}
                        </span>
                      )}
                      {a.undoneBy !== null && a.undoneBy.state === 'failed' && a.undoneBy.reason !== null && <span className="auto-note">{a.undoneBy.reason}</span>}
                      {(a.item.state === 'failed' || a.item.state === 'cancelled') && a.item.reason !== null && <span className="auto-note">{a.item.reason}</span>}
                    </td>
                    <td className="row-actions">
                      {a.undoable && (
                        <button type="button" className="button button-secondary button-small" disabled={busy === a.item.id} onClick={() => undo(a)} data-testid="auto-undo">
                          <UndoIcon size={15} /> {busy === a.item.id ? 'Undoing…' : 'Undo'}
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
      {nextBefore !== null && shown < 200 && (
        <div className="card-footer">
          <span className="muted">Newest {items.length} shown.</span>
          <button type="button" className="button button-secondary button-small" onClick={() => setShown((n) => Math.min(200, n + PAGE))}>
            Show more
          </button>
        </div>
      )}
    </div>
  );
}
