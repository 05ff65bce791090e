/**
 * From wall-clock hours to instants, in the desk's zone.
 *
 * DST semantics (every answer of the calendar follows them):
 *
 * - Days and hours are wall-clock times in the desk's zone. The desk is open exactly when its
 *   wall clock shows a time inside one of the ranges of the date the range belongs to (a range
 *   that crosses midnight runs on into the next date's wall clock).
 * - Clocks spring forward: wall times in the gap never happen. A range that starts in the gap
 *   opens at the first instant after it (02:30-05:00 on the night Paris jumps from 02:00 to 03:00
 *   opens at 03:00 CEST); a range ending in it closes when the clock jumps; 01:30-03:30 that night
 *   lasts one hour; a range entirely inside the gap (02:00-02:30) does not open that night.
 * - Clocks fall back: the repeated wall times happen twice and the desk is open during both
 *   occurrences of those inside a range. 02:00-03:00 on the night Paris goes from 03:00 back to
 *   02:00 is open two hours; 01:30-02:30 that night is open 01:30-02:30 CEST, closed while the
 *   clock shows 02:30-02:59 CEST (outside the range), and open again 02:00-02:30 CET.
 * - A date runs from the first instant its wall clock shows 00:00 (or the first instant after a
 *   gap at midnight) to the same instant of the next date.
 * - Times are minutes; instants are UTC epoch milliseconds. Nothing here reads a clock.
 */
import { IANAZone } from 'luxon';
import {
  WEEKDAYS,
  isIanaZone,
  rangeMinutes,
  type CalendarConfig,
  type Range,
  type SpecialDay,
  type Weekday,
} from './schema';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Half-open [start, end) in epoch ms. */
export interface Interval {
  start: number;
  end: number;
}

// ---------------------------------------------------------------------------------------------
// Civil dates as day numbers (days since 1970-01-01), so walking days costs no time zone work.

export type DayNumber = number;

export function dayNumberOf(date: string): DayNumber {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Math.floor(Date.UTC(y, m - 1, d) / DAY);
}

export function dateOf(day: DayNumber): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** 0 = Monday .. 6 = Sunday. */
export function weekdayIndexOf(day: DayNumber): number {
  return (new Date(day * DAY).getUTCDay() + 6) % 7;
}

export function weekdayOf(day: DayNumber): Weekday {
  return WEEKDAYS[weekdayIndexOf(day)]!;
}

// ---------------------------------------------------------------------------------------------
// Zone arithmetic

/** One IANA zone: offsets, and wall-clock times to instants under the DST rules above. */
export class DeskZone {
  readonly name: string;
  private readonly zone: IANAZone;
  /** Offset of each hour asked about; null for an hour in which the offset changes. */
  private readonly hours = new Map<number, number | null>();

  constructor(name: string) {
    if (!isIanaZone(name)) throw new Error(`"${name}" is not an IANA time zone`);
    this.name = name;
    this.zone = IANAZone.create(name);
  }

  /** Offset from UTC at an instant, in minutes (+120 for Paris in summer). */
  offset(at: number): number {
    // Asking the zone database costs microseconds (Intl formatting); a storm of messages asks
    // about the same hours again and again. An hour whose start and end share an offset has it
    // throughout (zones change at most once in an hour); others are asked exactly.
    const hour = Math.floor(at / HOUR);
    let known = this.hours.get(hour);
    if (known === undefined) {
      const first = this.zone.offset(hour * HOUR);
      known = first === this.zone.offset(hour * HOUR + HOUR - 1) ? first : null;
      if (this.hours.size >= 4096) this.hours.clear();
      this.hours.set(hour, known);
    }
    return known ?? this.zone.offset(at);
  }

  /** The wall clock at an instant, as milliseconds "as if the wall clock were UTC". */
  wallOf(at: number): number {
    return at + this.offset(at) * MINUTE;
  }

