/**
 * Reports' commands and events (R11 and the managers' charts): disposition codes and their
 * administration, the disposition report (counts per code per day or week in the desk's zone),
 * the summary figures (volume, auto-handled, first response and handle times, service level per
 * queue) and the CSV export of interactions.
 */
import { z } from 'zod';
import { Empty, EpochMs, Id, Platform, type CommandSpec, type EventSpec, type MessageKind } from './words';

export const DispositionCode = z.strictObject({
  id: Id,
  name: z.string(),
  /** Retired: kept in old reports, no longer offered when completing. */
  retired: z.boolean(),
  retiredAt: EpochMs.nullable(),
  createdAt: EpochMs,
  updatedAt: EpochMs,
});
export type DispositionCode = z.infer<typeof DispositionCode>;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date, YYYY-MM-DD, read in the desk's zone. */
export const ReportDate = z.string().refine((text) => {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}, 'is not a date written YYYY-MM-DD (for example 2025-03-30)');

export const ReportGranularity = z.enum(['day', 'week']);
export type ReportGranularity = z.infer<typeof ReportGranularity>;

/** Which interactions count: any of these left out means all. */
export const ReportFilters = z.strictObject({
  channel: Platform.optional(),
  queueId: Id.optional(),
  agentId: Id.optional(),
});
export type ReportFilters = z.infer<typeof ReportFilters>;

/** The longest range a report reads: two years of days. */
export const REPORT_MAX_DAYS = 732;

const ReportRange = {
  /** First day, included. */
  from: ReportDate,
  /** Last day, included. */
  to: ReportDate,
  filters: ReportFilters.default({}),
};

/** A code as a report shows it; `id` null gathers completions made before codes existed. */
export const ReportCode = z.strictObject({ id: Id.nullable(), name: z.string(), retired: z.boolean() });
export type ReportCode = z.infer<typeof ReportCode>;

export const ReportBucket = z.strictObject({
  /** The bucket's first day (YYYY-MM-DD); a week starts on Monday, clipped to the range. */
  date: z.string(),
  label: z.string(),
  startAt: EpochMs,
  endAt: EpochMs,
  /** Completions per code, in the order of the report's `codes`. */
  counts: z.array(z.number().int().nonnegative()),
  total: z.number().int().nonnegative(),
});
export type ReportBucket = z.infer<typeof ReportBucket>;

export const BreakdownRow = z.strictObject({
  code: ReportCode,
  total: z.number().int().nonnegative(),
  /** Share of all completions in the range, 0-100, one decimal. */
  percent: z.number().min(0).max(100),
  byChannel: z.strictObject({ x: z.number().int().nonnegative(), facebook: z.number().int().nonnegative(), messenger: z.number().int().nonnegative() }),
});
export type BreakdownRow = z.infer<typeof BreakdownRow>;

export const DispositionReport = z.strictObject({
  from: z.string(),
  to: z.string(),
  granularity: ReportGranularity,
  timeZone: z.string(),
  filters: ReportFilters,
  /** The codes that have completions in the range, by name (the chart's series). */
  codes: z.array(ReportCode),
  buckets: z.array(ReportBucket),
  breakdown: z.array(BreakdownRow),
  total: z.number().int().nonnegative(),
});
export type DispositionReport = z.infer<typeof DispositionReport>;

/** Median and 90th percentile of a duration; null when nothing was measured. */
export const DurationFigures = z.strictObject({
  count: z.number().int().nonnegative(),
  medianMs: z.number().int().nonnegative().nullable(),
  p90Ms: z.number().int().nonnegative().nullable(),
});
export type DurationFigures = z.infer<typeof DurationFigures>;

export const QueueServiceLevel = z.strictObject({
  queueId: Id,
  queueName: z.string(),
  /** Interactions first accepted by an agent in the range. */
  answered: z.number().int().nonnegative(),
  /** Of those, accepted within the queue's target time (counted from entering routing). */
  withinTarget: z.number().int().nonnegative(),
  /** withinTarget / answered, 0-100, one decimal; null when none were answered. */
  percent: z.number().min(0).max(100).nullable(),
  targetPercent: z.number().int().min(1).max(100),
  targetWithinMs: z.number().int().positive(),
  /** The queue met its target (null when nothing was answered). */
  met: z.boolean().nullable(),
});
export type QueueServiceLevel = z.infer<typeof QueueServiceLevel>;

