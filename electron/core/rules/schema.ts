/**
 * The rules' runtime schemas: a rule (what it matches, what it does), the rule set, and the
 * decision the engine makes for each inbound message (R2, R12-R14).
 *
 * zod only, plus the pure keyword folding of normalize.ts (no Node, no DOM, no other package), so
 * the contract can re-export everything here and the console can check a rule set before it sends
 * it. What needs the desk's context (the queues and agent groups that exist, how long a reply may
 * be on each platform) is checked by `parseRuleSet` in validate.ts.
 *
 * Decisions taken here:
 * - Rules are tried in ascending `priority` (1 first); the first that matches and can act decides.
 *   Two rules may not share a priority: the order would depend on where they sit in a list.
 * - The default rule is separate (`defaultRule`): it has no conditions and no priority, always
 *   comes last, cannot like or retweet (it also decides for direct messages), and cannot be deleted.
 * - Keywords: `any` (at least one), `all` (every one), `none` (not one). Each is a word, a phrase,
 *   a #hashtag, an @handle, an emoji or a link, matched on whole tokens after case and accent
 *   folding. A plain word also matches its hashtag ("outage" matches "#outage"), not its @handle.
 * - Empty lists mean "no condition": no event types listed is every event type, no language listed
 *   is every language (a listed language matches the platform's language, or the desk's guess when
 *   the platform gives none; "und" matches a message whose language is unknown).
 */
import { z } from 'zod';
import { ClosedReason } from '../calendar/schema';
import { normalizeKeyword, type NormalizedKeyword } from './normalize';

// ---------------------------------------------------------------------------------------------
// Words

/** The predefined event types a rule can match: the inbound message kinds (R1). */
export const RULE_EVENT_TYPES = ['x.mention', 'x.reply', 'x.dm', 'facebook.post', 'facebook.comment', 'facebook.reply', 'messenger.message'] as const;
export const RuleEventType = z.enum(RULE_EVENT_TYPES);
export type RuleEventType = z.infer<typeof RuleEventType>;

/** Event types that are private conversations: nothing there can be liked or retweeted. */
export const PRIVATE_EVENT_TYPES: readonly RuleEventType[] = ['x.dm', 'messenger.message'];
export const X_EVENT_TYPES: readonly RuleEventType[] = ['x.mention', 'x.reply', 'x.dm'];

export const EVENT_TYPE_NAMES: Record<RuleEventType, string> = {
  'x.mention': 'X mention',
  'x.reply': 'X reply',
  'x.dm': 'X direct message',
  'facebook.post': 'Facebook post',
  'facebook.comment': 'Facebook comment',
  'facebook.reply': 'Facebook reply',
  'messenger.message': 'Messenger message',
};

/** How soon the routed work should be taken. */
export const RoutePriority = z.enum(['low', 'normal', 'high', 'urgent']);
export type RoutePriority = z.infer<typeof RoutePriority>;

/** The score the desk likes from, by default (R14); measured on the labelled set (precision >= 0.9). */
export const DEFAULT_AUTO_LIKE_THRESHOLD = 0.6;
/** Automatic likes (and retweets) per day, by default: a desk that likes everything looks like a bot. */
export const DEFAULT_AUTO_LIKE_DAILY_CAP = 100;
/** How long an auto-reply keeps trying, by default (R12). */
export const DEFAULT_AUTO_REPLY_DEADLINE_MINUTES = 60;

/** The placeholders an auto-reply may use. */
export const AUTO_REPLY_PLACEHOLDERS = ['contact_name', 'desk_name'] as const;
const PLACEHOLDER = /\{([a-z_]+)\}/g;

const RuleId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'the id must be 1 to 64 lower-case letters, digits, ".", "_" or "-"');
const RuleName = z.string().trim().min(1, 'the name is empty').max(80, 'the name is longer than 80 characters');
/** A queue or agent group id, as routing knows them. */
const TargetId = z.string().trim().min(1, 'is empty').max(64, 'is longer than 64 characters');
const Score = z.number().min(-1, 'must be between -1 and 1').max(1, 'must be between -1 and 1');
const LanguageCode = z.string().regex(/^([a-z]{2,3})$/, 'is not a language code: use a lower-case code such as en, fr, es, or und (unknown)');
const Keyword = z.string().trim().min(1, 'a keyword is empty').max(100, 'a keyword is longer than 100 characters');
const KeywordList = z.array(Keyword).max(200, 'has more than 200 keywords');

