/**
 * A rule decision, read out: the rule, its action and what follows, the keywords found, the
 * sentiment with the words that made it, the R14 auto-like checks, the rules passed over and the
 * desk's own explanation. Everything the desk said is shown as text, never as HTML.
 */
import type { RuleDecision } from '../../../electron/core/contract';
import { CheckIcon, WarningIcon } from '../app/icons';
import { describeAction, eventTypeName, formatScore, outcomeLabels } from './words';

const calendarWords = { emergency: 'emergency mode', 'special-day': 'a special day', 'outside-hours': 'outside the weekly hours' } as const;

function SentimentMeter({ score }: { score: number }) {
  // -1 .. 1 drawn from the middle.
  const left = score < 0 ? 50 + score * 50 : 50;
  const width = Math.abs(score) * 50;
  const tone = score >= 0.35 ? 'positive' : score <= -0.35 ? 'negative' : 'neutral';
  return (
    <span className="sentiment-meter" aria-hidden="true">
      <span className={`sentiment-fill sentiment-fill-${tone}`} style={{ left: `${left}%`, width: `${width}%` }} />
      <span className="sentiment-mid" />
    </span>
  );
}

export function DecisionFacts({ decision, compact = false }: { decision: RuleDecision; compact?: boolean }) {
  const s = decision.sentiment;
  const like = decision.autoLike;
  return (
    <div className="decision" data-testid="decision">
      <div className="decision-head">
        <span className="decision-rule" data-testid="decision-rule">
          {decision.rule.name}
        </span>
        <span className="chip">{decision.rule.isDefault ? 'default rule' : `priority ${decision.rule.priority ?? '—'}`}</span>
        <span className={`status-chip status-chip-${decision.outcome === 'routed' ? 'info' : decision.outcome === 'ignored' ? 'neutral' : 'ok'}`} data-testid="decision-outcome">
          <span className="status-chip-dot" aria-hidden="true" />
          {outcomeLabels[decision.outcome]}
        </span>
      </div>
      <p className="decision-explanation" data-testid="decision-explanation">
        {decision.explanation}
      </p>
      <dl className="decision-facts">
        <div>
          <dt>Action</dt>
          <dd data-testid="decision-action" data-action={decision.action.type}>
            {describeAction(decision.action)}
          </dd>
        </div>
        {!compact && (
          <div>
            <dt>What happens</dt>
            <dd data-testid="decision-sends">
              {decision.sends.length === 0 && decision.route === null && <span>Nothing is sent{decision.outcome === 'ignored' ? '; the message stays in the history' : ''}.</span>}
              {decision.route !== null && (
                <span className="decision-line">
                  Goes to {decision.route.type === 'queue' ? `queue ${decision.route.queue}` : `agent group ${decision.route.group}`} at {decision.route.priority} priority.
                </span>
              )}
              {decision.sends.map((send, i) => (
                <span key={i} className="decision-line" data-testid="decision-send" data-send={send.type}>
                  {send.type === 'like' ? 'Likes the post.' : send.type === 'retweet' ? 'Retweets the post.' : `Sends a ${send.visibility} reply, trying for ${send.deadlineMinutes} min: “${send.template}”`}
                </span>
              ))}
            </dd>
          </div>
        )}
        <div>
          <dt>Event type</dt>
          <dd>{eventTypeName(decision.kind)}</dd>
        </div>
        <div>
          <dt>Keywords found</dt>
          <dd data-testid="decision-keywords">
            {decision.matchedKeywords.length === 0 ? (
              <span className="muted">none</span>
            ) : (
              <span className="chip-row">
                {decision.matchedKeywords.map((k) => (
                  <span key={k} className="keyword-chip keyword-chip-found">
                    {k}
                  </span>
                ))}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Sentiment</dt>
          <dd data-testid="decision-sentiment">
            <span className="sentiment">
              <strong className={`sentiment-score sentiment-${s.label}`} data-testid="sentiment-score">
                {formatScore(s.score)}
              </strong>
              <SentimentMeter score={s.score} />
              <span>
                {s.label} · {s.languageSource === 'unknown' ? 'language unknown' : `${s.language} (${s.languageSource})`}
              </span>
            </span>
            {s.reasons.length > 0 && (
              <span className="chip-row sentiment-reasons">
                {s.reasons.map((reason, i) => (
                  <span key={i} className="chip">
                    {reason}
                  </span>
                ))}
              </span>
            )}
          </dd>
        </div>
        {!compact && decision.conditions.length > 0 && (
          <div>
            <dt>Conditions met</dt>
            <dd>
              <ul className="decision-list" data-testid="decision-conditions">
                {decision.conditions.map((c, i) => (
                  <li key={i}>{c}</li>
                ))}
              </ul>
            </dd>
          </div>
        )}
        {like !== null && (
          <div>
            <dt>Auto-like checks</dt>
            <dd data-testid="decision-autolike" data-allowed={like.allowed}>
              <p className={`autolike-summary ${like.allowed ? 'autolike-ok' : 'autolike-refused'}`}>
                {like.allowed ? <CheckIcon size={15} /> : <WarningIcon size={15} />}
                <span>{like.summary}</span>
              </p>
              <p className="muted">
                Score {formatScore(like.score)} against a threshold of {like.threshold}; {like.likesToday} of {like.dailyCap} automatic likes used today.
              </p>
              {like.reasons.length > 0 && (
                <ul className="decision-list" data-testid="autolike-reasons">
                  {like.reasons.map((r, i) => (
                    <li key={i}>{r}</li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        )}
        {!compact && decision.calendar !== null && (
          <div>
            <dt>Calendar</dt>
            <dd>
              {decision.calendar.state === 'open' ? 'Open' : `Closed (${decision.calendar.reason === null ? 'closed' : calendarWords[decision.calendar.reason]})`}
              {decision.calendar.reopens !== null && decision.calendar.reopens !== undefined && `, reopens ${decision.calendar.reopens}`}
            </dd>
          </div>
        )}
        {decision.passedOver.length > 0 && (
          <div>
            <dt>Passed over</dt>
            <dd>
              <ul className="decision-list" data-testid="decision-passed-over">
                {decision.passedOver.map((p) => (
                  <li key={p.ruleId}>
                    <strong>{p.ruleName}</strong>: {p.reason}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        )}
        {!compact && decision.notes.length > 0 && (
          <div>
            <dt>Notes</dt>
            <dd>
              <ul className="decision-list">
                {decision.notes.map((n, i) => (
                  <li key={i}>{n}</li>
                ))}
              </ul>
            </dd>
          </div>
        )}
      </dl>
    </div>
  );
}
