/**
 * The desk refuses a calendar whole, with one message naming every problem:
 * "calendar refused: weekly.tuesday.0: 10:00-10:00 has no length ...; weekly: monday 09:00-17:00
 * overlaps monday 12:00-18:00; templates.emergency.x.public: too long for an X public reply ...".
 * Split here so each problem can also be shown next to what it is about. The text stays the desk's.
 */
import { weekdayLabels, WEEKDAYS, type Weekday } from './model';
import { caseLabels } from './answers';

export interface CalendarProblem {
  /** Where, as the desk named it: ["weekly", "tuesday", "0"], ["templates", "emergency", "x", "public"]. */
  readonly path: readonly string[];
  /** Where, for people: "Tuesday, range 1" ('' for a note that is about no place). */
  readonly where: string;
  /** The desk's own words. */
  readonly text: string;
}

const channelLabels: Record<string, string> = { x: 'X', facebook: 'Facebook', messenger: 'Messenger' };
const visibilityLabels: Record<string, Record<string, string>> = {
  x: { public: 'public reply', private: 'direct message' },
  facebook: { public: 'comment', private: 'private reply' },
  messenger: { private: 'message' },
};

function describePath(path: readonly string[], specialDayName: (index: number) => string | null): string {
  const [head, a, b, c] = path;
  if (head === 'weekly') {
    if (a !== undefined && (WEEKDAYS as readonly string[]).includes(a)) {
      const day = weekdayLabels[a as Weekday];
      return b !== undefined && /^\d+$/.test(b) ? `${day}, range ${Number(b) + 1}` : day;
    }
    return 'Weekly hours';
  }
  if (head === 'specialDays') {
    if (a === undefined || !/^\d+$/.test(a)) return 'Special days';
    const name = specialDayName(Number(a));
    return name === null ? `Special day ${Number(a) + 1}` : `Special day “${name}”`;
  }
  if (head === 'templates') {
    const parts = [a !== undefined ? (caseLabels[a as keyof typeof caseLabels] ?? a) : 'Answer templates'];
    if (b !== undefined) parts.push(channelLabels[b] ?? b);
    if (b !== undefined && c !== undefined) parts.push(visibilityLabels[b]?.[c] ?? c);
    return `Answer: ${parts.join(' · ')}`;
  }
  if (head === 'zone') return 'Time zone';
  if (head === 'locale') return 'Language of dates';
  return 'Calendar';
}

/** Splits the desk's refusal into problems; a message it cannot split is one problem. */
export function parseRefusal(message: string, specialDayName: (index: number) => string | null = () => null): CalendarProblem[] {
  const body = message.replace(/^(?:saveCalendar: )?calendar refused: /, '');
  const problems: CalendarProblem[] = [];
  for (const part of body.split(/; (?=(?:[A-Za-z][\w-]*(?:\.[\w-]+)*: |and \d+ more$))/)) {
    const more = /^and (\d+) more$/.exec(part);
    if (more !== null) {
      problems.push({ path: [], where: '', text: `…and ${more[1]} more ${more[1] === '1' ? 'problem' : 'problems'}: fix these and save again to see the rest.` });
      continue;
    }
    const match = /^([A-Za-z][\w-]*(?:\.[\w-]+)*): ([\s\S]*)$/.exec(part);
    if (match === null) {
      problems.push({ path: [], where: 'Calendar', text: part });
      continue;
    }
    const path = match[1]!.split('.');
    const known = ['weekly', 'specialDays', 'templates', 'zone', 'locale', 'answerOncePerClosedPeriod', 'calendar'];
    if (!known.includes(path[0]!)) {
      problems.push({ path: [], where: 'Calendar', text: part });
      continue;
    }
    problems.push({ path, where: describePath(path, specialDayName), text: match[2]! });
  }
  return problems;
}

export function problemsUnder(problems: readonly CalendarProblem[], ...prefix: string[]): CalendarProblem[] {
  return problems.filter((problem) => prefix.every((part, i) => problem.path[i] === part));
}
