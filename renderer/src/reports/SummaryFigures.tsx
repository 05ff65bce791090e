/**
 * The range's figures: volume by channel, what the desk answered by itself, first response and
 * handle time (median and 90th percentile), and service level per queue against its target.
 */
import type { ReportSummary } from '../../../electron/core/contract';
import { formatCount } from '../app/format';
import { CHANNEL_LABELS, formatSpan, formatTarget } from './model';

/**
 * `wholeDesk`: a queue or agent filter is set. Arrivals and the desk's own answers belong to no
 * queue or agent, so those two figures stay desk-wide (channel-filtered) and say so.
 */
export function SummaryFigures({ summary, wholeDesk }: { summary: ReportSummary; wholeDesk: boolean }) {
  const volume = summary.volumeByChannel.reduce((n, row) => n + row.interactions, 0);
  return (
    <div className="report-summary" data-testid="report-summary">
      <dl className="figure-grid">
        <div className="figure">
          <dt className="stat-label">Arrived{wholeDesk && <span className="figure-scope"> · whole desk</span>}</dt>
          <dd className="figure-value" data-testid="figure-volume">
            {formatCount(volume)}
          </dd>
          <dd className="figure-detail">
            {summary.volumeByChannel.map((row) => `${CHANNEL_LABELS[row.channel]} ${formatCount(row.interactions)}`).join(' · ')}
          </dd>
        </div>
        <div className="figure">
          <dt className="stat-label">Answered by the desk itself{wholeDesk && <span className="figure-scope"> · whole desk</span>}</dt>
          <dd className="figure-value" data-testid="figure-auto">
            {formatCount(summary.autoHandled.total)}
          </dd>
          <dd className="figure-detail">
            Closed-desk answers {formatCount(summary.autoHandled.closedDeskAnswers)} · auto-replies {formatCount(summary.autoHandled.autoReplies)} · auto-likes{' '}
            {formatCount(summary.autoHandled.autoLikes)}
          </dd>
        </div>
        <div className="figure">
          <dt className="stat-label">First response</dt>
          <dd className="figure-value" data-testid="figure-first-response">
            {formatSpan(summary.firstResponse.medianMs)}
            <span className="figure-unit"> median</span>
          </dd>
          <dd className="figure-detail">
            90% within {formatSpan(summary.firstResponse.p90Ms)} · {formatCount(summary.firstResponse.count)} answered
          </dd>
        </div>
        <div className="figure">
          <dt className="stat-label">Handle time</dt>
          <dd className="figure-value" data-testid="figure-handle-time">
            {formatSpan(summary.handleTime.medianMs)}
            <span className="figure-unit"> median</span>
          </dd>
          <dd className="figure-detail">
            90% within {formatSpan(summary.handleTime.p90Ms)} · {formatCount(summary.handleTime.count)} completed
          </dd>
        </div>
      </dl>
      <div className="table-scroll">
        <table className="table" data-testid="service-level-table">
          <caption className="report-table-caption">Service level per queue</caption>
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col" className="numeric">
                Answered
              </th>
              <th scope="col" className="numeric">
                Within target
              </th>
              <th scope="col" className="numeric">
                Service level
              </th>
              <th scope="col">Target</th>
            </tr>
          </thead>
          <tbody>
            {summary.serviceLevel.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  No queue is set up yet.
                </td>
              </tr>
            ) : (
              summary.serviceLevel.map((queue) => (
                <tr key={queue.queueId}>
                  <th scope="row">{queue.queueName}</th>
                  <td className="numeric">{formatCount(queue.answered)}</td>
                  <td className="numeric">{formatCount(queue.withinTarget)}</td>
                  <td className="numeric">
                    {queue.percent === null ? (
                      <span className="muted">—</span>
                    ) : (
                      <span className={`status-chip ${queue.met ? 'status-chip-ok' : 'status-chip-danger'}`}>
                        <span className="status-chip-dot" aria-hidden="true" />
                        {queue.percent.toFixed(1)}%<span className="visually-hidden">{queue.met ? ', target met' : ', below target'}</span>
                      </span>
                    )}
                  </td>
                  <td className="muted">{formatTarget(queue.targetPercent, queue.targetWithinMs)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
