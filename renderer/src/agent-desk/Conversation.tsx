/**
 * One interaction as the agent works it: who the contact is, why it was routed here, the whole
 * history across platforms, reactions, and the reply composer.
 */
import type { RefObject } from 'react';
import type { Agent, CannedResponse, ConversationView, OutboxItem, Queue } from '../../../electron/core/contract';
import { Avatar, identityLabel } from '../app/ContactDrawer';
import { formatWhen, interactionStateLabels, messageKindLabels, platformLabels, type ZoneFormat } from '../app/format';
import { CheckIcon, InfoIcon, WarningIcon } from '../app/icons';
import { Composer } from './Composer';
import { RouteIcon, TransferIcon } from './icons';
import { Reactions } from './Reactions';
import { Thread } from './Thread';

function WhyHere({ view, agentId, queues, zone, now }: { view: ConversationView; agentId: number; queues: readonly Queue[]; zone: ZoneFormat; now: number }) {
  const { decision, entry, calendarOnArrival } = view.interaction;
  const mine = [...view.interaction.assignments].reverse().find((assignment) => assignment.agentId === agentId) ?? null;
  const queueId = entry?.queueId ?? mine?.queueId ?? null;
  const group = entry?.group ?? mine?.group ?? null;
  const queueName = queueId !== null ? (queues.find((queue) => queue.id === queueId)?.name ?? `queue ${queueId}`) : null;
  const where = queueName !== null ? `Queue “${queueName}”` : group !== null ? `Agent group “${group}”` : null;
  return (
    <div className="why-here" data-testid="why-here">
      <h3 className="why-title">
        <RouteIcon size={16} /> Why it is here
      </h3>
      <dl className="why-facts">
        <div>
          <dt>Rule</dt>
          <dd data-testid="why-rule">
            {decision === null ? (
              <span className="muted">No rule decision recorded (it arrived before the rules were wired).</span>
            ) : (
              <>
                <strong>{decision.rule.name}</strong>
                {decision.rule.isDefault && <span className="muted"> (the default rule)</span>}
                {decision.matchedKeywords.length > 0 && (
                  <span className="why-keywords">
                    {' '}
                    matched{' '}
                    {decision.matchedKeywords.map((keyword) => (
                      <span key={keyword} className="placeholder">
                        {keyword}
                      </span>
                    ))}
                  </span>
                )}
                <span className="why-explanation" data-testid="why-explanation">
                  {decision.explanation}
                </span>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Routed to you</dt>
          <dd data-testid="why-assignment">
            {mine === null ? (
              <span className="muted">Not assigned to you.</span>
            ) : (
              <>
                {where !== null && <strong>{where}: </strong>}
                {mine.explanation}
                <span className="muted">
                  {' '}
                  · offered {formatWhen(mine.offeredAt, now, zone)}
                  {mine.acceptedAt !== null && `, accepted ${formatWhen(mine.acceptedAt, now, zone)}`}
                  {mine.by === 'supervisor' && ', by a supervisor'}
                </span>
              </>
            )}
          </dd>
        </div>
        {decision !== null && (
          <div>
            <dt>Tone</dt>
            <dd>
              {decision.sentiment.label === 'positive' ? 'Positive' : decision.sentiment.label === 'negative' ? 'Negative' : 'Neutral'} ({decision.sentiment.score.toFixed(2)})
              {calendarOnArrival !== null && <span className="muted"> · desk {calendarOnArrival} when it arrived</span>}
            </dd>
          </div>
        )}
      </dl>
      {decision !== null && (decision.conditions.length > 0 || decision.notes.length > 0) && (
        <details className="why-more">
          <summary>How the rule matched</summary>
          <ul>
            {[...decision.conditions, ...decision.notes].map((line, index) => (
              <li key={index}>{line}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

export function Conversation({
  view,
  error,
  agent,
  agentId,
  deskName,
  zone,
  now,
  queues,
  canned,
  cannedError,
  held,
  offered,
  accepting,
  composerRef,
  titleRef,
  onAccept,
  onSent,
  onComplete,
  onTransfer,
  onManageCanned,
}: {
  view: ConversationView | null;
  error: string | null;
  agent: Agent | null;
  agentId: number;
  deskName: string;
  zone: ZoneFormat;
  now: number;
  queues: readonly Queue[];
  canned: CannedResponse[] | null;
  cannedError: string | null;
  /** Still on this agent's desk. */
  held: boolean;
  /** Offered and not yet accepted. */
  offered: boolean;
  accepting: boolean;
  composerRef: RefObject<HTMLTextAreaElement | null>;
  titleRef: RefObject<HTMLHeadingElement | null>;
  onAccept: () => void;
  onSent: (items: OutboxItem[], what: string) => void;
  onComplete: () => void;
  onTransfer: () => void;
  onManageCanned: () => void;
}) {
  if (view === null) {
    return (
      <section className="card conversation conversation-loading" aria-label="Conversation" data-testid="conversation">
        {error !== null ? (
          <p className="inline-error" role="alert" data-testid="conversation-error">
            <WarningIcon size={16} /> Could not open the conversation: {error}
          </p>
        ) : (
          <p className="muted">Opening the conversation…</p>
        )}
      </section>
    );
  }
  const message = view.interaction.message;
  const state = view.interaction.state;
  const completed = state === 'completed';
  const working = held && !completed;
  return (
    <section className="card conversation" aria-labelledby="conversation-title" data-testid="conversation" data-interaction-id={view.interaction.id}>
      <div className="conversation-head">
        <Avatar name={view.contact.displayName} />
        <div className="conversation-who">
          <h2 id="conversation-title" className="conversation-name" tabIndex={-1} ref={titleRef}>
            {view.contact.displayName}
          </h2>
          <div className="conversation-sub">
            <span className={`platform-badge platform-${message.platform}`}>{platformLabels[message.platform]}</span>
            <span>{messageKindLabels[message.kind]}</span>
            <span className={`interaction-chip interaction-${state}`} data-testid="conversation-state">
              {interactionStateLabels[state]}
            </span>
            <span className="identity-list">
              {view.contact.identities.map((identity) => (
                <span key={`${identity.platform}:${identity.platformUserId}`} className={`identity identity-${identity.platform}`}>
                  <span className="identity-platform">{platformLabels[identity.platform]}</span>
                  <span className="identity-handle">{identityLabel(identity)}</span>
                </span>
              ))}
            </span>
          </div>
        </div>
        {working && (
          <div className="conversation-actions">
            <button type="button" className="button button-secondary" onClick={onTransfer} aria-keyshortcuts="Alt+T" data-testid="open-transfer">
              <TransferIcon size={16} /> Transfer
            </button>
            <button type="button" className="button button-primary" onClick={onComplete} aria-keyshortcuts="Alt+C" data-testid="open-complete">
              <CheckIcon size={16} /> Complete…
            </button>
          </div>
        )}
      </div>

      {error !== null && (
        <p className="inline-error conversation-inline" role="alert">
          <WarningIcon size={16} /> Could not refresh the conversation: {error}
        </p>
      )}
      {!held && !completed && (
        <p className="notice conversation-inline" role="status" data-testid="not-held">
          <InfoIcon size={16} /> This interaction is no longer on your desk (it was given back, moved or transferred). You can read it; answering is for whoever holds it now.
        </p>
      )}
      {completed && (
        <p className="success-note conversation-inline" role="status" data-testid="completed-note">
          <CheckIcon size={16} /> Completed.
        </p>
      )}
      {held && offered && (
        <div className="notice conversation-inline" role="status">
          <InfoIcon size={16} />
          <p>
            {accepting ? 'Accepting…' : 'Offered to you and not accepted yet.'}{' '}
            {!accepting && (
              <button type="button" className="text-button" onClick={onAccept} data-testid="accept">
                Accept it
              </button>
            )}
          </p>
        </div>
      )}

      <WhyHere view={view} agentId={agentId} queues={queues} zone={zone} now={now} />
      <Thread view={view} zone={zone} now={now} />
      {working && <Reactions view={view} agentId={agentId} onDone={(item, what) => onSent([item], what)} />}
      {working && agent !== null && (
        <Composer
          key={view.interaction.id}
          view={view}
          agentId={agentId}
          agentName={agent.name}
          deskName={deskName}
          canned={canned}
          cannedError={cannedError}
          zone={zone}
          composerRef={composerRef}
          onSent={onSent}
          onManageCanned={onManageCanned}
        />
      )}
    </section>
  );
}
