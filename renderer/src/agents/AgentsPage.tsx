/**
 * Agents: who takes the work. Each agent's state (ready, not ready with a reason, offline) with
 * one click to change it, the work they hold against their capacity, their skills and groups,
 * and a dialog to create or change one. Live with the Queues page (one routing store).
 */
import { useId, useMemo, useState, type FormEvent } from 'react';
import type { Agent, AgentState } from '../../../electron/core/contract';
import { DeskCallError } from '../client/desk-client';
import { useDeskSnapshot, useNow } from '../state/hooks';
import { PencilIcon, PeopleIcon, PlusIcon, WarningIcon } from '../app/icons';
import { Modal } from '../calendar/Modal';
import { pageInfo } from '../pages/catalog';
import { PageHeader } from '../pages/PageHeader';
import { LoadBar, PresencePill } from '../queues/AgentsBoard';
import { formatWait } from '../queues/model';
import { useRouting, useRoutingStore } from '../queues/routing-store';
import { useDeskClient } from '../state/hooks';
import { AgentForm, agentDraftOf, type AgentDraft } from './AgentForm';
import '../queues/queues.css';
import './agents.css';

const REASONS = ['Break', 'Lunch', 'Meeting', 'Training', 'Coaching'] as const;

function NotReadyDialog({ agent, busy, problem, onConfirm, onClose }: { agent: Agent; busy: boolean; problem: string | null; onConfirm(reason: string): void; onClose(): void }) {
  const ids = useId();
  const [choice, setChoice] = useState<string>(REASONS[0]);
  const [other, setOther] = useState('');
  const reason = choice === 'other' ? other : choice;
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    onConfirm(reason);
  };
  return (
    <Modal
      open
      title={`${agent.name}: not ready`}
      busy={busy}
      testId="not-ready-dialog"
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form={`${ids}-form`} className="button button-primary" disabled={busy} data-testid="not-ready-confirm">
            {busy ? 'Saving…' : 'Set not ready'}
          </button>
        </>
      }
    >
      <form id={`${ids}-form`} className="form" onSubmit={submit} noValidate>
        <p className="modal-note">Offers not yet accepted go back to their queue; work already accepted stays with {agent.name}.</p>
        <fieldset className="field">
          <legend>Why</legend>
          <div className="radio-row">
            {REASONS.map((r) => (
              <label key={r} className="radio">
                <input type="radio" name={`${ids}-reason`} checked={choice === r} onChange={() => setChoice(r)} />
                {r}
              </label>
            ))}
            <label className="radio">
              <input type="radio" name={`${ids}-reason`} checked={choice === 'other'} onChange={() => setChoice('other')} />
              Other
            </label>
          </div>
        </fieldset>
        {choice === 'other' && (
          <div className="field">
            <label htmlFor={`${ids}-other`}>Reason</label>
            <input id={`${ids}-other`} type="text" value={other} maxLength={200} onChange={(e) => setOther(e.target.value)} data-testid="not-ready-reason" />
          </div>
        )}
        {problem !== null && (
          <p className="inline-error" role="alert">
            <WarningIcon size={16} /> <span>{problem}</span>
          </p>
        )}
      </form>
    </Modal>
  );
}

function StateButtons({ agent, busy, onSet, onNotReady }: { agent: Agent; busy: boolean; onSet(state: AgentState): void; onNotReady(): void }) {
  const current = agent.state.state;
  return (
    <div className="state-buttons" role="group" aria-label={`State of ${agent.name}`}>
      <button type="button" className="state-button state-button-ready" aria-pressed={current === 'ready'} disabled={busy} onClick={() => current !== 'ready' && onSet({ state: 'ready' })} data-testid="set-ready">
        Ready
      </button>
      <button type="button" className="state-button state-button-not-ready" aria-pressed={current === 'not-ready'} disabled={busy} onClick={onNotReady} data-testid="set-not-ready">
        Not ready…
      </button>
      <button type="button" className="state-button state-button-offline" aria-pressed={current === 'offline'} disabled={busy} onClick={() => current !== 'offline' && onSet({ state: 'offline' })} data-testid="set-offline">
        Offline
      </button>
    </div>
  );
}

