/**
 * Saving rules: refused whole, with messages that say which rule and what to change; nothing is
 * changed by a refusal. The defaults pass their own checks.
 */
import { describe, expect, it } from 'vitest';
import { DeskFailure } from '../../electron/core/contract';
import {
  DEFAULT_RULE_DELETED,
  defaultRuleSet,
  deleteRule,
  parseRuleSet,
  RuleDecision,
  RuleSet,
  ruleSetWarnings,
  type RuleInput,
  type RuleSetContext,
} from '../../electron/core/rules';

const CONTEXT: RuleSetContext = { queues: ['general', 'billing'], groups: ['dm-team'], deskName: 'Acme Care' };
const DEFAULT_RULE = { id: 'everything-else', name: 'Everything else', action: { type: 'route-to-queue', queue: 'general' } };

function raw(rules: unknown[], extra: Record<string, unknown> = {}) {
  return { version: 3, rules, defaultRule: DEFAULT_RULE, ...extra };
}

const billing: RuleInput = { id: 'billing', name: 'Billing', priority: 10, match: { keywords: { any: ['bill', 'invoice'] } }, action: { type: 'route-to-queue', queue: 'billing' } };

/** The message of the DeskFailure thrown, after checking it is a bad_input refusal. */
function refusal(input: unknown, context: RuleSetContext = CONTEXT): string {
  const frozen = structuredClone(input);
  try {
    parseRuleSet(input, context);
  } catch (error) {
    expect(error).toBeInstanceOf(DeskFailure);
    expect((error as DeskFailure).code).toBe('bad_input');
    expect(input).toEqual(frozen); // nothing changed
    return (error as DeskFailure).message;
  }
  throw new Error('expected a refusal');
}

