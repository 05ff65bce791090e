/**
 * Holidays from an iCalendar (.ics) file: parse, preview, turn into closed special days.
 *
 * A small RFC 5545 reader, written here rather than taken from a package because the desk needs
 * very little of the format (VEVENT with DTSTART, DTEND/DURATION, SUMMARY, RRULE:FREQ=YEARLY) and
 * must say which line of a bad file is wrong, which general parsers do not. It handles line
 * unfolding (CRLF or LF followed by a space or tab), parameters with quoted values, text escapes,
 * and nested components (VTIMEZONE, VALARM), which it skips.
 *
 * What is refused (nothing imported, the message names the line): a file that is not an
 * iCalendar file, a line that is not NAME:value, BEGIN/END that do not pair up, an event without
 * DTSTART, a date that is not a real date (20260230), a malformed RRULE or DURATION, DTEND before DTSTART.
 *
 * What is left out with a warning (the rest is imported): events that repeat by a rule a special
 * day cannot express (Thanksgiving: the fourth Thursday), cancelled events, events longer than 31
 * days. Timed events are taken as the whole day they start on, as written in the file.
 * A yearly event on 29 February becomes a yearly 02-29 special day, which (as in RFC 5545, where
 * an occurrence on a date that does not exist is ignored) applies in leap years only.
 */
import { DeskFailure } from '../contract';
import { isCalendarDate, type SpecialDay } from './schema';

export interface IcsHoliday {
  /** The line of the event's BEGIN:VEVENT. */
  line: number;
  uid: string | null;
  name: string;
  /** "YYYY-MM-DD" for a one-off day, "MM-DD" for a yearly one. */
  date: string;
  recurrence: 'none' | 'yearly';
}

export interface IcsPreview {
  holidays: IcsHoliday[];
  /** What was left out or changed, each naming its line. */
  warnings: string[];
}

/** Largest file accepted, in characters. */
export const MAX_ICS_CHARS = 2_000_000;
const MAX_EVENT_DAYS = 31;
const MAX_EXPANDED_OCCURRENCES = 50;
const MAX_NAME = 80;

interface ContentLine {
  line: number;
  name: string;
  params: Map<string, string>;
  value: string;
}

function refuse(line: number, message: string): never {
  throw new DeskFailure('bad_input', `holiday file refused: line ${line}: ${message}`);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** Physical lines joined into logical ones, each with the number of the line it starts on. */
function unfold(text: string): Array<{ line: number; text: string }> {
  const physical = text.split(/\r\n|\n|\r/);
  const logical: Array<{ line: number; text: string }> = [];
  physical.forEach((raw, index) => {
    if (raw.startsWith(' ') || raw.startsWith('\t')) {
      const last = logical[logical.length - 1];
      if (!last) refuse(index + 1, 'a folded line (starting with a space) continues nothing');
      last.text += raw.slice(1);
    } else {
      logical.push({ line: index + 1, text: raw });
    }
  });
  return logical.filter((l) => l.text.trim() !== '');
}

const NAME = /^[A-Za-z0-9-]+$/;

function parseContentLine(line: number, text: string): ContentLine {
  let i = 0;
  while (i < text.length && text[i] !== ';' && text[i] !== ':') i++;
  const name = text.slice(0, i);
  if (i === text.length || !NAME.test(name)) refuse(line, `expected NAME:value, found ${quote(text)}`);
  const params = new Map<string, string>();
  while (text[i] === ';') {
    i++;
    const eq = text.indexOf('=', i);
    if (eq < 0) refuse(line, `a parameter needs NAME=value, found ${quote(text)}`);
    const paramName = text.slice(i, eq);
    if (!NAME.test(paramName)) refuse(line, `${quote(paramName)} is not a parameter name`);
    i = eq + 1;
    let value: string;
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      if (close < 0) refuse(line, `a quoted parameter value is not closed in ${quote(text)}`);
      value = text.slice(i + 1, close);
      i = close + 1;
    } else {
      const start = i;
      while (i < text.length && text[i] !== ';' && text[i] !== ':') i++;
      value = text.slice(start, i);
    }
    params.set(paramName.toUpperCase(), value);
  }
  if (text[i] !== ':') refuse(line, `expected ":" before the value in ${quote(text)}`);
  return { line, name: name.toUpperCase(), params, value: text.slice(i + 1) };
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? ' ' : c)).trim();
}

