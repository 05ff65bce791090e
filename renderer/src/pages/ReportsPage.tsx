/**
 * Reports: the disposition report (stacked bars per code per day or week, in the desk's zone, with
 * filters by channel, queue and agent, and a breakdown table), the range's figures (volume,
 * auto-handled, first response and handle time, service level per queue), the CSV export and
 * the chart as PNG, and the administration of disposition codes.
 *
 * Live enough: completions (interactionsChanged) and code changes bring a fresh read, at most
 * one every two seconds however busy the desk is.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { DispositionCode, DispositionReport, Platform, ReportSummary } from '../../../electron/core/contract';
import { DeskCallError } from '../client/desk-client';
import { ArrowDownIcon, ChartIcon, CheckIcon, ClockIcon, SettingsIcon, WarningIcon } from '../app/icons';
import { throttledRefresh } from '../queues/throttle';
import { BreakdownTable } from '../reports/BreakdownTable';
import { CodesAdmin } from '../reports/CodesAdmin';
import { DispositionChart } from '../reports/DispositionChart';
import { chartPng, downloadBlob, downloadCsv } from '../reports/download';
import { addDays, CHANNEL_LABELS, codeColour, codeLabel, filtersOf, todayIn, type ReportQuery } from '../reports/model';
import { SummaryFigures } from '../reports/SummaryFigures';
import { useDeskClient, useDeskEvents, useDeskSnapshot } from '../state/hooks';
import { pageInfo } from './catalog';
import { PageHeader } from './PageHeader';
import '../reports/reports.css';

const REFRESH_MS = 2000;
const PRESETS = [7, 30, 90] as const;

function messageOf(error: unknown): string {
  return error instanceof DeskCallError ? error.message : 'Something went wrong while asking the desk.';
}

type FilterOptions = { queues: Array<{ id: number; name: string }>; agents: Array<{ id: number; name: string }> };

export function ReportsPage() {
  const client = useDeskClient();
  const { status, clockOffsetMs } = useDeskSnapshot();
  const ids = useId();
  const zone = status?.timeZone ?? 'UTC';
  const today = todayIn(zone, Date.now() + clockOffsetMs);

  const [query, setQuery] = useState<ReportQuery | null>(null);
  const [options, setOptions] = useState<FilterOptions>({ queues: [], agents: [] });
  const [codes, setCodes] = useState<DispositionCode[] | null>(null);
  const [report, setReport] = useState<DispositionReport | null>(null);
  const [summary, setSummary] = useState<ReportSummary | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pulse, setPulse] = useState(0);
  const [exportNote, setExportNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [exporting, setExporting] = useState(false);
  const chartRef = useRef<HTMLDivElement>(null);

  // The first range waits for the desk's zone: "the last 30 days" are the desk's days.
  useEffect(() => {
    if (query === null && status !== null) setQuery({ from: addDays(today, -29), to: today, granularity: 'day', channel: '', queueId: null, agentId: null });
  }, [query, status, today]);

  const refresh = useMemo(() => throttledRefresh(async () => setPulse((n) => n + 1), REFRESH_MS), []);
  useEffect(() => () => refresh.dispose(), [refresh]);

  useDeskEvents((events) => {
    for (const event of events) {
      if (event.type === 'dispositionCodesChanged') setCodes(event.payload.codes);
      if (event.type === 'interactionsChanged' || event.type === 'dispositionCodesChanged' || event.type === 'routingChanged') {
        refresh.request();
        return;
      }
    }
  });

  useEffect(() => {
    let live = true;
    client.getReportFilters({}).then(
      (value) => live && setOptions({ queues: value.queues, agents: value.agents }),
      () => undefined,
    );
    client.listDispositionCodes({ includeRetired: true }).then(
      (value) => live && setCodes(value.codes),
      (error: unknown) => live && setProblem(messageOf(error)),
    );
    return () => {
      live = false;
    };
  }, [client, pulse]);

  useEffect(() => {
    if (query === null) return;
    let live = true;
    const input = { from: query.from, to: query.to, filters: filtersOf(query) };
    Promise.all([client.readDispositionReport({ ...input, granularity: query.granularity }), client.readReportSummary(input)]).then(
      ([nextReport, nextSummary]) => {
        if (!live) return;
        setReport(nextReport);
        setSummary(nextSummary);
        setProblem(null);
      },
      (error: unknown) => live && setProblem(messageOf(error)),
    );
    return () => {
      live = false;
    };
  }, [client, query, pulse]);

  const change = useCallback((patch: Partial<ReportQuery>) => {
    setExportNote(null);
    setQuery((current) => (current === null ? current : { ...current, ...patch }));
  }, []);

  async function exportCsv() {
    if (query === null) return;
    setExporting(true);
    setExportNote(null);
    try {
      const result = await client.exportInteractionsCsv({ from: query.from, to: query.to, filters: filtersOf(query) });
      downloadCsv(result.fileName, result.csv);
      setExportNote({
        ok: true,
        text: `Downloaded ${result.fileName}: ${result.rows} interaction${result.rows === 1 ? '' : 's'}${result.truncated ? ' (the first ones only: narrow the range for the rest)' : ''}.`,
      });
    } catch (error) {
      setExportNote({ ok: false, text: messageOf(error) });
    } finally {
      setExporting(false);
    }
  }

  async function exportPng() {
    if (report === null || chartRef.current === null) return;
    setExportNote(null);
    try {
      const legend = report.codes.map((code) => ({ label: codeLabel(code), colour: codeColour(code) }));
      const filters = filtersDescription(query, options);
      const title = `Dispositions per ${report.granularity}, ${report.from} to ${report.to} (${report.timeZone})${filters === '' ? '' : `, ${filters}`}`;
      const png = await chartPng(chartRef.current, title, legend);
      const fileName = `dispositions-${report.from}-to-${report.to}.png`;
      downloadBlob(fileName, png);
      setExportNote({ ok: true, text: `Downloaded ${fileName}.` });
    } catch (error) {
      setExportNote({ ok: false, text: error instanceof Error ? error.message : 'The chart could not be saved.' });
    }
  }

  const header = <PageHeader page={pageInfo('reports')} />;
  if (query === null) {
    return (
      <>
        {header}
        <p className="muted">Reading the desk…</p>
      </>
    );
  }

  const rangeInvalid = query.to < query.from;

  return (
    <>
      {header}
      <section className="card report-controls" aria-label="Range and filters" data-testid="report-controls">
        <div className="report-toolbar">
          <div className="report-dates">
            <div className="field">
              <label htmlFor={`${ids}-from`}>From</label>
              <input id={`${ids}-from`} type="date" value={query.from} max={today} required onChange={(event) => event.target.value !== '' && change({ from: event.target.value })} aria-invalid={rangeInvalid} />
            </div>
            <div className="field">
              <label htmlFor={`${ids}-to`}>To</label>
              <input id={`${ids}-to`} type="date" value={query.to} required onChange={(event) => event.target.value !== '' && change({ to: event.target.value })} aria-invalid={rangeInvalid} />
            </div>
            <div className="report-presets" role="group" aria-label="Quick ranges">
              {PRESETS.map((days) => (
                <button key={days} type="button" className="button button-ghost button-small" onClick={() => change({ from: addDays(today, -(days - 1)), to: today })}>
                  Last {days} days
                </button>
              ))}
            </div>
          </div>
          <div className="report-filters">
            <fieldset className="field">
              <legend>Per</legend>
              <div className="segmented" role="radiogroup" aria-label="Bars per">
                {(['day', 'week'] as const).map((granularity) => (
                  <label key={granularity} className="segmented-option">
                    <input type="radio" name={`${ids}-granularity`} checked={query.granularity === granularity} onChange={() => change({ granularity })} />
                    <span>{granularity === 'day' ? 'Day' : 'Week'}</span>
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="field">
              <label htmlFor={`${ids}-channel`}>Channel</label>
              <select id={`${ids}-channel`} value={query.channel} onChange={(event) => change({ channel: event.target.value as Platform | '' })}>
                <option value="">All channels</option>
                {(Object.keys(CHANNEL_LABELS) as Platform[]).map((channel) => (
                  <option key={channel} value={channel}>
                    {CHANNEL_LABELS[channel]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${ids}-queue`}>Queue</label>
              <select id={`${ids}-queue`} value={query.queueId ?? ''} onChange={(event) => change({ queueId: event.target.value === '' ? null : Number(event.target.value) })}>
                <option value="">All queues</option>
                {options.queues.map((queue) => (
                  <option key={queue.id} value={queue.id}>
                    {queue.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${ids}-agent`}>Agent</label>
              <select id={`${ids}-agent`} value={query.agentId ?? ''} onChange={(event) => change({ agentId: event.target.value === '' ? null : Number(event.target.value) })}>
                <option value="">All agents</option>
                {options.agents.map((agent) => (
                  <option key={agent.id} value={agent.id}>
                    {agent.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </div>
        <div className="card-footer report-footer">
          <p className="muted report-zone">
            <ClockIcon size={14} /> Days in the desk&apos;s zone, {zone}. Filters apply to the chart, the figures and the export.
          </p>
          <div className="report-exports">
            <button type="button" className="button button-secondary button-small" onClick={() => void exportCsv()} disabled={exporting} data-testid="export-csv">
              <ArrowDownIcon size={14} /> Export CSV
            </button>
            <button type="button" className="button button-secondary button-small" onClick={() => void exportPng()} disabled={report === null || report.total === 0} data-testid="export-png">
              <ArrowDownIcon size={14} /> Chart as PNG
            </button>
          </div>
        </div>
      </section>

      <div aria-live="polite" className="report-messages">
        {problem !== null && (
          <p className="inline-error" role="alert" data-testid="report-problem">
            <WarningIcon size={16} /> {problem}
          </p>
        )}
        {exportNote !== null &&
          (exportNote.ok ? (
            <p className="form-status report-export-note" data-testid="export-note">
              <CheckIcon size={16} /> {exportNote.text}
            </p>
          ) : (
            <p className="inline-error" role="alert">
              <WarningIcon size={16} /> {exportNote.text}
            </p>
          ))}
      </div>

      <section className="card" aria-labelledby={`${ids}-chart`} data-testid="disposition-card">
        <div className="card-header">
          <ChartIcon size={18} />
          <h2 id={`${ids}-chart`} className="card-title">
            How interactions were closed
          </h2>
          {report !== null && (
            <p className="card-header-note" data-testid="report-total">
              {report.total} completed, {report.from} to {report.to}
            </p>
          )}
        </div>
        <div className="card-pad report-chart-pad">{report === null ? <p className="chart-empty muted">Reading the report…</p> : <DispositionChart report={report} ref={chartRef} />}</div>
        {report !== null && <BreakdownTable report={report} />}
      </section>

      <section className="card" aria-labelledby={`${ids}-figures`}>
        <div className="card-header">
          <ClockIcon size={18} />
          <h2 id={`${ids}-figures`} className="card-title">
            Volume and response
          </h2>
          <p className="card-header-note">Arrivals and auto-answers in the range; times for interactions completed in it.</p>
        </div>
        {summary === null ? <p className="card-pad muted">Reading the figures…</p> : <SummaryFigures summary={summary} wholeDesk={query.queueId !== null || query.agentId !== null} />}
      </section>

      <section className="card" aria-labelledby={`${ids}-codes`}>
        <div className="card-header">
          <SettingsIcon size={18} />
          <h2 id={`${ids}-codes`} className="card-title">
            Disposition codes
          </h2>
          <p className="card-header-note">Agents choose one to complete an interaction. Retired codes stay in old reports.</p>
        </div>
        <div className="card-pad">
          <CodesAdmin codes={codes} onChanged={() => refresh.now()} />
        </div>
      </section>
    </>
  );
}

function filtersDescription(query: ReportQuery | null, options: FilterOptions): string {
  if (query === null) return '';
  const parts: string[] = [];
  if (query.channel !== '') parts.push(CHANNEL_LABELS[query.channel]);
  if (query.queueId !== null) parts.push(`queue ${options.queues.find((queue) => queue.id === query.queueId)?.name ?? query.queueId}`);
  if (query.agentId !== null) parts.push(`agent ${options.agents.find((agent) => agent.id === query.agentId)?.name ?? query.agentId}`);
  return parts.join(', ');
}
