/**
 * One interaction's whole story, in a dialog: the customer's message, what the rules decided and
 * why, the calendar when it arrived, where it waits, every offer to an agent with why that agent,
 * and its state history. A supervisor can move it to another queue, agent group or agent.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Agent, InteractionDetail, MoveTarget, RoutingView } from '../../../electron/core/contract';
import { DeskCallError } from '../client/desk-client';
import { formatDateTime, interactionStateLabels, platformLabels, type ZoneFormat } from '../app/format';
import { WarningIcon } from '../app/icons';
import { Modal } from '../calendar/Modal';
import { useDeskClient } from '../state/hooks';
import { DecisionFacts } from '../rules/DecisionFacts';
import { formatWait, placeName, presenceLabels, presenceOf } from './model';
import { kindLabel } from './WaitingList';

export interface InteractionDetailsProps {
  readonly interactionId: number | null;
  readonly view: RoutingView;
  readonly zone: ZoneFormat;
  readonly now: number;
  /** Grows when routing changed: read again while open. */
  readonly pulse: number;
  onMoved(): void;
  onClose(): void;
}

const calendarLabels = { open: 'Open', closed: 'Closed', emergency: 'Emergency' } as const;

function agentOption(agent: Agent): { label: string; enabled: boolean } {
  const presence = presenceOf(agent);
  const slots = `public ${agent.load.public}/${agent.capacity.public}, private ${agent.load.private}/${agent.capacity.private}`;
  if (agent.state.state === 'ready') return { label: `${agent.name} — ${presenceLabels[presence].toLowerCase()} (${slots})`, enabled: true };
  const why = agent.state.state === 'not-ready' ? `not ready: ${agent.state.reason}` : 'offline';
  return { label: `${agent.name} — ${why}`, enabled: false };
}

function targetOf(value: string): MoveTarget | null {
  const [kind, ...rest] = value.split(':');
  const id = rest.join(':');
  if (kind === 'queue') return { queueId: Number(id) };
  if (kind === 'group') return { group: id };
  if (kind === 'agent') return { agentId: Number(id) };
  return null;
}

function MoveForm({ detail, view, onMoved }: { detail: InteractionDetail; view: RoutingView; onMoved(): void }) {
  const client = useDeskClient();
  const ids = useId();
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const entry = detail.entry;
  const here = entry === null ? '' : entry.queueId !== null ? `queue:${entry.queueId}` : `group:${entry.group ?? ''}`;
  const agents = [...view.agents].sort((a, b) => Number(b.state.state === 'ready') - Number(a.state.state === 'ready') || a.name.localeCompare(b.name));

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const to = targetOf(target);
    if (to === null) {
      setResult({ ok: false, text: 'Choose where to move it.' });
      return;
    }
    setBusy(true);
    setResult(null);
    client.moveInteraction({ interactionId: detail.id, to }).then(
      (moved) => {
        setBusy(false);
        setTarget('');
        const where = moved.assignedTo !== null ? (view.agents.find((a) => a.id === moved.assignedTo)?.name ?? `agent ${moved.assignedTo}`) : placeName(moved, view.queues);
        setResult({ ok: true, text: `Moved to ${where}.` });
        onMoved();
      },
      (error: unknown) => {
        setBusy(false);
        setResult({ ok: false, text: error instanceof DeskCallError ? error.message : 'The move did not happen.' });
      },
    );
  };

  return (
    <form className="move-form" onSubmit={submit} noValidate aria-label="Move the interaction">
      <div className="field">
        <label htmlFor={`${ids}-to`}>Move to…</label>
        <select id={`${ids}-to`} value={target} onChange={(event) => setTarget(event.target.value)} data-testid="move-target">
          <option value="">Choose a queue, group or agent</option>
          <optgroup label="Queues">
            {view.queues.map((queue) => (
              <option key={queue.id} value={`queue:${queue.id}`} disabled={here === `queue:${queue.id}`}>
                {queue.name}
                {here === `queue:${queue.id}` ? ' (waits here now)' : ''}
              </option>
            ))}
          </optgroup>
          {view.groups.length > 0 && (
            <optgroup label="Agent groups">
              {view.groups.map((group) => (
                <option key={group} value={`group:${group}`} disabled={here === `group:${group}`}>
                  {group}
                  {here === `group:${group}` ? ' (waits here now)' : ''}
                </option>
              ))}
            </optgroup>
          )}
          {agents.length > 0 && (
            <optgroup label="Agents (offered at once)">
              {agents.map((agent) => {
                const option = agentOption(agent);
                return (
                  <option key={agent.id} value={`agent:${agent.id}`} disabled={!option.enabled || entry?.assignedTo === agent.id}>
                    {option.label}
                  </option>
                );
              })}
            </optgroup>
          )}
        </select>
        <p className="field-hint">A queue or group: it waits there from now. An agent: offered at once, skills not checked; they must be ready with a free slot.</p>
      </div>
      <div className="move-actions">
        <button type="submit" className="button button-primary" disabled={busy || target === ''} data-testid="move-submit">
          {busy ? 'Moving…' : 'Move'}
        </button>
        <div aria-live="polite">
          {result !== null &&
            (result.ok ? (
              <p className="form-status" data-testid="move-result">
                {result.text}
              </p>
            ) : (
              <p className="field-error" role="alert" data-testid="move-error">
                <WarningIcon size={15} /> {result.text}
              </p>
            ))}
        </div>
      </div>
    </form>
  );
}