interface DateValue {
  date: string; // YYYY-MM-DD
  timed: boolean;
  /** A date-time at exactly 00:00:00. */
  midnight: boolean;
}

const DATE_VALUE = /^(\d{4})(\d{2})(\d{2})$/;
const DATE_TIME_VALUE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?$/;

function parseDateValue(property: ContentLine): DateValue {
  const value = property.value.trim();
  const m = DATE_VALUE.exec(value) ?? DATE_TIME_VALUE.exec(value);
  if (!m) refuse(property.line, `${property.name} ${quote(value)} is not a date (YYYYMMDD) or a date-time (YYYYMMDDTHHMMSS)`);
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (!isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) refuse(property.line, `${property.name} ${quote(value)} is not a real date`);
  const timed = m[4] !== undefined;
  if (timed) {
    const [h, min, s] = [Number(m[4]), Number(m[5]), Number(m[6])];
    if (h > 23 || min > 59 || s > 60) refuse(property.line, `${property.name} ${quote(value)} is not a real time of day`);
  }
  return { date, timed, midnight: timed && m[4] === '00' && m[5] === '00' && m[6] === '00' };
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const lengths = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return month >= 1 && month <= 12 && day >= 1 && day <= lengths[month - 1]!;
}

const DAY = 86_400_000;

function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const at = new Date(0);
  at.setUTCFullYear(y, m - 1, d); // not Date.UTC, which reads years 0-99 as 1900-1999
  return Math.round(at.getTime() / DAY);
}

function dateFromDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

function parseRrule(property: ContentLine): Map<string, string> {
  const parts = new Map<string, string>();
  for (const part of property.value.trim().split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) refuse(property.line, `RRULE part ${quote(part)} is not NAME=value`);
    parts.set(part.slice(0, eq).toUpperCase(), part.slice(eq + 1).toUpperCase());
  }
  if (!parts.has('FREQ')) refuse(property.line, 'RRULE has no FREQ');
  return parts;
}

function durationDays(property: ContentLine): number {
  const m = /^P(?:(\d+)W|(\d+)D(?:T.*)?|T.*)$/.exec(property.value.trim());
  if (!m) refuse(property.line, `DURATION ${quote(property.value)} is not a duration (for example P1D)`);
  if (m[1] !== undefined) return Number(m[1]) * 7;
  if (m[2] !== undefined) return Math.max(1, Number(m[2]));
  return 1;
}

interface RawEvent {
  line: number;
  props: ContentLine[];
}

/** Reads an .ics file into a preview of the holidays it holds; refuses a malformed file. */
export function parseIcs(text: string): IcsPreview {
  if (text.length > MAX_ICS_CHARS) throw new DeskFailure('bad_input', `holiday file refused: it is larger than ${MAX_ICS_CHARS} characters`);
  const lines = unfold(text.replace(/^\uFEFF/, ''));
  if (lines.length === 0) throw new DeskFailure('bad_input', 'holiday file refused: the file is empty');

  const events: RawEvent[] = [];
  const stack: Array<{ name: string; line: number }> = [];
  let current: RawEvent | null = null;
  let calendars = 0;

  for (const { line, text: raw } of lines) {
    const property = parseContentLine(line, raw);
    if (stack.length === 0) {
      if (property.name !== 'BEGIN' || property.value.trim().toUpperCase() !== 'VCALENDAR') {
        refuse(line, calendars === 0 ? `an iCalendar file starts with BEGIN:VCALENDAR, found ${quote(raw)}` : `${quote(raw)} comes after END:VCALENDAR`);
      }
    }
    if (property.name === 'BEGIN') {
      const component = property.value.trim().toUpperCase();
      if (!NAME.test(component)) refuse(line, `BEGIN names no component: ${quote(raw)}`);
      if (component === 'VCALENDAR' && stack.length > 0) refuse(line, `BEGIN:VCALENDAR inside BEGIN:${stack[stack.length - 1]!.name} on line ${stack[stack.length - 1]!.line}`);
      if (component === 'VCALENDAR') calendars++;
      stack.push({ name: component, line });
      if (component === 'VEVENT' && stack.length === 2) {
        current = { line, props: [] };
      }
      continue;
    }
    if (property.name === 'END') {
      const component = property.value.trim().toUpperCase();
      const open = stack.pop();
      if (!open) refuse(line, `END:${component} has no BEGIN`);
      if (open.name !== component) refuse(line, `END:${component} does not close BEGIN:${open.name} on line ${open.line}`);
      if (component === 'VEVENT' && current && stack.length === 1) {
        events.push(current);
        current = null;
      }
      continue;
    }
    // Properties of the event itself (not of an alarm inside it).
    if (current && stack.length === 2) current.props.push(property);
  }
  const unclosed = stack[stack.length - 1];
  if (unclosed) {
    const last = lines[lines.length - 1]!.line;
    refuse(last, `BEGIN:${unclosed.name} on line ${unclosed.line} is never closed by END:${unclosed.name}`);
  }

  const holidays: IcsHoliday[] = [];
  const warnings: string[] = [];
  for (const event of events) readEvent(event, holidays, warnings);
  return dedupe(holidays, warnings);
}

