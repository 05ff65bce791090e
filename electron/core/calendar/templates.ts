/**
 * Closed-desk answers: filling a template's placeholders, and checking when a template is saved
 * that it fits its channel once the placeholders hold their longest possible values.
 *
 * Placeholders: {contact_name} (the sender's name, "there" when unknown), {desk_name},
 * {reopens_at} (the next opening, written in the desk's zone, locale and time format, or
 * "as soon as we can" when there is none), {special_day_name} and {special_day_message}
 * (special-day answers), {emergency_message} (emergency answers).
 *
 * Limits: an X public reply is counted as X counts it (twitter-text's weighted length, 280);
 * an X DM 10,000 characters; a Facebook comment 8,000; a Facebook private reply and a Messenger
 * message 2,000. Characters are Unicode code points.
 */
import { DateTime } from 'luxon';
import twitterText from 'twitter-text';
import type { ClosedDecision } from './decide';
import {
  PLACEHOLDERS,
  PLACEHOLDER_PATTERN,
  type AnswerChannel,
  type AnswerVisibility,
  type CalendarConfig,
  type ClosedReason,
  type EmergencyState,
  type SpecialDay,
} from './schema';

export type TimeFormat = '24h' | '12h';

/** What a rendered answer is made from. */
export interface AnswerContext {
  zone: string;
  locale: string;
  timeFormat: TimeFormat;
  deskName: string;
  /** The sender's name as the platform gives it; null writes "there" ("Hi there"). */
  contactName: string | null;
  reopensAt: number | null;
  specialDay?: { name: string; message?: string | undefined } | null;
  emergencyMessage?: string;
}

export const CONTACT_NAME_UNKNOWN = 'there';
export const REOPENS_AT_UNKNOWN = 'as soon as we can';

// ---------------------------------------------------------------------------------------------
// Rendering

/** Writes an instant for a customer: "Monday 9 March at 09:00 CET" (en-GB, 24h). */
export function formatReopensAt(at: number, options: { zone: string; locale: string; timeFormat: TimeFormat }): string {
  return DateTime.fromMillis(at, { zone: options.zone })
    .setLocale(options.locale)
    .toLocaleString({
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      hour: options.timeFormat === '24h' ? '2-digit' : 'numeric',
      minute: '2-digit',
      hourCycle: options.timeFormat === '24h' ? 'h23' : 'h12',
      timeZoneName: 'short',
    });
}

/** Fills `{name}` placeholders; unknown ones stay as written. Values are never read as replacement patterns (`$&`, `$'`). */
export function fillPlaceholders(template: string, values: Record<string, string>): string {
  const filled = template.replace(PLACEHOLDER_PATTERN, (whole, name: string) => values[name] ?? whole);
  // An empty value (a special day without a message) must not leave a double space behind.
  return filled
    .replace(/[ \t]+\n/g, '\n')
    .replace(/ {2,}/g, ' ')
    .trim();
}

function valuesOf(context: AnswerContext): Record<string, string> {
  const contactName = context.contactName?.trim();
  return {
    contact_name: contactName ? contactName : CONTACT_NAME_UNKNOWN,
    desk_name: context.deskName,
    reopens_at: context.reopensAt === null ? REOPENS_AT_UNKNOWN : formatReopensAt(context.reopensAt, context),
    special_day_name: context.specialDay?.name ?? '',
    special_day_message: context.specialDay?.message ?? '',
    emergency_message: context.emergencyMessage ?? '',
  };
}

/** The template with its placeholders filled. Unknown placeholders are left as written (validation refuses them on save). */
export function renderAnswer(template: string, context: AnswerContext): string {
  return fillPlaceholders(template, valuesOf(context));
}

/** The answer a closed decision calls for, ready to send: its text and whether it goes publicly or privately. */
export function renderClosedAnswer(
  decision: ClosedDecision,
  context: {
    calendar: CalendarConfig;
    emergency: EmergencyState;
    deskName: string;
    timeFormat: TimeFormat;
    contactName: string | null;
  },
): { visibility: AnswerVisibility; text: string } {
  const text = renderAnswer(decision.answer.template, {
    zone: context.calendar.zone,
    locale: context.calendar.locale,
    timeFormat: context.timeFormat,
    deskName: context.deskName,
    contactName: context.contactName,
    reopensAt: decision.reopensAt,
    specialDay: decision.specialDay,
    emergencyMessage: context.emergency.message,
  });
  return { visibility: decision.answer.visibility, text };
}

