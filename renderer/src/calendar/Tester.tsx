/**
 * "What happens at ...": a moment in the desk's zone, a kind of message and (optionally) the
 * sender's name go to the desk (whatHappensAt), which answers from the saved calendar and
 * emergency switch: open or closed, why, when it reopens, and the exact answer it would send.
 */
import { useId, useState, type FormEvent } from 'react';
import type { CommandOutput } from '../../../electron/core/contract';
import { DeskCallError } from '../client/desk-client';
import { GlobeIcon, InfoIcon, LockIcon, WarningIcon } from '../app/icons';
import { messageKindLabels, platformLabels } from '../app/format';
import { useDeskClient } from '../state/hooks';
import { instantOf, localDateTimeValue, parseLocalDateTime } from './zone';

type Decision = CommandOutput<'whatHappensAt'>;
type InboundKind = 'x.mention' | 'x.reply' | 'x.dm' | 'facebook.post' | 'facebook.comment' | 'facebook.reply' | 'messenger.message';

const KINDS: readonly InboundKind[] = ['x.mention', 'x.reply', 'x.dm', 'facebook.post', 'facebook.comment', 'facebook.reply', 'messenger.message'];

function kindLabel(kind: InboundKind): string {
  const platform = platformLabels[kind.startsWith('x.') ? 'x' : kind.startsWith('facebook.') ? 'facebook' : 'messenger'];
  return `${platform} · ${messageKindLabels[kind]}`;
}

const reasonLabels: Record<NonNullable<Decision['reason']>, string> = {
  emergency: 'Emergency mode is on',
  'special-day': 'Special day',
  'outside-hours': 'Outside the weekly hours',
};

function answerWhere(kind: InboundKind, visibility: 'public' | 'private'): string {
  if (kind.startsWith('x.')) return visibility === 'public' ? 'a public reply on X' : 'an X direct message';
  if (kind.startsWith('facebook.')) return visibility === 'public' ? 'a comment on the Page' : 'a private reply in Messenger';
  return 'a Messenger message';
}

type TesterState =
  | { kind: 'idle' }
  | { kind: 'asking' }
  | { kind: 'answered'; decision: Decision; asked: { kind: InboundKind; when: string } }
  | { kind: 'failed'; message: string };

export interface TesterProps {
  /** The saved calendar's zone: the desk answers from what is saved. */
  readonly zone: string;
  readonly now: number;
  /** The page has unsaved edits: the answer will not reflect them. */
  readonly dirty: boolean;
  readonly timeFormat: '24h' | '12h';
}

