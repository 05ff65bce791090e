/**
 * The calendar gate: for an instant and a channel, is the desk open, and if not, why, until
 * when, and which answer applies.
 *
 * Order: the emergency switch first, then special days, then the weekly operating hours.
 *
 * A closed period is one unbroken stretch of time during which the desk is closed by its
 * calendar: from the instant it closed (the end of the last open stretch, found by searching
 * backwards) to the instant it reopens (the start of the next open stretch). The reason may change
 * inside one period (Friday evening and the weekend are outside hours, Monday is a holiday): it is
 * still one period, and a contact who was answered once in it is not answered again when
 * `answerOncePerClosedPeriod` is on. While the emergency switch is on, the period is the
 * emergency itself, from the instant it was switched on.
 *
 * Pure: the instant is always passed in.
 */
import { compileCalendar, type CompiledCalendar, type DayPlan } from './hours';
import type { AnswerChannel, AnswerVisibility, CalendarConfig, ClosedReason, EmergencyState, SpecialDay } from './schema';

/** How far the desk looks for a reopening (or a closing, backwards) before it gives up. */
export const REOPEN_HORIZON_DAYS = 366;

export interface ClosedPeriod {
  /** 'calendar' (special days and hours) or 'emergency' (the switch). */
  kind: 'calendar' | 'emergency';
  /** The instant the desk closed; null when it has been closed for longer than the horizon (or, for an emergency, the switch time is unknown). */
  since: number | null;
  /** The instant it reopens; null when not within the horizon, and always for an emergency. */
  until: number | null;
  /** Stable identity of the period: store it as the contact's last answered period. */
  key: string;
}

export interface ClosedAnswer {
  /** Which set of templates applies. */
  case: ClosedReason;
  channel: AnswerChannel;
  visibility: AnswerVisibility;
  /** Where the template sits in the calendar, e.g. "templates.outside-hours.x.public". */
  path: string;
  /** The template text, placeholders not yet filled (see renderAnswer). */
  template: string;
}

export interface OpenDecision {
  state: 'open';
  at: number;
}

export interface ClosedDecision {
  state: 'closed';
  at: number;
  reason: ClosedReason;
  /** The next instant the desk is open; null during an emergency or when not within the horizon. */
  reopensAt: number | null;
  /** For people: the reopening time in the desk's zone, or why there is none. */
  reopens: string;
  /** The special day that closes the desk (reason 'special-day'). */
  specialDay: SpecialDay | null;
  period: ClosedPeriod;
  answer: ClosedAnswer;
}

export type DeskDecision = OpenDecision | ClosedDecision;

export interface DecideInput {
  calendar: CalendarConfig;
  emergency: EmergencyState;
  /** The instant to decide for (the message's arrival), epoch ms. */
  at: number;
  channel: AnswerChannel;
  /**
   * The inbound message's visibility: 'public' for a mention, reply, post or comment, 'private'
   * for an X DM. A private message is always answered privately; Messenger always is.
   * Defaults to 'public'.
   */
  inbound?: AnswerVisibility;
}

// ---------------------------------------------------------------------------------------------
// Calendar-only questions (no emergency)

function containing(plan: DayPlan, at: number): boolean {
  for (const stretch of plan.open) if (stretch.start <= at && at < stretch.end) return true;
  return false;
}

function openIn(cal: CompiledCalendar, day: number, at: number): boolean {
  // A stretch that begins the day before may run past midnight into this date.
  return containing(cal.plan(day), at) || containing(cal.plan(day - 1), at);
}

/** True when the calendar (special days and hours, not the emergency switch) has the desk open. */
export function isOpenAt(calendar: CalendarConfig, at: number): boolean {
  const cal = compileCalendar(calendar);
  return openIn(cal, cal.dayOf(at), at);
}

function nextOpenFrom(cal: CompiledCalendar, today: number, at: number, horizonDays: number): number | null {
  let best: number | null = null;
  const consider = (day: number) => {
    for (const stretch of cal.plan(day).open) {
      if (stretch.end > at) {
        const candidate = Math.max(stretch.start, at);
        if (best === null || candidate < best) best = candidate;
      }
    }
  };
  for (let day = today - 1; day <= today + horizonDays; day++) {
    consider(day);
    // Stretches of one date start before those of the next (bar a fall-back at midnight, which
    // can put a late stretch of the previous date after an early one of the next): once one is
    // found, the next date is the last that can hold an earlier one.
    if (best !== null) {
      consider(day + 1);
      return best;
    }
  }
  return null;
}

function closedSinceFrom(cal: CompiledCalendar, today: number, at: number, horizonDays: number): number | null {
  let best: number | null = null;
  for (let day = today; day >= today - horizonDays; day--) {
    for (const stretch of cal.plan(day).open) {
      if (stretch.end <= at && (best === null || stretch.end > best)) best = stretch.end;
    }
    // The previous date's stretches may end on this one, later than this date's own: look one
    // more date back once something is found, then stop (older ones end before this date began).
    if (best !== null) {
      for (const stretch of cal.plan(day - 1).open) {
        if (stretch.end <= at && stretch.end > best) best = stretch.end;
      }
      return best;
    }
  }
  return null;
}

/**
 * The first instant at or after `at` when the calendar has the desk open: `at` itself when open
 * now, null when not within `horizonDays`.
 */
