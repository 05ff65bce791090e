/**
 * Saving a calendar: the whole thing is checked (schema, then every template against its
 * channel's limit) and either accepted whole or refused with one message naming each problem.
 */
import type { z } from 'zod';
import { DeskFailure } from '../contract';
import { CalendarConfig, EmergencyState } from './schema';
import { validateEmergencyMessage, validateTemplates, type TimeFormat } from './templates';

const MAX_PROBLEMS = 5;

/** "weekly.friday: friday 22:00-02:00 overlaps saturday 01:00-09:00; zone: ..." */
export function describeCalendarIssues(error: z.ZodError): string {
  return joinProblems(
    error.issues.map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'calendar';
      return `${where}: ${issue.message.replace(/^Invalid input: /, '')}`;
    }),
  );
}

function joinProblems(problems: readonly string[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS).join('; ');
  return problems.length > MAX_PROBLEMS ? `${shown}; and ${problems.length - MAX_PROBLEMS} more` : shown;
}

export interface CalendarSaveContext {
  /** The desk's name and time format (settings): they fill {desk_name} and shape {reopens_at}. */
  deskName: string;
  timeFormat: TimeFormat;
  /** The emergency switch's current message, checked in the emergency templates. */
  emergencyMessage?: string;
}

/**
 * The calendar to save, or a DeskFailure('bad_input') naming every problem (up to five):
 * bad times, zero-length or overlapping ranges, unknown zone, impossible dates, duplicate special
 * days, unknown placeholders, templates too long for their channel.
 */
export function parseCalendarConfig(raw: unknown, context: CalendarSaveContext): CalendarConfig {
  const parsed = CalendarConfig.safeParse(raw);
  if (!parsed.success) throw new DeskFailure('bad_input', `calendar refused: ${describeCalendarIssues(parsed.error)}`);
  const problems = validateTemplates(parsed.data, context);
  if (problems.length > 0) throw new DeskFailure('bad_input', `calendar refused: ${joinProblems(problems)}`);
  return parsed.data;
}

/**
 * The emergency state to save when a supervisor switches: checked, and when it is switched on
 * its message must fit the calendar's emergency templates.
 */
export function parseEmergencyState(
  raw: unknown,
  calendar: CalendarConfig,
  context: { deskName: string; timeFormat: TimeFormat },
): EmergencyState {
  const parsed = EmergencyState.safeParse(raw);
  if (!parsed.success) throw new DeskFailure('bad_input', `emergency refused: ${describeCalendarIssues(parsed.error)}`);
  if (parsed.data.on) {
    const problems = validateEmergencyMessage(calendar, parsed.data.message, context);
    if (problems.length > 0) throw new DeskFailure('bad_input', `emergency refused: ${joinProblems(problems)}`);
  }
  return parsed.data;
}
