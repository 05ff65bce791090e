/**
 * The interactions in routing (all, or the selected queue or group), in the order they will be
 * taken, each with an age bar against its service-level target (red past it), the channel, the
 * contact and the start of the text. Opening one shows its whole story.
 */
import { useEffect, useRef, useState } from 'react';
import type { MessageKind, Queue, WaitingItem } from '../../../electron/core/contract';
import { DeskCallError } from '../client/desk-client';
import { formatCount, messageKindLabels, platformLabels } from '../app/format';
import { useDeskClient } from '../state/hooks';
import { DEFAULT_SERVICE_LEVEL } from '../../../electron/core/contract';
import { formatSpan, formatWait, placeName, type TileKey } from './model';

const SHOWN = 100;

export interface WaitingListProps {
  readonly selected: TileKey | null;
  readonly queues: readonly Queue[];
  /** Grows when routing changed: read again. */
  readonly pulse: number;
  readonly now: number;
  onOpen(item: WaitingItem): void;
}

type Loaded = { key: string; items: WaitingItem[]; total: number };

function inputFor(selected: TileKey | null): { queueId?: number; group?: string; limit: number } {
  if (selected === null) return { limit: SHOWN };
  if (selected.startsWith('queue:')) return { queueId: Number(selected.slice('queue:'.length)), limit: SHOWN };
  return { group: selected.slice('group:'.length), limit: SHOWN };
}

export function kindLabel(kind: string): string {
  return (messageKindLabels as Record<string, string>)[kind] ?? kind;
}

/** Reads the list for the selection, again at each pulse; never two reads at once. */
function useWaiting(selected: TileKey | null, pulse: number): { loaded: Loaded | null; problem: string | null } {
  const client = useDeskClient();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const mounted = useRef(false);
  const busy = useRef(false);
  const again = useRef(false);
  const want = useRef<TileKey | null>(selected);
  want.current = selected;

  const read = useRef<() => void>(() => undefined);
  read.current = () => {
    if (busy.current) {
      // A read is on its way: one more follows it, for whatever is wanted by then.
      again.current = true;
      return;
    }
    busy.current = true;
    again.current = false;
    const key = want.current;
    client
      .listWaiting(inputFor(key))
      .then(
        (page) => {
          if (!mounted.current) return;
          setLoaded({ key: key ?? 'all', items: page.items, total: page.total });
          setProblem(null);
        },
        (error: unknown) => mounted.current && setProblem(error instanceof DeskCallError ? error.message : 'The waiting list could not be read.'),
      )
      .finally(() => {
        busy.current = false;
        if (mounted.current && again.current) read.current();
      });
  };

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(() => read.current(), [client, selected, pulse]);

  return { loaded, problem };
}

export function WaitingList({ selected, queues, pulse, now, onOpen }: WaitingListProps) {
  const { loaded, problem } = useWaiting(selected, pulse);
  const current = loaded !== null && loaded.key === (selected ?? 'all') ? loaded : null;

  if (current === null) {
    return problem !== null ? (
      <p className="card-pad inline-error" role="alert">
        {problem}
      </p>
    ) : (
      <p className="card-pad muted">Reading what waits…</p>
    );
  }
  if (current.items.length === 0) {
    return (
      <p className="table-empty" data-testid="waiting-empty">
        Nothing waits {selected === null ? 'anywhere' : 'here'} right now.
      </p>
    );
  }
  return (
    <div data-testid="waiting-list">
      {problem !== null && (
        <p className="card-pad inline-error" role="alert">
          {problem}
        </p>
      )}
      <ol className="waiting-list" aria-label={`${formatCount(current.total)} waiting, in the order they will be taken`}>
        {current.items.map((item) => {
          const entry = item.entry;
          const queue = entry.queueId === null ? null : (queues.find((q) => q.id === entry.queueId) ?? null);
          const target = queue?.serviceLevel.withinMs ?? null;
          const scale = target ?? DEFAULT_SERVICE_LEVEL.withinMs;
          const age = Math.max(0, now - entry.enteredAt);
          const over = target !== null && age > target;
          const share = Math.min(1, age / scale);
          const platform = item.platform;
          return (
            <li key={entry.interactionId}>
              <button type="button" className={`waiting-row${over ? ' waiting-row-late' : ''}`} onClick={() => onOpen(item)} data-testid="waiting-row" data-interaction={entry.interactionId}>
                <span className="waiting-channel">
                  <span className={`platform-badge platform-${platform}`}>{platformLabels[platform]}</span>
                  <span className="waiting-kind">{kindLabel(item.kind as MessageKind)}</span>
                </span>
                <span className="waiting-body">
                  <span className="waiting-contact">{item.contactName}</span>
                  <span className="waiting-text" data-testid="waiting-text">
                    {item.text}
                  </span>
                </span>
                <span className="waiting-where">
                  <span className="waiting-place">{placeName(entry, queues)}</span>
                  <span className="waiting-tags">
                    <span className="chip" title="Priority: 0 to 100, higher first">
                      P{entry.priority}
                    </span>
                    {entry.returned && <span className="chip chip-warn">Given back</span>}
                    {entry.overflowStep > 0 && <span className="chip">Overflow {entry.overflowStep}</span>}
                    {entry.assignedTo !== null && <span className="chip chip-info">With {item.agentName ?? `agent ${entry.assignedTo}`}</span>}
                  </span>
                </span>
                <span className="waiting-age">
                  <span className={`age-value${over ? ' age-late' : ''}`}>
                    {formatWait(age)}
                    {over && <span className="visually-hidden">, past the {formatSpan(scale)} target</span>}
                  </span>
                  <span className={`age-bar${target === null ? ' age-bar-untargeted' : ''}`} aria-hidden="true">
                    <span className={`age-fill${over ? ' age-fill-late' : share > 0.75 ? ' age-fill-near' : ''}`} style={{ width: `${(share * 100).toFixed(1)}%` }} />
                  </span>
                  <span className="age-target">{target === null ? 'no target' : `target ${formatSpan(target)}`}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ol>
      {current.total > current.items.length && (
        <p className="waiting-more muted">
          Showing the first {formatCount(current.items.length)} of {formatCount(current.total)}, in the order they will be taken.
        </p>
      )}
    </div>
  );
}
