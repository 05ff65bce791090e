/**
 * How many waited in each queue and agent group, minute by minute, over the last hours
 * (readQueueHistory), as a step chart: the desk samples once a minute, so a step is what it knows.
 * Read again every half minute and when the span changes. The figures are also given as text
 * for screen readers.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { QueueHistory } from '../../../electron/core/contract';
import { DeskCallError } from '../client/desk-client';
import { formatTime, type ZoneFormat } from '../app/format';
import { useDeskClient } from '../state/hooks';

const SPANS = [1, 4, 12, 24] as const;
const REREAD_MS = 30_000;

type Row = { at: number } & Record<string, number | null>;

function rowsOf(history: QueueHistory): Row[] {
  const byAt = new Map<number, Row>();
  for (const series of history.series) {
    for (const point of series.points) {
      let row = byAt.get(point.at);
      if (row === undefined) {
        row = { at: point.at } as Row;
        byAt.set(point.at, row);
      }
      row[series.key] = point.waiting;
    }
  }
  return [...byAt.values()].sort((a, b) => a.at - b.at);
}

export function WaitingChart({ zone, colourOf }: { zone: ZoneFormat; colourOf: (key: string) => string }) {
  const client = useDeskClient();
  const ids = useId();
  const [hours, setHours] = useState<(typeof SPANS)[number]>(4);
  const [history, setHistory] = useState<QueueHistory | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const read = () =>
      client.readQueueHistory({ hours }).then(
        (value) => {
          if (!live) return;
          setHistory(value);
          setProblem(null);
        },
        (error: unknown) => live && setProblem(error instanceof DeskCallError ? error.message : 'The history could not be read.'),
      );
    void read();
    const timer = setInterval(() => void read(), REREAD_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [client, hours]);

  const rows = useMemo(() => (history === null ? [] : rowsOf(history)), [history]);
  const peak = useMemo(() => {
    let max = 0;
    for (const series of history?.series ?? []) for (const p of series.points) max = Math.max(max, p.waiting);
    return max;
  }, [history]);

  const summary =
    history === null
      ? ''
      : history.series.length === 0
        ? `Nothing waited in the last ${hours} hours.`
        : history.series
            .map((s) => {
              const last = s.points.at(-1)?.waiting ?? 0;
              const most = s.points.reduce((m, p) => Math.max(m, p.waiting), 0);
              return `${s.name}: ${last} waiting at the last sample, at most ${most}`;
            })
            .join('; ') + '.';

  return (
    <div className="chart-block" data-testid="waiting-chart">
      <div className="chart-toolbar">
        <div className="segmented" role="radiogroup" aria-label="Span of the chart">
          {SPANS.map((span) => (
            <label key={span} className="segmented-option">
              <input type="radio" name={`${ids}-span`} checked={hours === span} onChange={() => setHours(span)} />
              <span>{span} h</span>
            </label>
          ))}
        </div>
        {history !== null && (
          <p className="chart-range muted">
            {formatTime(history.from, zone)} – {formatTime(history.to, zone)}, one sample a minute
          </p>
        )}
      </div>
      {problem !== null && (
        <p className="inline-error" role="alert">
          {problem}
        </p>
      )}
      {history === null ? (
        problem === null && <p className="chart-empty muted">Reading the last hours…</p>
      ) : history.series.length === 0 || rows.length === 0 ? (
        <p className="chart-empty muted">Nothing waited in the last {hours} hours.</p>
      ) : (
        <figure className="chart-figure" aria-labelledby={`${ids}-caption`}>
          <div className="chart-area" aria-hidden="true">
            <ResponsiveContainer width="100%" height={240}>
              <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} accessibilityLayer={false}>
                <CartesianGrid stroke="#e6e9ef" vertical={false} />
                <XAxis
                  dataKey="at"
                  type="number"
                  scale="time"
                  domain={[history.from, history.to]}
                  tickFormatter={(at: number) => formatTime(at, zone)}
                  tick={{ fontSize: 12, fill: '#556274' }}
                  stroke="#c5ccd8"
                  minTickGap={40}
                />
                <YAxis
                  allowDecimals={false}
                  domain={[0, Math.max(4, peak)]}
                  tick={{ fontSize: 12, fill: '#556274' }}
                  stroke="#c5ccd8"
                  width={40}
                />
                <Tooltip
                  labelFormatter={(at) => (typeof at === 'number' ? formatTime(at, zone) : String(at))}
                  contentStyle={{ borderRadius: 6, borderColor: '#dfe3ea', fontSize: 13 }}
                />
                <Legend wrapperStyle={{ fontSize: 13 }} />
                {history.series.map((series) => (
                  <Line
                    key={series.key}
                    dataKey={series.key}
                    name={series.name}
                    type="stepAfter"
                    stroke={colourOf(series.key)}
                    strokeWidth={2}
                    dot={rows.length <= 12 ? { r: 3 } : false}
                    connectNulls
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </div>
          <figcaption id={`${ids}-caption`} className="visually-hidden">
            Waiting per queue over the last {hours} hours. {summary}
          </figcaption>
        </figure>
      )}
    </div>
  );
}
