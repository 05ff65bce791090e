/**
 * Closed-desk answers as the console previews them: placeholders filled with sample values,
 * and an approximate length against the channel's limit. The desk is the judge: on save it
 * fills every placeholder with its longest possible value and counts X posts exactly
 * (twitter-text), and refuses with the reason; the console only gives a feel while typing.
 */
import { instantOf, wallAt, addDays } from './zone';
import { isSoundRange, minutesOf, sortRanges, WEEKDAYS, type Calendar, type TemplateCase } from './model';

export type AnswerChannel = 'x' | 'facebook' | 'messenger';
export type AnswerVisibility = 'public' | 'private';

export const PLACEHOLDERS: Record<TemplateCase, readonly string[]> = {
  'outside-hours': ['contact_name', 'desk_name', 'reopens_at'],
  'special-day': ['contact_name', 'desk_name', 'reopens_at', 'special_day_name', 'special_day_message'],
  emergency: ['contact_name', 'desk_name', 'reopens_at', 'emergency_message'],
};

export const placeholderHelp: Record<string, string> = {
  contact_name: 'the customer’s name (“there” when unknown)',
  desk_name: 'this desk’s name',
  reopens_at: 'when the desk reopens, in its zone',
  special_day_name: 'the special day’s name',
  special_day_message: 'the special day’s own message',
  emergency_message: 'the message set when emergency mode is switched on',
};

export const caseLabels: Record<TemplateCase, string> = {
  'outside-hours': 'Outside hours',
  'special-day': 'Special day',
  emergency: 'Emergency',
};

export interface AnswerLimit {
  readonly limit: number;
  /** X counts a post by weight (most non-Latin characters and emoji count twice, links 23). */
  readonly weighted: boolean;
  readonly label: string;
}

export function answerLimit(channel: AnswerChannel, visibility: AnswerVisibility): AnswerLimit {
  if (channel === 'x') {
    return visibility === 'public'
      ? { limit: 280, weighted: true, label: 'X public reply' }
      : { limit: 10_000, weighted: false, label: 'X direct message' };
  }
  if (channel === 'facebook') {
    return visibility === 'public'
      ? { limit: 8_000, weighted: false, label: 'Facebook comment' }
      : { limit: 2_000, weighted: false, label: 'Facebook private reply' };
  }
  return { limit: 2_000, weighted: false, label: 'Messenger message' };
}

const PLACEHOLDER_PATTERN = /\{([a-z_]+)\}/g;

/** Fills placeholders as the desk does: unknown ones stay as written, empty values leave no double space. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template
    .replace(PLACEHOLDER_PATTERN, (whole, name: string) => values[name] ?? whole)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Placeholders a template uses that its case does not offer. */
export function unknownPlaceholders(template: string, templateCase: TemplateCase): string[] {
  const allowed = PLACEHOLDERS[templateCase];
  return [...template.matchAll(PLACEHOLDER_PATTERN)].map((m) => m[1]!).filter((name) => !allowed.includes(name));
}

/** twitter-text's v3 ranges that count as one; everything else counts as two. */
const LIGHT_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0, 4351],
  [8192, 8205],
  [8208, 8223],
  [8242, 8247],
];
const URL_PATTERN = /\bhttps?:\/\/[^\s]+/gi;

/** About how X counts a post: links 23, Latin and common punctuation 1, other characters 2. */
export function xWeightedLength(text: string): number {
  let length = 0;
  const withoutUrls = text.normalize('NFC').replace(URL_PATTERN, () => {
    length += 23;
    return '';
  });
  for (const char of withoutUrls) {
    const code = char.codePointAt(0) ?? 0;
    length += LIGHT_RANGES.some(([from, to]) => code >= from && code <= to) ? 1 : 2;
  }
  return length;
}

export function measure(text: string, limit: AnswerLimit): number {
  return limit.weighted ? xWeightedLength(text) : [...text].length;
}

// ---------------------------------------------------------------------------------------------
// Sample values for previews

/** Writes an instant as customers read {reopens_at}: "Monday 30 November at 09:00 UTC". */
export function formatReopens(ms: number, calendar: Pick<Calendar, 'zone' | 'locale'>, timeFormat: '24h' | '12h'): string {
  try {
    return new Intl.DateTimeFormat(calendar.locale, {
      timeZone: calendar.zone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      hour: timeFormat === '24h' ? '2-digit' : 'numeric',
      minute: '2-digit',
      hourCycle: timeFormat === '24h' ? 'h23' : 'h12',
      timeZoneName: 'short',
    }).format(ms);
  } catch {
    return new Date(ms).toUTCString();
  }
}

/**
 * The next opening after `now` by the weekly hours alone (special days aside): a realistic
 * {reopens_at} for previews. Null when the week has no hours.
 */
export function sampleReopening(calendar: Calendar, now: number): number | null {
  const today = wallAt(now, calendar.zone);
  const todayIndex = WEEKDAYS.indexOf(today.weekday);
  for (let k = 0; k <= 7; k++) {
    const day = WEEKDAYS[(todayIndex + k) % 7]!;
    for (const range of sortRanges(calendar.weekly[day].filter(isSoundRange))) {
      const minutes = minutesOf(range.start);
      const date = addDays({ ...today, hour: 0, minute: 0 }, k);
      const at = instantOf({ ...date, hour: Math.floor(minutes / 60), minute: minutes % 60 }, calendar.zone);
      if (at > now) return at;
    }
  }
  return null;
}

export interface SampleContext {
  readonly calendar: Calendar;
  readonly deskName: string;
  readonly timeFormat: '24h' | '12h';
  readonly now: number;
  readonly contactName?: string;
  readonly emergencyMessage?: string;
}

export const SAMPLE_CONTACT = 'Ana';
export const SAMPLE_EMERGENCY_MESSAGE = 'We are dealing with an outage and answers may take longer than usual.';

/** The values previews fill placeholders with: a contact called Ana, the next opening, the first special day. */
export function sampleValues(context: SampleContext): Record<string, string> {
  const reopening = sampleReopening(context.calendar, context.now);
  const specialDay = context.calendar.specialDays.find((day) => day.name.trim() !== '');
  return {
    contact_name: context.contactName?.trim() || SAMPLE_CONTACT,
    desk_name: context.deskName,
    reopens_at: reopening === null ? 'as soon as we can' : formatReopens(reopening, context.calendar, context.timeFormat),
    special_day_name: specialDay?.name ?? 'Christmas Day',
    special_day_message: specialDay === undefined ? 'We wish you a merry Christmas!' : (specialDay.message ?? ''),
    emergency_message: context.emergencyMessage?.trim() || SAMPLE_EMERGENCY_MESSAGE,
  };
}
