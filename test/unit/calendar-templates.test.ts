/** Answer templates: placeholders, {reopens_at} in the desk's zone and format, limits per channel. */
import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import {
  CalendarConfig,
  DEFAULT_TEMPLATES,
  DeskZone,
  defaultCalendar,
  parseCalendarConfig,
  parseEmergencyState,
  renderAnswer,
  validateEmergencyMessage,
  validateTemplate,
  type AnswerContext,
  fillPlaceholders,
} from '../../electron/core/calendar';
import { DeskFailure } from '../../electron/core/contract';

const at = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad instant ${iso}`);
  return t;
};

const context: AnswerContext = {
  zone: 'Europe/Paris',
  locale: 'en-GB',
  timeFormat: '24h',
  deskName: 'Acme Care',
  contactName: 'Ann',
  reopensAt: at('2026-03-09T09:00+01:00'),
};
const check = { zone: 'Europe/Paris', locale: 'en-GB', timeFormat: '24h' as const, deskName: 'Acme Care' };

describe('calendar: renderAnswer', () => {
  it('fills {contact_name}, {desk_name} and {reopens_at} (desk zone, en-GB, 24h)', () => {
    expect(renderAnswer('Hi {contact_name}, {desk_name} reopens {reopens_at}.', context)).toBe(
      'Hi Ann, Acme Care reopens Monday 9 March at 09:00 CET.',
    );
  });

  it('writes {reopens_at} in the locale and time format: en-US 12h, fr-FR 24h', () => {
    const ny = { ...context, zone: 'America/New_York', locale: 'en-US', timeFormat: '12h' as const, reopensAt: at('2026-03-09T09:00-04:00') };
    expect(renderAnswer('{reopens_at}', ny)).toBe('Monday, March 9 at 9:00 AM EDT');
    expect(renderAnswer('{reopens_at}', { ...context, locale: 'fr-FR' })).toBe('lundi 9 mars à 09:00 UTC+1');
  });

  it('an unknown contact is "there"; no reopening is "as soon as we can"', () => {
    expect(renderAnswer('Hi {contact_name}, back {reopens_at}.', { ...context, contactName: null, reopensAt: null })).toBe(
      'Hi there, back as soon as we can.',
    );
    expect(renderAnswer('Hi {contact_name}!', { ...context, contactName: '   ' })).toBe('Hi there!');
  });

  it('a special day without a message leaves no double space', () => {
    const template = 'Closed for {special_day_name}. {special_day_message} Back {reopens_at}.';
    expect(renderAnswer(template, { ...context, specialDay: { name: 'Christmas Day' } })).toBe('Closed for Christmas Day. Back Monday 9 March at 09:00 CET.');
    expect(renderAnswer(template, { ...context, specialDay: { name: 'Christmas Day', message: 'Merry Christmas!' } })).toBe(
      'Closed for Christmas Day. Merry Christmas! Back Monday 9 March at 09:00 CET.',
    );
  });

  it('fills {emergency_message}', () => {
    expect(renderAnswer('{emergency_message} Sorry, {contact_name}.', { ...context, emergencyMessage: 'We are offline.' })).toBe('We are offline. Sorry, Ann.');
  });
});

describe('calendar: validateTemplate', () => {
  it('counts an X reply as X does: CJK characters weigh 2, so 140 fit and 141 do not', () => {
    expect(validateTemplate({ case: 'outside-hours', channel: 'x', visibility: 'public', text: '字'.repeat(140) }, check)).toMatchObject({
      ok: true,
      length: 280,
      limit: 280,
      counted: 'weighted',
    });
    expect(validateTemplate({ case: 'outside-hours', channel: 'x', visibility: 'public', text: '字'.repeat(141) }, check)).toMatchObject({
      ok: false,
      length: 282,
      problem: 'too long for an X public reply: 282 of 280 characters as X counts them',
    });
  });

  it('counts a link as 23, as X does', () => {
    expect(validateTemplate({ case: 'outside-hours', channel: 'x', visibility: 'public', text: `Help: https://example.com/${'x'.repeat(100)}` }, check).length).toBe(29);
  });

  it('refuses an X template that fits for "Ann" but not once placeholders hold their longest values', () => {
    const text = `Hi {contact_name}! ${'a'.repeat(150)} Back {reopens_at}.`;
    const forAnn = renderAnswer(text, context);
    expect(twitterText.parseTweet(forAnn).weightedLength).toBe(192);
    const result = validateTemplate({ case: 'outside-hours', channel: 'x', visibility: 'public', text }, check);
    expect(result).toMatchObject({
      ok: false,
      length: 298,
      problem: 'too long for an X public reply: 298 of 280 characters as X counts them, with placeholders filled by their longest values',
    });
    // The worst case: a 50-character name of double-weight characters, the longest date of the year.
    expect(result.worstCase).toContain('字'.repeat(50));
  });

  it('Messenger and Facebook private replies: 2000 characters; Facebook comments: 8000; X DMs: 10000', () => {
    const t = (channel: 'x' | 'facebook' | 'messenger', visibility: 'public' | 'private', length: number) =>
      validateTemplate({ case: 'outside-hours', channel, visibility, text: 'a'.repeat(length) }, check);
    expect(t('messenger', 'private', 2000).ok).toBe(true);
    expect(t('messenger', 'private', 2001).problem).toBe('too long for a Messenger message: 2001 of 2000 characters');
    expect(t('facebook', 'private', 2001).problem).toBe('too long for a Facebook private reply: 2001 of 2000 characters');
    expect(t('facebook', 'public', 5000).ok).toBe(true);
    expect(t('facebook', 'public', 8001).problem).toBe('too long for a Facebook comment: 8001 of 8000 characters');
    expect(t('x', 'private', 10_000).ok).toBe(true);
    expect(t('x', 'private', 10_001).problem).toBe('too long for an X direct message: 10001 of 10000 characters');
  });

  it('refuses a placeholder the case does not have', () => {
    expect(validateTemplate({ case: 'outside-hours', channel: 'x', visibility: 'public', text: 'Closed: {emergency_message}' }, check).problem).toBe(
      'uses unknown placeholder {emergency_message}: this answer may use {contact_name}, {desk_name}, {reopens_at}',
    );
  });

  it("checks special-day answers with each special day's name and message, naming the one that does not fit", () => {
    const result = validateTemplate(
      { case: 'special-day', channel: 'x', visibility: 'public', text: 'Closed for {special_day_name}. {special_day_message}' },
      {
        ...check,
        specialDays: [
          { date: '01-01', recurrence: 'yearly', kind: 'closed', name: "New Year's Day" },
          { date: '12-25', recurrence: 'yearly', kind: 'closed', name: 'Christmas Day', message: 'x'.repeat(300) },
        ],
      },
    );
    expect(result.problem).toBe(
      'too long for an X public reply: 326 of 280 characters as X counts them, with placeholders filled by their longest values and special day "Christmas Day"',
    );
  });

  it('the default templates fit every channel, for a 60-character desk name, in several locales and both time formats', () => {
    for (const timeFormat of ['24h', '12h'] as const) {
      for (const locale of ['en-GB', 'en-US', 'fr-FR', 'ja-JP']) {
        for (const zone of ['Europe/Paris', 'Asia/Kathmandu', 'America/New_York', 'Pacific/Kiritimati']) {
          const cal = { ...defaultCalendar(zone), locale };
          expect(() => parseCalendarConfig(cal, { deskName: 'W'.repeat(60), timeFormat })).not.toThrow();
        }
      }
    }
    expect(DEFAULT_TEMPLATES['outside-hours'].x.public).toContain('{reopens_at}');
    expect(DEFAULT_TEMPLATES['special-day'].messenger.private).toContain('{special_day_message}');
  });
});