  /**
   * The instant a wall-clock time happens. `wall` is the wall time as milliseconds "as if UTC".
   * A repeated time (fall back) has two instants: `prefer` picks the first or the last.
   * A time in a spring-forward gap resolves to the first instant after the gap.
   */
  instantOf(wall: number, prefer: 'earliest' | 'latest'): number {
    const stretches = this.instantsShowing(wall, wall + 1);
    if (stretches.length > 0) return prefer === 'earliest' ? stretches[0]!.start : stretches[stretches.length - 1]!.start;
    // In a gap: the first instant whose wall clock is past it.
    return this.instantsShowing(wall, wall + 2 * DAY)[0]!.start;
  }

  /**
   * Every instant whose wall clock shows a time in [wallFrom, wallTo), as sorted stretches: one
   * usually, two when the clocks fall back inside it, none when it lies in a spring-forward gap.
   */
  instantsShowing(wallFrom: number, wallTo: number): Interval[] {
    const out: Interval[] = [];
    // Offsets lie within -12h..+14h: instants outside this window cannot show these wall times.
    for (const piece of this.pieces(wallFrom - 15 * HOUR, wallTo + 13 * HOUR)) {
      const start = Math.max(piece.from, wallFrom - piece.offset * MINUTE);
      const end = Math.min(piece.to, wallTo - piece.offset * MINUTE);
      if (end <= start) continue;
      const last = out[out.length - 1];
      if (last && last.end >= start) last.end = Math.max(last.end, end);
      else out.push({ start, end });
    }
    return out;
  }

  /** [from, to) cut where the offset changes, each piece with its offset. */
  private pieces(from: number, to: number): Array<{ from: number; to: number; offset: number }> {
    const out: Array<{ from: number; to: number; offset: number }> = [];
    let lo = from;
    for (let guard = 0; guard < 8; guard++) {
      const offset = this.offset(lo);
      if (this.offset(to - 1) === offset) break;
      // The first instant with another offset (one change at a time), to the millisecond.
      let a = lo;
      let b = to - 1;
      while (b - a > 1) {
        const mid = Math.floor((a + b) / 2);
        if (this.offset(mid) === offset) a = mid;
        else b = mid;
      }
      out.push({ from: lo, to: b, offset });
      lo = b;
    }
    out.push({ from: lo, to, offset: this.offset(lo) });
    return out;
  }
}

const zones = new Map<string, DeskZone>();

/** One DeskZone per zone name, so its offset cache outlives any one calendar. */
export function deskZone(name: string): DeskZone {
  let zone = zones.get(name);
  if (!zone) {
    zone = new DeskZone(name);
    zones.set(name, zone);
  }
  return zone;
}

// ---------------------------------------------------------------------------------------------
// A calendar compiled for fast questions

/** What one date looks like: its window and its open stretches. */
export interface DayPlan {
  day: DayNumber;
  date: string;
  weekday: Weekday;
  /** The first instant of the date (its 00:00, or the first instant after a gap at midnight). */
  start: number;
  /** The first instant of the next date. */
  end: number;
  /** The special day that governs this date, if any (a one-off day before a yearly one). */
  specialDay: SpecialDay | null;
  /**
   * Open stretches of the ranges that belong to this date (the special day's hours, or the
   * weekly hours of its weekday), sorted by start, empty ones dropped. A stretch may run into
   * the next date; it stops at the next date's start when that date is a special day.
   */
  open: Interval[];
  /** The weekly hours of this weekday as instants, ignoring special days (to explain a closure). */
  weeklyOpen: Interval[];
}

export interface CompiledCalendar {
  readonly config: CalendarConfig;
  readonly zone: DeskZone;
  plan(day: DayNumber): DayPlan;
  /** The date an instant falls on, in the desk's zone. */
  dayOf(at: number): DayNumber;
}

const compiled = new WeakMap<CalendarConfig, CompiledCalendar>();
const PLAN_CACHE_LIMIT = 1024;

/**
 * The calendar ready for questions. Cached per config object: keep the config you parsed and
 * ask with it, and a storm of decisions costs a few map look-ups each.
 */
