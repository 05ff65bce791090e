/**
 * Saving rules: the whole rule set is checked (schema, then what needs the desk's context: the
 * queues and agent groups that exist, how long an auto-reply may be on each platform) and either
 * accepted whole or refused with one message naming each problem. Nothing here saves anything.
 */
import twitterText from 'twitter-text';
import type { z } from 'zod';
import { answerLimit, WORST_CASE_CONTACT_NAME } from '../calendar/templates';
import { DeskFailure } from '../contract';
import { DEFAULT_RULE_DELETED, PRIVATE_EVENT_TYPES, RULE_EVENT_TYPES, RuleSet, type RuleAction, type RuleEventType } from './schema';

const MAX_PROBLEMS = 5;

/** What the desk knows when rules are saved. */
export interface RuleSetContext {
  /** The queue ids routing knows: a rule may only route to one of them. */
  queues: readonly string[];
  /** The agent group ids routing knows; omit (or null) while routing has no groups to check against. */
  groups?: readonly string[] | null;
  /** The desk's name, for {desk_name} when an auto-reply's length is checked (else 60 characters are assumed). */
  deskName?: string;
}

function joinProblems(problems: readonly string[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS).join('; ');
  return problems.length > MAX_PROBLEMS ? `${shown}; and ${problems.length - MAX_PROBLEMS} more` : shown;
}

function labelAt(raw: unknown, path: readonly PropertyKey[]): { label: string; rest: PropertyKey[] } {
  if (path[0] === 'rules' && typeof path[1] === 'number') {
    const rules = (raw as { rules?: unknown } | null)?.rules;
    const rule = Array.isArray(rules) ? (rules[path[1]] as { name?: unknown } | undefined) : undefined;
    const name = typeof rule?.name === 'string' ? rule.name.trim() : '';
    return { label: name !== '' ? `rule "${name}"` : `rule ${path[1] + 1}`, rest: path.slice(2) };
  }
  if (path[0] === 'defaultRule') {
    const rule = (raw as { defaultRule?: { name?: unknown } } | null)?.defaultRule;
    const name = typeof rule?.name === 'string' ? rule.name.trim() : '';
    return { label: name !== '' ? `default rule "${name}"` : 'the default rule', rest: path.slice(1) };
  }
  return { label: path.length > 0 ? path.map(String).join('.') : 'rule set', rest: [] };
}

/** Messages that already say which rule and what: custom checks, and the schema's own sentences. */
const SELF_EXPLAINING = /^(rule |rules |default rule |the default rule |the |a keyword |keyword )/;

/** "rule "Billing": the priority is at least 1; rule 3: the name is empty" */
export function describeRuleSetIssues(error: z.ZodError, raw: unknown): string {
  const problems: string[] = [];
  for (const issue of error.issues) {
    // zod's own sentences start with a capital ("Unrecognized key"); ours continue a label.
    const message = issue.message.replace(/^Invalid input: /, '').replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());
    if (message === DEFAULT_RULE_DELETED || /^(rule |rules |default rule |the default rule )/.test(message)) {
      problems.push(message);
      continue;
    }
    const { label, rest } = labelAt(raw, issue.path);
    const field = rest.filter((p) => typeof p !== 'number').map(String).join('.');
    problems.push(SELF_EXPLAINING.test(message) || field === '' ? `${label}: ${message}` : `${label}: ${field}: ${message}`);
  }
  return joinProblems([...new Set(problems)]);
}

function measure(text: string, counted: 'weighted' | 'characters'): number {
  return counted === 'characters' ? [...text].length : twitterText.parseTweet(text).weightedLength;
}

const CHANNEL_OF: Record<RuleEventType, 'x' | 'facebook' | 'messenger'> = {
  'x.mention': 'x',
  'x.reply': 'x',
  'x.dm': 'x',
  'facebook.post': 'facebook',
  'facebook.comment': 'facebook',
  'facebook.reply': 'facebook',
  'messenger.message': 'messenger',
};

