/**
 * "At most one closed-desk answer per contact per closed period".
 * A closed period runs from the instant the desk closed (end of the last open stretch, found
 * backwards) to the instant it reopens; the reason may change inside it. An emergency is its own
 * period, from the instant it was switched on.
 */
import { describe, expect, it } from 'vitest';
import {
  CalendarConfig,
  EMERGENCY_OFF,
  closedPeriodAt,
  decide,
  defaultCalendar,
  shouldSendClosedAnswer,
  type ClosedDecision,
  type EmergencyState,
} from '../../electron/core/calendar';

const at = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad instant ${iso}`);
  return t;
};
const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

const paris = CalendarConfig.parse({
  ...defaultCalendar('Europe/Paris'),
  specialDays: [{ date: '2026-03-09', recurrence: 'none', kind: 'closed', name: 'Staff training' }],
});

function closed(instant: string, emergency: EmergencyState = EMERGENCY_OFF): ClosedDecision {
  const decision = decide({ calendar: paris, emergency, at: at(instant), channel: 'x' });
  if (decision.state !== 'closed') throw new Error(`expected closed at ${instant}`);
  return decision;
}

describe('calendar: closed periods', () => {
  it('a weekend followed by a closed Monday is one period: Friday 17:00 to Tuesday 09:00, whatever the reason', () => {
    const saturday = closed('2026-03-07T10:00+01:00');
    const sunday = closed('2026-03-08T20:00+01:00');
    const monday = closed('2026-03-09T11:00+01:00');
    expect(saturday.reason).toBe('outside-hours');
    expect(monday.reason).toBe('special-day');
    expect(iso(saturday.period.since)).toBe('2026-03-06T16:00:00.000Z');
    expect(iso(saturday.period.until)).toBe('2026-03-10T08:00:00.000Z');
    expect(saturday.period.key).toBe(`calendar:${at('2026-03-06T17:00+01:00')}`);
    expect(sunday.period).toEqual(saturday.period);
    expect(monday.period).toEqual(saturday.period);
  });

  it('the next evening is another period', () => {
    const tuesdayEvening = closed('2026-03-10T18:00+01:00');
    expect(iso(tuesdayEvening.period.since)).toBe('2026-03-10T16:00:00.000Z');
    expect(tuesdayEvening.period.key).not.toBe(closed('2026-03-07T10:00+01:00').period.key);
  });

  it('closedPeriodAt gives the same period, and null while the desk is open', () => {
    expect(closedPeriodAt(paris, at('2026-03-07T10:00+01:00'))).toEqual(closed('2026-03-07T10:00+01:00').period);
    expect(closedPeriodAt(paris, at('2026-03-10T10:00+01:00'))).toBeNull();
  });

  it('one answer per contact per period: the second message of the weekend gets none, Tuesday evening gets one', () => {
    let last: string | null = null;
    const messages = ['2026-03-07T10:00+01:00', '2026-03-07T10:05+01:00', '2026-03-09T11:00+01:00', '2026-03-10T18:00+01:00'];
    const answered = messages.map((instant) => {
      const period = closed(instant).period;
      const check = shouldSendClosedAnswer({ period, lastAnsweredPeriodKey: last, oncePerClosedPeriod: true });
      if (check.answer) last = period.key;
      return check.answer;
    });
    expect(answered).toEqual([true, false, false, true]);
    expect(shouldSendClosedAnswer({ period: closed('2026-03-07T10:05+01:00').period, lastAnsweredPeriodKey: closed('2026-03-07T10:00+01:00').period.key, oncePerClosedPeriod: true })).toEqual({
      answer: false,
      why: 'this contact was already answered in this closed period',
    });
  });

  it('with the setting off, every message while closed is answered', () => {
    const period = closed('2026-03-07T10:00+01:00').period;
    expect(shouldSendClosedAnswer({ period, lastAnsweredPeriodKey: period.key, oncePerClosedPeriod: false })).toEqual({
      answer: true,
      why: 'every message is answered while the desk is closed',
    });
  });

  it('an emergency is a period of its own, from the instant it was switched on', () => {
    const switchedAt = at('2026-03-07T12:00+01:00');
    const emergency: EmergencyState = { on: true, message: 'Systems down.', switchedBy: 'sam', switchedAt };
    const during = closed('2026-03-07T13:00+01:00', emergency);
    expect(during.period).toEqual({ kind: 'emergency', since: switchedAt, until: null, key: `emergency:${switchedAt}` });
    const weekend = closed('2026-03-07T10:00+01:00').period.key;
    expect(shouldSendClosedAnswer({ period: during.period, lastAnsweredPeriodKey: weekend, oncePerClosedPeriod: true }).answer).toBe(true);
  });

  it('closed for longer than the horizon: the period is known by its reopening (or as never)', () => {
    const rare = CalendarConfig.parse({
      ...defaultCalendar('Europe/Paris'),
      weekly: { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] },
      specialDays: [{ date: '2026-06-01', recurrence: 'none', kind: 'special-hours', ranges: [{ start: '09:00', end: '17:00' }], name: 'Open day' }],
    });
    expect(closedPeriodAt(rare, at('2026-05-01T10:00+02:00'))).toEqual({
      kind: 'calendar',
      since: null,
      until: at('2026-06-01T09:00+02:00'),
      key: `calendar:until:${at('2026-06-01T09:00+02:00')}`,
    });
    expect(closedPeriodAt(rare, at('2026-07-01T10:00+02:00'))).toMatchObject({ since: at('2026-06-01T17:00+02:00'), until: null });
    expect(closedPeriodAt(rare, at('2027-09-01T10:00+02:00'))).toEqual({ kind: 'calendar', since: null, until: null, key: 'calendar:until:never' });
  });
});
