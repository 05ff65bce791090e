/** Weekly operating hours: several ranges a day, ranges across midnight, 24:00, the week's wrap. */
import { describe, expect, it } from 'vitest';
import {
  CalendarConfig,
  EMERGENCY_OFF,
  closedSinceAt,
  decide,
  defaultCalendar,
  isOpenAt,
  nextOpenAt,
  type WeeklyHours,
} from '../../electron/core/calendar';

/** An instant written as the desk's wall clock with its UTC offset, e.g. '2026-03-07T01:15+01:00'. */
const at = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad instant ${iso}`);
  return t;
};
const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

function calendar(zone: string, weekly: Partial<WeeklyHours> = {}): CalendarConfig {
  const base = defaultCalendar(zone);
  return CalendarConfig.parse({ ...base, weekly: { ...base.weekly, ...weekly } });
}

const none: WeeklyHours = { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] };

describe('calendar: weekly hours (Europe/Paris, winter time UTC+1; 2026-03-06 is a Friday)', () => {
  const paris = calendar('Europe/Paris', {
    friday: [
      { start: '09:00', end: '17:00' },
      { start: '22:00', end: '02:00' },
    ],
  });

  it('a mention at 01:15 Saturday Paris time with Friday 22:00-02:00 is open', () => {
    const decision = decide({ calendar: paris, emergency: EMERGENCY_OFF, at: at('2026-03-07T01:15+01:00'), channel: 'x' });
    expect(decision.state).toBe('open');
  });

  it('Friday 22:00-02:00 opens at 22:00 sharp and closes at 02:00 sharp (end excluded)', () => {
    expect(isOpenAt(paris, at('2026-03-06T21:59:59.999+01:00'))).toBe(false);
    expect(isOpenAt(paris, at('2026-03-06T22:00+01:00'))).toBe(true);
    expect(isOpenAt(paris, at('2026-03-07T00:00+01:00'))).toBe(true);
    expect(isOpenAt(paris, at('2026-03-07T01:59:59.999+01:00'))).toBe(true);
    expect(isOpenAt(paris, at('2026-03-07T02:00+01:00'))).toBe(false);
  });

  it('at 02:00 Saturday the desk is closed outside hours and reopens Monday 09:00 Europe/Paris = 2026-03-09T08:00Z', () => {
    const decision = decide({ calendar: paris, emergency: EMERGENCY_OFF, at: at('2026-03-07T02:00+01:00'), channel: 'x' });
    expect(decision.state).toBe('closed');
    if (decision.state !== 'closed') return;
    expect(decision.reason).toBe('outside-hours');
    expect(iso(decision.reopensAt)).toBe('2026-03-09T08:00:00.000Z');
    expect(decision.reopens).toBe('2026-03-09 09:00 Europe/Paris');
    expect(iso(decision.period.since)).toBe('2026-03-07T01:00:00.000Z'); // Saturday 02:00 Paris
  });

  it('between Friday 17:00 and 22:00 it reopens at 22:00 the same evening (2026-03-06T21:00Z)', () => {
    expect(iso(nextOpenAt(paris, at('2026-03-06T19:30+01:00')))).toBe('2026-03-06T21:00:00.000Z');
    expect(iso(closedSinceAt(paris, at('2026-03-06T19:30+01:00')))).toBe('2026-03-06T16:00:00.000Z');
  });

  it('several ranges on one day: closed over lunch, reopens at 13:00', () => {
    const lunch = calendar('Europe/Paris', {
      monday: [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
    });
    expect(isOpenAt(lunch, at('2026-03-09T09:00+01:00'))).toBe(true);
    expect(isOpenAt(lunch, at('2026-03-09T11:59+01:00'))).toBe(true);
    expect(isOpenAt(lunch, at('2026-03-09T12:00+01:00'))).toBe(false);
    expect(iso(nextOpenAt(lunch, at('2026-03-09T12:30+01:00')))).toBe('2026-03-09T12:00:00.000Z');
    expect(iso(closedSinceAt(lunch, at('2026-03-09T12:30+01:00')))).toBe('2026-03-09T11:00:00.000Z');
    expect(isOpenAt(lunch, at('2026-03-09T16:59+01:00'))).toBe(true);
  });

  it('touching ranges read as one stretch: Friday 18:00-24:00 then Saturday 00:00-02:00', () => {
    const late = calendar('Europe/Paris', { friday: [{ start: '18:00', end: '24:00' }], saturday: [{ start: '00:00', end: '02:00' }] });
    expect(isOpenAt(late, at('2026-03-06T23:59:59.999+01:00'))).toBe(true);
    expect(isOpenAt(late, at('2026-03-07T00:00+01:00'))).toBe(true);
    expect(isOpenAt(late, at('2026-03-07T02:00+01:00'))).toBe(false);
    expect(iso(closedSinceAt(late, at('2026-03-07T03:00+01:00')))).toBe('2026-03-07T01:00:00.000Z');
  });

  it('24:00 ends a range at midnight: Friday 18:00-24:00 is closed at Saturday 00:00', () => {
    const evening = calendar('Europe/Paris', { friday: [{ start: '18:00', end: '24:00' }] });
    expect(isOpenAt(evening, at('2026-03-06T23:59:59.999+01:00'))).toBe(true);
    expect(isOpenAt(evening, at('2026-03-07T00:00+01:00'))).toBe(false);
  });

  it("Sunday's cross-midnight range runs into Monday morning (the week wraps)", () => {
    const sundayNight = calendar('Europe/Paris', { sunday: [{ start: '22:00', end: '06:00' }] });
    expect(isOpenAt(sundayNight, at('2026-03-09T05:30+01:00'))).toBe(true); // Monday 05:30
    expect(isOpenAt(sundayNight, at('2026-03-09T06:30+01:00'))).toBe(false);
    expect(iso(nextOpenAt(sundayNight, at('2026-03-09T06:30+01:00')))).toBe('2026-03-09T08:00:00.000Z');
  });

  it('a desk open round the clock is always open, and its next opening is now', () => {
    const allDay = [{ start: '00:00', end: '24:00' }];
    const always = calendar('Europe/Paris', {
      monday: allDay,
      tuesday: allDay,
      wednesday: allDay,
      thursday: allDay,
      friday: allDay,
      saturday: allDay,
      sunday: allDay,
    });
    for (const instant of ['2026-03-07T00:00+01:00', '2026-03-29T02:30+02:00', '2026-10-25T02:30+01:00', '2026-12-31T23:59+01:00']) {
      expect(isOpenAt(always, at(instant))).toBe(true);
      expect(nextOpenAt(always, at(instant))).toBe(at(instant));
    }
  });

  it('a desk with no hours never reopens: reopensAt is null, said as not within 366 days', () => {
    const closed = calendar('Europe/Paris', none);
    const decision = decide({ calendar: closed, emergency: EMERGENCY_OFF, at: at('2026-03-09T10:00+01:00'), channel: 'messenger' });
    expect(decision).toMatchObject({
      state: 'closed',
      reason: 'outside-hours',
      reopensAt: null,
      reopens: 'not within the next 366 days',
      period: { kind: 'calendar', since: null, until: null, key: 'calendar:until:never' },
    });
  });

  it('looks only as far ahead as the horizon (366 days unless told): Monday is within 2 days of Saturday, not 1', () => {
    const mondays = calendar('Europe/Paris', { ...none, monday: [{ start: '09:00', end: '17:00' }] });
    const saturday = at('2026-03-07T10:00+01:00');
    expect(iso(nextOpenAt(mondays, saturday))).toBe('2026-03-09T08:00:00.000Z');
    expect(nextOpenAt(mondays, saturday, 1)).toBeNull();
    expect(iso(nextOpenAt(mondays, saturday, 2))).toBe('2026-03-09T08:00:00.000Z');
  });

  it('the default calendar is Monday to Friday 09:00-17:00 in the desk zone', () => {
    const standard = defaultCalendar('Europe/Paris');
    expect(CalendarConfig.parse(standard)).toEqual(standard);
    expect(isOpenAt(standard, at('2026-03-09T09:00+01:00'))).toBe(true);
    expect(isOpenAt(standard, at('2026-03-13T16:59+01:00'))).toBe(true);
    expect(isOpenAt(standard, at('2026-03-13T17:00+01:00'))).toBe(false);
    expect(isOpenAt(standard, at('2026-03-14T12:00+01:00'))).toBe(false);
    expect(standard.answerOncePerClosedPeriod).toBe(true);
  });
});
