/**
 * The agent's work, newest assigned first: channel, contact, what they wrote, how long they have
 * waited (ticking), and whether it is still an offer (opening it accepts it).
 */
import { memo } from 'react';
import type { WorkItem } from '../../../electron/core/contract';
import { messageKindLabels, platformLabels } from '../app/format';
import { WarningIcon } from '../app/icons';
import { useDeskSnapshot, useNow } from '../state/hooks';
import { InboxIcon } from './icons';
import { formatWait, spokenWait } from './time';

function Waiting({ since }: { since: number }) {
  const { clockOffsetMs } = useDeskSnapshot();
  const now = useNow(clockOffsetMs);
  const wait = now - since;
  return (
    <span className={`work-wait${wait >= 15 * 60_000 ? ' work-wait-long' : ''}`} data-testid="work-wait" title={`Waiting ${spokenWait(wait)}`}>
      {formatWait(wait)}
    </span>
  );
}

const WorkRow = memo(function WorkRow({
  item,
  selected,
  busy,
  error,
  onOpen,
  register,
}: {
  item: WorkItem;
  selected: boolean;
  busy: boolean;
  error: string | null;
  onOpen: (item: WorkItem) => void;
  register: (interactionId: number, element: HTMLButtonElement | null) => void;
}) {
  const offered = item.assignment.acceptedAt === null;
  const handle = item.handle === null ? null : `@${item.handle.replace(/^@/, '')}`;
  return (
    <li className="work-li">
      <button
        ref={(element) => register(item.interactionId, element)}
        type="button"
        className={`work-item${selected ? ' work-item-selected' : ''}${offered ? ' work-item-offered' : ''}`}
        aria-current={selected ? 'true' : undefined}
        aria-busy={busy || undefined}
        data-testid="work-item"
        data-interaction-id={item.interactionId}
        data-offered={offered ? 'true' : 'false'}
        onClick={() => onOpen(item)}
      >
        <span className="work-item-top">
          <span className={`platform-badge platform-${item.platform}`}>{platformLabels[item.platform]}</span>
          <span className="work-kind">{messageKindLabels[item.kind]}</span>
          <span className="work-item-end">
            <span className="visually-hidden">, waiting </span>
            <Waiting since={item.arrivedAt} />
          </span>
        </span>
        <span className="work-contact">
          <span className="work-name" data-testid="work-contact">
            {item.contactName}
          </span>
          {handle !== null && <span className="work-handle">{handle}</span>}
        </span>
        <span className="work-text">{item.text}</span>
        {offered && (
          <span className="work-offer" data-testid="work-offered">
            <span className="status-chip status-chip-info">
              <span className="status-chip-dot" aria-hidden="true" />
              {busy ? 'Accepting…' : 'New — open to accept'}
            </span>
          </span>
        )}
      </button>
      {error !== null && (
        <p className="inline-error work-error" role="alert" data-testid="work-error">
          <WarningIcon size={16} /> {error}
        </p>
      )}
    </li>
  );
});

export function WorkList({
  items,
  loaded,
  error,
  selectedId,
  accepting,
  openError,
  onOpen,
  register,
  agentChosen,
  ready,
}: {
  items: readonly WorkItem[];
  loaded: boolean;
  error: string | null;
  selectedId: number | null;
  accepting: number | null;
  openError: { interactionId: number; message: string } | null;
  onOpen: (item: WorkItem) => void;
  register: (interactionId: number, element: HTMLButtonElement | null) => void;
  agentChosen: boolean;
  ready: boolean;
}) {
  const offered = items.filter((item) => item.assignment.acceptedAt === null).length;
  return (
    <section className="card work-card" aria-labelledby="work-title" data-testid="work-list">
      <div className="card-header">
        <InboxIcon size={18} />
        <h2 id="work-title" className="card-title" tabIndex={-1}>
          My work
        </h2>
        <span className="chip" data-testid="work-count" aria-label={`${items.length} ${items.length === 1 ? 'item' : 'items'}${offered > 0 ? `, ${offered} new` : ''}`}>
          {items.length}
        </span>
        {offered > 0 && <span className="work-new-count">{offered} new</span>}
      </div>
      {error !== null && (
        <p className="inline-error work-list-error" role="alert">
          <WarningIcon size={16} /> Could not read your work: {error}
        </p>
      )}
      {!agentChosen ? (
        <p className="work-empty">Choose who you are above to see your work.</p>
      ) : !loaded ? (
        <p className="work-empty">Reading your work…</p>
      ) : items.length === 0 ? (
        <div className="work-empty" data-testid="work-empty">
          <InboxIcon size={28} />
          <p>{ready ? 'Nothing assigned to you right now. New work appears here as routing offers it.' : 'Nothing assigned to you. Set yourself Ready to receive work.'}</p>
        </div>
      ) : (
        <ul className="work-list" aria-label="Assigned to me, newest first">
          {items.map((item) => (
            <WorkRow
              key={item.interactionId}
              item={item}
              selected={item.interactionId === selectedId}
              busy={accepting === item.interactionId}
              error={openError?.interactionId === item.interactionId ? openError.message : null}
              onOpen={onOpen}
              register={register}
            />
          ))}
        </ul>
      )}
      <p className="work-hint">
        <kbd>J</kbd> / <kbd>K</kbd> next and previous · <kbd>?</kbd> all shortcuts
      </p>
    </section>
  );
}
