/**
 * Wall-clock time in a named zone, with nothing but Intl: the console has no luxon. Enough for
 * the tester's "what happens at" input (a wall time in the desk's zone -> an instant) and for
 * placing "now" on the week grid.
 */
import type { Weekday } from './model';

export interface WallTime {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = partFormatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        weekday: 'short',
      });
    } catch {
      formatter = partsFormatter('UTC');
    }
    partFormatters.set(zone, formatter);
  }
  return formatter;
}

const weekdayByShort: Record<string, Weekday> = {
  Mon: 'monday',
  Tue: 'tuesday',
  Wed: 'wednesday',
  Thu: 'thursday',
  Fri: 'friday',
  Sat: 'saturday',
  Sun: 'sunday',
};

/** The wall clock in `zone` at an instant, with the weekday and seconds. */
export function wallAt(ms: number, zone: string): WallTime & { second: number; weekday: Weekday } {
  const parts: Record<string, string> = {};
  for (const part of partsFormatter(zone).formatToParts(ms)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: weekdayByShort[parts.weekday ?? 'Mon'] ?? 'monday',
  };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
export function offsetAt(ms: number, zone: string): number {
  const wall = wallAt(ms, zone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant a wall-clock time in `zone` names. A time repeated when clocks go back is the
 * first occurrence; a time skipped when they go forward is taken as the instant after the gap.
 */
export function instantOf(wall: WallTime, zone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // The offsets in force around that time (a DST change nearby gives two): each proposes an instant.
  const offsets = new Set<number>();
  for (let k = -3; k <= 3; k++) offsets.add(offsetAt(asUtc + k * 6 * 3_600_000, zone));
  const proposals = [...offsets].map((offset) => asUtc - offset);
  const matches = proposals
    .filter((t) => {
      const w = wallAt(t, zone);
      return w.year === wall.year && w.month === wall.month && w.day === wall.day && w.hour === wall.hour && w.minute === wall.minute;
    })
    .sort((a, b) => a - b);
  if (matches.length > 0) return matches[0]!;
  // In a spring-forward gap the wall time never happens: take it as the time after the jump.
  return Math.max(...proposals);
}

/** "2026-12-25T10:00" (a datetime-local value) -> wall time, or null. */
export function parseLocalDateTime(value: string): WallTime | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(value);
  if (m === null) return null;
  const wall = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]) };
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > 31 || wall.hour > 23 || wall.minute > 59) return null;
  return wall;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An instant as a datetime-local value in `zone`: "2026-12-25T10:00". */
export function localDateTimeValue(ms: number, zone: string): string {
  const w = wallAt(ms, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** The date at an instant in `zone`: "2026-12-25". */
export function localDate(ms: number, zone: string): string {
  return localDateTimeValue(ms, zone).slice(0, 10);
}

/** The calendar date `days` after a "YYYY-MM-DD" wall date, as a wall time at hh:mm. */
export function addDays(wall: WallTime, days: number): WallTime {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
  return { ...wall, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