export function InteractionDetails({ interactionId, view, zone, now, pulse, onMoved, onClose }: InteractionDetailsProps) {
  const client = useDeskClient();
  const [detail, setDetail] = useState<InteractionDetail | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  /** Only the latest read is shown: an older answer arriving late must not replace a newer one. */
  const latest = useRef(0);

  useEffect(() => {
    const ask = ++latest.current;
    if (interactionId === null) {
      setDetail(null);
      setProblem(null);
      return;
    }
    client.getInteraction({ interactionId }).then(
      (value) => {
        if (ask !== latest.current) return;
        setDetail(value);
        setProblem(null);
      },
      (error: unknown) => ask === latest.current && setProblem(error instanceof DeskCallError ? error.message : 'The interaction could not be read.'),
    );
  }, [client, interactionId, pulse]);

  // Closed or gone: answers still on their way are dropped.
  useEffect(
    () => () => {
      latest.current += 1;
    },
    [],
  );

  const shown = detail !== null && detail.id === interactionId ? detail : null;
  const title = shown === null ? 'Interaction' : `Interaction ${shown.id} · ${shown.contact.displayName}`;

  return (
    <Modal
      open={interactionId !== null}
      title={title}
      width="wide"
      testId="interaction-details"
      onClose={onClose}
      actions={
        <button type="button" className="button button-secondary" onClick={onClose}>
          Close
        </button>
      }
    >
      {shown === null ? (
        problem !== null ? (
          <p className="inline-error" role="alert">
            <WarningIcon size={16} /> {problem}
          </p>
        ) : (
          <p className="muted">Reading the interaction…</p>
        )
      ) : (
        <div className="details">
          <section className="details-section" aria-label="The message">
            <p className="details-meta">
              <span className={`platform-badge platform-${shown.message.platform}`}>{platformLabels[shown.message.platform]}</span>
              <span className="details-kind">{kindLabel(shown.message.kind)}</span>
              <span className={`interaction-chip interaction-${shown.state}`} data-testid="details-state">
                {interactionStateLabels[shown.state]}
              </span>
              <span className="muted">arrived {formatDateTime(shown.message.createdAt, zone)}</span>
            </p>
            <p className="template-bubble details-text" data-testid="details-text">
              {shown.message.text}
            </p>
          </section>

          <section className="details-section" aria-labelledby="details-rule">
            <h3 id="details-rule" className="details-title">
              Why it went here
            </h3>
            {shown.decision === null ? (
              <p className="muted">It arrived before the rules decided anything; no decision is stored.</p>
            ) : (
              <DecisionFacts decision={shown.decision} compact />
            )}
            <p className="details-line">
              <span className="muted">Calendar on arrival:</span>{' '}
              {shown.calendarOnArrival === null ? (
                <span className="muted">not recorded</span>
              ) : (
                <span className={`state-pill state-${shown.calendarOnArrival}`} data-testid="details-calendar">
                  <span className="state-dot" aria-hidden="true" />
                  {calendarLabels[shown.calendarOnArrival]}
                </span>
              )}
            </p>
          </section>

          <section className="details-section" aria-labelledby="details-where">
            <h3 id="details-where" className="details-title">
              Where it is
            </h3>
            {shown.entry === null ? (
              <p className="muted">Not in routing ({interactionStateLabels[shown.state].toLowerCase()}).</p>
            ) : (
              <p className="details-line" data-testid="details-entry">
                In <strong>{placeName(shown.entry, view.queues)}</strong> at priority {shown.entry.priority}; entered routing {formatWait(now - shown.entry.enteredAt)} ago
                {shown.entry.queueEnteredAt !== shown.entry.enteredAt && <> (here for {formatWait(now - shown.entry.queueEnteredAt)})</>}
                {shown.entry.overflowStep > 0 && <>; overflow step {shown.entry.overflowStep}</>}
                {shown.entry.returned && <>; given back, so it waits at the front</>}
                {shown.entry.assignedTo !== null && <>; with {view.agents.find((a) => a.id === shown.entry?.assignedTo)?.name ?? `agent ${shown.entry.assignedTo}`}</>}.
              </p>
            )}
          </section>

          {(shown.state === 'queued' || shown.state === 'assigned') && <MoveForm detail={shown} view={view} onMoved={onMoved} />}

          <section className="details-section" aria-labelledby="details-assignments">
            <h3 id="details-assignments" className="details-title">
              Offers to agents
            </h3>
            {shown.assignments.length === 0 ? (
              <p className="muted">Not offered to anyone yet.</p>
            ) : (
              <ol className="assignment-list" data-testid="details-assignments">
                {shown.assignments.map((a) => (
                  <li key={a.id} className="assignment">
                    <p className="assignment-head">
                      <strong>{a.agentName}</strong>
                      <span className="muted">
                        offered {formatDateTime(a.offeredAt, zone)}
                        {a.acceptedAt !== null && <> · accepted {formatDateTime(a.acceptedAt, zone)}</>}
                        {a.by === 'supervisor' && <> · moved by a supervisor</>}
                      </span>
                      {a.endedAt === null ? (
                        <span className="status-chip status-chip-info">{a.acceptedAt === null ? 'Offered' : 'Working'}</span>
                      ) : (
                        <span className="status-chip status-chip-neutral">{a.endReason === 'completed' ? 'Completed' : a.endReason === 'moved' ? 'Moved away' : 'Given back'}</span>
                      )}
                    </p>
                    <p className="assignment-why" data-testid="assignment-explanation">
                      {a.explanation}
                    </p>
                    {a.endDetail !== null && <p className="muted assignment-end">{a.endDetail}</p>}
                  </li>
                ))}
              </ol>
            )}
          </section>

          {shown.history.length > 0 && (
            <section className="details-section" aria-labelledby="details-history">
              <h3 id="details-history" className="details-title">
                History
              </h3>
              <ol className="state-history">
                {shown.history.map((h, i) => (
                  <li key={i}>
                    <span className="muted">{formatDateTime(h.at, zone)}</span>{' '}
                    {h.from === null ? interactionStateLabels[h.to] : `${interactionStateLabels[h.from]} → ${interactionStateLabels[h.to]}`}
                    <span className="muted">
                      {' '}
                      by {h.actor}
                      {h.reason !== null && `: ${h.reason}`}
                    </span>
                  </li>
                ))}
              </ol>
            </section>
          )}

        </div>
      )}
    </Modal>
  );
}