// ---------------------------------------------------------------------------------------------
// Limits

export interface AnswerLimit {
  limit: number;
  /** 'weighted': as X counts a post (twitter-text); 'characters': Unicode code points. */
  counted: 'weighted' | 'characters';
  /** How a person names the thing: "an X public reply". */
  label: string;
}

export function answerLimit(channel: AnswerChannel, visibility: AnswerVisibility): AnswerLimit {
  if (channel === 'x') {
    return visibility === 'public'
      ? { limit: 280, counted: 'weighted', label: 'an X public reply' }
      : { limit: 10_000, counted: 'characters', label: 'an X direct message' };
  }
  if (channel === 'facebook') {
    return visibility === 'public'
      ? { limit: 8_000, counted: 'characters', label: 'a Facebook comment' }
      : { limit: 2_000, counted: 'characters', label: 'a Facebook private reply' };
  }
  return { limit: 2_000, counted: 'characters', label: 'a Messenger message' };
}

function measure(text: string, counted: AnswerLimit['counted']): { length: number; valid: boolean } {
  if (counted === 'characters') return { length: [...text].length, valid: true };
  const parsed = twitterText.parseTweet(text);
  return { length: parsed.weightedLength, valid: parsed.valid || parsed.weightedLength > 280 };
}

// ---------------------------------------------------------------------------------------------
// Worst cases

/**
 * The longest contact name a template must make room for. X display names are at most 50
 * characters and X counts most non-Latin characters (CJK, emoji) twice; Facebook names are
 * longer but count once.
 */
export const WORST_CASE_CONTACT_NAME: Record<AnswerLimit['counted'], string> = {
  weighted: '字'.repeat(50),
  characters: 'W'.repeat(100),
};

const reopensSamples = new Map<string, string[]>();

/** Every way {reopens_at} can be written over a year (each weekday, month, both DST offsets). */
function reopensAtSamples(zone: string, locale: string, timeFormat: TimeFormat): string[] {
  const key = `${zone}|${locale}|${timeFormat}`;
  let samples = reopensSamples.get(key);
  if (!samples) {
    const set = new Set<string>([REOPENS_AT_UNKNOWN]);
    const from = Date.UTC(2026, 0, 1, 12);
    for (let day = 0; day < 400; day++) {
      set.add(formatReopensAt(from + day * 86_400_000, { zone, locale, timeFormat }));
      set.add(formatReopensAt(from + day * 86_400_000 + 10 * 3_600_000, { zone, locale, timeFormat }));
    }
    samples = [...set];
    if (reopensSamples.size > 64) reopensSamples.clear();
    reopensSamples.set(key, samples);
  }
  return samples;
}

