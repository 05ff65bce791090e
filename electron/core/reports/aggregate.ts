/**
 * Turns the store's grouped counts into what the console shows: the disposition report's series,
 * buckets and breakdown, and duration figures (median, p90). No SQL here: the store counts.
 */
import type { BreakdownRow, DispositionCode, DispositionReport, DurationFigures, Platform, ReportBucket, ReportCode, ReportFilters, ReportGranularity } from '../contract';
import type { Bucket } from './buckets';

/** One group of the store's count: completions in a bucket with a code on a channel. */
export interface CompletionCount {
  bucket: number;
  codeId: number | null;
  channel: Platform | null;
  count: number;
}

export const NO_CODE_NAME = 'No code (completed before codes)';

export interface ReportFrame {
  from: string;
  to: string;
  granularity: ReportGranularity;
  timeZone: string;
  filters: ReportFilters;
  buckets: readonly Bucket[];
  /** Every code, retired included (a retired code still counts in old reports). */
  codes: readonly DispositionCode[];
}

function byName(a: ReportCode, b: ReportCode): number {
  if (a.id === null) return 1;
  if (b.id === null) return -1;
  return a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id - b.id;
}

/**
 * The report's series are the codes in use plus any other code with completions in the range
 * (a retired one, or none), so an old report keeps its columns after a code is retired.
 */
export function buildDispositionReport(frame: ReportFrame, counts: readonly CompletionCount[]): DispositionReport {
  const used = new Set(counts.filter((row) => row.count > 0).map((row) => row.codeId));
  const series: ReportCode[] = frame.codes
    .filter((code) => !code.retired || used.has(code.id))
    .map((code) => ({ id: code.id, name: code.name, retired: code.retired }));
  for (const id of used) {
    if (!series.some((code) => code.id === id)) series.push(id === null ? { id: null, name: NO_CODE_NAME, retired: false } : { id, name: `Code ${id}`, retired: true });
  }
  series.sort(byName);
  const position = new Map(series.map((code, index) => [code.id, index]));

  const buckets: ReportBucket[] = frame.buckets.map((bucket) => ({ ...bucket, counts: series.map(() => 0), total: 0 }));
  const totals = series.map(() => 0);
  const channels = series.map(() => ({ x: 0, facebook: 0, messenger: 0 }));
  for (const row of counts) {
    const bucket = buckets[row.bucket];
    const index = position.get(row.codeId);
    if (!bucket || index === undefined) continue;
    bucket.counts[index] = (bucket.counts[index] ?? 0) + row.count;
    bucket.total += row.count;
    totals[index] = (totals[index] ?? 0) + row.count;
    if (row.channel) channels[index]![row.channel] += row.count;
  }
  const total = totals.reduce((sum, n) => sum + n, 0);
  const breakdown: BreakdownRow[] = series.map((code, index) => ({
    code,
    total: totals[index] ?? 0,
    percent: total === 0 ? 0 : Math.round(((totals[index] ?? 0) * 1000) / total) / 10,
    byChannel: channels[index]!,
  }));
  return {
    from: frame.from,
    to: frame.to,
    granularity: frame.granularity,
    timeZone: frame.timeZone,
    filters: frame.filters,
    codes: series,
    buckets,
    breakdown,
    total,
  };
}

/**
 * A quantile of sorted values by linear interpolation between closest ranks (what spreadsheets
 * call PERCENTILE.INC), so the median of two values is their mean.
 */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = (sorted.length - 1) * q;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low]!;
  const b = sorted[high]!;
  return a + (b - a) * (rank - low);
}

/** Median and p90 of durations in ms (negative ones, from clock skew, count as 0). */
export function durationFigures(durations: readonly number[]): DurationFigures {
  const sorted = durations.map((ms) => Math.max(0, ms)).sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const p90 = quantile(sorted, 0.9);
  return { count: sorted.length, medianMs: median === null ? null : Math.round(median), p90Ms: p90 === null ? null : Math.round(p90) };
}

/** Percent with one decimal, null for nothing measured. */
export function percentOf(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part * 1000) / whole) / 10;
}
