/**
 * The feed's list: a small virtual list with a fixed row height. However many items the feed
 * holds, only the rows in view (plus a few either side) exist in the DOM, and a row already on
 * screen is not rendered again when a batch arrives — it only moves.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { FeedItem } from '../../../electron/core/contract';
import { useContactDrawer } from '../app/contact-drawer';
import {
  formatDateTime,
  formatTime,
  interactionStateLabels,
  isoInstant,
  messageKindLabels,
  platformLabels,
  type ZoneFormat,
} from '../app/format';
import { LockIcon, OutboundIcon, WarningIcon } from '../app/icons';
import { LinkifiedText } from '../app/LinkifiedText';
import type { FeedSnapshot, FeedStore } from '../state/feed-store';

export const ROW_HEIGHT = 88;
const OVERSCAN = 4;
const FOOTER_HEIGHT = 64;
/** Scrolled further than this from the newest message, the list stops moving under the reader. */
const PAUSE_AFTER_PX = 24;
/** How close to the end "load older" starts, in rows. */
const LOAD_OLDER_WITHIN = 15;

const dayFormatters = new Map<string, Intl.DateTimeFormat>();
function dayKey(ms: number, zone: ZoneFormat): string {
  let format = dayFormatters.get(zone.timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-GB', { timeZone: zone.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      format = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
    }
    dayFormatters.set(zone.timeZone, format);
  }
  return format.format(ms);
}

interface RowProps {
  item: FeedItem;
  index: number;
  setSize: number;
  zone: ZoneFormat;
  today: string;
  onOpen: (contactId: number) => void;
}