function readEvent(event: RawEvent, holidays: IcsHoliday[], warnings: string[]): void {
  const first = (name: string) => event.props.find((p) => p.name === name);
  const summary = first('SUMMARY');
  let name = summary ? unescapeText(summary.value) : '';
  if (name === '') name = 'Holiday';
  if (name.length > MAX_NAME) name = `${name.slice(0, MAX_NAME - 3)}...`;
  const label = `line ${event.line}: the event ${quote(name)}`;

  const dtstart = first('DTSTART');
  if (!dtstart) refuse(event.line, `the event ${quote(name)} has no DTSTART`);
  const start = parseDateValue(dtstart);
  const dtend = first('DTEND');
  const duration = first('DURATION');
  const rrule = first('RRULE');
  const rule = rrule ? parseRrule(rrule) : null;

  // Every check that can refuse the file runs before anything is left out.
  let days = 1;
  if (dtend) {
    const end = parseDateValue(dtend);
    const span = dayNumber(end.date) - dayNumber(start.date);
    if (span < 0) refuse(dtend.line, `DTEND ${end.date} is before DTSTART ${start.date}`);
    // An all-day DTEND is exclusive (the day after the last); a timed one is the day it ends
    // on, unless it ends at midnight.
    days = end.timed && !end.midnight ? span + 1 : Math.max(1, span);
  } else if (duration) {
    days = durationDays(duration);
  }

  const status = first('STATUS');
  if (status && status.value.trim().toUpperCase() === 'CANCELLED') {
    warnings.push(`${label} is cancelled; it was left out`);
    return;
  }
  if (days > MAX_EVENT_DAYS) {
    warnings.push(`${label} lasts ${days} days (more than ${MAX_EVENT_DAYS}); it was left out`);
    return;
  }
  if (start.timed) warnings.push(`${label} has a time of day; it was taken as the whole day of ${start.date}`);
  for (const extra of ['RDATE', 'EXDATE']) {
    if (first(extra)) warnings.push(`${label} has ${extra}, which the import does not follow; it was ignored`);
  }

  const uid = first('UID')?.value.trim() || null;
  const dates = Array.from({ length: days }, (_, i) => dateFromDay(dayNumber(start.date) + i));

  if (!rule) {
    for (const date of dates) {
      if (!isCalendarDate(date)) {
        warnings.push(`${label} on ${date} is before 1970; it was left out`);
        continue;
      }
      holidays.push({ line: event.line, uid, name, date, recurrence: 'none' });
    }
    return;
  }

  const [, month, day] = start.date.split('-') as [string, string, string];
  const understood = new Set(['FREQ', 'INTERVAL', 'BYMONTH', 'BYMONTHDAY', 'WKST', 'COUNT', 'UNTIL']);
  const followable =
    rule.get('FREQ') === 'YEARLY' &&
    [...rule.keys()].every((k) => understood.has(k)) &&
    (rule.get('INTERVAL') ?? '1') === '1' &&
    (rule.get('BYMONTH') ?? String(Number(month))) === String(Number(month)) &&
    (rule.get('BYMONTHDAY') ?? String(Number(day))) === String(Number(day));
  if (!followable) {
    warnings.push(`${label} repeats by a rule a special day cannot follow (RRULE:${rrule!.value.trim()}); it was left out`);
    return;
  }

  const count = rule.get('COUNT');
  const until = rule.get('UNTIL');
  if (count === undefined && until === undefined) {
    for (const date of dates) holidays.push({ line: event.line, uid, name, date: date.slice(5), recurrence: 'yearly' });
    return;
  }

  // A yearly rule that stops: one one-off day per occurrence.
  if (count !== undefined && !/^\d+$/.test(count)) refuse(rrule!.line, `RRULE COUNT ${quote(count)} is not a number`);
  let lastDate = '9999-12-31';
  if (until !== undefined) {
    const m = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/.exec(until);
    if (!m || !isCalendarDate(`${m[1]}-${m[2]}-${m[3]}`)) refuse(rrule!.line, `RRULE UNTIL ${quote(until)} is not a real date`);
    lastDate = `${m[1]}-${m[2]}-${m[3]}`;
  }
  const occurrences = count !== undefined ? Number(count) : Number.POSITIVE_INFINITY;
  const startYear = Number(start.date.slice(0, 4));
  let produced = 0;
  for (let year = startYear; produced < occurrences && year <= 9999; year++) {
    const occurrence = `${String(year).padStart(4, '0')}-${month}-${day}`;
    if (occurrence > lastDate) break;
    if (!isCalendarDate(occurrence)) continue; // 29 February in a common year does not occur
    produced++;
    if (produced > MAX_EXPANDED_OCCURRENCES) {
      warnings.push(`${label} repeats more than ${MAX_EXPANDED_OCCURRENCES} times; only the first ${MAX_EXPANDED_OCCURRENCES} were taken`);
      break;
    }
    const firstDay = dayNumber(occurrence);
    for (let i = 0; i < days; i++) holidays.push({ line: event.line, uid, name, date: dateFromDay(firstDay + i), recurrence: 'none' });
  }
}