export function compileCalendar(config: CalendarConfig): CompiledCalendar {
  const cached = compiled.get(config);
  if (cached) return cached;

  const zone = deskZone(config.zone);
  const weekly: Array<ReadonlyArray<[number, number]>> = WEEKDAYS.map((day) => config.weekly[day].map(rangeMinutes));
  const oneOff = new Map<string, SpecialDay>();
  const yearly = new Map<string, SpecialDay>();
  for (const day of config.specialDays) {
    const map = day.recurrence === 'yearly' ? yearly : oneOff;
    if (!map.has(day.date)) map.set(day.date, day);
  }
  const plans = new Map<DayNumber, DayPlan>();
  const starts = new Map<DayNumber, number>();

  const specialDayOf = (day: DayNumber): SpecialDay | null => {
    if (oneOff.size === 0 && yearly.size === 0) return null;
    const date = dateOf(day);
    // A yearly 02-29 is found only in leap years: other years have no such date.
    return oneOff.get(date) ?? yearly.get(date.slice(5)) ?? null;
  };

  const dayStart = (day: DayNumber): number => {
    let at = starts.get(day);
    if (at === undefined) {
      at = zone.instantOf(day * DAY, 'earliest');
      if (starts.size >= PLAN_CACHE_LIMIT * 2) starts.clear();
      starts.set(day, at);
    }
    return at;
  };

  const stretches = (day: DayNumber, ranges: ReadonlyArray<[number, number]>, clipAt: number): Interval[] => {
    const out: Interval[] = [];
    for (const [from, to] of ranges) {
      for (const stretch of zone.instantsShowing(day * DAY + from * MINUTE, day * DAY + to * MINUTE)) {
        const end = Math.min(stretch.end, clipAt);
        if (end > stretch.start) out.push({ start: stretch.start, end });
      }
    }
    return out.sort((a, b) => a.start - b.start);
  };

  const buildPlan = (day: DayNumber): DayPlan => {
    const specialDay = specialDayOf(day);
    const weekdayIndex = weekdayIndexOf(day);
    const start = dayStart(day);
    const end = dayStart(day + 1);
    const weeklyRanges = weekly[weekdayIndex]!;
    const weeklyOpen = stretches(day, weeklyRanges, Number.POSITIVE_INFINITY);
    let own: ReadonlyArray<[number, number]> = weeklyRanges;
    if (specialDay) own = specialDay.kind === 'closed' ? [] : (specialDay.ranges ?? []).map((r: Range) => rangeMinutes(r));
    // The next date governs itself when it is a special day: our stretches stop at its start.
    const clipAt = specialDayOf(day + 1) ? end : Number.POSITIVE_INFINITY;
    const open = own === weeklyRanges && clipAt === Number.POSITIVE_INFINITY ? weeklyOpen : stretches(day, own, clipAt);
    return { day, date: dateOf(day), weekday: WEEKDAYS[weekdayIndex]!, start, end, specialDay, open, weeklyOpen };
  };

  const result: CompiledCalendar = {
    config,
    zone,
    plan(day) {
      let plan = plans.get(day);
      if (!plan) {
        plan = buildPlan(day);
        if (plans.size >= PLAN_CACHE_LIMIT) plans.clear();
        plans.set(day, plan);
      }
      return plan;
    },
    dayOf(at) {
      let day = Math.floor(zone.wallOf(at) / DAY);
      // The wall clock can show the previous date again after a fall-back at midnight, or skip
      // into the next: the date windows decide.
      if (at < dayStart(day)) day -= 1;
      else if (at >= dayStart(day + 1)) day += 1;
      return day;
    },
  };
  compiled.set(config, result);
  return result;
}

/** The open stretches that begin on a date ("YYYY-MM-DD"), as instants: for previews and tests. */
export function openStretchesOn(config: CalendarConfig, date: string): Interval[] {
  return compileCalendar(config).plan(dayNumberOf(date)).open.map((i) => ({ ...i }));
}

/** The instant a wall-clock time on a date happens in a zone (first occurrence; gap -> after it). */
export function instantOfWallTime(zone: string, date: string, time: string, prefer: 'earliest' | 'latest' = 'earliest'): number {
  const minutes = Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  return deskZone(zone).instantOf(dayNumberOf(date) * DAY + minutes * MINUTE, prefer);
}
