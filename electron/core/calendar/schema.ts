/**
 * The calendar's runtime schemas: the desk's zone, weekly operating hours, special days,
 * answer templates and the emergency switch.
 *
 * This module is zod only (no luxon, no Node, no DOM) so the contract can re-export it and the
 * console can validate a calendar before sending it. The checks that need more than zod (an X
 * template's weighted length) live in templates.ts and run in `parseCalendarConfig`.
 *
 * Times of day are wall-clock times in the desk's zone, "HH:MM" from 00:00 to 23:59; "24:00" is
 * accepted as the end of a range only (midnight at the end of the day). A range whose end is
 * not after its start runs past midnight into the next day (Friday 22:00-02:00 ends Saturday
 * 02:00). See hours.ts for how wall-clock times become instants across DST changes.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Words

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export const Weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof Weekday>;

/** Why the desk is closed, in the order the decision checks them. */
export const ClosedReason = z.enum(['emergency', 'special-day', 'outside-hours']);
export type ClosedReason = z.infer<typeof ClosedReason>;

/** The channels a closed-desk answer goes back through (the contract's platforms). */
export const AnswerChannel = z.enum(['x', 'facebook', 'messenger']);
export type AnswerChannel = z.infer<typeof AnswerChannel>;

export const AnswerVisibility = z.enum(['public', 'private']);
export type AnswerVisibility = z.infer<typeof AnswerVisibility>;

/** UTC epoch milliseconds. */
const Instant = z.number().int().nonnegative();

// ---------------------------------------------------------------------------------------------
// Zone and locale

/** True for a zone name the runtime's time zone database knows (Europe/Paris, UTC, Etc/GMT+5). */
export function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

export const CalendarZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isIanaZone, { error: (issue) => `"${String(issue.input)}" is not an IANA time zone (for example Europe/Paris)` });

function isLocale(locale: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
  } catch {
    return false;
  }
}

export const CalendarLocale = z
  .string()
  .min(2)
  .max(35)
  .refine(isLocale, { error: (issue) => `"${String(issue.input)}" is not a locale this desk can format dates in (for example en-GB)` });

// ---------------------------------------------------------------------------------------------
// Times of day and ranges

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Minutes since the start of the day: "09:30" -> 570, "24:00" -> 1440. Assumes a valid TimeOfDay. */
export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

export const TimeOfDay = z
  .string()
  .refine((value) => TIME_OF_DAY.test(value), {
    error: (issue) => `"${String(issue.input)}" is not a time of day: use HH:MM from 00:00 to 23:59 (24:00 only to end a range)`,
  });
export type TimeOfDay = z.infer<typeof TimeOfDay>;

/** A stretch of opening on one day, in wall-clock time. `end` not after `start`: it ends the next day. */
export const Range = z
  .strictObject({ start: TimeOfDay, end: TimeOfDay })
  .superRefine((range, ctx) => {
    // zod runs this even when a time failed: those are reported already.
    if (!TIME_OF_DAY.test(range.start) || !TIME_OF_DAY.test(range.end)) return;
    if (range.start === '24:00') {
      ctx.addIssue({ code: 'custom', path: ['start'], message: '24:00 can only end a range: start the day at 00:00' });
      return;
    }
    if (minutesOf(range.start) === minutesOf(range.end)) {
      ctx.addIssue({ code: 'custom', message: `${range.start}-${range.end} has no length: a range must start and end at different times` });
    }
  });
export type Range = z.infer<typeof Range>;

/** A range whose own checks pass: only those take part in overlap checks. */
function isSoundRange(range: Range): boolean {
  return TIME_OF_DAY.test(range.start) && TIME_OF_DAY.test(range.end) && range.start !== '24:00' && minutesOf(range.start) !== minutesOf(range.end);
}

/** True when the range runs past midnight into the next day. */
export function crossesMidnight(range: Range): boolean {
  return minutesOf(range.end) <= minutesOf(range.start);
}

/** [start, end) in minutes from the start of the range's own day; end may pass 1440. */
export function rangeMinutes(range: Range): [number, number] {
  const start = minutesOf(range.start);
  const end = minutesOf(range.end);
  return [start, end <= start ? end + 1440 : end];
}

export function describeRange(range: Range): string {
  return `${range.start}-${range.end}`;
}

const MAX_RANGES_PER_DAY = 12;
const DayRanges = z.array(Range).max(MAX_RANGES_PER_DAY, `has more than ${MAX_RANGES_PER_DAY} ranges`);

/** Overlaps between ranges of one day (a special day's hours): [i, j] pairs. */
function overlapsWithinDay(ranges: readonly Range[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < ranges.length; i++) {
    if (!isSoundRange(ranges[i]!)) continue;
    for (let j = i + 1; j < ranges.length; j++) {
      if (!isSoundRange(ranges[j]!)) continue;
      const [a0, a1] = rangeMinutes(ranges[i]!);
      const [b0, b1] = rangeMinutes(ranges[j]!);
      if (a0 < b1 && b0 < a1) out.push([i, j]);
    }
  }
  return out;
}

const WEEK_MINUTES = 7 * 1440;

