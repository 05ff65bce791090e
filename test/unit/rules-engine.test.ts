/**
 * The engine: priority order, first match decides, the default rule, each action kind, the
 * calendar's effect, decisions as JSON, compiling once per rule set.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { InboundKind } from '../../electron/core/ingest/inbound';
import {
  compileRuleSet,
  defaultRuleSet,
  evaluate,
  explainRule,
  parseRuleSet,
  RuleDecision,
  RuleSet,
  RuleEventType,
  RuleTestInput,
  type RuleInput,
  type RuleSetInput,
} from '../../electron/core/rules';

const AT = Date.UTC(2026, 2, 9, 10, 0);
const DEFAULT_RULE = { id: 'everything-else', name: 'Everything else', action: { type: 'route-to-queue', queue: 'general' } } as const;

function set(rules: RuleInput[], defaultRule: RuleSetInput['defaultRule'] = DEFAULT_RULE): RuleSet {
  return RuleSet.parse({ version: 1, rules, defaultRule });
}

describe('event types', () => {
  it('are the inbound message kinds ingest hands over', () => {
    expect(RuleEventType.options).toEqual(InboundKind.options);
    expectTypeOf<RuleEventType>().toEqualTypeOf<InboundKind>();
  });
});

describe('priority, first match, default rule', () => {
  const rules = set([
    { id: 'late', name: 'Late', priority: 30, match: { keywords: { any: ['router'] } }, action: { type: 'route-to-queue', queue: 'tech' } },
    { id: 'early', name: 'Early', priority: 10, match: { keywords: { any: ['router'] } }, action: { type: 'route-to-queue', queue: 'billing' } },
    { id: 'off', name: 'Off', priority: 1, enabled: false, match: { keywords: { any: ['router'] } }, action: { type: 'ignore' } },
  ]);

  it('tries rules by ascending priority, whatever their order in the list, and the first match decides', () => {
    const decision = explainRule(rules, { text: 'my router is dead', kind: 'x.mention', lang: 'en' });
    expect(decision.rule).toEqual({ id: 'early', name: 'Early', priority: 10, isDefault: false });
    expect(decision.route).toEqual({ type: 'queue', queue: 'billing', priority: 'normal' });
  });

  it('skips disabled rules', () => {
    expect(explainRule(rules, { text: 'router', kind: 'x.mention' }).rule.id).toBe('early');
  });

  it('falls back to the default rule when nothing matches, and says so', () => {
    const decision = explainRule(rules, { text: 'hello', kind: 'facebook.post', lang: 'en' });
    expect(decision.rule).toEqual({ id: 'everything-else', name: 'Everything else', priority: null, isDefault: true });
    expect(decision.outcome).toBe('routed');
    expect(decision.explanation).toBe('No rule matched, so the default rule "Everything else" decided: routed to queue "general" (normal priority). The Facebook post has sentiment 0 (neutral).');
  });

  it('a rule set with no rules at all still decides, by its default rule', () => {
    expect(explainRule(set([]), { text: 'hi', kind: 'messenger.message' }).rule.isDefault).toBe(true);
  });
});

describe('actions', () => {
  it('route to a queue with a priority', () => {
    const d = explainRule(set([{ id: 'u', name: 'Urgent', priority: 1, match: { keywords: { any: ['gas leak'] } }, action: { type: 'route-to-queue', queue: 'safety', priority: 'urgent' } }]), {
      text: 'There is a GAS LEAK outside',
      kind: 'facebook.comment',
      lang: 'en',
    });
    expect(d).toMatchObject({ outcome: 'routed', route: { type: 'queue', queue: 'safety', priority: 'urgent' }, sends: [] });
  });

  it('route X direct messages to an agent group (R13, the default rule set)', () => {
    const d = explainRule(defaultRuleSet(), { text: 'can you check my account please', kind: 'x.dm', lang: 'en', at: AT });
    expect(d.rule.id).toBe('x-direct-messages');
    expect(d).toMatchObject({ outcome: 'routed', route: { type: 'group', group: 'dm-team', priority: 'normal' }, sends: [] });
    expect(d.explanation).toBe(
      'Rule "X direct messages go to the DM team" (priority 10) decided: routed to agent group "dm-team" (normal priority). It matched on event type X direct message (x.dm); sentiment 0.3 (neutral).',
    );
  });

  it('auto-reply through the outbox with the action deadline (R12), then route', () => {
    const rules = set([
      {
        id: 'ack',
        name: 'Acknowledge',
        priority: 1,
        match: { kinds: ['x.mention'] },
        action: { type: 'auto-reply', template: 'Hi {contact_name}, we are on it.', deadlineMinutes: 90, thenRoute: { type: 'route-to-queue', queue: 'general', priority: 'high' } },
      },
    ]);
    const d = explainRule(rules, { text: 'my internet is down', kind: 'x.mention', lang: 'en', at: AT });
    expect(d.outcome).toBe('routed');
    expect(d.route).toEqual({ type: 'queue', queue: 'general', priority: 'high' });
    expect(d.sends).toEqual([{ type: 'reply', origin: 'auto-reply', visibility: 'public', template: 'Hi {contact_name}, we are on it.', deadlineMinutes: 90, deadlineAt: AT + 90 * 60_000 }]);
    expect(d.explanation).toContain('auto-reply (public, trying for up to 90 minutes), then routed to queue "general" (high priority)');
  });

  it('auto-reply without a route handles the interaction; a private conversation is answered privately; no instant, no deadlineAt', () => {
    const rules = set([{ id: 'ack', name: 'Ack', priority: 1, action: { type: 'auto-reply', template: 'Thanks!', visibility: 'public' } }]);
    const d = explainRule(rules, { text: 'hello', kind: 'messenger.message' });
    expect(d.outcome).toBe('auto-handled');
    expect(d.route).toBeNull();
    expect(d.sends).toEqual([{ type: 'reply', origin: 'auto-reply', visibility: 'private', template: 'Thanks!', deadlineMinutes: 60, deadlineAt: null }]);
    expect(d.notes).toContain('a private conversation is answered privately');
  });

  it('like and retweet a positive X mention (R14)', () => {
    const rules = set([{ id: 'praise', name: 'Praise', priority: 1, match: { kinds: ['x.mention', 'facebook.comment'] }, action: { type: 'like-retweet', like: true, retweet: true } }]);
    const d = explainRule(rules, { text: 'Huge thanks to Sarah, brilliant service 🙌', kind: 'x.mention', lang: 'en', autoLikesToday: 7 });
    expect(d.outcome).toBe('auto-handled');
    expect(d.sends).toEqual([
      { type: 'like', origin: 'auto-like' },
      { type: 'retweet', origin: 'auto-like' },
    ]);
    expect(d.autoLike).toMatchObject({ allowed: true, threshold: 0.6, likesToday: 7, dailyCap: 100, reasons: [] });
    expect(d.explanation).toContain('liked and retweeted (safe to like: sentiment');
  });

  it('leaves the retweet out on Facebook and for posts with a link, and says why', () => {
    const rules = set([{ id: 'praise', name: 'Praise', priority: 1, match: { kinds: ['x.mention', 'facebook.comment'] }, action: { type: 'like-retweet', like: true, retweet: true } }]);
    const facebook = explainRule(rules, { text: 'Brilliant service, thank you 😍', kind: 'facebook.comment', lang: 'en' });
    expect(facebook.sends).toEqual([{ type: 'like', origin: 'auto-like' }]);
    expect(facebook.notes).toContain('retweet left out: only X posts can be retweeted');
    const link = explainRule(rules, { text: 'Brilliant service, thank you 😍 https://example.com/x', kind: 'x.mention', lang: 'en' });
    expect(link.sends).toEqual([{ type: 'like', origin: 'auto-like' }]);
    expect(link.notes).toContain('retweet left out: the post has a link, and the desk never spreads links by itself');
  });

  it('a retweet-only rule passes a Facebook post over', () => {
    const rules = set([{ id: 'rt', name: 'Retweet praise', priority: 1, match: { kinds: ['x.mention', 'facebook.post'] }, action: { type: 'like-retweet', like: false, retweet: true } }]);
    const d = explainRule(rules, { text: 'Brilliant service, thank you 😍', kind: 'facebook.post', lang: 'en' });
    expect(d.rule.isDefault).toBe(true);
    expect(d.passedOver).toEqual([{ ruleId: 'rt', ruleName: 'Retweet praise', reason: 'nothing to do: only X posts can be retweeted' }]);
  });

  it('ignore: kept in the history, no interaction work', () => {
    const d = explainRule(set([{ id: 'spam', name: 'Spam', priority: 1, match: { keywords: { any: ['#giveaway'] } }, action: { type: 'ignore' } }]), {
      text: 'Win a phone! #Giveaway',
      kind: 'x.mention',
      lang: 'en',
    });
    expect(d).toMatchObject({ outcome: 'ignored', route: null, sends: [] });
    expect(d.explanation).toBe(
      'Rule "Spam" (priority 1) decided: ignored: kept in the history, no interaction work. It matched on any event type (this is an X mention); any of: found "#giveaway"; sentiment 0.78 (positive).',
    );
  });
});

describe('R14 fall-through and the calendar', () => {
  const rules = defaultRuleSet();

  it('a like that fails a safety check passes the rule over: the next rule decides, and the decision says why', () => {
    const d = explainRule(rules, { text: 'Love it, thanks for sorting my refund so fast 😍', kind: 'x.reply', lang: 'en' });
    expect(d.sentiment.score).toBeGreaterThanOrEqual(0.6);
    expect(d.rule.isDefault).toBe(true);
    expect(d.sends).toEqual([]);
    expect(d.passedOver).toEqual([{ ruleId: 'like-praise', ruleName: 'Like praise', reason: 'not liked automatically: it has complaint words ("refund")' }]);
    expect(d.autoLike).toMatchObject({ allowed: false, reasons: ['it has complaint words ("refund")'] });
    expect(d.explanation).toBe(
      `No rule matched and could act, so the default rule "Everything else" decided: routed to queue "general" (normal priority). The X reply has sentiment ${d.sentiment.score} (positive). Passed over first: "Like praise" (not liked automatically: it has complaint words ("refund")).`,
    );
  });

  it('a sarcastic post is never liked: it is not even positive', () => {
    const d = explainRule(rules, { text: 'great, another outage 🙄', kind: 'x.mention', lang: 'en' });
    expect(d.sentiment.label).toBe('negative');
    expect(d.sends).toEqual([]);
    expect(d.rule.id).toBe('angry-public-posts');
  });

  it('never likes a reply to our own answer in a complaint thread, however nice', () => {
    const d = explainRule(rules, { text: 'Thank you so much, you are brilliant 😍', kind: 'x.reply', lang: 'en', replyInComplaintThread: true });
    expect(d.rule.isDefault).toBe(true);
    expect(d.sends).toEqual([]);
    expect(d.passedOver).toEqual([
      { ruleId: 'like-praise', ruleName: 'Like praise', reason: "not liked automatically: it replies to the company's own answer in a complaint thread" },
    ]);
    expect(d.autoLike?.allowed).toBe(false);
  });

  it('stops liking at the daily cap', () => {
    const text = 'Thank you so much, you are brilliant 😍';
    expect(explainRule(rules, { text, kind: 'x.mention', lang: 'en', autoLikesToday: 99 }).sends).toEqual([{ type: 'like', origin: 'auto-like' }]);
    const capped = explainRule(rules, { text, kind: 'x.mention', lang: 'en', autoLikesToday: 100 });
    expect(capped.sends).toEqual([]);
    expect(capped.passedOver[0]!.reason).toBe('not liked automatically: the daily cap of 100 automatic likes is reached (100 today)');
  });

  it('emergency mode: nothing is liked or auto-replied, routing still happens (R7)', () => {
    const emergency = { state: 'closed', reason: 'emergency' } as const;
    const d = explainRule(rules, { text: 'Thank you so much, you are brilliant 😍', kind: 'x.mention', lang: 'en', calendarState: emergency });
    expect(d.rule.isDefault).toBe(true);
    expect(d.passedOver).toEqual([{ ruleId: 'like-praise', ruleName: 'Like praise', reason: 'emergency mode is on: nothing is liked or retweeted automatically' }]);
    expect(d.calendar).toEqual(emergency);
    expect(d.explanation).toMatch(/Emergency mode is on: the calendar gate answers and the interaction waits until the desk reopens\.$/);
  });

  it('closed desk: an auto-reply is held; with a route it still routes, without one the rule is passed over', () => {
    const closed = { state: 'closed', reason: 'outside-hours', reopens: 'Monday 09:00' } as const;
    const withRoute = set([
      { id: 'ack', name: 'Ack', priority: 1, action: { type: 'auto-reply', template: 'On it', thenRoute: { type: 'route-to-group', group: 'tier-2', priority: 'normal' } } },
    ]);
    const held = explainRule(withRoute, { text: 'hello', kind: 'x.mention', calendarState: closed });
    expect(held).toMatchObject({ rule: { id: 'ack' }, outcome: 'routed', route: { type: 'group', group: 'tier-2', priority: 'normal' }, sends: [] });
    expect(held.notes).toContain('auto-reply held: the desk is closed (outside operating hours), so the closed-desk answer goes instead');
    expect(held.explanation).toContain('The desk is closed (outside operating hours, reopens Monday 09:00): the calendar gate answers and the interaction waits until the desk reopens.');

    const withoutRoute = set([{ id: 'ack', name: 'Ack', priority: 1, action: { type: 'auto-reply', template: 'On it' } }]);
    const passed = explainRule(withoutRoute, { text: 'hello', kind: 'x.mention', calendarState: closed });
    expect(passed.rule.isDefault).toBe(true);
    expect(passed.passedOver[0]!.reason).toBe('its auto-reply is held: the desk is closed (outside operating hours), so the closed-desk answer goes instead');
  });

  it('open desk: said in the explanation', () => {
    const d = explainRule(rules, { text: 'hello', kind: 'facebook.post', lang: 'en', calendarState: { state: 'open', reason: null } });
    expect(d.explanation).toMatch(/The desk is open\.$/);
  });
});

describe('decisions', () => {
  it('are plain JSON that the schema accepts, and the tester decides exactly as evaluate', () => {
    const rules = defaultRuleSet({ ownHandles: ['AcmeCare'] });
    const inputs = [
      { text: 'RT @AcmeCare: new stores open this weekend', kind: 'x.mention', lang: 'en', at: AT },
      { text: 'great, another outage 🙄', kind: 'x.mention', lang: 'en', at: AT },
      { text: 'Merci beaucoup pour votre aide, tout fonctionne maintenant !', kind: 'facebook.comment', lang: null, at: AT },
      { text: '', kind: 'messenger.message', lang: null },
    ] as const;
    for (const input of inputs) {
      const decision = explainRule(rules, input);
      expect(RuleDecision.parse(JSON.parse(JSON.stringify(decision)))).toEqual(decision);
      expect(evaluate(compileRuleSet(rules), input)).toEqual(decision);
    }
    expect(explainRule(rules, inputs[0]).rule.id).toBe('own-retweets');
    expect(explainRule(rules, inputs[1]).rule.id).toBe('angry-public-posts');
    const french = explainRule(rules, inputs[2]);
    expect(french.rule.id).toBe('like-praise');
    expect(french.notes).toContain('language guessed as fr (the platform gave none)');
  });

  it('the tester takes the console\'s input as the contract would validate it', () => {
    const input = RuleTestInput.parse({ text: 'Thanks, brilliant service 😍', kind: 'facebook.comment', lang: 'en', at: AT, calendarState: { state: 'open', reason: null } });
    expect(explainRule(defaultRuleSet(), input).sends).toEqual([{ type: 'like', origin: 'auto-like' }]);
    expect(RuleTestInput.safeParse({ text: 'x', kind: 'x.like' }).success).toBe(false);
  });

  it('compile once per rule-set version: the same rule set gives the same compiled rules, a new version new ones', () => {
    const v1 = defaultRuleSet();
    expect(compileRuleSet(v1)).toBe(compileRuleSet(v1));
    const v2 = parseRuleSet({ ...v1, version: 2 }, { queues: ['general'], groups: ['dm-team'] });
    expect(compileRuleSet(v2)).not.toBe(compileRuleSet(v1));
    expect(compileRuleSet(v2).version).toBe(2);
  });

  it('a storm: many rules and keywords, one pass per message (throughput printed, not asserted)', () => {
    const rules: RuleInput[] = [];
    for (let i = 0; i < 200; i++) {
      rules.push({ id: `r${i}`, name: `Rule ${i}`, priority: i + 1, match: { kinds: ['x.mention', 'facebook.comment'], keywords: { any: [`word${i}`, `#tag${i}`, `two words ${i}`], none: [`stop${i}`] } }, action: { type: 'route-to-queue', queue: 'general' } });
    }
    const compiled = compileRuleSet(set(rules));
    expect(compiled.keywordCount).toBe(800);
    const texts = ['my router word150 is dead again 😡', 'thanks @AcmeCare for the help 🙏', 'two words 199 and #tag3', 'nothing to see here'];
    const n = 10_000;
    for (let i = 0; i < 2_000; i++) evaluate(compiled, { text: texts[i % texts.length]!, kind: 'x.mention', lang: 'en' }); // warm up
    const counts = new Map<string, number>();
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      const d = evaluate(compiled, { text: texts[i % texts.length]!, kind: 'x.mention', lang: 'en', at: AT + i });
      counts.set(d.rule.id, (counts.get(d.rule.id) ?? 0) + 1);
    }
    const ms = performance.now() - started;
    expect(counts.get('r150')).toBe(n / 4);
    expect(counts.get('r3')).toBe(n / 4);
    expect(counts.get('everything-else')).toBe(n / 2);
    console.log(JSON.stringify({ test: 'rules-storm', rules: 200, keywords: compiled.keywordCount, messages: n, microsecondsPerMessage: Math.round((ms * 1000) / n), messagesPerSecond: Math.round(n / (ms / 1000)) }));
  });
});