function longest(values: readonly string[], counted: AnswerLimit['counted']): string {
  let best = '';
  let bestLength = -1;
  for (const value of values) {
    const length = measure(value, counted).length;
    if (length > bestLength) {
      best = value;
      bestLength = length;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Validation

export interface TemplateCheckContext {
  zone: string;
  locale: string;
  timeFormat: TimeFormat;
  deskName: string;
  /** Special-day templates are checked with each of these days' name and message. */
  specialDays?: readonly SpecialDay[];
  /** Emergency templates are checked with this message (the switch's current one). */
  emergencyMessage?: string;
}

export interface TemplateToCheck {
  case: ClosedReason;
  channel: AnswerChannel;
  visibility: AnswerVisibility;
  text: string;
}

export interface TemplateCheck {
  ok: boolean;
  /** Length of the longest rendering, counted as the channel counts. */
  length: number;
  limit: number;
  counted: AnswerLimit['counted'];
  /** Why it is refused; null when ok. */
  problem: string | null;
  /** The longest rendering (what was counted). */
  worstCase: string;
}

/**
 * Checks a template for its channel: known placeholders only, and short enough once every
 * placeholder holds its longest value (the longest contact name, {reopens_at} written on any day
 * of the year, each special day's name and message, the emergency message given).
 */
export function validateTemplate(template: TemplateToCheck, context: TemplateCheckContext): TemplateCheck {
  const limit = answerLimit(template.channel, template.visibility);
  const allowed: readonly string[] = PLACEHOLDERS[template.case];
  const unknown = [...template.text.matchAll(PLACEHOLDER_PATTERN)].map((m) => m[1]!).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) {
    return {
      ok: false,
      length: 0,
      limit: limit.limit,
      counted: limit.counted,
      problem: `uses unknown placeholder {${unknown[0]}}: this answer may use ${allowed.map((p) => `{${p}}`).join(', ')}`,
      worstCase: template.text,
    };
  }

  const base = {
    contact_name: WORST_CASE_CONTACT_NAME[limit.counted],
    desk_name: context.deskName,
    reopens_at: longest(reopensAtSamples(context.zone, context.locale, context.timeFormat), limit.counted),
    special_day_name: '',
    special_day_message: '',
    emergency_message: context.emergencyMessage ?? '',
  };
  const variants: Array<{ values: Record<string, string>; specialDay: SpecialDay | null }> = [{ values: base, specialDay: null }];
  if (template.case === 'special-day') {
    for (const day of context.specialDays ?? []) {
      variants.push({ values: { ...base, special_day_name: day.name, special_day_message: day.message ?? '' }, specialDay: day });
    }
  }

  let worst = { text: '', length: -1, valid: true, specialDay: null as SpecialDay | null };
  for (const variant of variants) {
    const text = fillPlaceholders(template.text, variant.values);
    const measured = measure(text, limit.counted);
    if (measured.length > worst.length || (!measured.valid && worst.valid)) {
      worst = { text, length: measured.length, valid: measured.valid, specialDay: variant.specialDay };
    }
  }

  const result = { length: worst.length, limit: limit.limit, counted: limit.counted, worstCase: worst.text };
  if (!worst.valid) return { ...result, ok: false, problem: 'not accepted by X: it contains characters X does not allow in a post' };
  if (worst.length > limit.limit) {
    const unit = limit.counted === 'weighted' ? 'characters as X counts them' : 'characters';
    const hasPlaceholders = [...template.text.matchAll(PLACEHOLDER_PATTERN)].length > 0;
    const filledBy = !hasPlaceholders
      ? ''
      : worst.specialDay
        ? `, with placeholders filled by their longest values and special day "${worst.specialDay.name}"`
        : ', with placeholders filled by their longest values';
    return { ...result, ok: false, problem: `too long for ${limit.label}: ${worst.length} of ${limit.limit} ${unit}${filledBy}` };
  }
  return { ...result, ok: true, problem: null };
}

/** Every template of a calendar, each with where it sits: "templates.outside-hours.x.public". */
export function templatesOf(calendar: CalendarConfig): Array<TemplateToCheck & { path: string }> {
  const out: Array<TemplateToCheck & { path: string }> = [];
  for (const reason of ['special-day', 'outside-hours', 'emergency'] as const) {
    const set = calendar.templates[reason];
    for (const channel of ['x', 'facebook'] as const) {
      for (const visibility of ['public', 'private'] as const) {
        out.push({ case: reason, channel, visibility, text: set[channel][visibility], path: `templates.${reason}.${channel}.${visibility}` });
      }
    }
    out.push({ case: reason, channel: 'messenger', visibility: 'private', text: set.messenger.private, path: `templates.${reason}.messenger.private` });
  }
  return out;
}

/** Problems with a calendar's templates, each "path: problem"; empty when all fit. */
export function validateTemplates(
  calendar: CalendarConfig,
  context: { deskName: string; timeFormat: TimeFormat; emergencyMessage?: string },
): string[] {
  const check: TemplateCheckContext = {
    zone: calendar.zone,
    locale: calendar.locale,
    timeFormat: context.timeFormat,
    deskName: context.deskName,
    specialDays: calendar.specialDays,
    emergencyMessage: context.emergencyMessage ?? '',
  };
  const problems: string[] = [];
  for (const template of templatesOf(calendar)) {
    const result = validateTemplate(template, check);
    if (result.problem) problems.push(`${template.path}: ${result.problem}`);
  }
  return problems;
}

/** Problems the given emergency message would cause in the emergency templates; empty when it fits. */
export function validateEmergencyMessage(
  calendar: CalendarConfig,
  message: string,
  context: { deskName: string; timeFormat: TimeFormat },
): string[] {
  const check: TemplateCheckContext = {
    zone: calendar.zone,
    locale: calendar.locale,
    timeFormat: context.timeFormat,
    deskName: context.deskName,
    emergencyMessage: message.trim(),
  };
  return templatesOf(calendar)
    .filter((t) => t.case === 'emergency')
    .flatMap((template) => {
      const result = validateTemplate(template, check);
      return result.problem ? [`message: with it, ${template.path} is ${result.problem}`] : [];
    });
}
