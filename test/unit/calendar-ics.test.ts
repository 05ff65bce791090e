/** Importing holidays from an iCalendar file: preview, warnings, refusals that name the line. */
import { describe, expect, it } from 'vitest';
import { CalendarConfig, decide, defaultCalendar, EMERGENCY_OFF, holidaysToSpecialDays, parseIcs } from '../../electron/core/calendar';
import { DeskFailure } from '../../electron/core/contract';

/** Lines joined as RFC 5545 wants them (CRLF); line N of the file is lines[N-1]. */
const ics = (lines: string[]): string => `${lines.join('\r\n')}\r\n`;

const holidayFile = [
  'BEGIN:VCALENDAR', // 1
  'VERSION:2.0',
  'PRODID:-//Acme//Holidays//EN',
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Paris', // 5
  'BEGIN:STANDARD',
  'DTSTART:19701025T030000',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'END:STANDARD', // 10
  'END:VTIMEZONE',
  'BEGIN:VEVENT',
  'UID:christmas@acme',
  'DTSTART;VALUE=DATE:20261225',
  'DTEND;VALUE=DATE:20261226', // 15
  'RRULE:FREQ=YEARLY',
  'SUMMARY:Christ',
  ' mas Day',
  'END:VEVENT',
  'BEGIN:VEVENT', // 20
  'UID:move@acme',
  'DTSTART;VALUE=DATE:20260814',
  'DTEND;VALUE=DATE:20260818',
  'SUMMARY:Office move\\, new building',
  'END:VEVENT', // 25
  'BEGIN:VEVENT',
  'UID:thanksgiving@acme',
  'DTSTART;VALUE=DATE:20261126',
  'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH',
  'SUMMARY:Thanksgiving', // 30
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTART;TZID="Europe/Paris":20260501T090000',
  'DTEND;TZID="Europe/Paris":20260501T170000',
  'SUMMARY:Labour Day', // 35
  'BEGIN:VALARM',
  'TRIGGER:-PT15M',
  'ACTION:DISPLAY',
  'DESCRIPTION:Reminder',
  'END:VALARM', // 40
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20280229',
  'RRULE:FREQ=YEARLY',
  'SUMMARY:Leap day', // 45
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20260704',
  'RRULE:FREQ=YEARLY;COUNT=3',
  'SUMMARY:Summer party', // 50
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20261231',
  'STATUS:CANCELLED',
  'SUMMARY:Team outing', // 55
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20271225',
  'RRULE:FREQ=YEARLY',
  'SUMMARY:Xmas', // 60
  'END:VEVENT',
  'END:VCALENDAR',
];

function refusal(text: string): string {
  try {
    parseIcs(text);
  } catch (error) {
    expect(error).toBeInstanceOf(DeskFailure);
    expect((error as DeskFailure).code).toBe('bad_input');
    return (error as DeskFailure).message;
  }
  throw new Error('expected the file to be refused');
}