// ---------------------------------------------------------------------------------------------
// Conditions

export const SentimentRange = z.strictObject({ min: Score, max: Score });
export type SentimentRange = z.infer<typeof SentimentRange>;

export const KeywordMatch = z.strictObject({
  any: KeywordList.default([]),
  all: KeywordList.default([]),
  none: KeywordList.default([]),
});
export type KeywordMatch = z.infer<typeof KeywordMatch>;

export const RuleMatch = z.strictObject({
  /** Empty: every event type. */
  kinds: z.array(RuleEventType).max(RULE_EVENT_TYPES.length).default([]),
  keywords: KeywordMatch.default({ any: [], all: [], none: [] }),
  /** Empty: every language. */
  languages: z.array(LanguageCode).max(50, 'lists more than 50 languages').default([]),
  /** null: any sentiment. Both ends included. */
  sentiment: SentimentRange.nullable().default(null),
});
export type RuleMatch = z.infer<typeof RuleMatch>;

// ---------------------------------------------------------------------------------------------
// Actions

export const RouteToQueue = z.strictObject({ type: z.literal('route-to-queue'), queue: TargetId, priority: RoutePriority.default('normal') });
export const RouteToGroup = z.strictObject({ type: z.literal('route-to-group'), group: TargetId, priority: RoutePriority.default('normal') });
const RouteAction = z.discriminatedUnion('type', [RouteToQueue, RouteToGroup]);

