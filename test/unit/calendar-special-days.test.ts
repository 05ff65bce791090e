/**
 * Special days: one-off and yearly, closed or special hours, each governing its whole date in the
 * desk's zone; 29 February; the special day comes before the operating hours.
 */
import { describe, expect, it } from 'vitest';
import {
  CalendarConfig,
  EMERGENCY_OFF,
  decide,
  defaultCalendar,
  isOpenAt,
  type SpecialDay,
  type WeeklyHours,
} from '../../electron/core/calendar';

const at = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad instant ${iso}`);
  return t;
};
const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

function paris(specialDays: SpecialDay[], weekly: Partial<WeeklyHours> = {}): CalendarConfig {
  const base = defaultCalendar('Europe/Paris');
  return CalendarConfig.parse({ ...base, weekly: { ...base.weekly, ...weekly }, specialDays });
}

function closedAt(cal: CalendarConfig, instant: string) {
  const decision = decide({ calendar: cal, emergency: EMERGENCY_OFF, at: at(instant), channel: 'x' });
  if (decision.state !== 'closed') throw new Error(`expected closed at ${instant}`);
  return decision;
}

describe('calendar: special days (Europe/Paris)', () => {
  it('a one-off closed day (Friday 2026-12-25) closes a working day and reopens Monday 09:00 = 2026-12-28T08:00Z', () => {
    const cal = paris([{ date: '2026-12-25', recurrence: 'none', kind: 'closed', name: 'Christmas Day', message: 'Merry Christmas!' }]);
    const decision = closedAt(cal, '2026-12-25T10:00+01:00');
    expect(decision.reason).toBe('special-day');
    expect(decision.specialDay).toMatchObject({ name: 'Christmas Day', message: 'Merry Christmas!' });
    expect(iso(decision.reopensAt)).toBe('2026-12-28T08:00:00.000Z');
    expect(decision.answer.path).toBe('templates.special-day.x.public');
    // A one-off day is that date only: Monday 2028-12-25 is an ordinary working day.
    expect(isOpenAt(cal, at('2028-12-25T10:00+01:00'))).toBe(true);
  });

  it('a yearly closed day (05-01) applies every year: Friday 2026-05-01 and Monday 2028-05-01', () => {
    const cal = paris([{ date: '05-01', recurrence: 'yearly', kind: 'closed', name: 'Labour Day' }]);
    expect(closedAt(cal, '2026-05-01T10:00+02:00').reason).toBe('special-day');
    expect(iso(closedAt(cal, '2026-05-01T10:00+02:00').reopensAt)).toBe('2026-05-04T07:00:00.000Z');
    expect(closedAt(cal, '2028-05-01T10:00+02:00').reason).toBe('special-day');
    expect(iso(closedAt(cal, '2028-05-01T10:00+02:00').reopensAt)).toBe('2028-05-02T07:00:00.000Z');
    expect(isOpenAt(cal, at('2028-05-02T10:00+02:00'))).toBe(true);
  });

  it('special hours replace the day: 09:00-12:00 and 14:00-16:00; closed between them for the special day', () => {
    const cal = paris([
      {
        date: '2026-12-31',
        recurrence: 'none',
        kind: 'special-hours',
        ranges: [
          { start: '09:00', end: '12:00' },
          { start: '14:00', end: '16:00' },
        ],
        name: "New Year's Eve",
      },
    ]);
    expect(isOpenAt(cal, at('2026-12-31T10:00+01:00'))).toBe(true);
    const lunch = closedAt(cal, '2026-12-31T12:30+01:00');
    expect(lunch.reason).toBe('special-day');
    expect(iso(lunch.reopensAt)).toBe('2026-12-31T13:00:00.000Z');
    const evening = closedAt(cal, '2026-12-31T16:30+01:00');
    expect(evening.reason).toBe('special-day');
    expect(iso(evening.reopensAt)).toBe('2027-01-01T08:00:00.000Z'); // Friday 1 January is an ordinary day here
  });

  it("special hours may cross midnight into the next (ordinary) day: Saturday 20:00-02:00 is open Sunday 01:00", () => {
    const cal = paris([{ date: '2026-03-07', recurrence: 'none', kind: 'special-hours', ranges: [{ start: '20:00', end: '02:00' }], name: 'Launch night' }]);
    expect(isOpenAt(cal, at('2026-03-07T19:59+01:00'))).toBe(false);
    expect(isOpenAt(cal, at('2026-03-08T01:00+01:00'))).toBe(true);
    expect(isOpenAt(cal, at('2026-03-08T02:00+01:00'))).toBe(false);
  });

  it("a special day governs its whole date: Friday's 22:00-02:00 stops at Saturday 00:00 when Saturday is closed", () => {
    const cal = paris([{ date: '2026-03-07', recurrence: 'none', kind: 'closed', name: 'Inventory' }], {
      friday: [{ start: '22:00', end: '02:00' }],
    });
    expect(isOpenAt(cal, at('2026-03-06T23:00+01:00'))).toBe(true);
    const decision = closedAt(cal, '2026-03-07T01:00+01:00');
    expect(decision).toMatchObject({ reason: 'special-day', specialDay: { name: 'Inventory' } });
    expect(iso(decision.period.since)).toBe('2026-03-06T23:00:00.000Z'); // Saturday 00:00 Paris
  });

  it("a closed Friday cancels its 22:00-02:00 range, the part after midnight too, and says it is the special day", () => {
    const cal = paris([{ date: '2026-03-06', recurrence: 'none', kind: 'closed', name: 'Strike' }], {
      friday: [{ start: '22:00', end: '02:00' }],
    });
    expect(closedAt(cal, '2026-03-06T23:00+01:00')).toMatchObject({ reason: 'special-day', specialDay: { name: 'Strike' } });
    expect(closedAt(cal, '2026-03-07T01:00+01:00')).toMatchObject({ reason: 'special-day', specialDay: { name: 'Strike' } });
    // After the cancelled range would have ended, it is simply the weekend.
    expect(closedAt(cal, '2026-03-07T03:00+01:00')).toMatchObject({ reason: 'outside-hours', specialDay: null });
  });

  it('a one-off day wins over a yearly day on the same date', () => {
    const cal = paris([
      { date: '12-24', recurrence: 'yearly', kind: 'closed', name: 'Christmas Eve' },
      { date: '2026-12-24', recurrence: 'none', kind: 'special-hours', ranges: [{ start: '09:00', end: '12:00' }], name: 'Christmas Eve (short day)' },
    ]);
    expect(isOpenAt(cal, at('2026-12-24T10:00+01:00'))).toBe(true);
    expect(closedAt(cal, '2026-12-24T13:00+01:00').specialDay?.name).toBe('Christmas Eve (short day)');
    expect(closedAt(cal, '2027-12-24T10:00+01:00').specialDay?.name).toBe('Christmas Eve'); // a Friday
  });

  it('the special day comes before the operating hours: a holiday on a Saturday is said as the holiday', () => {
    const cal = paris([{ date: '2026-03-14', recurrence: 'none', kind: 'closed', name: 'Open day cancelled' }]);
    expect(closedAt(cal, '2026-03-14T10:00+01:00')).toMatchObject({ reason: 'special-day', answer: { case: 'special-day' } });
    expect(closedAt(cal, '2026-03-15T10:00+01:00')).toMatchObject({ reason: 'outside-hours', answer: { case: 'outside-hours' } });
  });

  it('a yearly 02-29 applies in leap years only: Tuesday 2028-02-29 is closed; 2029-02-28 and 2029-03-01 stay open', () => {
    const cal = paris([{ date: '02-29', recurrence: 'yearly', kind: 'closed', name: 'Leap day' }]);
    expect(closedAt(cal, '2028-02-29T10:00+01:00')).toMatchObject({ reason: 'special-day', specialDay: { name: 'Leap day' } });
    expect(iso(closedAt(cal, '2028-02-29T10:00+01:00').reopensAt)).toBe('2028-03-01T08:00:00.000Z');
    expect(isOpenAt(cal, at('2029-02-28T10:00+01:00'))).toBe(true); // Wednesday
    expect(isOpenAt(cal, at('2029-03-01T10:00+01:00'))).toBe(true); // Thursday
  });
});
