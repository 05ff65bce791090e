/**
 * Refusals: input is checked whole before anything is written, and refused with one message that
 * names each problem ("agent refused: skills.billing: must be a whole number from 1 to 10 (got 11)").
 */
import type { z } from 'zod';
import { DeskFailure } from '../contract';

const MAX_PROBLEMS = 5;

export function describeRoutingIssues(error: z.ZodError): string {
  const problems = error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'input';
    return `${where}: ${issue.message.replace(/^Invalid input: /, '')}`;
  });
  const shown = problems.slice(0, MAX_PROBLEMS).join('; ');
  return problems.length > MAX_PROBLEMS ? `${shown}; and ${problems.length - MAX_PROBLEMS} more` : shown;
}

/** The parsed value, or a DeskFailure('bad_input') that starts with `what` ("agent refused"). */
export function parseOrRefuse<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new DeskFailure('bad_input', `${what}: ${describeRoutingIssues(parsed.error)}`);
  return parsed.data;
}

export function refuse(code: 'bad_input' | 'not_found' | 'conflict' | 'unavailable', message: string): never {
  throw new DeskFailure(code, message);
}

export function checkId(value: unknown, what: string, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) refuse('bad_input', `${what}: ${name} must be a positive whole number (got ${String(value)})`);
  return value;
}