function dedupe(holidays: IcsHoliday[], warnings: string[]): IcsPreview {
  const seen = new Map<string, IcsHoliday>();
  const kept: IcsHoliday[] = [];
  for (const holiday of holidays) {
    const key = `${holiday.recurrence}:${holiday.date}`;
    const earlier = seen.get(key);
    if (earlier) {
      if (earlier.line !== holiday.line) {
        const when = holiday.recurrence === 'yearly' ? `every ${holiday.date}` : holiday.date;
        warnings.push(`line ${holiday.line}: ${when} is already taken by ${quote(earlier.name)} (line ${earlier.line}); kept that one`);
      }
      continue;
    }
    seen.set(key, holiday);
    kept.push(holiday);
  }
  kept.sort((a, b) => (a.recurrence === b.recurrence ? a.date.localeCompare(b.date) : a.recurrence === 'yearly' ? -1 : 1));
  return { holidays: kept, warnings };
}

/**
 * The previewed holidays as closed special days added to the calendar's own. A date that is
 * already a special day keeps the existing one; `skipped` says which.
 */
export function holidaysToSpecialDays(
  holidays: readonly IcsHoliday[],
  existing: readonly SpecialDay[] = [],
): { specialDays: SpecialDay[]; added: SpecialDay[]; skipped: string[] } {
  const taken = new Map(existing.map((d) => [`${d.recurrence}:${d.date}`, d]));
  const added: SpecialDay[] = [];
  const skipped: string[] = [];
  for (const holiday of holidays) {
    const key = `${holiday.recurrence}:${holiday.date}`;
    const other = taken.get(key);
    if (other) {
      const when = holiday.recurrence === 'yearly' ? `every ${holiday.date}` : holiday.date;
      skipped.push(`${when} (${holiday.name}) is already a special day (${other.name})`);
      continue;
    }
    const day: SpecialDay = { date: holiday.date, recurrence: holiday.recurrence, kind: 'closed', name: holiday.name };
    taken.set(key, day);
    added.push(day);
  }
  return { specialDays: [...existing, ...added], added, skipped };
}
