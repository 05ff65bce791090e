/**
 * One tile per queue and agent group: how many wait, the oldest wait (ticking), the service level
 * so far today against the target, and the agents who could take the work. A tile is a toggle:
 * pressed, the waiting list below shows only that queue or group.
 */
import type { QueueSnapshot } from '../../../electron/core/contract';
import { formatCount } from '../app/format';
import { formatSpan, formatWait, tileKey, type TileKey } from './model';

export interface QueueTilesProps {
  readonly tiles: readonly QueueSnapshot[];
  /** The desk's time when the tiles were read, and now: the oldest wait ticks in between. */
  readonly readAt: number;
  readonly now: number;
  readonly selected: TileKey | null;
  onSelect(key: TileKey | null): void;
}

function ServiceLevel({ tile }: { tile: QueueSnapshot }) {
  const target = tile.serviceLevelTarget;
  if (target === null) {
    return (
      <span className="tile-sl">
        <span className="tile-sl-label">Service level today</span>
        <span className="tile-sl-target">no target for an agent group</span>
      </span>
    );
  }
  const level = tile.serviceLevelToday;
  const met = level !== null && level >= target.percent;
  return (
    <span className="tile-sl">
      <span className="tile-sl-label">Service level today</span>
      <span className="tile-sl-line">
        {level === null ? (
          <span className="tile-sl-value tile-sl-empty" data-testid="tile-service-level">
            none yet
          </span>
        ) : (
          <span className={`tile-sl-value ${met ? 'tile-sl-met' : 'tile-sl-missed'}`} data-testid="tile-service-level">
            {Math.round(level)}%
          </span>
        )}
        <span className="tile-sl-target">
          target {target.percent}% in {formatSpan(target.withinMs)}
        </span>
      </span>
    </span>
  );
}

export function QueueTiles({ tiles, readAt, now, selected, onSelect }: QueueTilesProps) {
  if (tiles.length === 0) {
    return (
      <p className="card-pad muted" data-testid="queue-tiles-empty">
        No queues yet. Add one under Queue setup below; rules route work to queues by name.
      </p>
    );
  }
  const elapsed = Math.max(0, now - readAt);
  return (
    <ul className="tiles" data-testid="queue-tiles" aria-label="Queues and agent groups">
      {tiles.map((tile) => {
        const key = tileKey(tile);
        const pressed = selected === key;
        const oldest = tile.oldestWaitMs === null ? null : tile.oldestWaitMs + elapsed;
        const late = oldest !== null && tile.serviceLevelTarget !== null && oldest > tile.serviceLevelTarget.withinMs;
        return (
          <li key={key}>
            <button
              type="button"
              className={`tile${pressed ? ' tile-selected' : ''}${late ? ' tile-late' : ''}`}
              aria-pressed={pressed}
              onClick={() => onSelect(pressed ? null : key)}
              data-testid="queue-tile"
              data-tile={key}
            >
              <span className="tile-head">
                <span className="tile-name" data-testid="tile-name">
                  {tile.name}
                </span>
                <span className="tile-kind">{tile.queueId !== null ? 'Queue' : 'Agent group'}</span>
              </span>
              <span className="tile-main">
                <span className="tile-waiting">
                  <span className="tile-count" data-testid="tile-waiting">
                    {formatCount(tile.waiting)}
                  </span>
                  <span className="tile-count-label">waiting</span>
                </span>
                <span className={`tile-oldest${late ? ' tile-oldest-late' : ''}`}>
                  <span className="tile-oldest-label">Oldest</span>
                  <span className="tile-oldest-value" data-testid="tile-oldest">
                    {oldest === null ? '—' : formatWait(oldest)}
                  </span>
                </span>
              </span>
              <ServiceLevel tile={tile} />
              <span className="tile-agents" data-testid="tile-agents">
                <span className="tile-agent tile-agent-ready">
                  <strong>{tile.agentsReady}</strong> ready
                </span>
                <span className="tile-agent tile-agent-busy">
                  <strong>{tile.agentsBusy}</strong> busy
                </span>
                <span className="tile-agent tile-agent-away">
                  <strong>{tile.agentsNotReady}</strong> not ready
                </span>
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
