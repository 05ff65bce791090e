/**
 * The calendar as the console edits it: types taken from the contract's re-exported schemas,
 * and the small pieces of time-of-day arithmetic the editors need (the desk does the real
 * checking when the calendar is saved; these only drive what the editors draw and highlight).
 */
import type { CalendarConfig, SpecialDay } from '../../../electron/core/contract';

export type Calendar = CalendarConfig;
export type WeeklyHours = CalendarConfig['weekly'];
export type Weekday = keyof WeeklyHours;
export type Range = WeeklyHours['monday'][number];
export type Templates = CalendarConfig['templates'];
export type TemplateCase = keyof Templates;
export type { SpecialDay };

export const WEEKDAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

export const weekdayLabels: Record<Weekday, string> = {
  monday: 'Monday',
  tuesday: 'Tuesday',
  wednesday: 'Wednesday',
  thursday: 'Thursday',
  friday: 'Friday',
  saturday: 'Saturday',
  sunday: 'Sunday',
};

export const weekdayShort: Record<Weekday, string> = {
  monday: 'Mon',
  tuesday: 'Tue',
  wednesday: 'Wed',
  thursday: 'Thu',
  friday: 'Fri',
  saturday: 'Sat',
  sunday: 'Sun',
};

export function nextWeekday(day: Weekday): Weekday {
  return WEEKDAYS[(WEEKDAYS.indexOf(day) + 1) % 7]!;
}

export function previousWeekday(day: Weekday): Weekday {
  return WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7]!;
}

// ---------------------------------------------------------------------------------------------
// Times of day

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
export const DAY_MINUTES = 1440;

export function isTime(value: string): boolean {
  return TIME_OF_DAY.test(value);
}

/** "09:30" -> 570; assumes isTime. */
export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** 570 -> "09:30"; 1440 -> "24:00". */
export function timeOf(minutes: number): string {
  const m = Math.max(0, Math.min(DAY_MINUTES, Math.round(minutes)));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** What people type, tidied: "9:30" -> "09:30", "930" -> "09:30", "9" -> "09:00". Anything else is left as typed. */
export function normalizeTime(input: string): string {
  const text = input.trim().replace(/^(\d{1,2})[.h](\d{2})$/, '$1:$2');
  const colon = /^(\d{1,2}):(\d{2})$/.exec(text);
  const digits = /^(\d{1,2})(\d{2})$/.exec(text);
  let parts: [string, string] | null = null;
  if (colon !== null) parts = [colon[1]!, colon[2]!];
  else if (digits !== null) parts = [digits[1]!, digits[2]!];
  else if (/^\d{1,2}$/.test(text)) parts = [text, '00'];
  if (parts === null) return input.trim();
  const candidate = `${parts[0].padStart(2, '0')}:${parts[1]}`;
  return isTime(candidate) ? candidate : input.trim();
}

/** A range whose own checks pass (both times valid, not starting at 24:00, not zero-length). */
export function isSoundRange(range: Range): boolean {
  return isTime(range.start) && isTime(range.end) && range.start !== '24:00' && minutesOf(range.start) !== minutesOf(range.end);
}

export function crossesMidnight(range: Range): boolean {
  return minutesOf(range.end) <= minutesOf(range.start);
}

/** [start, end) in minutes from the start of the range's own day; end passes 1440 across midnight. */
export function rangeSpan(range: Range): [number, number] {
  const start = minutesOf(range.start);
  const end = minutesOf(range.end);
  return [start, end <= start ? end + DAY_MINUTES : end];
}

/** "09:00–17:00" */
export function rangeLabel(range: Range): string {
  return `${range.start}–${range.end}`;
}

/** Why a range on its own cannot be saved, in a few words; null when it can. */
export function rangeProblem(range: Range): string | null {
  if (!isTime(range.start)) return `Start “${range.start}” is not a time: use HH:MM`;
  if (!isTime(range.end)) return `End “${range.end}” is not a time: use HH:MM`;
  if (range.start === '24:00') return '24:00 can only end a range';
  if (minutesOf(range.start) === minutesOf(range.end)) return 'Starts and ends at the same time';
  return null;
}

export type RangeKey = `${Weekday}:${number}`;

/**
 * What is wrong with each weekly range, as the desk will see it: its own problem, or the ranges
 * it overlaps (a cross-midnight range counts on the next morning, Sunday's on Monday's).
 */
export function weeklyRangeProblems(weekly: WeeklyHours): Map<RangeKey, string> {
  const out = new Map<RangeKey, string>();
  const all: Array<{ key: RangeKey; day: Weekday; range: Range; from: number; to: number }> = [];
  WEEKDAYS.forEach((day, index) => {
    weekly[day].forEach((range, i) => {
      const key: RangeKey = `${day}:${i}`;
      const problem = rangeProblem(range);
      if (problem !== null) {
        out.set(key, problem);
        return;
      }
      const [start, end] = rangeSpan(range);
      all.push({ key, day, range, from: index * DAY_MINUTES + start, to: index * DAY_MINUTES + end });
    });
  });
  const week = 7 * DAY_MINUTES;
  const overlap = (a0: number, a1: number, b0: number, b1: number) => a0 < b1 && b0 < a1;
  const note = (key: RangeKey, other: (typeof all)[number]) => {
    const text = `Overlaps ${weekdayLabels[other.day]} ${rangeLabel(other.range)}`;
    const existing = out.get(key);
    out.set(key, existing === undefined ? text : `${existing}; ${text.charAt(0).toLowerCase()}${text.slice(1)}`);
  };
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i]!;
      const b = all[j]!;
      if (
        overlap(a.from, a.to, b.from, b.to) ||
        overlap(a.from + week, a.to + week, b.from, b.to) ||
        overlap(a.from, a.to, b.from + week, b.to + week)
      ) {
        note(a.key, b);
        note(b.key, a);
      }
    }
  }
  return out;
}