/** An auto-reply that would not fit on a platform it can be sent on, with the longest name and desk name. */
function replyLengthProblem(action: Extract<RuleAction, { type: 'auto-reply' }>, kinds: readonly RuleEventType[], label: string, deskName: string): string | null {
  const seen = new Set<string>();
  for (const kind of kinds.length > 0 ? kinds : RULE_EVENT_TYPES) {
    const channel = CHANNEL_OF[kind];
    const visibility = PRIVATE_EVENT_TYPES.includes(kind) || channel === 'messenger' ? 'private' : action.visibility;
    const key = `${channel}:${visibility}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const limit = answerLimit(channel, visibility);
    const filled = action.template.replace(/\{contact_name\}/g, WORST_CASE_CONTACT_NAME[limit.counted]).replace(/\{desk_name\}/g, deskName);
    const length = measure(filled, limit.counted);
    if (length > limit.limit) {
      const unit = limit.counted === 'weighted' ? 'characters as X counts them' : 'characters';
      const filledBy = filled !== action.template ? ', with the placeholders at their longest' : '';
      return `${label}: the auto-reply is too long for ${limit.label}: ${length} of ${limit.limit} ${unit}${filledBy}`;
    }
  }
  return null;
}

function contextProblems(set: RuleSet, context: RuleSetContext): string[] {
  const problems: string[] = [];
  const queues = new Set(context.queues);
  const groups = context.groups ? new Set(context.groups) : null;
  const deskName = context.deskName ?? 'W'.repeat(60);
  const known = (ids: ReadonlySet<string>, noun: string) => (ids.size > 0 ? `known ${noun}: ${[...ids].sort().join(', ')}` : `no ${noun} exist yet`);
  const check = (action: RuleAction, kinds: readonly RuleEventType[], label: string) => {
    const routes = action.type === 'auto-reply' ? (action.thenRoute ? [action.thenRoute] : []) : [action];
    for (const route of routes) {
      if (route.type === 'route-to-queue' && !queues.has(route.queue)) problems.push(`${label}: queue "${route.queue}" does not exist (${known(queues, 'queues')})`);
      if (route.type === 'route-to-group' && groups !== null && !groups.has(route.group)) problems.push(`${label}: agent group "${route.group}" does not exist (${known(groups, 'agent groups')})`);
    }
    if (action.type === 'auto-reply') {
      const tooLong = replyLengthProblem(action, kinds, label, deskName);
      if (tooLong) problems.push(tooLong);
    }
  };
  set.rules.forEach((rule) => check(rule.action, rule.match.kinds, `rule "${rule.name}"`));
  const fallback = set.defaultRule;
  check(fallback.action, [], `default rule "${fallback.name}"`);
  if (fallback.action.type === 'auto-reply' && fallback.action.thenRoute === null) {
    problems.push(`default rule "${fallback.name}": its auto-reply must also route (thenRoute): while the desk is closed the reply is held, and the message still needs a place`);
  }
  return problems;
}

/**
 * The rule set to save, or a DeskFailure('bad_input') naming every problem (up to five): empty
 * names, duplicate ids or priorities, unknown queues or agent groups, contradictory keyword sets,
 * keywords with nothing to match, empty sentiment ranges, likes on private conversations,
 * unknown placeholders, auto-replies too long for their platform, a missing default rule.
 */
export function parseRuleSet(raw: unknown, context: RuleSetContext): RuleSet {
  const parsed = RuleSet.safeParse(raw);
  if (!parsed.success) throw new DeskFailure('bad_input', `rule set refused: ${describeRuleSetIssues(parsed.error, raw)}`);
  const problems = contextProblems(parsed.data, context);
  if (problems.length > 0) throw new DeskFailure('bad_input', `rule set refused: ${joinProblems(problems)}`);
  return parsed.data;
}

/** The rule set without one rule, as a new version; the default rule cannot go. */
export function deleteRule(set: RuleSet, ruleId: string): RuleSet {
  if (ruleId === set.defaultRule.id) throw new DeskFailure('bad_input', DEFAULT_RULE_DELETED);
  const rules = set.rules.filter((rule) => rule.id !== ruleId);
  if (rules.length === set.rules.length) throw new DeskFailure('not_found', `there is no rule "${ruleId}"`);
  return { ...set, version: set.version + 1, rules };
}

/**
 * Things worth saying that are not errors: a rule that matches every message hides the rules after
 * it (and the default rule). Shown by the rules editor; saving is still allowed.
 */
export function ruleSetWarnings(set: RuleSet): string[] {
  const warnings: string[] = [];
  const enabled = set.rules.filter((r) => r.enabled).sort((a, b) => a.priority - b.priority);
  const index = enabled.findIndex(
    (r) =>
      r.match.kinds.length === 0 &&
      r.match.languages.length === 0 &&
      r.match.sentiment === null &&
      r.match.keywords.any.length === 0 &&
      r.match.keywords.all.length === 0 &&
      r.match.keywords.none.length === 0 &&
      r.action.type !== 'like-retweet' &&
      !(r.action.type === 'auto-reply' && r.action.thenRoute === null),
  );
  if (index >= 0) {
    const after = enabled.slice(index + 1).map((r) => `"${r.name}"`);
    const hidden = after.length > 0 ? `the rules after it (${after.join(', ')}) and the default rule are` : 'the default rule is';
    warnings.push(`rule "${enabled[index]!.name}" matches every message: ${hidden} never reached`);
  }
  return warnings;
}