describe('calendar: iCal import', () => {
  it('previews the holidays a file holds: yearly, multi-day, timed, leap day, a yearly rule that stops', () => {
    const preview = parseIcs(ics(holidayFile));
    expect(preview.holidays).toEqual([
      { line: 42, uid: null, name: 'Leap day', date: '02-29', recurrence: 'yearly' },
      { line: 12, uid: 'christmas@acme', name: 'Christmas Day', date: '12-25', recurrence: 'yearly' },
      { line: 32, uid: null, name: 'Labour Day', date: '2026-05-01', recurrence: 'none' },
      { line: 47, uid: null, name: 'Summer party', date: '2026-07-04', recurrence: 'none' },
      { line: 20, uid: 'move@acme', name: 'Office move, new building', date: '2026-08-14', recurrence: 'none' },
      { line: 20, uid: 'move@acme', name: 'Office move, new building', date: '2026-08-15', recurrence: 'none' },
      { line: 20, uid: 'move@acme', name: 'Office move, new building', date: '2026-08-16', recurrence: 'none' },
      { line: 20, uid: 'move@acme', name: 'Office move, new building', date: '2026-08-17', recurrence: 'none' },
      { line: 47, uid: null, name: 'Summer party', date: '2027-07-04', recurrence: 'none' },
      { line: 47, uid: null, name: 'Summer party', date: '2028-07-04', recurrence: 'none' },
    ]);
    expect(preview.warnings).toEqual([
      'line 26: the event "Thanksgiving" repeats by a rule a special day cannot follow (RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH); it was left out',
      'line 32: the event "Labour Day" has a time of day; it was taken as the whole day of 2026-05-01',
      'line 52: the event "Team outing" is cancelled; it was left out',
      'line 57: every 12-25 is already taken by "Christmas Day" (line 12); kept that one',
    ]);
  });

  it('accepts LF line ends and a byte-order mark', () => {
    const preview = parseIcs(`\uFEFF${holidayFile.join('\n')}`);
    expect(preview.holidays).toHaveLength(10);
  });

  it('turns the preview into closed special days, keeping days the calendar already has', () => {
    const { holidays } = parseIcs(ics(holidayFile));
    const existing = [{ date: '12-25', recurrence: 'yearly' as const, kind: 'closed' as const, name: 'Noël' }];
    const result = holidaysToSpecialDays(holidays, existing);
    expect(result.skipped).toEqual(['every 12-25 (Christmas Day) is already a special day (Noël)']);
    expect(result.added).toHaveLength(9);
    expect(result.added[0]).toEqual({ date: '02-29', recurrence: 'yearly', kind: 'closed', name: 'Leap day' });
    const calendar = CalendarConfig.parse({ ...defaultCalendar('Europe/Paris'), specialDays: result.specialDays });
    // Monday 2026-08-17 is now closed for the office move.
    expect(decide({ calendar, emergency: EMERGENCY_OFF, at: Date.parse('2026-08-17T10:00+02:00'), channel: 'x' })).toMatchObject({
      state: 'closed',
      reason: 'special-day',
      specialDay: { name: 'Office move, new building' },
    });
  });

  describe('refuses a malformed file, naming the line', () => {
    it('not an iCalendar file', () => {
      expect(refusal('hello\r\n')).toBe('holiday file refused: line 1: expected NAME:value, found "hello"');
      expect(refusal(ics(['BEGIN:VEVENT', 'END:VEVENT']))).toBe(
        'holiday file refused: line 1: an iCalendar file starts with BEGIN:VCALENDAR, found "BEGIN:VEVENT"',
      );
      expect(refusal('')).toBe('holiday file refused: the file is empty');
    });

    it('a date that does not exist (2026-02-30), counting folded lines as the file shows them', () => {
      expect(
        refusal(ics(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'SUMMARY:A very long', '  name', 'DTSTART;VALUE=DATE:20260230', 'END:VEVENT', 'END:VCALENDAR'])),
      ).toBe('holiday file refused: line 5: DTSTART "20260230" is not a real date');
    });

    it('a line without a colon', () => {
      expect(refusal(ics(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART 20261225', 'END:VEVENT', 'END:VCALENDAR']))).toBe(
        'holiday file refused: line 3: expected NAME:value, found "DTSTART 20261225"',
      );
    });

    it('BEGIN and END that do not pair up, or a component never closed', () => {
      expect(refusal(ics(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART:20261225', 'END:VCALENDAR']))).toBe(
        'holiday file refused: line 4: END:VCALENDAR does not close BEGIN:VEVENT on line 2',
      );
      expect(refusal(ics(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART:20261225']))).toBe(
        'holiday file refused: line 3: BEGIN:VEVENT on line 2 is never closed by END:VEVENT',
      );
    });

    it('an event without DTSTART, a date that is not a date, DTEND before DTSTART', () => {
      expect(refusal(ics(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'SUMMARY:Mystery', 'END:VEVENT', 'END:VCALENDAR']))).toBe(
        'holiday file refused: line 2: the event "Mystery" has no DTSTART',
      );
      expect(refusal(ics(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART:2026-12-25', 'END:VEVENT', 'END:VCALENDAR']))).toBe(
        'holiday file refused: line 3: DTSTART "2026-12-25" is not a date (YYYYMMDD) or a date-time (YYYYMMDDTHHMMSS)',
      );
      expect(
        refusal(ics(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20261225', 'DTEND;VALUE=DATE:20261224', 'END:VEVENT', 'END:VCALENDAR'])),
      ).toBe('holiday file refused: line 4: DTEND 2026-12-24 is before DTSTART 2026-12-25');
    });

    it('a malformed RRULE', () => {
      expect(refusal(ics(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART:20261225', 'RRULE:FREQ', 'END:VEVENT', 'END:VCALENDAR']))).toBe(
        'holiday file refused: line 4: RRULE part "FREQ" is not NAME=value',
      );
      expect(refusal(ics(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART:20261225', 'RRULE:COUNT=2', 'END:VEVENT', 'END:VCALENDAR']))).toBe(
        'holiday file refused: line 4: RRULE has no FREQ',
      );
    });

    it('a folded line with nothing before it', () => {
      expect(refusal(' BEGIN:VCALENDAR\r\n')).toBe('holiday file refused: line 1: a folded line (starting with a space) continues nothing');
    });
  });
});
