/**
 * The agents at a glance: ready (with a free slot), busy (every slot full), not ready (why) or
 * offline, since when, and the work each holds against their capacity, public and private. An
 * agent's row opens the list of what they hold, each with why it went to them.
 */
import { Fragment, useEffect, useRef, useState } from 'react';
import type { Agent, WorkItem } from '../../../electron/core/contract';
import { DeskCallError } from '../client/desk-client';
import { platformLabels } from '../app/format';
import { useDeskClient } from '../state/hooks';
import { byPresence, formatWait, presenceLabels, presenceOf } from './model';

export function PresencePill({ agent }: { agent: Agent }) {
  const presence = presenceOf(agent);
  return (
    <span className={`presence presence-${presence}`} data-testid="agent-presence" data-presence={presence}>
      <span className="presence-dot" aria-hidden="true" />
      <span>
        {presenceLabels[presence]}
        {agent.state.state === 'not-ready' && <span className="presence-reason">: {agent.state.reason}</span>}
      </span>
    </span>
  );
}

export function LoadBar({ used, capacity, label }: { used: number; capacity: number; label: string }) {
  const share = capacity === 0 ? 0 : Math.min(1, used / capacity);
  const full = capacity > 0 && used >= capacity;
  return (
    <span className={`load${capacity === 0 ? ' load-none' : ''}`} data-testid={`load-${label}`}>
      <span className="load-text">
        <span className="visually-hidden">{label}: </span>
        {capacity === 0 ? 'none' : `${used} / ${capacity}`}
      </span>
      {capacity > 0 && (
        <span className="load-bar" aria-hidden="true">
          <span className={`load-fill${full ? ' load-fill-full' : ''}`} style={{ width: `${(share * 100).toFixed(0)}%` }} />
        </span>
      )}
    </span>
  );
}

/** What one agent holds now (listMyWork), read again at each pulse. */
function AgentWork({ agent, pulse, now, onOpen }: { agent: Agent; pulse: number; now: number; onOpen(interactionId: number): void }) {
  const client = useDeskClient();
  const [items, setItems] = useState<WorkItem[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const latest = useRef(0);
  useEffect(() => {
    const ask = ++latest.current;
    client.listMyWork({ agentId: agent.id }).then(
      (page) => {
        if (ask !== latest.current) return;
        setItems(page.items);
        setProblem(null);
      },
      (error: unknown) => ask === latest.current && setProblem(error instanceof DeskCallError ? error.message : 'Their work could not be read.'),
    );
  }, [client, agent.id, pulse]);
  useEffect(
    () => () => {
      latest.current += 1;
    },
    [],
  );
  if (items === null) return <p className="muted">{problem ?? 'Reading their work…'}</p>;
  if (items.length === 0) return <p className="muted">Holding nothing right now.</p>;
  return (
    <ul className="board-work" data-testid="agent-work">
      {items.map((item) => (
        <li key={item.interactionId}>
          <button type="button" className="board-work-item" onClick={() => onOpen(item.interactionId)} data-testid="agent-work-item">
            <span className={`platform-badge platform-${item.platform}`}>{platformLabels[item.platform]}</span>
            <span className="board-work-contact">{item.contactName}</span>
            <span className="board-work-text">{item.text}</span>
            <span className="board-work-state">
              {item.assignment.acceptedAt === null ? 'offered' : 'accepted'} {formatWait(Math.max(0, now - (item.assignment.acceptedAt ?? item.assignment.offeredAt)))} ago
            </span>
            <span className="board-work-why" data-testid="agent-work-why">
              {item.assignment.explanation}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export interface AgentsBoardProps {
  readonly agents: readonly Agent[];
  readonly now: number;
  readonly readAt: number;
  /** Grows when routing changed: open lists of work read again. */
  readonly pulse: number;
  onOpen(interactionId: number): void;
}

export function AgentsBoard({ agents, now, readAt, pulse, onOpen }: AgentsBoardProps) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  if (agents.length === 0) {
    return (
      <p className="table-empty" data-testid="agents-board-empty">
        <span>
          No agents yet. Add them on the <a href="#/agents">Agents</a> page.
        </span>
      </p>
    );
  }
  const sorted = [...agents].sort(byPresence);
  const elapsed = Math.max(0, now - readAt);
  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <div className="table-scroll">
      <table className="table board-table" data-testid="agents-board">
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">State</th>
            <th scope="col">Public threads</th>
            <th scope="col">Private chats</th>
            <th scope="col">Groups</th>
            <th scope="col">
              <span className="visually-hidden">Work held</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((agent) => {
            const holding = agent.load.public + agent.load.private;
            const expanded = open.has(agent.id);
            return (
              <Fragment key={agent.id}>
                <tr data-testid="board-row" data-agent={agent.name}>
                  <th scope="row" className="board-name">
                    {agent.name}
                  </th>
                  <td>
                    <PresencePill agent={agent} />
                    <span className="board-since muted">for {formatWait(Math.max(0, readAt - agent.stateSince) + elapsed)}</span>
                  </td>
                  <td>
                    <LoadBar used={agent.load.public} capacity={agent.capacity.public} label="public" />
                  </td>
                  <td>
                    <LoadBar used={agent.load.private} capacity={agent.capacity.private} label="private" />
                  </td>
                  <td>
                    {agent.groups.length === 0 ? (
                      <span className="muted">—</span>
                    ) : (
                      <span className="chip-row">
                        {agent.groups.map((g) => (
                          <span key={g} className="chip">
                            {g}
                          </span>
                        ))}
                      </span>
                    )}
                  </td>
                  <td className="row-actions">
                    {(holding > 0 || expanded) && (
                      <button type="button" className="button button-ghost button-small" aria-expanded={expanded} onClick={() => toggle(agent.id)} data-testid="board-show-work">
                        {expanded ? 'Hide work' : `Show work (${holding})`}
                      </button>
                    )}
                  </td>
                </tr>
                {expanded && (
                  <tr className="board-work-row">
                    <td colSpan={6}>
                      <AgentWork agent={agent} pulse={pulse} now={now} onOpen={onOpen} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
