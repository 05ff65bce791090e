/**
 * Rules: the rule set in the order the desk tries it, an editor for each rule and the default
 * rule, a tester that asks the desk what it would decide (with the rules as edited, saved or not),
 * and the list of what the desk did by itself with an undo. "Save rules" sends the whole set; the
 * desk accepts it whole or refuses it with every reason, shown here word for word, while the draft
 * is kept.
 */
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { EVENT_TYPE_NAMES, type Rule, type RuleSet, type RulesView } from '../../../electron/core/contract';
import { DeskCallError } from '../client/desk-client';
import { formatDateTime, zoneFormatOf } from '../app/format';
import { SaveBarRow } from '../app/SaveBarRow';
import { FlaskIcon, HeartIcon, InfoIcon, PlusIcon, RulesIcon, WarningIcon } from '../app/icons';
import { pageInfo } from '../pages/catalog';
import { PageHeader } from '../pages/PageHeader';
import { useDeskClient, useDeskEvents, useDeskSnapshot } from '../state/hooks';
import { AutoActions } from './AutoActions';
import { addRule, deleteRule, moveRule, ordered, sameRuleSet, updateRule } from './model';
import { ActionEditor, RuleEditor, type Targets } from './RuleEditor';
import { RuleTester } from './RuleTester';
import { describeAction } from './words';
import './rules.css';

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: number } | { kind: 'refused'; message: string; sent: RuleSet };

const DEFAULT_ID = '__default__';

function summaryOf(rule: Rule): string {
  const m = rule.match;
  const parts: string[] = [];
  parts.push(m.kinds.length === 0 ? 'Every event type' : m.kinds.map((k) => EVENT_TYPE_NAMES[k]).join(', '));
  const keywords = m.keywords.any.length + m.keywords.all.length + m.keywords.none.length;
  if (keywords > 0) parts.push(`${keywords} keyword${keywords === 1 ? '' : 's'}`);
  if (m.languages.length > 0) parts.push(m.languages.join('/'));
  if (m.sentiment !== null) parts.push(`sentiment ${m.sentiment.min} to ${m.sentiment.max}`);
  return parts.join(' · ');
}

function useRulesView(): { view: RulesView | null; error: string | null; accept(view: RulesView): void } {
  const client = useDeskClient();
  const [view, setView] = useState<RulesView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client.getRules({}).then(
      (value) => live && setView(value),
      (err: unknown) => live && setError(err instanceof DeskCallError ? err.message : 'The rules could not be read.'),
    );
    return () => {
      live = false;
    };
  }, [client]);
  useDeskEvents(
    useCallback((events) => {
      let latest: RulesView | null = null;
      for (const event of events) if (event.type === 'rulesChanged') latest = event.payload;
      if (latest !== null) setView(latest);
    }, []),
  );
  return { view, error, accept: setView };
}

