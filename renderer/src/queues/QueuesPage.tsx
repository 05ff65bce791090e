/**
 * Queues: a tile per queue and agent group (waiting, oldest wait, service level today, agents),
 * waiting per queue over the last hours, the waiting list (with the whole story of each item and a
 * supervisor's move), the agents board, and queue administration. Live: routing and interaction
 * events bring a fresh read a few times a second at most, whatever the traffic.
 */
import { useCallback, useId, useMemo, useState } from 'react';
import type { WaitingItem } from '../../../electron/core/contract';
import { formatDateTime, zoneFormatOf } from '../app/format';
import { ChartIcon, PeopleIcon, QueuesIcon, SettingsIcon, WarningIcon } from '../app/icons';
import { pageInfo } from '../pages/catalog';
import { PageHeader } from '../pages/PageHeader';
import { useDeskSnapshot, useNow } from '../state/hooks';
import { AgentsBoard } from './AgentsBoard';
import { InteractionDetails } from './InteractionDetails';
import { seriesColours, tileKey, type TileKey } from './model';
import { QueueSetup } from './QueueSetup';
import { QueueTiles } from './QueueTiles';
import { useRouting, useRoutingStore } from './routing-store';
import { WaitingChart } from './WaitingChart';
import { WaitingList } from './WaitingList';
import './queues.css';

export function QueuesPage() {
  const { view, error, pulse } = useRouting();
  const store = useRoutingStore();
  const { status, clockOffsetMs } = useDeskSnapshot();
  const now = useNow(clockOffsetMs);
  const zone = zoneFormatOf(status);
  const ids = useId();
  const [selected, setSelected] = useState<TileKey | null>(null);
  const [open, setOpen] = useState<number | null>(null);

  // One colour per queue or group, the same on the chart whatever the order of its series.
  const colourOf = useMemo(() => {
    const keys = (view?.snapshot ?? []).map(tileKey);
    return (key: string) => {
      const index = keys.indexOf(key as TileKey);
      return seriesColours[(index < 0 ? keys.length + key.length : index) % seriesColours.length] ?? '#1f5fbf';
    };
  }, [view?.snapshot]);

  const skillNames = useMemo(() => {
    const names = new Set<string>();
    for (const agent of view?.agents ?? []) for (const skill of Object.keys(agent.skills)) names.add(skill);
    for (const queue of view?.queues ?? []) for (const need of queue.skills) names.add(need.skill);
    return [...names].sort();
  }, [view]);

  const onOpen = useCallback((item: WaitingItem) => setOpen(item.entry.interactionId), []);
  const header = <PageHeader page={pageInfo('queues')} />;

  if (view === null) {
    return (
      <>
        {header}
        {error !== null ? (
          <p className="inline-error" role="alert">
            <WarningIcon size={16} /> Could not read the queues: {error}
          </p>
        ) : (
          <p className="muted">Reading the queues…</p>
        )}
      </>
    );
  }

  const selectedTile = selected === null ? null : (view.snapshot.find((t) => tileKey(t) === selected) ?? null);
  const readAt = view.now;

  return (
    <>
      {header}
      {error !== null && (
        <p className="inline-error" role="alert">
          <WarningIcon size={16} /> The latest read failed ({error}); showing what was read before.
        </p>
      )}

      <section className="card" aria-labelledby={`${ids}-tiles`} data-testid="queues-card">
        <div className="card-header">
          <QueuesIcon size={18} />
          <h2 id={`${ids}-tiles`} className="card-title">
            Now
          </h2>
          <p className="card-header-note">Select a queue or group to list only its work.</p>
        </div>
        <QueueTiles tiles={view.snapshot} readAt={readAt} now={now} selected={selectedTile === null ? null : selected} onSelect={setSelected} />
        {view.heldUntilOpen.count > 0 && (
          <p className="held-until-open" data-testid="held-until-open">
            <strong>{view.heldUntilOpen.count}</strong> held until the desk reopens
            {view.heldUntilOpen.oldestAt !== null && <> (the oldest since {formatDateTime(view.heldUntilOpen.oldestAt, zone)})</>}: each customer
            had the closed-desk answer, and the work enters its queue when the desk opens.
          </p>
        )}
      </section>

      <section className="card" aria-labelledby={`${ids}-chart`}>
        <div className="card-header">
          <ChartIcon size={18} />
          <h2 id={`${ids}-chart`} className="card-title">
            Waiting over the last hours
          </h2>
        </div>
        <div className="card-pad">
          <WaitingChart zone={zone} colourOf={colourOf} />
        </div>
      </section>

      <section className="card" aria-labelledby={`${ids}-waiting`} data-testid="waiting-card">
        <div className="card-header">
          <h2 id={`${ids}-waiting`} className="card-title">
            {selectedTile === null ? 'Waiting everywhere' : `Waiting in ${selectedTile.name}`}
          </h2>
          {selectedTile !== null && (
            <button type="button" className="button button-ghost button-small" onClick={() => setSelected(null)} data-testid="waiting-show-all">
              Show all
            </button>
          )}
          <p className="card-header-note">In the order they will be taken: given back first, then priority, then age. Bars fill toward the service-level target.</p>
        </div>
        <WaitingList selected={selectedTile === null ? null : selected} queues={view.queues} pulse={pulse} now={now} onOpen={onOpen} />
      </section>

      <section className="card" aria-labelledby={`${ids}-board`}>
        <div className="card-header">
          <PeopleIcon size={18} />
          <h2 id={`${ids}-board`} className="card-title">
            Agents
          </h2>
          <p className="card-header-note">
            Change agents and their state on the <a href="#/agents">Agents</a> page
          </p>
        </div>
        <AgentsBoard agents={view.agents} now={now} readAt={readAt} pulse={pulse} onOpen={setOpen} />
      </section>

      <section className="card" aria-labelledby={`${ids}-setup`} data-testid="queue-setup">
        <div className="card-header">
          <SettingsIcon size={18} />
          <h2 id={`${ids}-setup`} className="card-title">
            Queue setup
          </h2>
        </div>
        <QueueSetup queues={view.queues} skillNames={skillNames} onSaved={() => store.changed()} />
      </section>

      <InteractionDetails interactionId={open} view={view} zone={zone} now={now} pulse={pulse} onMoved={() => store.changed()} onClose={() => setOpen(null)} />
    </>
  );
}
