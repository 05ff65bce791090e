/**
 * The Reports page's small pure pieces: dates in the desk's zone, the query, chart rows and
 * colours, durations in words. DOM-free.
 */
import type { DispositionReport, Platform, ReportCode, ReportFilters, ReportGranularity } from '../../../electron/core/contract';

export interface ReportQuery {
  from: string;
  to: string;
  granularity: ReportGranularity;
  channel: Platform | '';
  queueId: number | null;
  agentId: number | null;
}

export const CHANNEL_LABELS: Record<Platform, string> = { x: 'X', facebook: 'Facebook', messenger: 'Messenger' };

/** A colour per code, stable while the code exists (by id), grey for completions without one. */
const CODE_COLOURS = ['#1f5fbf', '#0e7a3e', '#b45309', '#7a3fd1', '#b42318', '#0f766e', '#9d174d', '#4d5b70', '#2563a8', '#8a6d00'];
export function codeColour(code: ReportCode): string {
  if (code.id === null) return '#9aa3b2';
  return CODE_COLOURS[(code.id - 1) % CODE_COLOURS.length] ?? '#1f5fbf';
}

export function codeKey(code: ReportCode): string {
  return code.id === null ? 'none' : `code-${code.id}`;
}

export function codeLabel(code: ReportCode): string {
  return code.retired ? `${code.name} (retired)` : code.name;
}

/** Today's date (YYYY-MM-DD) on the desk's wall clock. */
export function todayIn(zone: string, now: number): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return new Date(now).toISOString().slice(0, 10);
  }
}

/** A calendar date moved by whole days (no zone involved: dates are labels). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) + days)).toISOString().slice(0, 10);
}

export function filtersOf(query: ReportQuery): ReportFilters {
  const filters: ReportFilters = {};
  if (query.channel !== '') filters.channel = query.channel;
  if (query.queueId !== null) filters.queueId = query.queueId;
  if (query.agentId !== null) filters.agentId = query.agentId;
  return filters;
}

export type ChartRow = { date: string; label: string; total: number } & Record<string, number | string>;

export function chartRows(report: DispositionReport): ChartRow[] {
  return report.buckets.map((bucket) => {
    const row: ChartRow = { date: bucket.date, label: bucket.label, total: bucket.total };
    report.codes.forEach((code, index) => {
      row[codeKey(code)] = bucket.counts[index] ?? 0;
    });
    return row;
  });
}

/** 45 s, 12 min, 1 h 05 min, 2 d 3 h: first response and handle times. */
export function formatSpan(ms: number | null): string {
  if (ms === null) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** "80% within 15 min" */
export function formatTarget(percent: number, withinMs: number): string {
  return `${percent}% within ${formatSpan(withinMs)}`;
}