/** R12: answer at once with a template, through the outbox, trying until the deadline; then optionally route. */
export const AutoReply = z.strictObject({
  type: z.literal('auto-reply'),
  template: z
    .string()
    .trim()
    .min(1, 'the auto-reply template is empty')
    .max(10_000, 'the auto-reply template is longer than 10000 characters')
    .superRefine((text, ctx) => {
      for (const m of text.matchAll(PLACEHOLDER)) {
        if (!(AUTO_REPLY_PLACEHOLDERS as readonly string[]).includes(m[1]!)) {
          ctx.addIssue({
            code: 'custom',
            message: `the auto-reply template uses unknown placeholder {${m[1]}}: it may use ${AUTO_REPLY_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
          });
        }
      }
    }),
  /** Public: the reply on X / the comment on the Page. Private: X DM, Facebook private reply, Messenger. */
  visibility: z.enum(['public', 'private']).default('public'),
  deadlineMinutes: z
    .number()
    .int('the deadline is a whole number of minutes')
    .min(1, 'the deadline is at least 1 minute')
    .max(7 * 24 * 60, 'the deadline is at most 7 days (10080 minutes)')
    .default(DEFAULT_AUTO_REPLY_DEADLINE_MINUTES),
  /** Where the interaction goes after the reply; null: the reply handles it. */
  thenRoute: RouteAction.nullable().default(null),
});

/** R14: like and/or retweet a positive public post, only when every safety check passes. */
export const LikeRetweet = z.strictObject({
  type: z.literal('like-retweet'),
  like: z.boolean().default(true),
  /** X only: a Facebook post is liked, never shared. */
  retweet: z.boolean().default(false),
  minScore: z.number().min(0.3, 'the auto-like threshold is at least 0.3').max(1, 'the auto-like threshold is at most 1').default(DEFAULT_AUTO_LIKE_THRESHOLD),
  dailyCap: z.number().int().min(1, 'the daily cap is at least 1').max(1000, 'the daily cap is at most 1000').default(DEFAULT_AUTO_LIKE_DAILY_CAP),
});

/** Kept in the history, no interaction work. */
export const Ignore = z.strictObject({ type: z.literal('ignore') });

export const RULE_ACTION_TYPES = ['route-to-queue', 'route-to-group', 'auto-reply', 'like-retweet', 'ignore'] as const;

export const RuleAction = z.discriminatedUnion('type', [RouteToQueue, RouteToGroup, AutoReply, LikeRetweet, Ignore], {
  error: (issue) => {
    if (issue.code !== 'invalid_union') return undefined;
    const type = (issue.input as { type?: unknown } | null | undefined)?.type;
    return type === undefined
      ? `the action has no type: use one of ${RULE_ACTION_TYPES.join(', ')}`
      : `the action type ${JSON.stringify(type)} is not one of ${RULE_ACTION_TYPES.join(', ')}`;
  },
});
export type RuleAction = z.infer<typeof RuleAction>;
export type RuleActionType = RuleAction['type'];

// ---------------------------------------------------------------------------------------------
// Rules and the rule set

export const Rule = z.strictObject({
  id: RuleId,
  name: RuleName,
  enabled: z.boolean().default(true),
  priority: z.number().int('the priority is a whole number').min(1, 'the priority is at least 1').max(100_000, 'the priority is at most 100000'),
  match: RuleMatch.default({ kinds: [], keywords: { any: [], all: [], none: [] }, languages: [], sentiment: null }),
  action: RuleAction,
});
export type Rule = z.infer<typeof Rule>;
export type RuleInput = z.input<typeof Rule>;

export const DEFAULT_RULE_DELETED =
  'the default rule cannot be deleted: every message needs a rule to fall back on (change its action instead)';

export const DefaultRule = z.strictObject(
  {
    id: RuleId,
    name: RuleName,
    action: RuleAction,
  },
  { error: (issue) => (issue.input === undefined ? DEFAULT_RULE_DELETED : undefined) },
);
export type DefaultRule = z.infer<typeof DefaultRule>;

export const MAX_RULES = 500;

function keywordIssues(rule: Rule, label: string): string[] {
  const problems: string[] = [];
  const lists = { any: [] as NormalizedKeyword[], all: [] as NormalizedKeyword[], none: [] as NormalizedKeyword[] };
  for (const list of ['any', 'all', 'none'] as const) {
    for (const text of rule.match.keywords[list]) {
      if (text.trim() === '') continue; // reported as empty already
      const keyword = normalizeKeyword(text);
      if (keyword === null) problems.push(`${label}: keyword "${text}" has no letter, digit, emoji, #hashtag or @handle to match`);
      else lists[list].push(keyword);
    }
  }
  const listName = { any: 'any of', all: 'all of' } as const;
  for (const list of ['all', 'any'] as const) {
    for (const required of lists[list]) {
      for (const excluded of lists.none) {
        if (!implies(required, excluded)) continue;
        const same = excluded.tokens.join(' ') === required.tokens.join(' ') && excluded.form === required.form;
        problems.push(
          same
            ? `${label}: keyword "${required.text}" is both in "${listName[list]}" and in "none of", so ${list === 'all' ? 'the rule can never match' : 'it can never make the rule match'}`
            : `${label}: keyword "${required.text}" ("${listName[list]}") always contains "${excluded.text}" ("none of"), so ${list === 'all' ? 'the rule can never match' : 'it can never make the rule match'}`,
        );
      }
    }
  }
  return problems;
}

/** True when every text that contains `a` also contains `b` (so "a required, b excluded" is contradictory). */
function implies(a: NormalizedKeyword, b: NormalizedKeyword): boolean {
  const bWord = b.form === 'word' ? b.tokens[0]! : null;
  const matchesB = (token: string) => token === b.tokens[0] || (bWord !== null && token === `#${bWord}`);
  if (b.tokens.length === 1) return a.tokens.some(matchesB);
  // A phrase: its tokens appear in order inside a's.
  outer: for (let i = 0; i + b.tokens.length <= a.tokens.length; i++) {
    for (let k = 0; k < b.tokens.length; k++) if (a.tokens[i + k] !== b.tokens[k]) continue outer;
    return true;
  }
  return false;
}

function ruleLabel(rule: { name?: unknown }, index: number): string {
  return typeof rule.name === 'string' && rule.name.trim() !== '' ? `rule "${rule.name.trim()}"` : `rule ${index + 1}`;
}

function actionIssues(action: RuleAction, kinds: readonly RuleEventType[], label: string, isDefault: boolean): string[] {
  const problems: string[] = [];
  if (action.type === 'like-retweet') {
    if (!action.like && !action.retweet) problems.push(`${label}: the action neither likes nor retweets: choose at least one`);
    if (isDefault) problems.push(`${label}: the default rule cannot like or retweet: it also decides for direct messages and Messenger`);
    else if (kinds.length === 0) problems.push(`${label}: a rule that likes or retweets must list its event types (public posts only)`);
    else {
      const privateKinds = kinds.filter((k) => PRIVATE_EVENT_TYPES.includes(k));
      if (privateKinds.length > 0) problems.push(`${label}: ${privateKinds.join(' and ')} cannot be liked or retweeted: remove ${privateKinds.length > 1 ? 'them' : 'it'} from the event types`);
      if (action.retweet && !kinds.some((k) => X_EVENT_TYPES.includes(k))) problems.push(`${label}: retweeting is for X, and the rule matches no X event type`);
    }
  }
  return problems;
}

export const RuleSet = z
  .strictObject({
    /** Grows by one at each save: compiled rules are kept per version. */
    version: z.number().int().min(1),
    rules: z.array(Rule).max(MAX_RULES, `has more than ${MAX_RULES} rules`),
    defaultRule: DefaultRule,
  })
  .superRefine((set, ctx) => {
    const ids = new Map<string, string>();
    const priorities = new Map<number, string>();
    set.rules.forEach((rule, index) => {
      const label = ruleLabel(rule, index);
      const earlierId = ids.get(rule.id);
      if (earlierId !== undefined) ctx.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `${earlierId} and ${label} have the same id "${rule.id}"` });
      else ids.set(rule.id, label);
      const earlier = priorities.get(rule.priority);
      if (earlier !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'priority'],
          message: `${earlier} and ${label} both have priority ${rule.priority}: give each rule its own priority (the first match decides, so the order must be clear)`,
        });
      } else priorities.set(rule.priority, label);
      const range = rule.match.sentiment;
      if (range !== null && range.min > range.max) {
        ctx.addIssue({ code: 'custom', path: ['rules', index, 'match', 'sentiment'], message: `${label}: the sentiment range ${range.min} to ${range.max} is empty: min must not be above max` });
      }
      for (const message of keywordIssues(rule, label)) ctx.addIssue({ code: 'custom', path: ['rules', index, 'match', 'keywords'], message });
      for (const message of actionIssues(rule.action, rule.match.kinds, label, false)) ctx.addIssue({ code: 'custom', path: ['rules', index, 'action'], message });
    });
    if (ids.has(set.defaultRule.id)) {
      ctx.addIssue({ code: 'custom', path: ['defaultRule', 'id'], message: `the default rule and ${ids.get(set.defaultRule.id)} have the same id "${set.defaultRule.id}"` });
    }
    for (const message of actionIssues(set.defaultRule.action, [], `default rule "${set.defaultRule.name}"`, true)) ctx.addIssue({ code: 'custom', path: ['defaultRule', 'action'], message });
  });
