/**
 * The closed-desk answers: one set per case (outside hours, special day, emergency), each with
 * X (public reply and direct message, and which one public messages get), Facebook (comment and
 * private reply) and Messenger. Every template shows a live preview with sample values and
 * roughly how much room is left; the desk checks exactly on save.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { WarningIcon } from '../app/icons';
import {
  answerLimit,
  caseLabels,
  fillTemplate,
  measure,
  PLACEHOLDERS,
  placeholderHelp,
  unknownPlaceholders,
  type AnswerChannel,
  type AnswerVisibility,
} from './answers';
import type { TemplateCase, Templates } from './model';
import { problemsUnder, type CalendarProblem } from './problems';

const CASES: readonly TemplateCase[] = ['outside-hours', 'special-day', 'emergency'];

const caseIntro: Record<TemplateCase, string> = {
  'outside-hours': 'Sent when a message arrives outside the weekly hours.',
  'special-day': 'Sent on a special day when the desk is closed (all day, or outside that day’s special hours).',
  emergency: 'Sent to every customer while emergency mode is on, whatever the hours.',
};

const formatCount = new Intl.NumberFormat('en-GB');

interface EditorProps {
  readonly templateCase: TemplateCase;
  readonly channel: AnswerChannel;
  readonly visibility: AnswerVisibility;
  readonly label: string;
  readonly value: string;
  readonly values: Readonly<Record<string, string>>;
  readonly problems: readonly CalendarProblem[];
  /** Public messages are answered privately: this public template is not sent. */
  readonly unused?: boolean;
  onChange(text: string): void;
}

function TemplateEditor({ templateCase, channel, visibility, label, value, values, problems, unused = false, onChange }: EditorProps) {
  const ids = useId();
  const limit = answerLimit(channel, visibility);
  const preview = fillTemplate(value, values);
  const length = measure(preview, limit);
  const left = limit.limit - length;
  const unknown = unknownPlaceholders(value, templateCase);
  const invalid = problems.length > 0 || unknown.length > 0 || left < 0 || value.trim() === '';
  const describedBy = [`${ids}-count`, problems.length > 0 ? `${ids}-problem` : '', unknown.length > 0 ? `${ids}-unknown` : ''].filter(Boolean).join(' ');
  return (
    <div className={`template-editor${unused ? ' template-unused' : ''}`} data-testid={`template-${templateCase}-${channel}-${visibility}`}>
      <div className="template-input">
        <label htmlFor={`${ids}-text`} className="template-label">
          {label}
          <span className="template-limit">
            {limit.weighted ? `${limit.limit} characters as X counts them` : `up to ${formatCount.format(limit.limit)} characters`}
          </span>
        </label>
        <textarea
          id={`${ids}-text`}
          className="textarea template-textarea"
          rows={channel === 'x' && visibility === 'public' ? 3 : 4}
          value={value}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value)}
        />
        <p className={`template-count${left < 0 ? ' template-count-over' : left < limit.limit * 0.1 ? ' template-count-near' : ''}`} id={`${ids}-count`} data-testid="template-count">
          {value.trim() === ''
            ? 'Empty: every answer needs some text.'
            : left >= 0
              ? `About ${formatCount.format(left)} ${left === 1 ? 'character' : 'characters'} left with the sample values`
              : `About ${formatCount.format(-left)} ${left === -1 ? 'character' : 'characters'} over the limit with the sample values`}
        </p>
        {unused && <p className="field-hint">Not sent while public messages get a private answer.</p>}
        {unknown.length > 0 && (
          <p className="field-error" id={`${ids}-unknown`}>
            <WarningIcon size={15} /> {unknown.map((name) => `{${name}}`).join(', ')} {unknown.length === 1 ? 'is not a placeholder' : 'are not placeholders'} this answer
            can use.
          </p>
        )}
        {problems.length > 0 && (
          <p className="field-error" id={`${ids}-problem`} data-testid="template-problem">
            <WarningIcon size={15} /> The desk refused it: {problems.map((problem) => problem.text).join('; ')}
          </p>
        )}
      </div>
      <div className="template-preview">
        <span className="template-preview-label" aria-hidden="true">
          Preview
        </span>
        <p className="template-bubble" aria-label={`${label}, preview`} data-testid="template-preview">
          {preview === '' ? <span className="muted">Nothing to send</span> : preview}
        </p>
      </div>
    </div>
  );
}