export function Tester({ zone, now, dirty, timeFormat }: TesterProps) {
  const client = useDeskClient();
  const ids = useId();
  const [when, setWhen] = useState(() => localDateTimeValue(now, zone));
  const [kind, setKind] = useState<InboundKind>('x.mention');
  const [contactName, setContactName] = useState('');
  const [state, setState] = useState<TesterState>({ kind: 'idle' });
  const [whenError, setWhenError] = useState<string | null>(null);

  const ask = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const wall = parseLocalDateTime(when);
    if (wall === null) {
      setWhenError('Choose a date and a time.');
      return;
    }
    setWhenError(null);
    const at = instantOf(wall, zone);
    const name = contactName.trim();
    setState({ kind: 'asking' });
    client.whatHappensAt({ at, kind, ...(name !== '' ? { contactName: name } : {}) }).then(
      (decision) => setState({ kind: 'answered', decision, asked: { kind, when } }),
      (error: unknown) => setState({ kind: 'failed', message: error instanceof DeskCallError ? error.message : 'Something went wrong while asking the desk.' }),
    );
  };

  return (
    <div className="tester">
      <form className="tester-form" onSubmit={ask} noValidate aria-label="What happens at">
        <div className="field">
          <label htmlFor={`${ids}-when`}>Date and time</label>
          <input
            id={`${ids}-when`}
            type="datetime-local"
            className="datetime-input"
            value={when}
            aria-invalid={whenError !== null || undefined}
            aria-describedby={`${ids}-when-hint${whenError !== null ? ` ${ids}-when-error` : ''}`}
            onChange={(event) => setWhen(event.target.value)}
            data-testid="tester-when"
          />
          <p className="field-hint" id={`${ids}-when-hint`}>
            In the desk’s zone, {zone}.
          </p>
          {whenError !== null && (
            <p className="field-error" id={`${ids}-when-error`}>
              <WarningIcon size={15} /> {whenError}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-kind`}>A message that is</label>
          <select id={`${ids}-kind`} value={kind} onChange={(event) => setKind(event.target.value as InboundKind)} data-testid="tester-kind">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-name`}>
            From <span className="optional-tag">optional</span>
          </label>
          <input
            id={`${ids}-name`}
            type="text"
            autoComplete="off"
            maxLength={100}
            placeholder="Contact name"
            value={contactName}
            onChange={(event) => setContactName(event.target.value)}
            data-testid="tester-contact"
          />
        </div>
        <div className="tester-submit">
          <button type="submit" className="button button-primary" disabled={state.kind === 'asking'} data-testid="tester-ask">
            {state.kind === 'asking' ? 'Asking…' : 'What happens?'}
          </button>
        </div>
      </form>
      {dirty && (
        <p className="tester-note">
          <InfoIcon size={16} /> The desk answers from the saved calendar: save to test your unsaved changes.
        </p>
      )}

      <div aria-live="polite" className="tester-result-region">
        {state.kind === 'failed' && (
          <p className="inline-error" role="alert">
            <WarningIcon size={16} /> {state.message}
          </p>
        )}
        {state.kind === 'answered' && <Verdict decision={state.decision} kind={state.asked.kind} zone={zone} timeFormat={timeFormat} />}
      </div>
    </div>
  );
}

/** "Monday 28 December 2026 at 09:00 (Europe/Paris)" */
function formatReopening(at: number, zone: string, timeFormat: '24h' | '12h'): string {
  try {
    const text = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: timeFormat === '24h' ? 'h23' : 'h12',
    }).format(at);
    return `${text} (${zone})`;
  } catch {
    return new Date(at).toISOString();
  }
}

function Verdict({ decision, kind, zone, timeFormat }: { decision: Decision; kind: InboundKind; zone: string; timeFormat: '24h' | '12h' }) {
  const open = decision.state === 'open';
  return (
    <div className={`verdict verdict-${decision.state}`} data-testid="tester-result">
      <div className="verdict-head">
        <span className={`state-pill state-${open ? 'open' : decision.reason === 'emergency' ? 'emergency' : 'closed'}`} data-testid="tester-state">
          <span className="state-dot" aria-hidden="true" />
          {open ? 'Open' : 'Closed'}
        </span>
        {!open && decision.reason !== null && (
          <span className="verdict-reason" data-testid="tester-reason">
            {reasonLabels[decision.reason]}
            {decision.specialDay !== null && `: ${decision.specialDay}`}
          </span>
        )}
      </div>
      <dl className="verdict-facts">
        {!open && (
          <div>
            <dt>Reopens</dt>
            <dd data-testid="tester-reopens">
              {decision.reopensAt !== null ? (
                <time dateTime={new Date(decision.reopensAt).toISOString()}>{formatReopening(decision.reopensAt, zone, timeFormat)}</time>
              ) : (
                (decision.reopens ?? 'Not within the next year')
              )}
            </dd>
          </div>
        )}
        <div>
          <dt>What happens</dt>
          <dd data-testid="tester-explanation">{decision.explanation.replace(/ {2,}/g, ' ')}</dd>
        </div>
      </dl>
      {decision.answer !== null && (
        <div className="verdict-answer">
          <p className="verdict-answer-label">
            {decision.answer.visibility === 'public' ? <GlobeIcon size={15} /> : <LockIcon size={15} />}
            The customer gets {answerWhere(kind, decision.answer.visibility)}:
          </p>
          <p className="template-bubble" data-testid="tester-answer" data-visibility={decision.answer.visibility}>
            {decision.answer.text}
          </p>
        </div>
      )}
    </div>
  );
}