/** Problems with one day's own ranges (a special day's hours): index -> problem. */
export function dayRangeProblems(ranges: readonly Range[]): Map<number, string> {
  const out = new Map<number, string>();
  ranges.forEach((range, i) => {
    const problem = rangeProblem(range);
    if (problem !== null) out.set(i, problem);
  });
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      if (out.has(i) || out.has(j)) continue;
      const [a0, a1] = rangeSpan(ranges[i]!);
      const [b0, b1] = rangeSpan(ranges[j]!);
      if (a0 < b1 && b0 < a1) {
        out.set(i, `Overlaps ${rangeLabel(ranges[j]!)}`);
        out.set(j, `Overlaps ${rangeLabel(ranges[i]!)}`);
      }
    }
  }
  return out;
}

/**
 * Adds a drawn stretch [start, end) (minutes, within the day) to a day: it merges with the day's
 * ranges it overlaps or touches, and gives way to the previous evening's cross-midnight range.
 * Returns the day's new ranges, sorted, or null when nothing is left to add.
 */
export function addStretch(weekly: WeeklyHours, day: Weekday, start: number, end: number): Range[] | null {
  let from = start;
  let to = end;
  // The previous day's range running into this morning keeps its part of it.
  for (const range of weekly[previousWeekday(day)]) {
    if (!isSoundRange(range) || !crossesMidnight(range)) continue;
    const spill = minutesOf(range.end);
    if (spill > from) from = Math.min(to, spill);
  }
  if (from >= to) return null;
  const kept: Range[] = [];
  for (const range of weekly[day]) {
    if (!isSoundRange(range)) {
      kept.push(range);
      continue;
    }
    const [a, b] = rangeSpan(range);
    if (a <= to && from <= b) {
      from = Math.min(from, a);
      to = Math.max(to, b);
    } else {
      kept.push(range);
    }
  }
  const merged: Range = { start: timeOf(from), end: to > DAY_MINUTES ? timeOf(to - DAY_MINUTES) : timeOf(to) };
  return sortRanges([...kept, merged]);
}

export function sortRanges(ranges: readonly Range[]): Range[] {
  return [...ranges].sort((a, b) => (isTime(a.start) ? minutesOf(a.start) : 9999) - (isTime(b.start) ? minutesOf(b.start) : 9999));
}

/** A sensible range to offer when someone adds one to a day: after its last range, or office hours. */
export function suggestedRange(ranges: readonly Range[]): Range {
  const ends = ranges.filter(isSoundRange).map((r) => rangeSpan(r)[1]);
  if (ends.length === 0) return { start: '09:00', end: '17:00' };
  const last = Math.max(...ends);
  if (last + 60 >= DAY_MINUTES) return { start: '', end: '' };
  const start = last + 60;
  return { start: timeOf(start), end: timeOf(Math.min(DAY_MINUTES, start + 120)) };
}

// ---------------------------------------------------------------------------------------------
// Special days

export function specialDayKey(day: Pick<SpecialDay, 'recurrence' | 'date'>): string {
  return `${day.recurrence}:${day.date}`;
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "25 December 2026", "25 December, every year". */
export function specialDayDate(day: Pick<SpecialDay, 'recurrence' | 'date'>): string {
  if (day.recurrence === 'yearly') {
    const m = /^(\d{2})-(\d{2})$/.exec(day.date);
    if (m === null) return day.date;
    return `${Number(m[2])} ${monthNames[Number(m[1]) - 1] ?? m[1]}`;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.date);
  if (m === null) return day.date;
  return `${Number(m[3])} ${monthNames[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** Sort key: month-day first, so yearly and one-off days interleave through the year. */
export function specialDaySortKey(day: Pick<SpecialDay, 'recurrence' | 'date'>): string {
  return day.recurrence === 'yearly' ? `${day.date}|0000` : `${day.date.slice(5)}|${day.date.slice(0, 4)}`;
}

/** One-off days before `today` ("YYYY-MM-DD" in the desk's zone) are past. */
export function isPastDay(day: Pick<SpecialDay, 'recurrence' | 'date'>, today: string): boolean {
  return day.recurrence === 'none' && day.date < today;
}

// ---------------------------------------------------------------------------------------------

/** JSON with object keys sorted, so two equal calendars compare equal whatever order their keys were written in. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function sameCalendar(a: Calendar, b: Calendar): boolean {
  return stableJson(a) === stableJson(b);
}
