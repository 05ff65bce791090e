/**
 * One rule's form: name, enabled, priority, what it matches (event types, keywords any/all/none
 * as chips, languages, a sentiment range) and what it does (route to a queue or group, auto-reply
 * with a template and deadline and an optional route after it, like and/or retweet with a minimum
 * score and a daily cap, or ignore). The default rule has a name and an action only.
 */
import { useId, type ReactNode } from 'react';
import { AUTO_REPLY_PLACEHOLDERS, EVENT_TYPE_NAMES, RULE_EVENT_TYPES, type Rule, type RuleAction, type RuleEventType } from '../../../electron/core/contract';
import { ArrowDownIcon, ArrowUpIcon, TrashIcon, WarningIcon } from '../app/icons';
import { ChipInput } from './ChipInput';
import { changeActionType, ROUTE_PRIORITIES, type ActionType, type RoutePriorityName } from './model';
import { NumberField } from './NumberField';
import { actionTypeLabels } from './words';

export interface Targets {
  readonly queues: readonly string[];
  readonly groups: readonly string[];
}

type Route = { type: 'route-to-queue'; queue: string; priority: RoutePriorityName } | { type: 'route-to-group'; group: string; priority: RoutePriorityName };

function TargetField({ route, targets, onChange, label, testId }: { route: Route; targets: Targets; onChange(route: Route): void; label: string; testId: string }) {
  const ids = useId();
  const isQueue = route.type === 'route-to-queue';
  const value = isQueue ? route.queue : route.group;
  const known = isQueue ? targets.queues : targets.groups;
  const unknown = value.trim() !== '' && !known.includes(value.trim());
  return (
    <div className="route-fields">
      <div className="field">
        <label htmlFor={`${ids}-target`}>{isQueue ? `${label} queue` : `${label} agent group`}</label>
        <input
          id={`${ids}-target`}
          type="text"
          value={value}
          list={`${ids}-targets`}
          autoComplete="off"
          aria-describedby={unknown ? `${ids}-unknown` : undefined}
          onChange={(event) => onChange(isQueue ? { ...route, queue: event.target.value } : { ...route, group: event.target.value })}
          data-testid={testId}
        />
        <datalist id={`${ids}-targets`}>
          {known.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        {unknown && (
          <p className="field-hint field-warning" id={`${ids}-unknown`}>
            <WarningIcon size={14} /> No {isQueue ? 'queue' : 'agent group'} is called “{value.trim()}”
            {known.length > 0 ? ` (the desk knows ${known.join(', ')})` : ''}: the desk will refuse to save it.
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-priority`}>Priority</label>
        <select id={`${ids}-priority`} value={route.priority} onChange={(event) => onChange({ ...route, priority: event.target.value as RoutePriorityName })}>
          {ROUTE_PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

export function ActionEditor({ action, targets, isDefault, onChange }: { action: RuleAction; targets: Targets; isDefault: boolean; onChange(action: RuleAction): void }) {
  const ids = useId();
  const firstQueue = targets.queues[0] ?? 'general';
  const firstGroup = targets.groups[0] ?? 'dm-team';
  const types = (Object.keys(actionTypeLabels) as ActionType[]).filter((t) => !isDefault || t !== 'like-retweet');
  let body: ReactNode = null;
  switch (action.type) {
    case 'route-to-queue':
    case 'route-to-group':
      body = <TargetField route={action} targets={targets} label="To" onChange={onChange} testId="rule-target" />;
      break;
    case 'auto-reply': {
      const then = action.thenRoute;
      body = (
        <>
          <div className="field">
            <label htmlFor={`${ids}-template`}>Reply</label>
            <textarea id={`${ids}-template`} className="textarea" rows={3} value={action.template} onChange={(event) => onChange({ ...action, template: event.target.value })} aria-describedby={`${ids}-template-hint`} data-testid="rule-template" />
            <p className="field-hint" id={`${ids}-template-hint`}>
              May use {AUTO_REPLY_PLACEHOLDERS.map((p) => `{${p}}`).join(' and ')}. Sent through the outbox, retried until the deadline. While the desk is closed its own answer goes instead.
            </p>
          </div>
          <div className="inline-fields-row">
            <fieldset className="field">
              <legend>Answer</legend>
              <div className="segmented">
                {(['public', 'private'] as const).map((v) => (
                  <label key={v} className="segmented-option">
                    <input type="radio" name={`${ids}-visibility`} checked={action.visibility === v} onChange={() => onChange({ ...action, visibility: v })} />
                    <span>{v === 'public' ? 'Publicly' : 'Privately'}</span>
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="field">
              <label htmlFor={`${ids}-deadline`}>Keep trying for (minutes)</label>
              <NumberField id={`${ids}-deadline`} min={1} max={10080} value={action.deadlineMinutes} onValue={(deadlineMinutes) => onChange({ ...action, deadlineMinutes })} />
            </div>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-then`}>Then</label>
            <select
              id={`${ids}-then`}
              value={then === null ? 'none' : then.type}
              onChange={(event) => {
                const next = event.target.value;
                onChange({
                  ...action,
                  thenRoute: next === 'route-to-queue' ? { type: 'route-to-queue', queue: firstQueue, priority: 'normal' } : next === 'route-to-group' ? { type: 'route-to-group', group: firstGroup, priority: 'normal' } : null,
                });
              }}
              data-testid="rule-then"
            >
              <option value="none">Nothing more: the reply handles it</option>
              <option value="route-to-queue">Route to a queue</option>
              <option value="route-to-group">Route to an agent group</option>
            </select>
          </div>
          {then !== null && <TargetField route={then} targets={targets} label="Then to" onChange={(thenRoute) => onChange({ ...action, thenRoute })} testId="rule-then-target" />}
        </>
      );
      break;
    }
    case 'like-retweet':
      body = (
        <>
          <div className="check-pair">
            <label className="check-row">
              <input type="checkbox" checked={action.like} onChange={(event) => onChange({ ...action, like: event.target.checked })} />
              <span>Like</span>
            </label>
            <label className="check-row">
              <input type="checkbox" checked={action.retweet} onChange={(event) => onChange({ ...action, retweet: event.target.checked })} />
              <span>Retweet (X only; never a post with a link)</span>
            </label>
          </div>
          <div className="inline-fields-row">
            <div className="field">
              <label htmlFor={`${ids}-min`}>Minimum score</label>
              <NumberField id={`${ids}-min`} min={0.3} max={1} step={0.05} value={action.minScore} onValue={(minScore) => onChange({ ...action, minScore })} />
            </div>
            <div className="field">
              <label htmlFor={`${ids}-cap`}>At most per day</label>
              <NumberField id={`${ids}-cap`} min={1} max={1000} value={action.dailyCap} onValue={(dailyCap) => onChange({ ...action, dailyCap })} />
            </div>
          </div>
          <p className="field-hint">Only when every safety check passes: no complaint words, negation, sarcasm, “but” or question, not a reply in a complaint thread. Otherwise the next rule decides.</p>
        </>
      );
      break;
    case 'ignore':
      body = <p className="field-hint">The message stays in the contact’s history; nobody is asked to work on it.</p>;
      break;
  }
  return (
    <div className="action-editor">
      <div className="field">
        <label htmlFor={`${ids}-type`}>Action</label>
        <select id={`${ids}-type`} value={action.type} onChange={(event) => onChange(changeActionType(action, event.target.value as ActionType, firstQueue, firstGroup))} data-testid="rule-action-type">
          {types.map((t) => (
            <option key={t} value={t}>
              {actionTypeLabels[t]}
            </option>
          ))}
        </select>
        {isDefault && <p className="field-hint">The default rule decides for everything no other rule takes, direct messages included, so it cannot like or retweet.</p>}
      </div>
      {body}
    </div>
  );
}

