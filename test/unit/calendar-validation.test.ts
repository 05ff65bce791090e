/** Calendar input is refused whole, with a message that names the field and the problem. */
import { describe, expect, it } from 'vitest';
import { CalendarConfig, defaultCalendar, parseCalendarConfig, type CalendarConfigInput } from '../../electron/core/calendar';
import { DeskFailure } from '../../electron/core/contract';

const save = { deskName: 'Acme Care', timeFormat: '24h' as const };

function refusal(change: (calendar: CalendarConfigInput) => void): string {
  const calendar: CalendarConfigInput = defaultCalendar('Europe/Paris');
  change(calendar);
  const before = JSON.stringify(calendar);
  try {
    parseCalendarConfig(calendar, save);
  } catch (error) {
    expect(error).toBeInstanceOf(DeskFailure);
    expect((error as DeskFailure).code).toBe('bad_input');
    expect(JSON.stringify(calendar)).toBe(before); // the input is left as it was
    return (error as DeskFailure).message;
  }
  throw new Error('expected the calendar to be refused');
}

describe('calendar: validation refuses bad input with clear messages', () => {
  it('overlapping ranges on the same day', () => {
    expect(
      refusal((c) => {
        c.weekly.monday = [
          { start: '09:00', end: '13:00' },
          { start: '12:00', end: '17:00' },
        ];
      }),
    ).toBe('calendar refused: weekly: monday 09:00-13:00 overlaps monday 12:00-17:00');
  });

  it("a cross-midnight range overlapping the next morning's range", () => {
    expect(
      refusal((c) => {
        c.weekly.friday = [{ start: '22:00', end: '02:00' }];
        c.weekly.saturday = [{ start: '01:00', end: '09:00' }];
      }),
    ).toBe('calendar refused: weekly: friday 22:00-02:00 (runs into saturday) overlaps saturday 01:00-09:00');
  });

  it("Sunday's cross-midnight range overlapping Monday morning (the week wraps)", () => {
    expect(
      refusal((c) => {
        c.weekly.sunday = [{ start: '23:00', end: '10:00' }];
      }),
    ).toBe('calendar refused: weekly: sunday 23:00-10:00 (runs into monday) overlaps monday 09:00-17:00');
  });

  it('a zero-length range', () => {
    expect(
      refusal((c) => {
        c.weekly.monday = [{ start: '09:00', end: '09:00' }];
      }),
    ).toBe('calendar refused: weekly.monday.0: 09:00-09:00 has no length: a range must start and end at different times');
  });

  it('times that do not exist: 24:30, 25:00', () => {
    expect(
      refusal((c) => {
        c.weekly.monday = [{ start: '09:00', end: '24:30' }];
      }),
    ).toBe('calendar refused: weekly.monday.0.end: "24:30" is not a time of day: use HH:MM from 00:00 to 23:59 (24:00 only to end a range)');
    expect(
      refusal((c) => {
        c.weekly.tuesday = [{ start: '25:00', end: '23:00' }];
      }),
    ).toBe('calendar refused: weekly.tuesday.0.start: "25:00" is not a time of day: use HH:MM from 00:00 to 23:59 (24:00 only to end a range)');
    expect(
      refusal((c) => {
        c.weekly.tuesday = [{ start: '9:00', end: '17:00' }];
      }),
    ).toBe('calendar refused: weekly.tuesday.0.start: "9:00" is not a time of day: use HH:MM from 00:00 to 23:59 (24:00 only to end a range)');
  });

  it('24:00 ends a range but does not start one', () => {
    expect(
      refusal((c) => {
        c.weekly.monday = [{ start: '24:00', end: '02:00' }];
      }),
    ).toBe('calendar refused: weekly.monday.0.start: 24:00 can only end a range: start the day at 00:00');
    const evening = { ...defaultCalendar('Europe/Paris'), weekly: { ...defaultCalendar().weekly, friday: [{ start: '18:00', end: '24:00' }] } };
    expect(parseCalendarConfig(evening, save).weekly.friday).toEqual([{ start: '18:00', end: '24:00' }]);
  });

  it('an unknown zone', () => {
    expect(
      refusal((c) => {
        c.zone = 'Mars/Olympus_Mons';
      }),
    ).toBe('calendar refused: zone: "Mars/Olympus_Mons" is not an IANA time zone (for example Europe/Paris)');
  });

  it('bad dates: 2026-02-30, a yearly 02-30, 2027-02-29', () => {
    expect(
      refusal((c) => {
        c.specialDays = [{ date: '2026-02-30', recurrence: 'none', kind: 'closed', name: 'Nope' }];
      }),
    ).toBe('calendar refused: specialDays.0.date: "2026-02-30" is not a real date (YYYY-MM-DD)');
    expect(
      refusal((c) => {
        c.specialDays = [{ date: '02-30', recurrence: 'yearly', kind: 'closed', name: 'Nope' }];
      }),
    ).toBe('calendar refused: specialDays.0.date: "02-30" is not a day of the year (MM-DD)');
    expect(
      refusal((c) => {
        c.specialDays = [{ date: '2027-02-29', recurrence: 'none', kind: 'closed', name: 'Nope' }];
      }),
    ).toBe('calendar refused: specialDays.0.date: "2027-02-29" is not a real date (YYYY-MM-DD)');
  });

  it('a date in the wrong form for its recurrence', () => {
    expect(
      refusal((c) => {
        c.specialDays = [{ date: '2026-12-25', recurrence: 'yearly', kind: 'closed', name: 'Christmas Day' }];
      }),
    ).toBe('calendar refused: specialDays.0.date: "2026-12-25" has a year: a yearly special day takes a month and day (MM-DD)');
    expect(
      refusal((c) => {
        c.specialDays = [{ date: '12-25', recurrence: 'none', kind: 'closed', name: 'Christmas Day' }];
      }),
    ).toBe('calendar refused: specialDays.0.date: "12-25" has no year: a one-off special day needs a full date (YYYY-MM-DD), or make it yearly');
  });

  it('the same date twice, hours on a closed day, special hours without hours, overlapping special hours', () => {
    expect(
      refusal((c) => {
        c.specialDays = [
          { date: '12-25', recurrence: 'yearly', kind: 'closed', name: 'Christmas' },
          { date: '12-25', recurrence: 'yearly', kind: 'closed', name: 'Xmas' },
        ];
      }),
    ).toBe('calendar refused: specialDays.1.date: every 12-25 is already a special day (Christmas)');
    expect(
      refusal((c) => {
        c.specialDays = [{ date: '12-25', recurrence: 'yearly', kind: 'closed', name: 'Christmas', ranges: [{ start: '09:00', end: '10:00' }] }];
      }),
    ).toBe('calendar refused: specialDays.0.ranges: a day closed all day has no hours: remove them or choose special hours');
    expect(
      refusal((c) => {
        c.specialDays = [{ date: '12-24', recurrence: 'yearly', kind: 'special-hours', name: 'Christmas Eve' }];
      }),
    ).toBe('calendar refused: specialDays.0.ranges: special hours need at least one range (or mark the day closed)');
    expect(
      refusal((c) => {
        c.specialDays = [
          {
            date: '12-24',
            recurrence: 'yearly',
            kind: 'special-hours',
            name: 'Christmas Eve',
            ranges: [
              { start: '09:00', end: '12:00' },
              { start: '11:00', end: '13:00' },
            ],
          },
        ];
      }),
    ).toBe('calendar refused: specialDays.0.ranges: 09:00-12:00 overlaps 11:00-13:00');
  });

  it('a template over its length limit, with the count', () => {
    expect(
      refusal((c) => {
        c.templates['outside-hours'].x.public = `Hi {contact_name}, ${'thanks a lot for writing. '.repeat(6)}We reopen {reopens_at}.`;
      }),
    ).toBe(
      'calendar refused: templates.outside-hours.x.public: too long for an X public reply: 308 of 280 characters as X counts them, with placeholders filled by their longest values',
    );
    expect(
      refusal((c) => {
        c.templates.emergency.messenger.private = `${'a'.repeat(1990)} {contact_name}`;
      }),
    ).toBe(
      'calendar refused: templates.emergency.messenger.private: too long for a Messenger message: 2091 of 2000 characters, with placeholders filled by their longest values',
    );
  });

  it('a template with an unknown placeholder or no text', () => {
    expect(
      refusal((c) => {
        c.templates['outside-hours'].x.public = 'Hi {name}';
      }),
    ).toBe('calendar refused: templates.outside-hours.x.public: uses unknown placeholder {name}: this answer may use {contact_name}, {desk_name}, {reopens_at}');
    expect(
      refusal((c) => {
        c.templates['special-day'].facebook.private = '   ';
      }),
    ).toBe('calendar refused: templates.special-day.facebook.private: must not be empty');
  });

  it('several problems are named together (up to five)', () => {
    expect(
      refusal((c) => {
        c.zone = 'Nowhere/Town';
        c.weekly.monday = [{ start: '09:00', end: '09:00' }];
      }),
    ).toBe(
      'calendar refused: zone: "Nowhere/Town" is not an IANA time zone (for example Europe/Paris); weekly.monday.0: 09:00-09:00 has no length: a range must start and end at different times',
    );
  });

  it('an unknown field is refused rather than ignored', () => {
    expect(
      refusal((c) => {
        (c as Record<string, unknown>).holidays = [];
      }),
    ).toBe('calendar refused: calendar: Unrecognized key: "holidays"');
  });

  it('a valid calendar comes back as parsed, with the locale defaulted', () => {
    const input: CalendarConfigInput = { ...defaultCalendar('America/New_York') };
    delete input.locale;
    const parsed = parseCalendarConfig(input, save);
    expect(parsed.locale).toBe('en-GB');
    expect(CalendarConfig.parse(parsed)).toEqual(parsed);
  });
});