export const ReportSummary = z.strictObject({
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  filters: ReportFilters,
  /** Interactions that arrived in the range, per channel. */
  volumeByChannel: z.array(z.strictObject({ channel: Platform, interactions: z.number().int().nonnegative() })),
  /** What the desk answered by itself (sent outbox items by origin). */
  autoHandled: z.strictObject({
    closedDeskAnswers: z.number().int().nonnegative(),
    autoLikes: z.number().int().nonnegative(),
    autoReplies: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
  /** Arrival to an agent's first answer (reply, private message or like), for those that arrived in the range. */
  firstResponse: DurationFigures,
  /** An agent first getting it to completion, for those completed in the range. */
  handleTime: DurationFigures,
  serviceLevel: z.array(QueueServiceLevel),
});
export type ReportSummary = z.infer<typeof ReportSummary>;

/** The columns of the interactions CSV, in order (the header row). */
export const INTERACTIONS_CSV_COLUMNS = [
  'interaction id',
  'arrived at',
  'state',
  'channel',
  'event type',
  'contact',
  'queue',
  'agent',
  'disposition',
  'disposition note',
  'sentiment',
  'answer',
  'first response (seconds)',
  'service level met',
  'calendar on arrival',
  'completed at',
] as const;

/** At most this many rows go into one CSV export; a longer range is cut and says so. */
export const CSV_MAX_ROWS = 100_000;

export const reportsCommands = {
  listDispositionCodes: {
    summary: 'The disposition codes by name; retired ones too when asked (the completion dialog offers only the others).',
    input: z.strictObject({ includeRetired: z.boolean().default(false) }),
    output: z.strictObject({ codes: z.array(DispositionCode) }),
  },
  saveDispositionCode: {
    summary: 'Adds a disposition code (no id) or renames one (with its id; old completions show the new name). Refused when the name is empty or another code has it, in any case. Audited.',
    input: z.strictObject({
      id: Id.optional(),
      name: z.string().max(200, 'is longer than 200 characters'),
    }),
    output: DispositionCode,
  },
  retireDispositionCode: {
    summary: 'Retires a disposition code (it stays in old reports and can no longer be chosen) or, with retired: false, brings it back. Audited.',
    input: z.strictObject({ id: Id, retired: z.boolean().default(true) }),
    output: DispositionCode,
  },
  getReportFilters: {
    summary: "What the reports can be filtered by: channels, queues and agents (by name).",
    input: Empty,
    output: z.strictObject({
      channels: z.array(Platform),
      queues: z.array(z.strictObject({ id: Id, name: z.string() })),
      agents: z.array(z.strictObject({ id: Id, name: z.string() })),
    }),
  },
  readDispositionReport: {
    summary: "Completions per disposition code per day or week (Monday first) from one date to another, both included, in the desk's zone; optionally one channel, queue or agent. With a breakdown per code and channel. Refused when the end is before the start.",
    input: z.strictObject({ ...ReportRange, granularity: ReportGranularity.default('day') }),
    output: DispositionReport,
  },
  readReportSummary: {
    summary: "The reports page's figures for a date range: volume by channel, what the desk answered by itself, first response and handle time (median, p90), service level per queue.",
    input: z.strictObject(ReportRange),
    output: ReportSummary,
  },
  exportInteractionsCsv: {
    summary: `The interactions that arrived in a date range as CSV (RFC 4180), one row per interaction: ${INTERACTIONS_CSV_COLUMNS.join(', ')}. Cells a spreadsheet would run as a formula are prefixed with an apostrophe. At most ${CSV_MAX_ROWS.toLocaleString('en')} rows.`,
    input: z.strictObject(ReportRange),
    output: z.strictObject({
      fileName: z.string(),
      csv: z.string(),
      rows: z.number().int().nonnegative(),
      /** More interactions arrived in the range than one export holds. */
      truncated: z.boolean(),
    }),
  },
} as const satisfies Record<string, CommandSpec>;

export const reportsEvents = {
  dispositionCodesChanged: {
    summary: 'A disposition code was added, renamed, retired or brought back (every code, retired included).',
    payload: z.strictObject({ codes: z.array(DispositionCode) }),
  },
} as const satisfies Record<string, EventSpec>;

/** For the CSV's "event type" column and the console. */
export const EVENT_TYPE_LABELS: Record<MessageKind, string> = {
  'x.mention': 'X mention',
  'x.reply': 'X reply',
  'x.dm': 'X direct message',
  'facebook.post': 'Facebook visitor post',
  'facebook.comment': 'Facebook comment',
  'facebook.reply': 'Facebook reply',
  'facebook.private-reply': 'Facebook private reply',
  'messenger.message': 'Messenger message',
};