export interface RuleEditorProps {
  readonly rule: Rule;
  readonly position: number;
  readonly count: number;
  readonly targets: Targets;
  onChange(rule: Rule): void;
  onMove(by: -1 | 1): void;
  onDelete(): void;
}

export function RuleEditor({ rule, position, count, targets, onChange, onMove, onDelete }: RuleEditorProps) {
  const ids = useId();
  const m = rule.match;
  const setMatch = (patch: Partial<Rule['match']>) => onChange({ ...rule, match: { ...m, ...patch } });
  const setKeywords = (patch: Partial<Rule['match']['keywords']>) => setMatch({ keywords: { ...m.keywords, ...patch } });
  const toggleKind = (kind: RuleEventType, on: boolean) => setMatch({ kinds: on ? RULE_EVENT_TYPES.filter((k) => k === kind || m.kinds.includes(k)) : m.kinds.filter((k) => k !== kind) });

  return (
    <div className="rule-editor" data-testid="rule-editor" data-rule={rule.id}>
      <div className="rule-editor-head">
        <div className="field rule-name-field">
          <label htmlFor={`${ids}-name`}>Name</label>
          <input id={`${ids}-name`} type="text" value={rule.name} maxLength={120} onChange={(event) => onChange({ ...rule, name: event.target.value })} data-testid="rule-name" />
        </div>
        <div className="field rule-priority-field">
          <label htmlFor={`${ids}-priority`}>Priority</label>
          <NumberField id={`${ids}-priority`} min={1} max={100000} value={rule.priority} onValue={(priority) => onChange({ ...rule, priority })} aria-describedby={`${ids}-priority-hint`} data-testid="rule-priority" />
        </div>
        <label className="check-row rule-enabled">
          <input type="checkbox" checked={rule.enabled} onChange={(event) => onChange({ ...rule, enabled: event.target.checked })} data-testid="rule-enabled" />
          <span>Enabled</span>
        </label>
      </div>
      <p className="field-hint" id={`${ids}-priority-hint`}>
        Tried {position} of {count}: lower numbers first, and the first rule that matches and can act decides. No two rules may share a number.
      </p>
      <div className="rule-editor-tools">
        <button type="button" className="button button-secondary button-small" disabled={position === 1} onClick={() => onMove(-1)} data-testid="rule-move-up">
          <ArrowUpIcon size={15} /> Earlier
        </button>
        <button type="button" className="button button-secondary button-small" disabled={position === count} onClick={() => onMove(1)} data-testid="rule-move-down">
          <ArrowDownIcon size={15} /> Later
        </button>
        <button type="button" className="button button-delete button-small" onClick={onDelete} data-testid="rule-delete">
          <TrashIcon size={15} /> Delete rule
        </button>
      </div>

      <h3 className="rule-section-title">When</h3>
      <fieldset className="field">
        <legend>Event types</legend>
        <div className="kind-grid">
          {RULE_EVENT_TYPES.map((kind) => (
            <label key={kind} className="check-row">
              <input type="checkbox" checked={m.kinds.includes(kind)} onChange={(event) => toggleKind(kind, event.target.checked)} />
              <span>{EVENT_TYPE_NAMES[kind]}</span>
            </label>
          ))}
        </div>
        <p className="field-hint">None ticked: every event type.</p>
      </fieldset>
      <div className="keyword-grid">
        <ChipInput label="Any of these keywords" tone="any" allowComma values={m.keywords.any} placeholder="word, phrase, #tag, @handle" onChange={(any) => setKeywords({ any })} testId="keywords-any" />
        <ChipInput label="All of these" tone="all" allowComma values={m.keywords.all} placeholder="Enter adds one" onChange={(all) => setKeywords({ all })} testId="keywords-all" />
        <ChipInput label="None of these" tone="none" allowComma values={m.keywords.none} placeholder="Enter adds one" onChange={(none) => setKeywords({ none })} testId="keywords-none" />
      </div>
      <p className="field-hint">Whole words, any case and accent: “bill” never matches “billion”, “cafe” matches “Café”, a word also matches its #hashtag.</p>
      <div className="inline-fields-row">
        <ChipInput label="Languages" values={m.languages} placeholder="en, fr, es… (und: unknown)" hint="None: every language." onChange={(languages) => setMatch({ languages: languages.map((l) => l.toLowerCase()) })} testId="rule-languages" />
        <fieldset className="field">
          <legend>Sentiment</legend>
          <label className="check-row">
            <input type="checkbox" checked={m.sentiment !== null} onChange={(event) => setMatch({ sentiment: event.target.checked ? { min: -1, max: 1 } : null })} data-testid="rule-sentiment-on" />
            <span>Only when the score is within a range</span>
          </label>
          {m.sentiment !== null && (
            <span className="inline-fields">
              <span>from</span>
              <NumberField min={-1} max={1} step={0.05} value={m.sentiment.min} aria-label="Lowest score" onValue={(min) => setMatch({ sentiment: { min, max: m.sentiment?.max ?? 1 } })} />
              <span>to</span>
              <NumberField min={-1} max={1} step={0.05} value={m.sentiment.max} aria-label="Highest score" onValue={(max) => setMatch({ sentiment: { min: m.sentiment?.min ?? -1, max } })} />
              <span className="muted">(−1 angry … +1 delighted)</span>
            </span>
          )}
        </fieldset>
      </div>

      <h3 className="rule-section-title">Then</h3>
      <ActionEditor action={rule.action} targets={targets} isDefault={false} onChange={(action) => onChange({ ...rule, action })} />
    </div>
  );
}