describe('refusals', () => {
  it('a rule with an empty name', () => {
    expect(refusal(raw([billing, { ...billing, id: 'b2', name: '   ', priority: 20 }]))).toBe('rule set refused: rule 2: the name is empty');
  });

  it('a route to an unknown queue or agent group', () => {
    expect(refusal(raw([{ ...billing, action: { type: 'route-to-queue', queue: 'biling' } }]))).toBe(
      'rule set refused: rule "Billing": queue "biling" does not exist (known queues: billing, general)',
    );
    expect(refusal(raw([{ ...billing, action: { type: 'route-to-group', group: 'vip' } }]))).toBe(
      'rule set refused: rule "Billing": agent group "vip" does not exist (known agent groups: dm-team)',
    );
    expect(refusal(raw([billing], { defaultRule: { ...DEFAULT_RULE, action: { type: 'route-to-queue', queue: 'misc' } } }))).toBe(
      'rule set refused: default rule "Everything else": queue "misc" does not exist (known queues: billing, general)',
    );
    expect(refusal(raw([billing]), { queues: [] })).toBe(
      'rule set refused: rule "Billing": queue "billing" does not exist (no queues exist yet); default rule "Everything else": queue "general" does not exist (no queues exist yet)',
    );
    // An auto-reply's route is checked too.
    expect(
      refusal(raw([{ ...billing, action: { type: 'auto-reply', template: 'Thanks!', thenRoute: { type: 'route-to-queue', queue: 'nope' } } }])),
    ).toBe('rule set refused: rule "Billing": queue "nope" does not exist (known queues: billing, general)');
  });

  it('agent groups are not checked while routing has none to check against', () => {
    expect(() => parseRuleSet(raw([{ ...billing, action: { type: 'route-to-group', group: 'vip' } }]), { queues: ['general'] })).not.toThrow();
  });

  it('contradictory keyword sets', () => {
    expect(refusal(raw([{ ...billing, match: { keywords: { all: ['refund'], none: ['Refund'] } } }]))).toBe(
      'rule set refused: rule "Billing": keyword "refund" is both in "all of" and in "none of", so the rule can never match',
    );
    expect(refusal(raw([{ ...billing, match: { keywords: { any: ['bill', 'my invoice'], none: ['invoice'] } } }]))).toBe(
      'rule set refused: rule "Billing": keyword "my invoice" ("any of") always contains "invoice" ("none of"), so it can never make the rule match',
    );
    expect(refusal(raw([{ ...billing, match: { keywords: { all: ['#outage'], none: ['outage'] } } }]))).toBe(
      'rule set refused: rule "Billing": keyword "#outage" ("all of") always contains "outage" ("none of"), so the rule can never match',
    );
    // Not contradictory: the hashtag is excluded, the word may still match.
    expect(() => parseRuleSet(raw([{ ...billing, match: { keywords: { all: ['outage'], none: ['#outage'] } } }]), CONTEXT)).not.toThrow();
  });

  it('a keyword with nothing to match', () => {
    expect(refusal(raw([{ ...billing, match: { keywords: { any: ['!!!'] } } }]))).toBe(
      'rule set refused: rule "Billing": keyword "!!!" has no letter, digit, emoji, #hashtag or @handle to match',
    );
    expect(refusal(raw([{ ...billing, match: { keywords: { any: ['  '] } } }]))).toBe('rule set refused: rule "Billing": a keyword is empty');
  });

  it('a sentiment range with min above max, or outside -1..1', () => {
    expect(refusal(raw([{ ...billing, match: { sentiment: { min: 0.8, max: 0.2 } } }]))).toBe(
      'rule set refused: rule "Billing": the sentiment range 0.8 to 0.2 is empty: min must not be above max',
    );
    expect(refusal(raw([{ ...billing, match: { sentiment: { min: -2, max: 0 } } }]))).toBe('rule set refused: rule "Billing": match.sentiment.min: must be between -1 and 1');
  });

  it('two rules with the same priority (the order would depend on the list)', () => {
    expect(refusal(raw([billing, { ...billing, id: 'refunds', name: 'Refunds' }]))).toBe(
      'rule set refused: rule "Billing" and rule "Refunds" both have priority 10: give each rule its own priority (the first match decides, so the order must be clear)',
    );
  });

  it('two rules with the same id', () => {
    expect(refusal(raw([billing, { ...billing, priority: 11, name: 'Refunds' }]))).toBe('rule set refused: rule "Billing" and rule "Refunds" have the same id "billing"');
  });

  it('a rule set without its default rule, and deleting the default rule', () => {
    expect(refusal({ version: 1, rules: [billing] })).toBe(`rule set refused: ${DEFAULT_RULE_DELETED}`);
    expect(DEFAULT_RULE_DELETED).toBe('the default rule cannot be deleted: every message needs a rule to fall back on (change its action instead)');
    const set = defaultRuleSet();
    const before = structuredClone(set);
    expect(() => deleteRule(set, 'everything-else')).toThrow(new DeskFailure('bad_input', DEFAULT_RULE_DELETED));
    expect(set).toEqual(before);
  });

  it('deleting a rule gives a new version and leaves the old rule set as it was', () => {
    const set = defaultRuleSet();
    const next = deleteRule(set, 'spam');
    expect(next.version).toBe(set.version + 1);
    expect(next.rules.map((r) => r.id)).not.toContain('spam');
    expect(set.rules.map((r) => r.id)).toContain('spam');
    expect(() => deleteRule(set, 'nope')).toThrow(new DeskFailure('not_found', 'there is no rule "nope"'));
  });

  it('likes or retweets where that cannot happen', () => {
    const like = { type: 'like-retweet', like: true, retweet: false };
    expect(refusal(raw([{ ...billing, match: { kinds: ['x.mention', 'x.dm'] }, action: like }]))).toBe(
      'rule set refused: rule "Billing": x.dm cannot be liked or retweeted: remove it from the event types',
    );
    expect(refusal(raw([{ ...billing, action: like }]))).toBe('rule set refused: rule "Billing": a rule that likes or retweets must list its event types (public posts only)');
    expect(refusal(raw([{ ...billing, match: { kinds: ['facebook.post'] }, action: { ...like, retweet: true } }]))).toBe(
      'rule set refused: rule "Billing": retweeting is for X, and the rule matches no X event type',
    );
    expect(refusal(raw([{ ...billing, match: { kinds: ['x.mention'] }, action: { ...like, like: false } }]))).toBe(
      'rule set refused: rule "Billing": the action neither likes nor retweets: choose at least one',
    );
    expect(refusal(raw([], { defaultRule: { ...DEFAULT_RULE, action: like } }))).toBe(
      'rule set refused: default rule "Everything else": the default rule cannot like or retweet: it also decides for direct messages and Messenger',
    );
    expect(refusal(raw([{ ...billing, match: { kinds: ['x.mention'] }, action: { ...like, minScore: 0.1 } }]))).toBe(
      'rule set refused: rule "Billing": the auto-like threshold is at least 0.3',
    );
  });

  it('auto-replies: unknown placeholders, too long for the platform, a default one that does not route', () => {
    expect(refusal(raw([{ ...billing, action: { type: 'auto-reply', template: 'Hi {first_name}!' } }]))).toBe(
      'rule set refused: rule "Billing": the auto-reply template uses unknown placeholder {first_name}: it may use {contact_name}, {desk_name}',
    );
    expect(refusal(raw([{ ...billing, match: { kinds: ['x.mention'] }, action: { type: 'auto-reply', template: `Hi {contact_name}! ${'x'.repeat(200)}` } }]))).toBe(
      'rule set refused: rule "Billing": the auto-reply is too long for an X public reply: 305 of 280 characters as X counts them, with the placeholders at their longest',
    );
    // The same text is fine as a Facebook comment.
    expect(() => parseRuleSet(raw([{ ...billing, match: { kinds: ['facebook.comment'] }, action: { type: 'auto-reply', template: `Hi {contact_name}! ${'x'.repeat(200)}` } }]), CONTEXT)).not.toThrow();
    expect(refusal(raw([], { defaultRule: { ...DEFAULT_RULE, action: { type: 'auto-reply', template: 'Thanks!' } } }))).toBe(
      'rule set refused: default rule "Everything else": its auto-reply must also route (thenRoute): while the desk is closed the reply is held, and the message still needs a place',
    );
    expect(refusal(raw([{ ...billing, action: { type: 'auto-reply', template: 'ok', deadlineMinutes: 0 } }]))).toBe('rule set refused: rule "Billing": the deadline is at least 1 minute');
  });

  it('unknown fields, unknown action types, bad ids and priorities, each named', () => {
    expect(refusal(raw([{ ...billing, action: { type: 'dance' } }]))).toBe(
      'rule set refused: rule "Billing": the action type "dance" is not one of route-to-queue, route-to-group, auto-reply, like-retweet, ignore',
    );
    expect(refusal(raw([{ ...billing, id: 'Billing!', priority: 0 }]))).toBe(
      'rule set refused: rule "Billing": the id must be 1 to 64 lower-case letters, digits, ".", "_" or "-"; rule "Billing": the priority is at least 1',
    );
    expect(refusal(raw([{ ...billing, colour: 'red' }]))).toBe('rule set refused: rule "Billing": unrecognized key: "colour"');
    expect(refusal(raw([{ ...billing, match: { languages: ['French'] } }]))).toBe(
      'rule set refused: rule "Billing": match.languages: is not a language code: use a lower-case code such as en, fr, es, or und (unknown)',
    );
  });

  it('names up to five problems, then counts the rest', () => {
    const rules = Array.from({ length: 7 }, (_, i) => ({ ...billing, id: `r${i}`, name: `R${i}`, priority: i + 1, action: { type: 'route-to-queue', queue: `q${i}` } }));
    const message = refusal(raw(rules));
    expect(message.split('; ')).toHaveLength(6);
    expect(message.endsWith('; and 2 more')).toBe(true);
  });
});

