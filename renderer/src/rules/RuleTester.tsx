/**
 * "What would the desk do with this?": a text, an event type, a moment and (optionally) the
 * calendar's state go to the desk (testRule) with the rule set as it stands in the editor, saved or
 * not, and the desk answers exactly as it decides live traffic: the rule, the action, the keywords
 * found, the sentiment and why, the auto-like checks, the rules passed over, the explanation.
 */
import { useId, useState, type FormEvent } from 'react';
import { EVENT_TYPE_NAMES, RULE_EVENT_TYPES, type RuleDecision, type RuleEventType, type RuleSet, type RuleTestInput } from '../../../electron/core/contract';

type CalendarState = NonNullable<RuleTestInput['calendarState']>;
import { DeskCallError } from '../client/desk-client';
import { InfoIcon, WarningIcon } from '../app/icons';
import { instantOf, parseLocalDateTime } from '../calendar/zone';
import { useDeskClient } from '../state/hooks';
import { DecisionFacts } from './DecisionFacts';

type CalendarChoice = 'desk' | 'open' | 'outside-hours' | 'special-day' | 'emergency';

const calendarChoices: Record<CalendarChoice, { label: string; state: CalendarState | null }> = {
  desk: { label: 'The desk’s calendar then', state: null },
  open: { label: 'Open', state: { state: 'open', reason: null } },
  'outside-hours': { label: 'Closed: outside the weekly hours', state: { state: 'closed', reason: 'outside-hours' } },
  'special-day': { label: 'Closed: a special day', state: { state: 'closed', reason: 'special-day' } },
  emergency: { label: 'Emergency mode', state: { state: 'closed', reason: 'emergency' } },
};

type TesterState = { kind: 'idle' } | { kind: 'asking' } | { kind: 'answered'; decision: RuleDecision; draft: boolean } | { kind: 'failed'; message: string };

export interface RuleTesterProps {
  readonly draft: RuleSet;
  readonly dirty: boolean;
  readonly zone: string;
}

export function RuleTester({ draft, dirty, zone }: RuleTesterProps) {
  const client = useDeskClient();
  const ids = useId();
  const [text, setText] = useState('');
  const [kind, setKind] = useState<RuleEventType>('x.mention');
  const [lang, setLang] = useState('');
  const [when, setWhen] = useState('');
  const [calendar, setCalendar] = useState<CalendarChoice>('desk');
  const [complaintThread, setComplaintThread] = useState(false);
  const [likesToday, setLikesToday] = useState('');
  const [state, setState] = useState<TesterState>({ kind: 'idle' });
  const [formError, setFormError] = useState<string | null>(null);

  const ask = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    let at: number | null = null;
    if (when !== '') {
      const wall = parseLocalDateTime(when);
      if (wall === null) {
        setFormError('Choose a date and a time, or leave the moment empty for now.');
        return;
      }
      at = instantOf(wall, zone);
    }
    const likes = likesToday.trim() === '' ? undefined : Number(likesToday);
    setFormError(null);
    setState({ kind: 'asking' });
    const wasDirty = dirty;
    client.testRule({
      message: {
        text,
        kind,
        ...(lang.trim() !== '' ? { lang: lang.trim().toLowerCase() } : {}),
        ...(at !== null ? { at } : {}),
        ...(calendarChoices[calendar].state !== null ? { calendarState: calendarChoices[calendar].state } : {}),
        ...(complaintThread ? { replyInComplaintThread: true } : {}),
        ...(likes !== undefined ? { autoLikesToday: likes } : {}),
      },
      ruleSet: draft,
    }).then(
      (decision) => setState({ kind: 'answered', decision, draft: wasDirty }),
      (error: unknown) => setState({ kind: 'failed', message: error instanceof DeskCallError ? error.message : 'Something went wrong while asking the desk.' }),
    );
  };

  return (
    <div className="rule-tester">
      <form className="rule-tester-form" onSubmit={ask} noValidate aria-label="Test the rules">
        <div className="field rule-tester-text">
          <label htmlFor={`${ids}-text`}>Message</label>
          <textarea id={`${ids}-text`} className="textarea" rows={3} value={text} maxLength={100_000} placeholder="Paste what a customer wrote" onChange={(event) => setText(event.target.value)} data-testid="tester-text" />
        </div>
        <div className="rule-tester-options">
          <div className="field">
            <label htmlFor={`${ids}-kind`}>Arrives as</label>
            <select id={`${ids}-kind`} value={kind} onChange={(event) => setKind(event.target.value as RuleEventType)} data-testid="tester-kind">
              {RULE_EVENT_TYPES.map((k) => (
                <option key={k} value={k}>
                  {EVENT_TYPE_NAMES[k]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-when`}>
              Moment <span className="optional-tag">optional</span>
            </label>
            <input id={`${ids}-when`} type="datetime-local" className="datetime-input" value={when} onChange={(event) => setWhen(event.target.value)} aria-describedby={`${ids}-when-hint`} data-testid="tester-when" />
            <p className="field-hint" id={`${ids}-when-hint`}>
              In {zone}; empty: now.
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-calendar`}>Calendar</label>
            <select id={`${ids}-calendar`} value={calendar} onChange={(event) => setCalendar(event.target.value as CalendarChoice)} data-testid="tester-calendar">
              {(Object.keys(calendarChoices) as CalendarChoice[]).map((c) => (
                <option key={c} value={c}>
                  {calendarChoices[c].label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-lang`}>
              Language <span className="optional-tag">optional</span>
            </label>
            <input id={`${ids}-lang`} type="text" className="short-input" value={lang} maxLength={16} placeholder="en" onChange={(event) => setLang(event.target.value)} aria-describedby={`${ids}-lang-hint`} />
            <p className="field-hint" id={`${ids}-lang-hint`}>
              As the platform gives it; empty: guessed.
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-likes`}>
              Auto-likes today <span className="optional-tag">optional</span>
            </label>
            <input id={`${ids}-likes`} type="number" className="number-input" min={0} value={likesToday} onChange={(event) => setLikesToday(event.target.value)} />
          </div>
        </div>
        <div className="rule-tester-submit">
          <label className="check-row">
            <input type="checkbox" checked={complaintThread} onChange={(event) => setComplaintThread(event.target.checked)} />
            <span>It replies to our own answer in a complaint thread</span>
          </label>
          <button type="submit" className="button button-primary" disabled={state.kind === 'asking'} data-testid="tester-run">
            {state.kind === 'asking' ? 'Asking…' : 'What would the desk do?'}
          </button>
        </div>
        {formError !== null && (
          <p className="field-error" role="alert">
            <WarningIcon size={15} /> {formError}
          </p>
        )}
      </form>
      <p className="tester-note">
        <InfoIcon size={16} /> {dirty ? 'Tests the rules as they stand in the editor, unsaved changes included.' : 'Tests the saved rules; edits above are tested before you save them.'}
      </p>
      <div aria-live="polite" className="tester-result-region">
        {state.kind === 'failed' && (
          <p className="inline-error" role="alert" data-testid="tester-error">
            <WarningIcon size={16} /> <span>{state.message}</span>
          </p>
        )}
        {state.kind === 'answered' && (
          <div className="rule-verdict" data-testid="tester-result">
            {state.draft && <p className="rule-verdict-draft">Decided with your unsaved rules</p>}
            <DecisionFacts decision={state.decision} />
          </div>
        )}
      </div>
    </div>
  );
}