describe('calendar: the emergency message', () => {
  const cal = CalendarConfig.parse(defaultCalendar('Europe/Paris'));
  const long = 'Our systems are down. '.repeat(10);

  it('is refused when it would make an emergency answer too long for its channel', () => {
    expect(validateEmergencyMessage(cal, long, { deskName: 'Acme Care', timeFormat: '24h' })).toEqual([
      'message: with it, templates.emergency.x.public is too long for an X public reply: 385 of 280 characters as X counts them, with placeholders filled by their longest values',
    ]);
    expect(validateEmergencyMessage(cal, 'Our systems are down.', { deskName: 'Acme Care', timeFormat: '24h' })).toEqual([]);
  });

  it('parseEmergencyState refuses a switch-on with a message too long, or without who and when', () => {
    const refusal = (raw: unknown) => {
      try {
        parseEmergencyState(raw, cal, { deskName: 'Acme Care', timeFormat: '24h' });
      } catch (error) {
        expect(error).toBeInstanceOf(DeskFailure);
        expect((error as DeskFailure).code).toBe('bad_input');
        return (error as DeskFailure).message;
      }
      throw new Error('expected a refusal');
    };
    expect(refusal({ on: true, message: long, switchedBy: 'sam', switchedAt: at('2026-03-09T10:00+01:00') })).toBe(
      'emergency refused: message: with it, templates.emergency.x.public is too long for an X public reply: 385 of 280 characters as X counts them, with placeholders filled by their longest values',
    );
    expect(refusal({ on: true, message: 'Down.', switchedBy: null, switchedAt: null })).toBe(
      'emergency refused: switchedBy: an emergency that is on says who switched it on and when',
    );
    const state = { on: true, message: 'Down.', switchedBy: 'sam', switchedAt: at('2026-03-09T10:00+01:00') };
    expect(parseEmergencyState(state, cal, { deskName: 'Acme Care', timeFormat: '24h' })).toEqual(state);
  });
});

describe('calendar: DeskZone', () => {
  it('rejects an unknown zone', () => {
    expect(() => new DeskZone('Mars/Olympus_Mons')).toThrow('"Mars/Olympus_Mons" is not an IANA time zone');
  });
});

describe('filling placeholders', () => {
  it('puts a name in as written, even one that looks like a replacement pattern', () => {
    expect(fillPlaceholders('Hi {contact_name}, thanks', { contact_name: "$`$&$'" })).toBe("Hi $`$&$', thanks");
    expect(fillPlaceholders('Hi {contact_name} from {desk_name}', { contact_name: 'Zoë', desk_name: 'Acme Care' })).toBe('Hi Zoë from Acme Care');
    expect(fillPlaceholders('Hi {nobody}', {})).toBe('Hi {nobody}');
  });
});
