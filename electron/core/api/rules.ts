/**
 * The rules' commands and events (R2, R12-R14): the rule set, the tester, and the list of what the
 * desk did on its own (auto-likes, retweets, auto-replies) with a one-click undo.
 */
import { z } from 'zod';
import { OutboxItem } from '../outbox/actions';
import { RuleDecision, RuleSet, RuleTestInput } from '../rules/schema';
import { Empty, Id, Limit, type CommandSpec, type EventSpec } from './words';

export { Rule, RuleAction, RuleDecision, RuleSet, RuleTestInput, RuleEventType, RULE_EVENT_TYPES, EVENT_TYPE_NAMES, RoutePriority, SentimentView, AutoLikeCheck, AUTO_REPLY_PLACEHOLDERS, DEFAULT_AUTO_LIKE_THRESHOLD, DEFAULT_AUTO_LIKE_DAILY_CAP, DEFAULT_AUTO_REPLY_DEADLINE_MINUTES } from '../rules/schema';
export type { RuleInput, RuleSetInput, RuleActionType, RouteTarget, RuleSend } from '../rules/schema';

/** The rule set as saved, with what the editor needs to offer: the queues and agent groups that exist. */
export const RulesView = z.strictObject({
  ruleSet: RuleSet,
  /** Queue names a rule may route to. */
  queues: z.array(z.string()),
  /** Agent groups (from the agents' groups) a rule may route to. */
  groups: z.array(z.string()),
  /** Things that are allowed but probably not meant (a rule that can never be reached, a group nobody is in). */
  warnings: z.array(z.string()),
  updatedAt: z.number().int().nonnegative().nullable(),
  updatedBy: z.string().nullable(),
});
export type RulesView = z.infer<typeof RulesView>;

/** Something the desk did by itself because of a rule: liked, retweeted, replied. */
export const AutoAction = z.strictObject({
  item: OutboxItem,
  /** The customer's message it acted on, as text, for the list. */
  messageText: z.string().nullable(),
  /** The rule that decided it. */
  ruleName: z.string().nullable(),
  /** Liked or retweeted and not undone yet: the console offers undo. */
  undoable: z.boolean(),
  /** The outbox item that undoes it (unlike, undo retweet), once asked for. */
  undoneBy: OutboxItem.nullable(),
});
export type AutoAction = z.infer<typeof AutoAction>;

export const rulesCommands = {
  getRules: {
    summary: 'The rule set (rules by priority, the default rule), the queues and agent groups rules may route to, and warnings.',
    input: Empty,
    output: RulesView,
  },
  saveRules: {
    summary: 'Replaces the rule set after checking all of it (names, priorities, keywords, queues and groups that exist, template lengths); refused whole with the reasons, otherwise audited. The version grows by one.',
    input: z.strictObject({ ruleSet: z.unknown() }),
    output: RulesView,
  },
  testRule: {
    summary: 'What the desk would decide for a message: the rule, the action and why, exactly as live traffic is decided. Without a calendar state the desk\'s calendar at `at` (default now) is used; a draft rule set may be tested before it is saved.',
    input: z.strictObject({ message: RuleTestInput, ruleSet: z.unknown().optional() }),
    output: RuleDecision,
  },
  listAutoActions: {
    summary: 'What the desk did by itself (auto-likes, retweets, auto-replies), newest first, with undo where the platform allows it.',
    input: z.strictObject({ before: Id.optional(), limit: Limit(200, 50) }),
    output: z.strictObject({ items: z.array(AutoAction), nextBefore: Id.nullable() }),
  },
  undoAutoAction: {
    summary: 'Undoes an automatic like or retweet (unlike, undo retweet) through the outbox; one not sent yet is cancelled instead. Audited.',
    input: z.strictObject({ outboxItemId: Id }),
    output: AutoAction,
  },
} as const satisfies Record<string, CommandSpec>;

export const rulesEvents = {
  rulesChanged: { summary: 'The rule set was saved.', payload: RulesView },
} as const satisfies Record<string, EventSpec>;