export interface TemplatesEditorProps {
  readonly templates: Templates;
  readonly problems: readonly CalendarProblem[];
  /** Placeholder values for previews. */
  readonly values: Readonly<Record<string, string>>;
  onChange(templates: Templates): void;
}

export function TemplatesEditor({ templates, problems, values, onChange }: TemplatesEditorProps) {
  const ids = useId();
  const [current, setCurrent] = useState<TemplateCase>('outside-hours');
  const tabRefs = useRef<Partial<Record<TemplateCase, HTMLButtonElement | null>>>({});

  const countFor = (templateCase: TemplateCase) => problemsUnder(problems, 'templates', templateCase).length;

  // A refusal about another case's answers: show that case.
  useEffect(() => {
    if (problems.length === 0) return;
    setCurrent((shown) => {
      if (problemsUnder(problems, 'templates', shown).length > 0) return shown;
      return CASES.find((c) => problemsUnder(problems, 'templates', c).length > 0) ?? shown;
    });
  }, [problems]);

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    const index = CASES.indexOf(current);
    let next: TemplateCase | null = null;
    if (event.key === 'ArrowRight') next = CASES[(index + 1) % CASES.length]!;
    else if (event.key === 'ArrowLeft') next = CASES[(index + CASES.length - 1) % CASES.length]!;
    else if (event.key === 'Home') next = CASES[0]!;
    else if (event.key === 'End') next = CASES[CASES.length - 1]!;
    if (next === null) return;
    event.preventDefault();
    setCurrent(next);
    tabRefs.current[next]?.focus();
  };

  const set = templates[current];
  const update = (patch: Partial<Templates[TemplateCase]>) => onChange({ ...templates, [current]: { ...set, ...patch } });
  const problemsFor = (channel: AnswerChannel, visibility: AnswerVisibility) => problemsUnder(problems, 'templates', current, channel, visibility);
  const general = problems.filter(
    (problem) => problem.path[0] === 'templates' && problem.path.length < 4 && (problem.path[1] === undefined || problem.path[1] === current),
  );

  return (
    <div className="templates">
      <div className="tabs" role="tablist" aria-label="Answers for">
        {CASES.map((templateCase) => {
          const count = countFor(templateCase);
          return (
            <button
              key={templateCase}
              ref={(element) => {
                tabRefs.current[templateCase] = element;
              }}
              type="button"
              role="tab"
              id={`${ids}-tab-${templateCase}`}
              aria-selected={current === templateCase}
              aria-controls={`${ids}-panel`}
              tabIndex={current === templateCase ? 0 : -1}
              className="tab"
              onClick={() => setCurrent(templateCase)}
              onKeyDown={onTabKey}
            >
              {caseLabels[templateCase]}
              {count > 0 && (
                <span className="tab-problems" aria-label={`${count} ${count === 1 ? 'problem' : 'problems'}`}>
                  {count}
                </span>
              )}
            </button>
          );
        })}
      </div>

      <div className="tab-panel" role="tabpanel" id={`${ids}-panel`} aria-labelledby={`${ids}-tab-${current}`} data-testid={`templates-${current}`}>
        <div className="templates-intro">
          <p>{caseIntro[current]}</p>
          <p className="placeholder-list">
            <span>Placeholders:</span>
            {PLACEHOLDERS[current].map((name) => (
              <code key={name} className="placeholder" title={placeholderHelp[name]}>
                {`{${name}}`}
              </code>
            ))}
          </p>
          <p className="templates-sample">
            Previews use a customer called {values.contact_name}, {values.reopens_at === 'as soon as we can' ? 'no reopening' : `reopening ${values.reopens_at}`}
            {current === 'special-day' ? `, and the special day “${values.special_day_name}”` : ''}
            {current === 'emergency' ? ', and the current emergency message' : ''}.
          </p>
        </div>

        {general.length > 0 && (
          <ul className="inline-error problem-list">
            {general.map((problem, i) => (
              <li key={i}>
                <WarningIcon size={16} /> {problem.where}: {problem.text}
              </li>
            ))}
          </ul>
        )}

        <section className="channel" aria-labelledby={`${ids}-x`}>
          <div className="channel-head">
            <h3 id={`${ids}-x`} className="channel-title">
              <span className="platform-badge platform-x">X</span> Mentions, replies and direct messages
            </h3>
            <AnswerPublicChoice
              name={`${ids}-x-public`}
              value={set.x.answerPublicMessages}
              publicLabel="Reply publicly"
              privateLabel="Send a direct message"
              onChange={(answerPublicMessages) => update({ x: { ...set.x, answerPublicMessages } })}
            />
          </div>
          <TemplateEditor
            templateCase={current}
            channel="x"
            visibility="public"
            label="Public reply"
            value={set.x.public}
            values={values}
            problems={problemsFor('x', 'public')}
            unused={set.x.answerPublicMessages === 'private'}
            onChange={(text) => update({ x: { ...set.x, public: text } })}
          />
          <TemplateEditor
            templateCase={current}
            channel="x"
            visibility="private"
            label="Direct message"
            value={set.x.private}
            values={values}
            problems={problemsFor('x', 'private')}
            onChange={(text) => update({ x: { ...set.x, private: text } })}
          />
        </section>

        <section className="channel" aria-labelledby={`${ids}-facebook`}>
          <div className="channel-head">
            <h3 id={`${ids}-facebook`} className="channel-title">
              <span className="platform-badge platform-facebook">Facebook</span> Page posts and comments
            </h3>
            <AnswerPublicChoice
              name={`${ids}-fb-public`}
              value={set.facebook.answerPublicMessages}
              publicLabel="Comment publicly"
              privateLabel="Reply privately"
              onChange={(answerPublicMessages) => update({ facebook: { ...set.facebook, answerPublicMessages } })}
            />
          </div>
          <TemplateEditor
            templateCase={current}
            channel="facebook"
            visibility="public"
            label="Comment"
            value={set.facebook.public}
            values={values}
            problems={problemsFor('facebook', 'public')}
            unused={set.facebook.answerPublicMessages === 'private'}
            onChange={(text) => update({ facebook: { ...set.facebook, public: text } })}
          />
          <TemplateEditor
            templateCase={current}
            channel="facebook"
            visibility="private"
            label="Private reply (through Messenger)"
            value={set.facebook.private}
            values={values}
            problems={problemsFor('facebook', 'private')}
            onChange={(text) => update({ facebook: { ...set.facebook, private: text } })}
          />
        </section>

        <section className="channel" aria-labelledby={`${ids}-messenger`}>
          <div className="channel-head">
            <h3 id={`${ids}-messenger`} className="channel-title">
              <span className="platform-badge platform-messenger">Messenger</span> Conversations, always answered privately
            </h3>
          </div>
          <TemplateEditor
            templateCase={current}
            channel="messenger"
            visibility="private"
            label="Message"
            value={set.messenger.private}
            values={values}
            problems={problemsFor('messenger', 'private')}
            onChange={(text) => update({ messenger: { private: text } })}
          />
        </section>
      </div>
    </div>
  );
}

function AnswerPublicChoice(props: {
  name: string;
  value: AnswerVisibility;
  publicLabel: string;
  privateLabel: string;
  onChange(value: AnswerVisibility): void;
}) {
  const ids = useId();
  return (
    <fieldset className="answer-choice">
      <legend id={`${ids}-legend`}>Public messages get</legend>
      <div className="segmented">
        {(
          [
            ['public', props.publicLabel],
            ['private', props.privateLabel],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="segmented-option">
            <input type="radio" name={props.name} value={value} checked={props.value === value} onChange={() => props.onChange(value)} />
            <span>{label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
