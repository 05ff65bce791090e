/** Zones far from UTC: the desk's days and hours are its own, whatever day it is in UTC. */
import { describe, expect, it } from 'vitest';
import { CalendarConfig, EMERGENCY_OFF, decide, defaultCalendar, formatReopensAt, isOpenAt, nextOpenAt } from '../../electron/core/calendar';

const at = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad instant ${iso}`);
  return t;
};
const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

const kiritimati = CalendarConfig.parse(defaultCalendar('Pacific/Kiritimati')); // UTC+14
const pagoPago = CalendarConfig.parse(defaultCalendar('Pacific/Pago_Pago')); // UTC-11
const kathmandu = CalendarConfig.parse(defaultCalendar('Asia/Kathmandu')); // UTC+05:45

describe('calendar: zones far from UTC (Mon-Fri 09:00-17:00)', () => {
  it('Pacific/Kiritimati (+14): Monday 09:00 is Sunday 19:00Z; a message then is open though it is Sunday in UTC', () => {
    expect(isOpenAt(kiritimati, at('2026-03-08T18:59Z'))).toBe(false);
    expect(iso(nextOpenAt(kiritimati, at('2026-03-08T18:59Z')))).toBe('2026-03-08T19:00:00.000Z');
    expect(isOpenAt(kiritimati, at('2026-03-08T19:30Z'))).toBe(true);
    // Friday 17:00 +14 is Friday 03:00Z: closed for the weekend from then on.
    expect(isOpenAt(kiritimati, at('2026-03-13T02:59Z'))).toBe(true);
    expect(isOpenAt(kiritimati, at('2026-03-13T03:00Z'))).toBe(false);
  });

  it('Pacific/Pago_Pago (-11): Friday 16:30 is Saturday 03:30Z and open; it closes at 04:00Z and reopens Monday 09:00 = 2026-03-09T20:00Z', () => {
    expect(isOpenAt(pagoPago, at('2026-03-07T03:30Z'))).toBe(true);
    const decision = decide({ calendar: pagoPago, emergency: EMERGENCY_OFF, at: at('2026-03-07T04:00Z'), channel: 'x' });
    expect(decision).toMatchObject({ state: 'closed', reason: 'outside-hours' });
    expect(decision.state === 'closed' && iso(decision.reopensAt)).toBe('2026-03-09T20:00:00.000Z');
    expect(decision.state === 'closed' && decision.reopens).toBe('2026-03-09 09:00 Pacific/Pago_Pago');
  });

  it('Asia/Kathmandu (+05:45): Monday 09:00 is 03:15Z', () => {
    expect(isOpenAt(kathmandu, at('2026-03-09T03:14:59.999Z'))).toBe(false);
    expect(iso(nextOpenAt(kathmandu, at('2026-03-09T03:14Z')))).toBe('2026-03-09T03:15:00.000Z');
    expect(isOpenAt(kathmandu, at('2026-03-09T03:15Z'))).toBe(true);
    expect(isOpenAt(kathmandu, at('2026-03-09T11:14Z'))).toBe(true);
    expect(isOpenAt(kathmandu, at('2026-03-09T11:15Z'))).toBe(false);
  });

  it('one instant, three desks: 2026-03-08T19:30Z is Monday 09:30 in Kiritimati, Sunday 08:30 in Pago Pago, Monday 01:15 in Kathmandu', () => {
    const instant = at('2026-03-08T19:30Z');
    expect(isOpenAt(kiritimati, instant)).toBe(true);
    expect(isOpenAt(pagoPago, instant)).toBe(false);
    expect(isOpenAt(kathmandu, instant)).toBe(false);
  });

  it('a special day is the desk-zone date: Christmas in Kiritimati starts 2026-12-24T10:00Z', () => {
    const cal = CalendarConfig.parse({
      ...kiritimati,
      specialDays: [{ date: '2026-12-25', recurrence: 'none', kind: 'closed', name: 'Christmas Day' }],
    });
    expect(isOpenAt(cal, at('2026-12-24T09:59Z'))).toBe(false); // Thursday 23:59 local: after hours
    const decision = decide({ calendar: cal, emergency: EMERGENCY_OFF, at: at('2026-12-24T20:00Z'), channel: 'x' }); // Friday 10:00 local
    expect(decision).toMatchObject({ state: 'closed', reason: 'special-day', specialDay: { name: 'Christmas Day' } });
    expect(decision.state === 'closed' && iso(decision.reopensAt)).toBe('2026-12-27T19:00:00.000Z'); // Monday 28th 09:00 +14
  });

  it('{reopens_at} is written in the desk zone: Monday 9 March at 09:00 GMT+5:45', () => {
    expect(formatReopensAt(at('2026-03-09T03:15Z'), { zone: 'Asia/Kathmandu', locale: 'en-GB', timeFormat: '24h' })).toBe(
      'Monday 9 March at 09:00 GMT+5:45',
    );
    expect(formatReopensAt(at('2026-03-09T20:00Z'), { zone: 'Pacific/Pago_Pago', locale: 'en-US', timeFormat: '12h' })).toBe(
      'Monday, March 9 at 9:00 AM GMT-11',
    );
  });
});