export function AgentsPage() {
  const client = useDeskClient();
  const store = useRoutingStore();
  const { view, error } = useRouting();
  const { clockOffsetMs } = useDeskSnapshot();
  const now = useNow(clockOffsetMs);
  const ids = useId();
  const [editing, setEditing] = useState<AgentDraft | null>(null);
  const [busyAgent, setBusyAgent] = useState<number | null>(null);
  const [notReadyFor, setNotReadyFor] = useState<Agent | null>(null);
  const [notReadyProblem, setNotReadyProblem] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const skillNames = useMemo(() => {
    const names = new Set<string>();
    for (const agent of view?.agents ?? []) for (const skill of Object.keys(agent.skills)) names.add(skill);
    for (const queue of view?.queues ?? []) for (const need of queue.skills) names.add(need.skill);
    return [...names].sort();
  }, [view]);
  const agents = useMemo(() => [...(view?.agents ?? [])].sort((a, b) => a.name.localeCompare(b.name)), [view?.agents]);

  const setState = (agent: Agent, state: AgentState): Promise<boolean> => {
    setBusyAgent(agent.id);
    setProblem(null);
    return client.setAgentState({ agentId: agent.id, state }).then(
      (updated) => {
        setBusyAgent(null);
        store.acceptAgent(updated);
        setAnnouncement(`${updated.name} is now ${updated.state.state === 'not-ready' ? `not ready (${updated.state.reason})` : updated.state.state}.`);
        return true;
      },
      (err: unknown) => {
        setBusyAgent(null);
        const message = err instanceof DeskCallError ? err.message : 'The state did not change.';
        setProblem(`${agent.name}: ${message}`);
        setNotReadyProblem(message);
        return false;
      },
    );
  };

  const header = <PageHeader page={pageInfo('agents')} />;
  if (view === null) {
    return (
      <>
        {header}
        {error !== null ? (
          <p className="inline-error" role="alert">
            <WarningIcon size={16} /> Could not read the agents: {error}
          </p>
        ) : (
          <p className="muted">Reading the agents…</p>
        )}
      </>
    );
  }

  const readAt = view.now;
  const elapsed = Math.max(0, now - readAt);

  return (
    <>
      {header}
      <p className="visually-hidden" aria-live="polite" data-testid="agents-announce">
        {announcement}
      </p>
      <section className="card" aria-labelledby={`${ids}-agents`} data-testid="agents-card">
        <div className="card-header">
          <PeopleIcon size={18} />
          <h2 id={`${ids}-agents`} className="card-title">
            Agents
          </h2>
          <p className="card-header-note">A new agent starts offline. Ready agents with a free slot get work at once.</p>
          <button type="button" className="button button-primary button-small" onClick={() => setEditing(agentDraftOf(null))} data-testid="agent-new">
            <PlusIcon size={15} /> New agent
          </button>
        </div>
        {(problem !== null || error !== null) && (
          <p className="card-pad inline-error card-alert" role="alert" data-testid="agents-problem">
            <WarningIcon size={16} /> <span>{problem ?? `The latest read failed (${error}); showing what was read before.`}</span>
          </p>
        )}
        {agents.length === 0 ? (
          <p className="table-empty" data-testid="agents-empty">
            No agents yet. Create one with New agent: a name, skills, groups and how much they can hold at once.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="table agents-table" data-testid="agents-table">
              <thead>
                <tr>
                  <th scope="col">Agent</th>
                  <th scope="col">State</th>
                  <th scope="col">Set state</th>
                  <th scope="col">Holding</th>
                  <th scope="col">Skills and groups</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {agents.map((agent) => (
                  <tr key={agent.id} data-testid="agent-row" data-agent={agent.name}>
                    <th scope="row" className="board-name">
                      {agent.name}
                    </th>
                    <td>
                      <PresencePill agent={agent} />
                      <span className="board-since muted">for {formatWait(Math.max(0, readAt - agent.stateSince) + elapsed)}</span>
                    </td>
                    <td>
                      <StateButtons
                        agent={agent}
                        busy={busyAgent === agent.id}
                        onSet={(state) => void setState(agent, state)}
                        onNotReady={() => {
                          setNotReadyProblem(null);
                          setNotReadyFor(agent);
                        }}
                      />
                    </td>
                    <td>
                      <span className="load-pair">
                        <span className="load-label">Public</span>
                        <LoadBar used={agent.load.public} capacity={agent.capacity.public} label="public" />
                        <span className="load-label">Private</span>
                        <LoadBar used={agent.load.private} capacity={agent.capacity.private} label="private" />
                      </span>
                    </td>
                    <td>
                      <span className="skills-groups">
                        {Object.keys(agent.skills).length === 0 ? (
                          <span className="muted">No skills</span>
                        ) : (
                          <span className="chip-row" data-testid="agent-skills">
                            {Object.entries(agent.skills)
                              .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
                              .map(([skill, level]) => (
                                <span key={skill} className="chip skill-chip">
                                  {skill} <span className="skill-chip-level">{level}</span>
                                </span>
                              ))}
                          </span>
                        )}
                        {agent.groups.length > 0 && (
                          <span className="chip-row" data-testid="agent-groups">
                            {agent.groups.map((g) => (
                              <span key={g} className="chip group-chip">
                                {g}
                              </span>
                            ))}
                          </span>
                        )}
                      </span>
                    </td>
                    <td className="row-actions">
                      <button type="button" className="button button-ghost button-small" onClick={() => setEditing(agentDraftOf(agent))} aria-label={`Edit ${agent.name}`} data-testid="agent-edit">
                        <PencilIcon size={15} /> Edit
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {editing !== null && (
        <AgentForm
          initial={editing}
          skillNames={skillNames}
          groupNames={view.groups}
          onClose={() => setEditing(null)}
          onSaved={(agent) => {
            setEditing(null);
            store.acceptAgent(agent);
            setAnnouncement(`Agent ${agent.name} saved.`);
          }}
        />
      )}
      {notReadyFor !== null && (
        <NotReadyDialog
          agent={notReadyFor}
          busy={busyAgent === notReadyFor.id}
          problem={notReadyProblem}
          onClose={() => setNotReadyFor(null)}
          onConfirm={(reason) =>
            void setState(notReadyFor, { state: 'not-ready', reason }).then((ok) => {
              if (ok) setNotReadyFor(null);
            })
          }
        />
      )}
    </>
  );
}