/**
 * Weekly operating hours: several ranges per day; a range that crosses midnight runs into the
 * next day (Sunday's runs into Monday). No two ranges may overlap, counting the part of a
 * cross-midnight range that falls on the next morning. Touching ranges (17:00 end, 17:00 start)
 * are fine and read as one stretch.
 */
export const WeeklyHours = z
  .strictObject({
    monday: DayRanges,
    tuesday: DayRanges,
    wednesday: DayRanges,
    thursday: DayRanges,
    friday: DayRanges,
    saturday: DayRanges,
    sunday: DayRanges,
  })
  .superRefine((weekly, ctx) => {
    const all: Array<{ day: Weekday; range: Range; from: number; to: number }> = [];
    WEEKDAYS.forEach((day, index) => {
      for (const range of weekly[day]) {
        if (!isSoundRange(range)) continue;
        const [start, end] = rangeMinutes(range);
        all.push({ day, range, from: index * 1440 + start, to: index * 1440 + end });
      }
    });
    const overlap = (a0: number, a1: number, b0: number, b1: number) => a0 < b1 && b0 < a1;
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        const a = all[i]!;
        const b = all[j]!;
        // The week wraps: Sunday's cross-midnight range runs into Monday morning.
        const clash =
          overlap(a.from, a.to, b.from, b.to) ||
          overlap(a.from + WEEK_MINUTES, a.to + WEEK_MINUTES, b.from, b.to) ||
          overlap(a.from, a.to, b.from + WEEK_MINUTES, b.to + WEEK_MINUTES);
        if (clash) {
          // Name a cross-midnight range first, saying where it runs to: that is usually the surprise.
          const [first, second] = !crossesMidnight(a.range) && crossesMidnight(b.range) ? [b, a] : [a, b];
          const runsInto = (x: typeof a) =>
            crossesMidnight(x.range) ? ` (runs into ${WEEKDAYS[(WEEKDAYS.indexOf(x.day) + 1) % 7]})` : '';
          ctx.addIssue({
            code: 'custom',
            message: `${first.day} ${describeRange(first.range)}${runsInto(first)} overlaps ${second.day} ${describeRange(second.range)}${runsInto(second)}`,
          });
        }
      }
    }
  });
export type WeeklyHours = z.infer<typeof WeeklyHours>;

// ---------------------------------------------------------------------------------------------
// Special days

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAY = /^(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True for a real calendar date "YYYY-MM-DD" (2026-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  const m = FULL_DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year >= 1970 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** True for a day of the year "MM-DD"; 02-29 is one (it happens in leap years only). */
export function isMonthDay(value: string): boolean {
  const m = MONTH_DAY.exec(value);
  if (!m) return false;
  const [month, day] = [Number(m[1]), Number(m[2])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(2024, month);
}

/**
 * A day that does not follow the weekly hours: closed all day, or open on hours of its own.
 *
 * - `recurrence: 'none'`: `date` is one date, "YYYY-MM-DD".
 * - `recurrence: 'yearly'`: `date` is "MM-DD" and applies every year. A yearly 02-29 applies in
 *   leap years only: in other years that date does not exist and nothing is moved to 28 February
 *   or 1 March (add a one-off day for that if wanted).
 * - A special day governs its whole date in the desk's zone, 00:00 to 24:00: the part of the
 *   previous day's cross-midnight range that falls on it does not apply. Its own special hours may
 *   cross midnight into the following day.
 * - A one-off day and a yearly day on the same date: the one-off day wins.
 * - `message`: the day's own words, offered to the special-day templates as {special_day_message}.
 */
export const SpecialDay = z
  .strictObject({
    id: z.string().min(1).max(64).optional(),
    date: z.string(),
    recurrence: z.enum(['none', 'yearly']),
    kind: z.enum(['closed', 'special-hours']),
    ranges: DayRanges.optional(),
    name: z.string().trim().min(1, 'must not be empty').max(80, 'is longer than 80 characters'),
    message: z.string().trim().max(1000, 'is longer than 1000 characters').optional(),
  })
  .superRefine((day, ctx) => {
    if (day.recurrence === 'none' && !isCalendarDate(day.date)) {
      const message = MONTH_DAY.test(day.date)
        ? `"${day.date}" has no year: a one-off special day needs a full date (YYYY-MM-DD), or make it yearly`
        : `"${day.date}" is not a real date (YYYY-MM-DD)`;
      ctx.addIssue({ code: 'custom', path: ['date'], message });
    }
    if (day.recurrence === 'yearly' && !isMonthDay(day.date)) {
      const message = FULL_DATE.test(day.date)
        ? `"${day.date}" has a year: a yearly special day takes a month and day (MM-DD)`
        : `"${day.date}" is not a day of the year (MM-DD)`;
      ctx.addIssue({ code: 'custom', path: ['date'], message });
    }
    const ranges = day.ranges ?? [];
    if (day.kind === 'closed' && ranges.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['ranges'], message: 'a day closed all day has no hours: remove them or choose special hours' });
    }
    if (day.kind === 'special-hours' && ranges.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['ranges'], message: 'special hours need at least one range (or mark the day closed)' });
    }
    for (const [i, j] of overlapsWithinDay(ranges)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ranges'],
        message: `${describeRange(ranges[i]!)} overlaps ${describeRange(ranges[j]!)}`,
      });
    }
  });
