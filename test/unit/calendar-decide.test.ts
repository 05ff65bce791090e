/** The decision: emergency first, then special day, then hours; which answer applies; purity. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CalendarConfig,
  EMERGENCY_OFF,
  decide,
  defaultCalendar,
  renderClosedAnswer,
  type EmergencyState,
} from '../../electron/core/calendar';

const at = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad instant ${iso}`);
  return t;
};

const paris = CalendarConfig.parse({
  ...defaultCalendar('Europe/Paris'),
  specialDays: [{ date: '12-25', recurrence: 'yearly', kind: 'closed', name: 'Christmas Day', message: 'Merry Christmas!' }],
});
const switchedOn = at('2026-03-09T09:30+01:00');
const emergency: EmergencyState = { on: true, message: 'Our phone lines are down.', switchedBy: 'sam.supervisor', switchedAt: switchedOn };
const mondayMorning = at('2026-03-09T10:00+01:00');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('calendar: decide', () => {
  it('open during operating hours', () => {
    expect(decide({ calendar: paris, emergency: EMERGENCY_OFF, at: mondayMorning, channel: 'x' })).toEqual({ state: 'open', at: mondayMorning });
  });

  it('emergency comes first: closed during operating hours, reopening "when emergency is switched off"', () => {
    const decision = decide({ calendar: paris, emergency, at: mondayMorning, channel: 'x' });
    expect(decision).toEqual({
      state: 'closed',
      at: mondayMorning,
      reason: 'emergency',
      reopensAt: null,
      reopens: 'when emergency is switched off',
      specialDay: null,
      period: { kind: 'emergency', since: switchedOn, until: null, key: `emergency:${switchedOn}` },
      answer: {
        case: 'emergency',
        channel: 'x',
        visibility: 'public',
        path: 'templates.emergency.x.public',
        template: paris.templates.emergency.x.public,
      },
    });
  });

  it('emergency also comes before a special day and outside hours', () => {
    expect(decide({ calendar: paris, emergency, at: at('2026-12-25T10:00+01:00'), channel: 'x' })).toMatchObject({ reason: 'emergency' });
    expect(decide({ calendar: paris, emergency, at: at('2026-03-07T10:00+01:00'), channel: 'x' })).toMatchObject({ reason: 'emergency' });
  });

  it('with emergency switched off again, the calendar decides', () => {
    const off: EmergencyState = { ...emergency, on: false, switchedAt: at('2026-03-09T09:45+01:00') };
    expect(decide({ calendar: paris, emergency: off, at: mondayMorning, channel: 'x' }).state).toBe('open');
  });

  it('a special day comes before the hours; outside hours last', () => {
    expect(decide({ calendar: paris, emergency: EMERGENCY_OFF, at: at('2026-12-25T10:00+01:00'), channel: 'x' })).toMatchObject({
      reason: 'special-day',
      specialDay: { name: 'Christmas Day' },
    });
    expect(decide({ calendar: paris, emergency: EMERGENCY_OFF, at: at('2026-03-09T18:00+01:00'), channel: 'x' })).toMatchObject({
      reason: 'outside-hours',
      specialDay: null,
    });
  });

  describe('which answer applies', () => {
    const evening = at('2026-03-09T18:00+01:00');
    const withPrivateFacebook = CalendarConfig.parse({
      ...paris,
      templates: { ...paris.templates, 'outside-hours': { ...paris.templates['outside-hours'], facebook: { ...paris.templates['outside-hours'].facebook, answerPublicMessages: 'private' } } },
    });

    it('an X mention is answered publicly (as configured): templates.outside-hours.x.public', () => {
      expect(decide({ calendar: paris, emergency: EMERGENCY_OFF, at: evening, channel: 'x', inbound: 'public' })).toMatchObject({
        answer: { visibility: 'public', path: 'templates.outside-hours.x.public' },
      });
    });

    it('an X DM is always answered privately: templates.outside-hours.x.private', () => {
      expect(decide({ calendar: paris, emergency: EMERGENCY_OFF, at: evening, channel: 'x', inbound: 'private' })).toMatchObject({
        answer: { visibility: 'private', path: 'templates.outside-hours.x.private' },
      });
    });

    it('a Facebook comment on a desk that answers public messages privately gets the private reply', () => {
      expect(decide({ calendar: withPrivateFacebook, emergency: EMERGENCY_OFF, at: evening, channel: 'facebook', inbound: 'public' })).toMatchObject({
        answer: { visibility: 'private', path: 'templates.outside-hours.facebook.private' },
      });
    });

    it('Messenger answers are always private', () => {
      expect(decide({ calendar: paris, emergency: EMERGENCY_OFF, at: evening, channel: 'messenger', inbound: 'public' })).toMatchObject({
        answer: { visibility: 'private', path: 'templates.outside-hours.messenger.private', template: paris.templates['outside-hours'].messenger.private },
      });
      expect(decide({ calendar: paris, emergency, at: evening, channel: 'messenger' })).toMatchObject({
        answer: { visibility: 'private', path: 'templates.emergency.messenger.private' },
      });
    });
  });

  describe('the rendered answer', () => {
    const context = { calendar: paris, deskName: 'Acme Care', timeFormat: '24h' as const };

    it('outside hours on X: the reopening in the desk zone', () => {
      const decision = decide({ calendar: paris, emergency: EMERGENCY_OFF, at: at('2026-03-07T10:00+01:00'), channel: 'x' });
      if (decision.state !== 'closed') throw new Error('expected closed');
      expect(renderClosedAnswer(decision, { ...context, emergency: EMERGENCY_OFF, contactName: 'Ann' })).toEqual({
        visibility: 'public',
        text: "Hi Ann, thanks for your message! We're closed right now, and we'll answer you when we reopen (Monday 9 March at 09:00 CET).",
      });
    });

    it("a special day on Messenger: the day's name and message, the contact's name unknown", () => {
      const decision = decide({ calendar: paris, emergency: EMERGENCY_OFF, at: at('2026-12-25T10:00+01:00'), channel: 'messenger' });
      if (decision.state !== 'closed') throw new Error('expected closed');
      expect(renderClosedAnswer(decision, { ...context, emergency: EMERGENCY_OFF, contactName: null })).toEqual({
        visibility: 'private',
        text: "Hi there, thanks for getting in touch with Acme Care. We're closed today for Christmas Day. Merry Christmas! We've kept your message and we'll answer it when we reopen (Monday 28 December at 09:00 CET).",
      });
    });

    it("emergency on X: the supervisor's message", () => {
      const decision = decide({ calendar: paris, emergency, at: mondayMorning, channel: 'x' });
      if (decision.state !== 'closed') throw new Error('expected closed');
      expect(renderClosedAnswer(decision, { ...context, emergency, contactName: 'Ann' }).text).toBe(
        "Hi Ann, thanks for your message. Our phone lines are down. We'll answer you as soon as we can.",
      );
    });
  });

  it('is pure: it never reads the clock, and the same question gets the same answer', () => {
    vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('decide must not read the clock');
    });
    const instant = at('2026-03-07T10:00+01:00');
    const first = decide({ calendar: paris, emergency: EMERGENCY_OFF, at: instant, channel: 'x' });
    const second = decide({ calendar: structuredClone(paris), emergency: EMERGENCY_OFF, at: instant, channel: 'x' });
    expect(second).toEqual(first);
  });
});