describe('accepted rule sets', () => {
  it('the default rule set passes its own checks, with the queue "general" and the group "dm-team"', () => {
    const set = defaultRuleSet({ ownHandles: ['@AcmeCare'] });
    expect(parseRuleSet(structuredClone(set), { queues: ['general'], groups: ['dm-team'] })).toEqual(set);
    expect(set.rules.map((r) => [r.priority, r.id, r.enabled])).toEqual([
      [10, 'x-direct-messages', true],
      [15, 'own-retweets', true],
      [20, 'spam', true],
      [30, 'angry-public-posts', true],
      [40, 'like-praise', true],
      [50, 'acknowledge-mentions', false],
    ]);
    expect(ruleSetWarnings(set)).toEqual([]);
  });

  it('fills defaults and round-trips as JSON', () => {
    const set = parseRuleSet(raw([{ id: 'x', name: 'X', priority: 1, action: { type: 'auto-reply', template: 'Thanks {contact_name}' } }]), CONTEXT);
    expect(set.rules[0]).toEqual({
      id: 'x',
      name: 'X',
      enabled: true,
      priority: 1,
      match: { kinds: [], keywords: { any: [], all: [], none: [] }, languages: [], sentiment: null },
      action: { type: 'auto-reply', template: 'Thanks {contact_name}', visibility: 'public', deadlineMinutes: 60, thenRoute: null },
    });
    expect(RuleSet.parse(JSON.parse(JSON.stringify(set)))).toEqual(set);
    expect(RuleDecision).toBeDefined();
  });
});
