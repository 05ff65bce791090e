/**
 * Completions per disposition code per day or week, as stacked bars (one colour per code). The
 * figures are also in the breakdown table and in a caption for screen readers.
 */
import { forwardRef, useId, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DispositionReport } from '../../../electron/core/contract';
import { chartRows, codeColour, codeKey, codeLabel } from './model';

export const DispositionChart = forwardRef<HTMLDivElement, { report: DispositionReport }>(function DispositionChart({ report }, ref) {
  const ids = useId();
  const rows = useMemo(() => chartRows(report), [report]);
  const peak = useMemo(() => report.buckets.reduce((max, bucket) => Math.max(max, bucket.total), 0), [report]);
  const unit = report.granularity === 'day' ? 'day' : 'week';
  const caption =
    report.total === 0
      ? `No interaction was completed from ${report.from} to ${report.to}.`
      : `${report.total} interactions completed from ${report.from} to ${report.to}, per ${unit}: ` +
        report.breakdown
          .filter((row) => row.total > 0)
          .map((row) => `${codeLabel(row.code)} ${row.total}`)
          .join(', ') +
        '.';

  if (report.total === 0) {
    return (
      <p className="chart-empty muted" data-testid="report-chart-empty">
        No interaction was completed in this range{Object.keys(report.filters).length > 0 ? ' with these filters' : ''}.
      </p>
    );
  }
  return (
    <figure className="chart-figure" aria-labelledby={`${ids}-caption`} data-testid="report-chart">
      <div className="chart-area report-chart-area" ref={ref} aria-hidden="true">
        <ResponsiveContainer width="100%" height={300}>
          <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke="#e6e9ef" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 12, fill: '#556274' }} stroke="#c5ccd8" minTickGap={12} interval="preserveStartEnd" />
            <YAxis allowDecimals={false} domain={[0, peak < 4 ? 4 : 'auto']} tick={{ fontSize: 12, fill: '#556274' }} stroke="#c5ccd8" width={44} />
            <Tooltip
              cursor={{ fill: 'rgb(31 95 191 / 0.06)' }}
              labelFormatter={(_label, payload) => {
                const row = payload?.[0]?.payload as { date?: string; total?: number } | undefined;
                return row?.date === undefined ? String(_label) : `${report.granularity === 'week' ? 'Week from ' : ''}${row.date} · ${row.total ?? 0} completed`;
              }}
              contentStyle={{ borderRadius: 6, borderColor: '#dfe3ea', fontSize: 13 }}
            />
            <Legend wrapperStyle={{ fontSize: 13 }} formatter={(value: string) => <span className="report-legend-label">{value}</span>} />
            {report.codes.map((code) => (
              <Bar key={codeKey(code)} dataKey={codeKey(code)} name={codeLabel(code)} stackId="codes" fill={codeColour(code)} isAnimationActive={false} maxBarSize={48} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption id={`${ids}-caption`} className="visually-hidden">
        {caption}
      </figcaption>
    </figure>
  );
});