export type SpecialDay = z.infer<typeof SpecialDay>;

// ---------------------------------------------------------------------------------------------
// Answer templates

/** The placeholders each case's templates may use. */
export const PLACEHOLDERS = {
  'special-day': ['contact_name', 'desk_name', 'reopens_at', 'special_day_name', 'special_day_message'],
  'outside-hours': ['contact_name', 'desk_name', 'reopens_at'],
  emergency: ['contact_name', 'desk_name', 'reopens_at', 'emergency_message'],
} as const satisfies Record<ClosedReason, readonly string[]>;
export type Placeholder = (typeof PLACEHOLDERS)[ClosedReason][number];

/** `{name}` where name is a word: what the renderer replaces. */
export const PLACEHOLDER_PATTERN = /\{([a-z_]+)\}/g;

function templateText(reason: ClosedReason) {
  const allowed: readonly string[] = PLACEHOLDERS[reason];
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(10_000, 'is longer than 10000 characters')
    .superRefine((text, ctx) => {
      for (const match of text.matchAll(PLACEHOLDER_PATTERN)) {
        if (!allowed.includes(match[1]!)) {
          ctx.addIssue({
            code: 'custom',
            message: `uses unknown placeholder {${match[1]}}: this answer may use ${allowed.map((p) => `{${p}}`).join(', ')}`,
          });
        }
      }
    });
}

/**
 * X and Facebook: a public message (mention, reply, visitor post, comment) is answered publicly or
 * privately as `answerPublicMessages` says; a private one (X DM) always privately.
 * `public` is the reply on X / the comment on the Page; `private` the X DM / Facebook's private
 * reply (delivered through Messenger).
 */
function publicChannelTemplates(reason: ClosedReason) {
  return z.strictObject({
    answerPublicMessages: AnswerVisibility,
    public: templateText(reason),
    private: templateText(reason),
  });
}

/** Messenger answers are always private. */
function messengerTemplates(reason: ClosedReason) {
  return z.strictObject({ private: templateText(reason) });
}

function caseTemplates(reason: ClosedReason) {
  return z.strictObject({
    x: publicChannelTemplates(reason),
    facebook: publicChannelTemplates(reason),
    messenger: messengerTemplates(reason),
  });
}

/** One set of answers per case (special day, outside hours, emergency) x channel x visibility. */
export const AnswerTemplates = z.strictObject({
  'special-day': caseTemplates('special-day'),
  'outside-hours': caseTemplates('outside-hours'),
  emergency: caseTemplates('emergency'),
});
export type AnswerTemplates = z.infer<typeof AnswerTemplates>;

// ---------------------------------------------------------------------------------------------
// The calendar

export const MAX_SPECIAL_DAYS = 1000;

export const CalendarConfig = z
  .strictObject({
    zone: CalendarZone,
    /** Used to write {reopens_at} (weekday and month names, date order). */
    locale: CalendarLocale.default('en-GB'),
    weekly: WeeklyHours,
    specialDays: z.array(SpecialDay).max(MAX_SPECIAL_DAYS, `has more than ${MAX_SPECIAL_DAYS} days`),
    templates: AnswerTemplates,
    /** At most one closed-desk answer per contact per closed period (see decide.ts). */
    answerOncePerClosedPeriod: z.boolean(),
  })
  .superRefine((calendar, ctx) => {
    const seen = new Map<string, SpecialDay>();
    calendar.specialDays.forEach((day, index) => {
      const key = `${day.recurrence}:${day.date}`;
      const earlier = seen.get(key);
      if (earlier) {
        const when = day.recurrence === 'yearly' ? `every ${day.date}` : day.date;
        ctx.addIssue({
          code: 'custom',
          path: ['specialDays', index, 'date'],
          message: `${when} is already a special day (${earlier.name})`,
        });
      } else {
        seen.set(key, day);
      }
    });
  });
export type CalendarConfig = z.infer<typeof CalendarConfig>;
export type CalendarConfigInput = z.input<typeof CalendarConfig>;

// ---------------------------------------------------------------------------------------------
// Emergency switch

/** The emergency switch; the store keeps it, the decision reads it. */
export const EmergencyState = z
  .strictObject({
    on: z.boolean(),
    /** Offered to the emergency templates as {emergency_message}. */
    message: z.string().trim().max(1000, 'is longer than 1000 characters'),
    /** Who last switched it (on or off); null before anyone has. */
    switchedBy: z.string().min(1).max(100).nullable(),
    switchedAt: Instant.nullable(),
  })
  .superRefine((state, ctx) => {
    if (state.on && (state.switchedBy === null || state.switchedAt === null)) {
      ctx.addIssue({ code: 'custom', path: ['switchedBy'], message: 'an emergency that is on says who switched it on and when' });
    }
  });
export type EmergencyState = z.infer<typeof EmergencyState>;

export const EMERGENCY_OFF: EmergencyState = { on: false, message: '', switchedBy: null, switchedAt: null };