export function nextOpenAt(calendar: CalendarConfig, at: number, horizonDays = REOPEN_HORIZON_DAYS): number | null {
  const cal = compileCalendar(calendar);
  return nextOpenFrom(cal, cal.dayOf(at), at, horizonDays);
}

/**
 * The instant the desk last closed before `at` (the end of the last open stretch), or null when
 * it is open at `at` or has not been open within `horizonDays` before it.
 */
export function closedSinceAt(calendar: CalendarConfig, at: number, horizonDays = REOPEN_HORIZON_DAYS): number | null {
  const cal = compileCalendar(calendar);
  const today = cal.dayOf(at);
  if (openIn(cal, today, at)) return null;
  return closedSinceFrom(cal, today, at, horizonDays);
}

/** The closed period (calendar) containing `at`; null when the desk is open then. */
export function closedPeriodAt(calendar: CalendarConfig, at: number, horizonDays = REOPEN_HORIZON_DAYS): ClosedPeriod | null {
  const cal = compileCalendar(calendar);
  const today = cal.dayOf(at);
  if (openIn(cal, today, at)) return null;
  return calendarPeriod(closedSinceFrom(cal, today, at, horizonDays), nextOpenFrom(cal, today, at, horizonDays));
}

function calendarPeriod(since: number | null, until: number | null): ClosedPeriod {
  const key = since !== null ? `calendar:${since}` : `calendar:until:${until ?? 'never'}`;
  return { kind: 'calendar', since, until, key };
}

function emergencyPeriod(emergency: EmergencyState): ClosedPeriod {
  return { kind: 'emergency', since: emergency.switchedAt, until: null, key: `emergency:${emergency.switchedAt ?? 'unknown'}` };
}

// ---------------------------------------------------------------------------------------------
// The decision

function pickAnswer(calendar: CalendarConfig, reason: ClosedReason, channel: AnswerChannel, inbound: AnswerVisibility): ClosedAnswer {
  const set = calendar.templates[reason];
  if (channel === 'messenger') {
    return { case: reason, channel, visibility: 'private', path: `templates.${reason}.messenger.private`, template: set.messenger.private };
  }
  const channelSet = set[channel];
  const visibility: AnswerVisibility = inbound === 'private' ? 'private' : channelSet.answerPublicMessages;
  return { case: reason, channel, visibility, path: `templates.${reason}.${channel}.${visibility}`, template: channelSet[visibility] };
}

function describeReopening(cal: CompiledCalendar, at: number | null, horizonDays: number): string {
  if (at === null) return `not within the next ${horizonDays} days`;
  const wall = new Date(cal.zone.wallOf(at)).toISOString().slice(0, 16).replace('T', ' ');
  return `${wall} ${cal.zone.name}`;
}

/**
 * Open, or closed with the reason, the reopening instant, the closed period and the answer that
 * applies. Emergency first, then special day, then operating hours.
 */
export function decide(input: DecideInput): DeskDecision {
  const { calendar, emergency, at, channel } = input;
  const inbound = input.inbound ?? 'public';

  if (emergency.on) {
    return {
      state: 'closed',
      at,
      reason: 'emergency',
      reopensAt: null,
      reopens: 'when emergency is switched off',
      specialDay: null,
      period: emergencyPeriod(emergency),
      answer: pickAnswer(calendar, 'emergency', channel, inbound),
    };
  }

  const cal = compileCalendar(calendar);
  const today = cal.dayOf(at);
  if (openIn(cal, today, at)) return { state: 'open', at };

  // Closed by a special day when today is one, or when the weekly hours alone would have the desk
  // open now (then the previous date is a special day that cancelled its cross-midnight range).
  const plan = cal.plan(today);
  let specialDay: SpecialDay | null = plan.specialDay;
  if (!specialDay) {
    const previous = cal.plan(today - 1);
    if (previous.specialDay && previous.weeklyOpen.some((s) => s.start <= at && at < s.end)) specialDay = previous.specialDay;
  }
  const reason: ClosedReason = specialDay ? 'special-day' : 'outside-hours';
  const reopensAt = nextOpenFrom(cal, today, at, REOPEN_HORIZON_DAYS);
  const since = closedSinceFrom(cal, today, at, REOPEN_HORIZON_DAYS);
  return {
    state: 'closed',
    at,
    reason,
    reopensAt,
    reopens: describeReopening(cal, reopensAt, REOPEN_HORIZON_DAYS),
    specialDay,
    period: calendarPeriod(since, reopensAt),
    answer: pickAnswer(calendar, reason, channel, inbound),
  };
}

// ---------------------------------------------------------------------------------------------
// At most one closed-desk answer per contact per closed period

export interface ClosedAnswerCheck {
  answer: boolean;
  why: string;
}

/**
 * Whether to send the closed-desk answer to a contact: always when `oncePerClosedPeriod` is off;
 * otherwise only when the contact's last answered period (its `key`, as stored) is not this one.
 */
export function shouldSendClosedAnswer(input: {
  period: ClosedPeriod;
  lastAnsweredPeriodKey: string | null;
  oncePerClosedPeriod: boolean;
}): ClosedAnswerCheck {
  if (!input.oncePerClosedPeriod) return { answer: true, why: 'every message is answered while the desk is closed' };
  if (input.lastAnsweredPeriodKey === input.period.key) {
    return { answer: false, why: 'this contact was already answered in this closed period' };
  }
  return { answer: true, why: 'first message from this contact in this closed period' };
}
