/**
 * DST nights. Semantics under test: the desk is open exactly when its wall clock shows a time in
 * a range; times in a spring-forward gap never happen (a range starting there opens at the first
 * instant after the gap); repeated times after a fall-back are open on both occurrences.
 *
 * Europe/Paris: 2026-03-29 02:00 CET -> 03:00 CEST at 01:00Z; 2026-10-25 03:00 CEST -> 02:00 CET at 01:00Z.
 * America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT at 07:00Z; 2026-11-01 02:00 EDT -> 01:00 EST at 06:00Z.
 * All four are Sundays.
 */
import { describe, expect, it } from 'vitest';
import {
  CalendarConfig,
  EMERGENCY_OFF,
  closedSinceAt,
  decide,
  defaultCalendar,
  instantOfWallTime,
  isOpenAt,
  nextOpenAt,
  openStretchesOn,
  type SpecialDay,
  type WeeklyHours,
} from '../../electron/core/calendar';

const at = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad instant ${iso}`);
  return t;
};
const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
const stretches = (cal: CalendarConfig, date: string) => openStretchesOn(cal, date).map((s) => [iso(s.start), iso(s.end)]);

function calendar(zone: string, weekly: Partial<WeeklyHours> = {}, specialDays: SpecialDay[] = []): CalendarConfig {
  const base = defaultCalendar(zone);
  return CalendarConfig.parse({ ...base, weekly: { ...base.weekly, ...weekly }, specialDays });
}

describe('calendar: Europe/Paris spring forward, Sunday 2026-03-29 (02:00-02:59 does not exist)', () => {
  it('wall times in the gap resolve to the first instant after it (03:00 CEST = 01:00Z)', () => {
    expect(iso(instantOfWallTime('Europe/Paris', '2026-03-29', '02:30'))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(instantOfWallTime('Europe/Paris', '2026-03-29', '02:00'))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(instantOfWallTime('Europe/Paris', '2026-03-29', '03:00'))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(instantOfWallTime('Europe/Paris', '2026-03-29', '01:59'))).toBe('2026-03-29T00:59:00.000Z');
  });

  it('a range 01:30-03:30 opens at 01:30 CET, stays open across the jump and closes at 03:30 CEST: one hour', () => {
    const cal = calendar('Europe/Paris', { sunday: [{ start: '01:30', end: '03:30' }] });
    expect(stretches(cal, '2026-03-29')).toEqual([['2026-03-29T00:30:00.000Z', '2026-03-29T01:30:00.000Z']]);
    expect(isOpenAt(cal, at('2026-03-29T01:29+01:00'))).toBe(false);
    expect(isOpenAt(cal, at('2026-03-29T01:30+01:00'))).toBe(true);
    expect(isOpenAt(cal, at('2026-03-29T01:59:59.999+01:00'))).toBe(true);
    expect(isOpenAt(cal, at('2026-03-29T03:00+02:00'))).toBe(true);
    expect(isOpenAt(cal, at('2026-03-29T03:29+02:00'))).toBe(true);
    expect(isOpenAt(cal, at('2026-03-29T03:30+02:00'))).toBe(false);
  });

  it('a range that starts in the gap (02:30-05:00) opens at 03:00 CEST = 2026-03-29T01:00Z', () => {
    const cal = calendar('Europe/Paris', { sunday: [{ start: '02:30', end: '05:00' }] });
    expect(stretches(cal, '2026-03-29')).toEqual([['2026-03-29T01:00:00.000Z', '2026-03-29T03:00:00.000Z']]);
    const decision = decide({ calendar: cal, emergency: EMERGENCY_OFF, at: at('2026-03-29T01:55+01:00'), channel: 'x' });
    expect(decision.state === 'closed' && iso(decision.reopensAt)).toBe('2026-03-29T01:00:00.000Z');
    expect(isOpenAt(cal, at('2026-03-29T03:00+02:00'))).toBe(true);
    expect(isOpenAt(cal, at('2026-03-29T05:00+02:00'))).toBe(false);
  });

  it('a range inside the gap (02:00-02:30) does not open that night: reopens Monday 09:00 CEST = 2026-03-30T07:00Z', () => {
    const cal = calendar('Europe/Paris', { sunday: [{ start: '02:00', end: '02:30' }] });
    expect(stretches(cal, '2026-03-29')).toEqual([]);
    const decision = decide({ calendar: cal, emergency: EMERGENCY_OFF, at: at('2026-03-29T01:55+01:00'), channel: 'x' });
    expect(decision).toMatchObject({ state: 'closed', reason: 'outside-hours' });
    expect(decision.state === 'closed' && iso(decision.reopensAt)).toBe('2026-03-30T07:00:00.000Z');
    // The next Sunday it opens as usual.
    expect(stretches(cal, '2026-04-05')).toEqual([['2026-04-05T00:00:00.000Z', '2026-04-05T00:30:00.000Z']]);
  });

  it('Saturday 22:00-02:00 into the spring-forward night closes when the clock jumps (01:00Z)', () => {
    const cal = calendar('Europe/Paris', { saturday: [{ start: '22:00', end: '02:00' }] });
    expect(stretches(cal, '2026-03-28')).toEqual([['2026-03-28T21:00:00.000Z', '2026-03-29T01:00:00.000Z']]);
    expect(isOpenAt(cal, at('2026-03-29T01:59+01:00'))).toBe(true);
    expect(isOpenAt(cal, at('2026-03-29T03:00+02:00'))).toBe(false);
    expect(iso(closedSinceAt(cal, at('2026-03-29T03:30+02:00')))).toBe('2026-03-29T01:00:00.000Z');
  });

  it('office hours on the Monday after use summer time: 09:00 CEST = 07:00Z', () => {
    const cal = calendar('Europe/Paris');
    expect(iso(nextOpenAt(cal, at('2026-03-28T12:00+01:00')))).toBe('2026-03-30T07:00:00.000Z');
  });
});

describe('calendar: Europe/Paris fall back, Sunday 2026-10-25 (02:00-02:59 happens twice)', () => {
  it('a repeated wall time has two instants: first 00:30Z (CEST), last 01:30Z (CET)', () => {
    expect(iso(instantOfWallTime('Europe/Paris', '2026-10-25', '02:30', 'earliest'))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(instantOfWallTime('Europe/Paris', '2026-10-25', '02:30', 'latest'))).toBe('2026-10-25T01:30:00.000Z');
  });

  it('a range 02:00-03:00 is open during both occurrences of the repeated hour: two hours, 00:00Z-02:00Z', () => {
    const cal = calendar('Europe/Paris', { sunday: [{ start: '02:00', end: '03:00' }] });
    expect(stretches(cal, '2026-10-25')).toEqual([['2026-10-25T00:00:00.000Z', '2026-10-25T02:00:00.000Z']]);
    expect(isOpenAt(cal, at('2026-10-25T02:30+02:00'))).toBe(true); // first 02:30
    expect(isOpenAt(cal, at('2026-10-25T02:30+01:00'))).toBe(true); // second 02:30
    expect(isOpenAt(cal, at('2026-10-25T03:00+01:00'))).toBe(false);
  });

  it('a range 01:30-02:30 is open on both passes through 02:00-02:30 and closed while the clock shows 02:30-02:59 CEST', () => {
    const cal = calendar('Europe/Paris', { sunday: [{ start: '01:30', end: '02:30' }] });
    expect(stretches(cal, '2026-10-25')).toEqual([
      ['2026-10-24T23:30:00.000Z', '2026-10-25T00:30:00.000Z'],
      ['2026-10-25T01:00:00.000Z', '2026-10-25T01:30:00.000Z'],
    ]);
    expect(isOpenAt(cal, at('2026-10-25T02:15+02:00'))).toBe(true);
    const between = decide({ calendar: cal, emergency: EMERGENCY_OFF, at: at('2026-10-25T02:45+02:00'), channel: 'x' });
    expect(between.state).toBe('closed');
    expect(between.state === 'closed' && iso(between.reopensAt)).toBe('2026-10-25T01:00:00.000Z'); // 02:00 CET
    expect(isOpenAt(cal, at('2026-10-25T02:15+01:00'))).toBe(true);
    expect(isOpenAt(cal, at('2026-10-25T02:30+01:00'))).toBe(false);
  });

  it('Saturday 22:00-02:00 closes at the first 02:00 (00:00Z): the repeated hour is past its end', () => {
    const cal = calendar('Europe/Paris', { saturday: [{ start: '22:00', end: '02:00' }] });
    expect(stretches(cal, '2026-10-24')).toEqual([['2026-10-24T20:00:00.000Z', '2026-10-25T00:00:00.000Z']]);
    expect(isOpenAt(cal, at('2026-10-25T01:59+02:00'))).toBe(true);
    expect(isOpenAt(cal, at('2026-10-25T02:30+02:00'))).toBe(false);
    expect(isOpenAt(cal, at('2026-10-25T02:30+01:00'))).toBe(false);
  });

  it('office hours on the Monday after use winter time: 09:00 CET = 08:00Z', () => {
    const cal = calendar('Europe/Paris');
    expect(iso(nextOpenAt(cal, at('2026-10-24T12:00+02:00')))).toBe('2026-10-26T08:00:00.000Z');
  });
});

describe('calendar: America/New_York, 2026-03-08 spring forward and 2026-11-01 fall back', () => {
  it('a range 01:30-03:30 on 2026-03-08 lasts one hour: 06:30Z-07:30Z', () => {
    const cal = calendar('America/New_York', { sunday: [{ start: '01:30', end: '03:30' }] });
    expect(stretches(cal, '2026-03-08')).toEqual([['2026-03-08T06:30:00.000Z', '2026-03-08T07:30:00.000Z']]);
  });

  it('a weekend across the spring change: closed since Friday 17:00 EST (22:00Z), reopens Monday 09:00 EDT (13:00Z)', () => {
    const cal = calendar('America/New_York');
    const saturday = at('2026-03-07T12:00-05:00');
    const decision = decide({ calendar: cal, emergency: EMERGENCY_OFF, at: saturday, channel: 'facebook' });
    expect(decision.state === 'closed' && iso(decision.reopensAt)).toBe('2026-03-09T13:00:00.000Z');
    expect(decision.state === 'closed' && iso(decision.period.since)).toBe('2026-03-06T22:00:00.000Z');
  });

  it('a range 01:00-02:00 on 2026-11-01 is open during both 01:00-01:59 (EDT then EST): 05:00Z-07:00Z', () => {
    const cal = calendar('America/New_York', { sunday: [{ start: '01:00', end: '02:00' }] });
    expect(stretches(cal, '2026-11-01')).toEqual([['2026-11-01T05:00:00.000Z', '2026-11-01T07:00:00.000Z']]);
    expect(isOpenAt(cal, at('2026-11-01T01:30-04:00'))).toBe(true);
    expect(isOpenAt(cal, at('2026-11-01T01:30-05:00'))).toBe(true);
    expect(isOpenAt(cal, at('2026-11-01T02:00-05:00'))).toBe(false);
  });

  it('a weekend across the fall change: reopens Monday 09:00 EST = 2026-11-02T14:00Z', () => {
    const cal = calendar('America/New_York');
    expect(iso(nextOpenAt(cal, at('2026-10-30T17:00-04:00')))).toBe('2026-11-02T14:00:00.000Z');
  });
});

describe('calendar: special days that fall on DST dates', () => {
  it('Paris, special hours 01:00-04:00 on 2026-03-29: three wall-clock hours, two hours of time', () => {
    const cal = calendar('Europe/Paris', {}, [
      { date: '2026-03-29', recurrence: 'none', kind: 'special-hours', ranges: [{ start: '01:00', end: '04:00' }], name: 'Migration night' },
    ]);
    expect(stretches(cal, '2026-03-29')).toEqual([['2026-03-29T00:00:00.000Z', '2026-03-29T02:00:00.000Z']]);
    expect(isOpenAt(cal, at('2026-03-29T03:30+02:00'))).toBe(true);
    const after = decide({ calendar: cal, emergency: EMERGENCY_OFF, at: at('2026-03-29T04:00+02:00'), channel: 'x' });
    expect(after).toMatchObject({ state: 'closed', reason: 'special-day', specialDay: { name: 'Migration night' } });
    expect(after.state === 'closed' && iso(after.reopensAt)).toBe('2026-03-30T07:00:00.000Z');
  });

  it('New York, closed all day on 2026-11-01: the 25-hour date is closed from 00:00 EDT to 24:00 EST', () => {
    const cal = calendar('America/New_York', { saturday: [{ start: '22:00', end: '02:00' }] }, [
      { date: '11-01', recurrence: 'yearly', kind: 'closed', name: 'Staff day' },
    ]);
    // Saturday night's range stops where the special day begins.
    expect(stretches(cal, '2026-10-31')).toEqual([['2026-11-01T02:00:00.000Z', '2026-11-01T04:00:00.000Z']]);
    expect(isOpenAt(cal, at('2026-10-31T23:30-04:00'))).toBe(true);
    for (const instant of ['2026-11-01T00:30-04:00', '2026-11-01T01:30-04:00', '2026-11-01T01:30-05:00', '2026-11-01T23:30-05:00']) {
      const decision = decide({ calendar: cal, emergency: EMERGENCY_OFF, at: at(instant), channel: 'x' });
      expect(decision).toMatchObject({ state: 'closed', reason: 'special-day', specialDay: { name: 'Staff day' } });
      expect(decision.state === 'closed' && iso(decision.period.since)).toBe('2026-11-01T04:00:00.000Z');
    }
    const monday = decide({ calendar: cal, emergency: EMERGENCY_OFF, at: at('2026-11-02T00:00-05:00'), channel: 'x' });
    expect(monday).toMatchObject({ state: 'closed', reason: 'outside-hours' });
    expect(monday.state === 'closed' && iso(monday.reopensAt)).toBe('2026-11-02T14:00:00.000Z');
  });
});
