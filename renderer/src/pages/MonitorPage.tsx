/**
 * Monitor: the connectors at a glance and the live feed of everything arriving, per channel,
 * filterable, smooth however many messages it holds.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { MessageKind, Platform } from '../../../electron/core/contract';
import { ConnectorPanel } from '../app/ConnectorPanel';
import { OutboxPanel } from '../app/OutboxPanel';
import { formatCount, formatTime, kindsByPlatform, messageKindLabels, platformLabels, type ZoneFormat } from '../app/format';
import { ArrowUpIcon, MonitorIcon, PauseIcon, PlugIcon, SearchIcon } from '../app/icons';
import type { FeedFilter } from '../state/feed-store';
import { useDeskSnapshot, useFeedSnapshot, useFeedStore, useNow } from '../state/hooks';
import { pageInfo } from './catalog';
import { FeedList } from './FeedList';
import { PageHeader } from './PageHeader';

const TEXT_DEBOUNCE_MS = 300;
const channels: readonly (Platform | null)[] = [null, 'x', 'facebook', 'messenger'];
const platformOrder: readonly Platform[] = ['x', 'facebook', 'messenger'];

function ChannelTabs({
  value,
  counts,
  since,
  panelId,
  idPrefix,
  onChange,
}: {
  value: Platform | null;
  counts: Record<Platform, number>;
  since: string;
  panelId: string;
  idPrefix: string;
  onChange: (platform: Platform | null) => void;
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const total = counts.x + counts.facebook + counts.messenger;
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const current = channels.indexOf(value);
    let next: number;
    if (event.key === 'ArrowRight') next = (current + 1) % channels.length;
    else if (event.key === 'ArrowLeft') next = (current - 1 + channels.length) % channels.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = channels.length - 1;
    else return;
    event.preventDefault();
    onChange(channels[next] ?? null);
    refs.current[next]?.focus();
  };
  return (
    <div className="channel-tabs" role="tablist" aria-label="Channel" onKeyDown={onKeyDown}>
      {channels.map((channel, index) => {
        const selected = channel === value;
        const count = channel === null ? total : counts[channel];
        return (
          <button
            key={channel ?? 'all'}
            ref={(element) => {
              refs.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`${idPrefix}-tab-${channel ?? 'all'}`}
            aria-selected={selected}
            aria-controls={panelId}
            tabIndex={selected ? 0 : -1}
            className="channel-tab"
            data-testid={`channel-tab-${channel ?? 'all'}`}
            title={`${formatCount(count)} received since ${since}`}
            onClick={() => onChange(channel)}
          >
            {channel === null ? 'All' : platformLabels[channel]}
            <span className="channel-count" data-testid="channel-count">
              {formatCount(count)}
              <span className="visually-hidden"> received since {since}</span>
            </span>
          </button>
        );
      })}
    </div>
  );
}

function LiveState({ paused, pending, onResume }: { paused: boolean; pending: number; onResume: () => void }) {
  if (!paused) {
    return (
      <span className="feed-live" data-testid="feed-live">
        <span className="feed-live-dot" aria-hidden="true" />
        Following new messages
      </span>
    );
  }
  return (
    <button type="button" className="feed-paused" onClick={onResume} data-testid="feed-paused">
      <PauseIcon size={14} />
      <span>
        Paused — <strong>{formatCount(pending)}</strong> new
      </span>
      <span className="feed-paused-action">
        <ArrowUpIcon size={14} /> {pending > 0 ? 'Show' : 'Back to newest'}
      </span>
    </button>
  );
}

export function MonitorPage() {
  const feed = useFeedStore();
  const snapshot = useFeedSnapshot();
  const { status, clockOffsetMs } = useDeskSnapshot();
  const now = useNow(clockOffsetMs);
  const timeZone = status?.timeZone ?? 'UTC';
  const timeFormat = status?.timeFormat ?? '24h';
  // One object per zone, so the memoized rows do not all re-render on every tick.
  const zone = useMemo<ZoneFormat>(() => ({ timeZone, timeFormat }), [timeZone, timeFormat]);
  const ids = useId();
  const [text, setText] = useState(snapshot.filter.text);

  useEffect(() => feed.start(), [feed]);

  const filter = snapshot.filter;
  const update = (patch: Partial<FeedFilter>): void => feed.setFilter({ ...filter, ...patch });

  // Text is matched by the desk too: wait for a pause in typing before asking.
  useEffect(() => {
    if (text === filter.text) return undefined;
    const timer = setTimeout(() => feed.setFilter({ ...feed.getSnapshot().filter, text }), TEXT_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [feed, text, filter.text]);

  const kindChoices: readonly MessageKind[] = filter.platform === null ? platformOrder.flatMap((p) => kindsByPlatform[p]) : kindsByPlatform[filter.platform];
  const since = formatTime(snapshot.countingSince + clockOffsetMs, zone);
  const filtered = filter.platform !== null || filter.kind !== null || filter.text.trim() !== '';
  const panelId = `${ids}-feed`;

  return (
    <>
      <PageHeader page={pageInfo('monitor')} />
      <section className="card" aria-labelledby={`${ids}-connectors`}>
        <div className="card-header">
          <PlugIcon size={18} />
          <h2 id={`${ids}-connectors`} className="card-title">
            Connectors
          </h2>
          <p className="card-header-note">
            Details and accounts in <a href="#/settings">Settings</a>
          </p>
        </div>
        <ConnectorPanel variant="compact" />
      </section>
      <section className="card" aria-labelledby={`${ids}-outbox`}>
        <div className="card-header">
          <h2 id={`${ids}-outbox`} className="card-title">
            Outbox
          </h2>
          <p className="card-header-note">What the desk sends, and where each stands</p>
        </div>
        <OutboxPanel />
      </section>
      <section className="card feed-card" aria-labelledby={`${ids}-feed-title`} data-testid="feed-card">
        <div className="card-header">
          <MonitorIcon size={18} />
          <h2 id={`${ids}-feed-title`} className="card-title">
            Live feed
          </h2>
          <p className="feed-counting">Tab counts: messages received since {since}</p>
          <div className="feed-header-end" aria-live="polite">
            <LiveState paused={snapshot.paused} pending={snapshot.pendingCount} onResume={() => feed.setPaused(false)} />
          </div>
        </div>
        <div className="feed-toolbar">
          <ChannelTabs
            value={filter.platform}
            counts={snapshot.received}
            since={since}
            panelId={panelId}
            idPrefix={ids}
            onChange={(platform) =>
              update({ platform, kind: platform !== null && filter.kind !== null && !kindsByPlatform[platform].includes(filter.kind) ? null : filter.kind })
            }
          />
          <div className="feed-filters">
            <label className="visually-hidden" htmlFor={`${ids}-kind`}>
              Event type
            </label>
            <select
              id={`${ids}-kind`}
              className="select-compact"
              value={filter.kind ?? ''}
              data-testid="feed-kind-filter"
              onChange={(event) => update({ kind: event.target.value === '' ? null : (event.target.value as MessageKind) })}
            >
              <option value="">All event types</option>
              {filter.platform === null
                ? platformOrder.map((platform) => (
                    <optgroup key={platform} label={platformLabels[platform]}>
                      {kindsByPlatform[platform].map((kind) => (
                        <option key={kind} value={kind}>
                          {messageKindLabels[kind]}
                        </option>
                      ))}
                    </optgroup>
                  ))
                : kindChoices.map((kind) => (
                    <option key={kind} value={kind}>
                      {messageKindLabels[kind]}
                    </option>
                  ))}
            </select>
            <div className="feed-search">
              <label className="visually-hidden" htmlFor={`${ids}-text`}>
                Search message text
              </label>
              <SearchIcon size={15} className="feed-search-icon" />
              <input
                id={`${ids}-text`}
                type="search"
                autoComplete="off"
                spellCheck={false}
                maxLength={100}
                placeholder="Search message text"
                value={text}
                data-testid="feed-text-filter"
                onChange={(event) => setText(event.target.value)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') {
                    event.preventDefault();
                    feed.setFilter({ ...filter, text });
                  }
                }}
              />
            </div>
          </div>
        </div>
        <FeedList
          id={panelId}
          labelledBy={`${ids}-tab-${filter.platform ?? 'all'}`}
          feed={feed}
          snapshot={snapshot}
          zone={zone}
          now={now}
          resetKey={`${filter.platform ?? ''}|${filter.kind ?? ''}|${filter.text}`}
          emptyText={filtered ? 'No message matches these filters.' : 'No messages yet. They appear here as the connectors deliver them.'}
        />
      </section>
    </>
  );
}