export type RuleSet = z.infer<typeof RuleSet>;
export type RuleSetInput = z.input<typeof RuleSet>;

// ---------------------------------------------------------------------------------------------
// Evaluation input and the decision

/** The calendar as the caller found it for the message (see calendar/decide.ts). */
export const CalendarState = z.strictObject({
  state: z.enum(['open', 'closed']),
  /** Why it is closed; null when open. */
  reason: ClosedReason.nullable(),
  /** When it reopens, as a customer would read it (optional, for the explanation). */
  reopens: z.string().max(200).nullable().optional(),
});
export type CalendarState = z.infer<typeof CalendarState>;

/**
 * One message for the rules tester ("what would the desk do with this?"), as a contract command
 * can take it. `evaluate` takes the same fields for live traffic.
 */
export const RuleTestInput = z.strictObject({
  /** As long as ingest allows (inbound.ts MAX_TEXT_LENGTH). */
  text: z.string().max(100_000, 'is longer than 100,000 characters'),
  kind: RuleEventType,
  lang: z.string().max(16).nullable().optional(),
  at: z.number().int().nonnegative().nullable().optional(),
  calendarState: CalendarState.nullable().optional(),
  replyInComplaintThread: z.boolean().optional(),
  autoLikesToday: z.number().int().nonnegative().optional(),
});
export type RuleTestInput = z.infer<typeof RuleTestInput>;

