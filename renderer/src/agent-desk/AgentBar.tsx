/**
 * Who is at this workstation, and whether they take work: ready, not ready (with a reason) or
 * offline. The choice of agent is remembered on this machine; the state is the desk's.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { Agent, AgentState } from '../../../electron/core/contract';
import { formatWhen, type ZoneFormat } from '../app/format';
import { WarningIcon } from '../app/icons';
import { useDeskClient } from '../state/hooks';
import { errorText } from './data';
import { BellIcon, KeyboardIcon } from './icons';
import { askNotificationPermission, useNotificationPermission } from './Notifier';
import { setAgentId } from './session';

const REASONS = ['Break', 'Lunch', 'Meeting', 'Training', 'Admin work'] as const;
const OTHER = '__other__';

function stateLabel(state: AgentState): string {
  if (state.state === 'ready') return 'Ready';
  if (state.state === 'offline') return 'Offline';
  return `Not ready (${state.reason})`;
}

export function AgentBar({
  agents,
  agentsError,
  agentId,
  agent,
  onAgentChanged,
  onShowShortcuts,
  zone,
  now,
}: {
  agents: readonly Agent[] | null;
  agentsError: string | null;
  agentId: number | null;
  agent: Agent | null;
  onAgentChanged: (agent: Agent) => void;
  onShowShortcuts: () => void;
  zone: ZoneFormat;
  now: number;
}) {
  const client = useDeskClient();
  const ids = useId();
  const permission = useNotificationPermission();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [askingReason, setAskingReason] = useState(false);
  const [reason, setReason] = useState<string>(REASONS[0]);
  const [otherReason, setOtherReason] = useState('');
  const reasonRef = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    setError(null);
    setAskingReason(false);
  }, [agentId]);

  useEffect(() => {
    if (askingReason) reasonRef.current?.focus();
  }, [askingReason]);

  const current = agent ?? agents?.find((candidate) => candidate.id === agentId) ?? null;
  const unknownAgent = agentId !== null && agents !== null && !agents.some((candidate) => candidate.id === agentId);

  const change = async (state: AgentState): Promise<void> => {
    if (agentId === null) return;
    setBusy(true);
    setError(null);
    try {
      onAgentChanged(await client.setAgentState({ agentId, state }));
      setAskingReason(false);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  const notReady = (): void => {
    const text = reason === OTHER ? otherReason.trim() : reason;
    if (text === '') {
      setError('Say why you are not ready.');
      return;
    }
    void change({ state: 'not-ready', reason: text });
  };

  const stateName = current?.state.state ?? null;

  return (
    <section className="card agent-bar" aria-label="Agent at this workstation" data-testid="agent-bar">
      <div className="agent-bar-row">
        <div className="field agent-pick">
          <label htmlFor={`${ids}-agent`}>You are</label>
          <select
            id={`${ids}-agent`}
            value={agentId === null || unknownAgent ? '' : String(agentId)}
            data-testid="agent-select"
            disabled={agents === null || agents.length === 0}
            onChange={(event) => setAgentId(event.target.value === '' ? null : Number(event.target.value))}
          >
            <option value="">{agents === null ? 'Reading agents…' : agents.length === 0 ? 'No agents yet' : 'Choose yourself…'}</option>
            {agents?.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name}
              </option>
            ))}
          </select>
        </div>

        {current !== null && (
          <div className="agent-state" role="group" aria-labelledby={`${ids}-state-label`}>
            <span className="field-label" id={`${ids}-state-label`}>
              State
            </span>
            <div className="my-state-buttons">
              <button
                type="button"
                className="my-state-button my-state-button-ready"
                aria-pressed={stateName === 'ready'}
                disabled={busy}
                data-testid="state-ready"
                onClick={() => void change({ state: 'ready' })}
              >
                <span className="my-state-button-dot" aria-hidden="true" /> Ready
              </button>
              <button
                type="button"
                className="my-state-button my-state-button-not-ready"
                aria-pressed={stateName === 'not-ready'}
                aria-expanded={askingReason}
                disabled={busy}
                data-testid="state-not-ready"
                onClick={() => setAskingReason((open) => !open)}
              >
                <span className="my-state-button-dot" aria-hidden="true" /> Not ready…
              </button>
              <button
                type="button"
                className="my-state-button my-state-button-offline"
                aria-pressed={stateName === 'offline'}
                disabled={busy}
                data-testid="state-offline"
                onClick={() => void change({ state: 'offline' })}
              >
                <span className="my-state-button-dot" aria-hidden="true" /> Offline
              </button>
            </div>
            <p className="agent-state-line" data-testid="agent-state">
              {stateLabel(current.state)} since {formatWhen(current.stateSince, now, zone)}
            </p>
          </div>
        )}

        {current !== null && (
          <dl className="agent-facts">
            <div>
              <dt>Public threads</dt>
              <dd>
                {current.load.public} of {current.capacity.public}
              </dd>
            </div>
            <div>
              <dt>Private chats</dt>
              <dd>
                {current.load.private} of {current.capacity.private}
              </dd>
            </div>
          </dl>
        )}

        <div className="agent-bar-end">
          {permission === 'default' && (
            <button type="button" className="button button-secondary button-small" data-testid="notifications-on" onClick={() => void askNotificationPermission()}>
              <BellIcon size={16} /> Desktop notifications
            </button>
          )}
          {permission === 'denied' && (
            <span className="agent-bar-note" title="Notifications are blocked for this console; new work still shows here as a notice.">
              <BellIcon size={14} /> Desktop notifications blocked
            </span>
          )}
          <button type="button" className="button button-ghost button-small" onClick={onShowShortcuts} data-testid="shortcuts-button" aria-keyshortcuts="?">
            <KeyboardIcon size={16} /> Shortcuts <kbd>?</kbd>
          </button>
        </div>
      </div>

      {askingReason && current !== null && (
        <form
          className="reason-form"
          onSubmit={(event) => {
            event.preventDefault();
            notReady();
          }}
          data-testid="not-ready-form"
        >
          <div className="field">
            <label htmlFor={`${ids}-reason`}>Why not ready</label>
            <select id={`${ids}-reason`} ref={reasonRef} value={reason} onChange={(event) => setReason(event.target.value)} data-testid="not-ready-reason">
              {REASONS.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
              <option value={OTHER}>Other…</option>
            </select>
          </div>
          {reason === OTHER && (
            <div className="field">
              <label htmlFor={`${ids}-other`}>Reason</label>
              <input id={`${ids}-other`} type="text" maxLength={200} value={otherReason} onChange={(event) => setOtherReason(event.target.value)} autoComplete="off" />
            </div>
          )}
          <button type="submit" className="button button-primary" disabled={busy}>
            Set not ready
          </button>
          <button type="button" className="button button-secondary" onClick={() => setAskingReason(false)}>
            Cancel
          </button>
          <p className="field-hint reason-hint">Offers not yet accepted go back to the queue; work you accepted stays with you.</p>
        </form>
      )}

      {agents !== null && agents.length === 0 && (
        <p className="agent-bar-message muted">No agents exist yet. A supervisor adds agents (name, skills, groups, capacity) on the Agents page.</p>
      )}
      {unknownAgent && <p className="agent-bar-message muted">The agent this workstation remembered no longer exists. Choose who you are.</p>}
      {agentId === null && agents !== null && agents.length > 0 && <p className="agent-bar-message muted">Choose who you are: this workstation remembers it.</p>}
      {agentsError !== null && agents === null && (
        <p className="inline-error agent-bar-error" role="alert">
          <WarningIcon size={16} /> Could not read the agents: {agentsError}
        </p>
      )}
      {error !== null && (
        <p className="inline-error agent-bar-error" role="alert" data-testid="agent-state-error">
          <WarningIcon size={16} /> {error}
        </p>
      )}
    </section>
  );
}