const FeedRow = memo(function FeedRow({ item, index, setSize, zone, today, onOpen }: RowProps) {
  const whoId = `feed-${item.messageId}-who`;
  const inbound = item.direction === 'inbound';
  const when = dayKey(item.createdAt, zone) === today ? formatTime(item.createdAt, zone) : formatDateTime(item.createdAt, zone);
  const state = item.interactionState;
  return (
    <article
      className={`feed-row feed-row-${item.direction}`}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)`, height: ROW_HEIGHT }}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      aria-labelledby={whoId}
      data-testid="feed-row"
      data-message-id={item.messageId}
      onClick={(event) => {
        // A click anywhere on the row opens the contact, unless the reader is selecting text.
        if ((event.target as HTMLElement).closest('button') !== null) return;
        if ((window.getSelection()?.toString() ?? '') !== '') return;
        onOpen(item.contactId);
      }}
    >
      <div className="feed-row-meta">
        <span className={`platform-badge platform-${item.platform}`} data-testid="feed-channel">
          {platformLabels[item.platform]}
        </span>
        <button
          type="button"
          id={whoId}
          className="feed-contact"
          data-testid="feed-contact"
          title={`Open ${item.contactName}’s history`}
          onClick={() => onOpen(item.contactId)}
        >
          {item.contactName}
        </button>
        {item.handle !== null && (
          <span className="feed-handle" data-testid="feed-handle">
            @{item.handle.replace(/^@/, '')}
          </span>
        )}
        <span className="feed-kind" data-testid="feed-kind">
          {messageKindLabels[item.kind]}
        </span>
        {!inbound && (
          <span className="feed-tag">
            <OutboundIcon size={13} /> Outbound
          </span>
        )}
        {item.visibility === 'private' && (
          <span className="feed-tag">
            <LockIcon size={13} /> Private
          </span>
        )}
        <span className="feed-row-end">
          {state !== null ? (
            <span className={`interaction-chip interaction-${state}`} data-testid="feed-state">
              {interactionStateLabels[state]}
            </span>
          ) : (
            <span className="interaction-chip interaction-none" data-testid="feed-state">
              {inbound ? 'No interaction' : 'Sent by the desk'}
            </span>
          )}
          <time className="feed-time" dateTime={isoInstant(item.createdAt)} title={formatDateTime(item.createdAt, zone)} data-testid="feed-time">
            {when}
          </time>
        </span>
      </div>
      <p className="feed-text" data-testid="feed-text">
        <LinkifiedText text={item.text} />
      </p>
    </article>
  );
});

export interface FeedListProps {
  feed: FeedStore;
  snapshot: FeedSnapshot;
  zone: ZoneFormat;
  now: number;
  /** Changes when the list should jump back to the newest message (a new filter). */
  resetKey: string;
  emptyText: string;
  labelledBy: string;
  id: string;
}

export function FeedList({ feed, snapshot, zone, now, resetKey, emptyText, labelledBy, id }: FeedListProps) {
  const viewportRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const { openContact } = useContactDrawer();

  useLayoutEffect(() => {
    const viewport = viewportRef.current;
    if (viewport === null) return undefined;
    setHeight(viewport.clientHeight);
    const observer = new ResizeObserver(() => setHeight(viewport.clientHeight));
    observer.observe(viewport);
    return () => observer.disconnect();
  }, []);

  // A new filter is a new list: start at its newest message.
  useLayoutEffect(() => {
    const viewport = viewportRef.current;
    if (viewport !== null) viewport.scrollTop = 0;
    setScrollTop(0);
  }, [resetKey]);

  // Resumed (the "N new" button): back to the top, where the new messages are.
  const paused = snapshot.paused;
  useLayoutEffect(() => {
    const viewport = viewportRef.current;
    if (!paused && viewport !== null && viewport.scrollTop > PAUSE_AFTER_PX) {
      viewport.scrollTop = 0;
      setScrollTop(0);
    }
  }, [paused]);

  const onScroll = useCallback(() => {
    const viewport = viewportRef.current;
    if (viewport === null) return;
    const top = viewport.scrollTop;
    setScrollTop(top);
    feed.setPaused(top > PAUSE_AFTER_PX);
  }, [feed]);

  const size = snapshot.size;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(size, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);

  const { hasOlder, loadingOlder, olderError, status } = snapshot;
  useEffect(() => {
    if (status === 'ready' && hasOlder && !loadingOlder && olderError === null && last >= size - LOAD_OLDER_WITHIN) void feed.loadOlder();
  }, [feed, status, hasOlder, loadingOlder, olderError, last, size]);

  const today = dayKey(now, zone);
  // A live feed's length is never final: -1 is ARIA's "unknown", and it keeps rows from re-rendering as it grows.
  const setSize = -1;
  const rows = [];
  for (let index = first; index < last; index += 1) {
    const item = feed.at(index);
    if (item === undefined) break;
    rows.push(<FeedRow key={item.messageId} item={item} index={index} setSize={setSize} zone={zone} today={today} onOpen={openContact} />);
  }

  let footer: ReactNode = null;
  if (status === 'ready' && size > 0) {
    if (olderError !== null) {
      footer = (
        <p className="inline-error">
          <WarningIcon size={16} /> {olderError}{' '}
          <button type="button" className="button button-secondary button-small" onClick={() => void feed.loadOlder()}>
            Try again
          </button>
        </p>
      );
    } else if (hasOlder || loadingOlder) {
      footer = <p className="muted">Loading older messages…</p>;
    } else if (snapshot.truncated) {
      footer = <p className="muted">Older messages are not kept in this view. Open a contact to read their whole history.</p>;
    } else {
      footer = <p className="muted">Beginning of the feed</p>;
    }
  }

  return (
    <div
      ref={viewportRef}
      id={id}
      className="feed-viewport"
      onScroll={onScroll}
      role="tabpanel"
      aria-labelledby={labelledBy}
      tabIndex={0}
      data-testid="feed-viewport"
    >
      {status === 'loading' && size === 0 && <p className="feed-empty">Reading the feed…</p>}
      {status === 'failed' && (
        <div className="feed-empty">
          <p className="inline-error" role="alert">
            <WarningIcon size={16} /> Could not read the feed: {snapshot.error}
          </p>
          <button type="button" className="button button-secondary" onClick={() => void feed.reload()}>
            Try again
          </button>
        </div>
      )}
      {status === 'ready' && size === 0 && <p className="feed-empty">{emptyText}</p>}
      <div
        className="feed"
        role="feed"
        aria-busy={status === 'loading' || loadingOlder}
        aria-label="Messages, newest first"
        data-testid="feed"
        data-size={size}
        style={{ height: size * ROW_HEIGHT + (footer === null ? 0 : FOOTER_HEIGHT) }}
      >
        {rows}
      </div>
      {footer !== null && (
        <div className="feed-footer" style={{ transform: `translateY(${size * ROW_HEIGHT}px)` }} data-testid="feed-footer">
          {footer}
        </div>
      )}
    </div>
  );
}