export const SentimentLabel = z.enum(['positive', 'neutral', 'negative']);
export type SentimentLabel = z.infer<typeof SentimentLabel>;

export const SentimentView = z.strictObject({
  score: z.number().min(-1).max(1),
  label: SentimentLabel,
  /** The words that made the score ("love +3", "happy -2.25 (after "not")"). */
  reasons: z.array(z.string()),
  /** The language whose word list scored it. */
  language: z.string(),
  languageSource: z.enum(['given', 'guessed', 'unknown']),
});
export type SentimentView = z.infer<typeof SentimentView>;

export const AutoLikeCheck = z.strictObject({
  allowed: z.boolean(),
  score: z.number(),
  threshold: z.number(),
  likesToday: z.number().int().nonnegative(),
  dailyCap: z.number().int().positive(),
  /** Each failed check, in words; empty when allowed. */
  reasons: z.array(z.string()),
  summary: z.string(),
});
export type AutoLikeCheck = z.infer<typeof AutoLikeCheck>;

export const RouteTarget = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('queue'), queue: z.string(), priority: RoutePriority }),
  z.strictObject({ type: z.literal('group'), group: z.string(), priority: RoutePriority }),
]);
export type RouteTarget = z.infer<typeof RouteTarget>;

/** What the desk sends because of the decision (each through the outbox). */
export const RuleSend = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('reply'),
    origin: z.literal('auto-reply'),
    visibility: z.enum(['public', 'private']),
    template: z.string(),
    deadlineMinutes: z.number().int().positive(),
    /** `at` + the deadline; null when the decision was made without an instant (the tester). */
    deadlineAt: z.number().int().nonnegative().nullable(),
  }),
  z.strictObject({ type: z.literal('like'), origin: z.literal('auto-like') }),
  z.strictObject({ type: z.literal('retweet'), origin: z.literal('auto-like') }),
]);
export type RuleSend = z.infer<typeof RuleSend>;

export const PassedOverRule = z.strictObject({ ruleId: z.string(), ruleName: z.string(), reason: z.string() });
export type PassedOverRule = z.infer<typeof PassedOverRule>;

/**
 * What the rules decided for one inbound message, and why. Plain JSON: store it with the
 * interaction, show it in the console, compare it in a test.
 */
export const RuleDecision = z.strictObject({
  /** The instant decided for (the message's arrival); null in the tester when none was given. */
  at: z.number().int().nonnegative().nullable(),
  kind: RuleEventType,
  rule: z.strictObject({ id: z.string(), name: z.string(), priority: z.number().int().nullable(), isDefault: z.boolean() }),
  /** The rule's action as configured. */
  action: RuleAction,
  /**
   * routed: it goes on to the calendar gate and routing (`route`); auto-handled: the desk's own
   * sends handle it; ignored: kept in the history, no interaction work.
   */
  outcome: z.enum(['routed', 'auto-handled', 'ignored']),
  route: RouteTarget.nullable(),
  sends: z.array(RuleSend),
  /** The rule's keywords found in the message, as the rule writes them. */
  matchedKeywords: z.array(z.string()),
  /** Each condition of the deciding rule, and how the message met it. */
  conditions: z.array(z.string()),
  sentiment: SentimentView,
  /** The R14 checks, when the deciding rule (or a rule passed over) likes or retweets. */
  autoLike: AutoLikeCheck.nullable(),
  calendar: CalendarState.nullable(),
  /** Rules that matched but could not act (auto-like safety, emergency, closed desk), in order. */
  passedOver: z.array(PassedOverRule),
  /** Other facts worth saying (a retweet left out, a reply held, the language guessed). */
  notes: z.array(z.string()),
  /** Two or three sentences: which rule, why, what happens. */
  explanation: z.string(),
});
export type RuleDecision = z.infer<typeof RuleDecision>;