export function RulesPage() {
  const client = useDeskClient();
  const { view, error: loadError, accept } = useRulesView();
  const { status, clockOffsetMs } = useDeskSnapshot();
  const zone = zoneFormatOf(status);
  const ids = useId();
  const [base, setBase] = useState<RuleSet | null>(null);
  const [draft, setDraft] = useState<RuleSet | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [announcement, setAnnouncement] = useState('');
  const saved = view?.ruleSet ?? null;
  const dirty = base !== null && draft !== null && !sameRuleSet(base, draft);
  const staleBase = dirty && saved !== null && base !== null && !sameRuleSet(saved, base);

  // The first view: start from it; later ones (someone saved): follow along unless editing.
  useEffect(() => {
    if (saved === null) return;
    if (base === null || (!dirty && !sameRuleSet(saved, base))) {
      setBase(saved);
      setDraft(saved);
    }
    // Only a new saved rule set should move the draft.
  }, [saved]);

  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  const order = useMemo(() => (draft === null ? [] : ordered(draft)), [draft]);
  const targets = useMemo<Targets>(() => ({ queues: view?.queues ?? [], groups: view?.groups ?? [] }), [view?.queues, view?.groups]);
  const current = selected === null ? (order[0]?.id ?? DEFAULT_ID) : selected === DEFAULT_ID || order.some((r) => r.id === selected) ? selected : (order[0]?.id ?? DEFAULT_ID);

  const header = <PageHeader page={pageInfo('rules')} />;
  if (draft === null || base === null || view === null) {
    return (
      <>
        {header}
        {loadError !== null ? (
          <p className="inline-error" role="alert">
            <WarningIcon size={16} /> Could not read the rules: {loadError}
          </p>
        ) : (
          <p className="muted">Reading the rules…</p>
        )}
      </>
    );
  }

  const edit = (change: (set: RuleSet) => RuleSet): void => {
    setDraft((d) => (d === null ? d : change(d)));
    if (save.kind === 'saved') setSave({ kind: 'idle' });
  };

  const onSave = (): void => {
    if (!dirty || save.kind === 'saving') return;
    const sent = draft;
    setSave({ kind: 'saving' });
    client.saveRules({ ruleSet: sent }).then(
      (result) => {
        accept(result);
        setBase(result.ruleSet);
        setDraft((d) => (d === sent ? result.ruleSet : d));
        setSave({ kind: 'saved', at: Date.now() + clockOffsetMs });
        setAnnouncement('Rules saved.');
      },
      (error: unknown) => {
        setSave({ kind: 'refused', message: error instanceof DeskCallError ? error.message : 'Something went wrong while asking the desk.', sent });
        setAnnouncement('The rules were not saved.');
      },
    );
  };

  const discard = (): void => {
    const target = saved ?? base;
    setBase(target);
    setDraft(target);
    setSave({ kind: 'idle' });
    setAnnouncement('Changes discarded.');
  };

  const rule = current === DEFAULT_ID ? null : (order.find((r) => r.id === current) ?? null);
  const position = rule === null ? 0 : order.indexOf(rule) + 1;

  return (
    <>
      {header}
      <p className="visually-hidden" aria-live="polite" data-testid="rules-announce">
        {announcement}
      </p>

      {staleBase && (
        <div className="notice" role="status">
          <InfoIcon size={16} />
          <p>
            Someone else saved the rules while you were editing. Saving replaces their version with yours.{' '}
            <button type="button" className="text-button" onClick={discard}>
              Load theirs and drop your changes
            </button>
          </p>
        </div>
      )}
      {view.warnings.length > 0 && (
        <div className="notice notice-amber" role="status" data-testid="rules-warnings">
          <WarningIcon size={16} />
          <div>
            <p className="notice-title">Allowed, but probably not meant:</p>
            <ul className="notice-list">
              {view.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          </div>
        </div>
      )}

      <section className="card" aria-labelledby={`${ids}-rules`} data-testid="rules-card">
        <div className="card-header">
          <RulesIcon size={18} />
          <h2 id={`${ids}-rules`} className="card-title">
            Rules, in the order they are tried
          </h2>
          <p className="card-header-note">
            Version {draft.version}
            {view.updatedAt !== null && `, saved ${formatDateTime(view.updatedAt, zone)}${view.updatedBy !== null ? ` by ${view.updatedBy}` : ''}`}
          </p>
        </div>
        <div className="rules-layout">
          <div className="rules-side">
            <ol className="rule-list" aria-label="Rules by priority" data-testid="rule-list">
              {order.map((r) => (
                <li key={r.id}>
                  <button type="button" className={`rule-item${r.id === current ? ' rule-item-selected' : ''}${r.enabled ? '' : ' rule-item-off'}`} aria-current={r.id === current ? 'true' : undefined} onClick={() => setSelected(r.id)} data-testid="rule-item" data-rule={r.id}>
                    <span className="rule-item-priority">{Number.isFinite(r.priority) ? r.priority : '?'}</span>
                    <span className="rule-item-body">
                      <span className="rule-item-name" data-testid="rule-item-name">
                        {r.name.trim() === '' ? <em>No name</em> : r.name}
                        {!r.enabled && <span className="rule-item-tag">off</span>}
                      </span>
                      <span className="rule-item-summary">{summaryOf(r)}</span>
                      <span className="rule-item-action">→ {describeAction(r.action)}</span>
                    </span>
                  </button>
                </li>
              ))}
              <li>
                <button type="button" className={`rule-item rule-item-default${current === DEFAULT_ID ? ' rule-item-selected' : ''}`} aria-current={current === DEFAULT_ID ? 'true' : undefined} onClick={() => setSelected(DEFAULT_ID)} data-testid="rule-item-default">
                  <span className="rule-item-priority">—</span>
                  <span className="rule-item-body">
                    <span className="rule-item-name">{draft.defaultRule.name.trim() === '' ? <em>No name</em> : draft.defaultRule.name}</span>
                    <span className="rule-item-summary">Default: everything no rule above takes</span>
                    <span className="rule-item-action">→ {describeAction(draft.defaultRule.action)}</span>
                  </span>
                </button>
              </li>
            </ol>
            <button
              type="button"
              className="button button-secondary rules-add"
              onClick={() => {
                const added = addRule(draft, view.queues[0] ?? 'general');
                edit(() => added.set);
                setSelected(added.id);
                setAnnouncement('Rule added at the end. Name it, then say what it matches and does.');
              }}
              data-testid="rule-add"
            >
              <PlusIcon size={15} /> Add a rule
            </button>
          </div>
          <div className="rules-main">
            {rule !== null ? (
              <RuleEditor
                key={rule.id}
                rule={rule}
                position={position}
                count={order.length}
                targets={targets}
                onChange={(next) => edit((set) => updateRule(set, rule.id, () => next))}
                onMove={(by) => edit((set) => moveRule(set, rule.id, by))}
                onDelete={() => {
                  const neighbour = order[position] ?? order[position - 2] ?? null;
                  edit((set) => deleteRule(set, rule.id));
                  setSelected(neighbour?.id ?? DEFAULT_ID);
                  setAnnouncement(`Rule ${rule.name} deleted from the draft; save to make it so.`);
                }}
              />
            ) : (
              <div className="rule-editor" data-testid="rule-editor" data-rule="default">
                <div className="field rule-name-field">
                  <label htmlFor={`${ids}-default-name`}>Name</label>
                  <input id={`${ids}-default-name`} type="text" value={draft.defaultRule.name} maxLength={120} onChange={(event) => edit((set) => ({ ...set, defaultRule: { ...set.defaultRule, name: event.target.value } }))} data-testid="rule-name" />
                </div>
                <p className="field-hint">The default rule has no conditions and always comes last. It cannot be deleted; change its action instead.</p>
                <h3 className="rule-section-title">Then</h3>
                <ActionEditor action={draft.defaultRule.action} targets={targets} isDefault onChange={(action) => edit((set) => ({ ...set, defaultRule: { ...set.defaultRule, action } }))} />
              </div>
            )}
          </div>
        </div>
      </section>

      <section className="card" aria-labelledby={`${ids}-tester`} data-testid="rules-tester">
        <div className="card-header">
          <FlaskIcon size={18} />
          <h2 id={`${ids}-tester`} className="card-title">
            Try a message
          </h2>
          <p className="card-header-note">The desk decides exactly as it does for live traffic.</p>
        </div>
        <div className="card-pad">
          <RuleTester draft={draft} dirty={dirty} zone={zone.timeZone} />
        </div>
      </section>

      <section className="card" aria-labelledby={`${ids}-auto`} data-testid="rules-auto-actions">
        <div className="card-header">
          <HeartIcon size={18} />
          <h2 id={`${ids}-auto`} className="card-title">
            What the desk did by itself
          </h2>
          <p className="card-header-note">Automatic likes, retweets and replies, newest first</p>
        </div>
        <AutoActions zone={zone} />
      </section>

      <div className={`save-bar${dirty ? ' save-bar-dirty' : ''}${save.kind === 'refused' ? ' save-bar-refused' : ''}`} role="region" aria-label="Save the rules" data-testid="rules-save-bar">
        {save.kind === 'refused' && (
          <div className="save-refusal" role="alert" data-testid="rules-refusal">
            <p className="save-refusal-title">
              <WarningIcon size={16} /> Not saved. The desk refused the rules:
            </p>
            {!sameRuleSet(save.sent, draft) && <p className="save-refusal-note">You have changed them since; save again to have them checked.</p>}
            <p className="save-refusal-message" data-testid="rules-refusal-message">
              {save.message}
            </p>
          </div>
        )}
        <SaveBarRow
          name="rules"
          saveLabel="Save rules"
          dirty={dirty}
          saving={save.kind === 'saving'}
          savedAt={save.kind === 'saved' ? save.at : null}
          zone={zone}
          onDiscard={discard}
          onSave={onSave}
        />
      </div>
    </>
  );
}
