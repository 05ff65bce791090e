/**
 * Keyword matching: whole words after case and accent folding, phrases, hashtags, @handles,
 * emoji, links, and the any / all / none lists; plus event types, languages and sentiment ranges.
 */
import { describe, expect, it } from 'vitest';
import { explainRule, languageOf, normalizeKeyword, normalizeText, RuleSet, ruleSetWarnings, type RuleEventType, type RuleInput, type RuleMatch } from '../../electron/core/rules';

type MatchInput = { [K in keyof RuleMatch]?: K extends 'keywords' ? Partial<RuleMatch['keywords']> : RuleMatch[K] };

/** One rule "hit" (queue "hits") before the default (queue "general"). */
function setWith(match: MatchInput, extra: Partial<RuleInput> = {}): RuleSet {
  return RuleSet.parse({
    version: 1,
    rules: [{ id: 'hit', name: 'Hit', priority: 1, match, action: { type: 'route-to-queue', queue: 'hits' }, ...extra }],
    defaultRule: { id: 'default', name: 'Everything else', action: { type: 'route-to-queue', queue: 'general' } },
  });
}

function matches(match: MatchInput, text: string, options: { kind?: RuleEventType; lang?: string | null } = {}): boolean {
  const decision = explainRule(setWith(match), { text, kind: options.kind ?? 'x.mention', lang: options.lang === undefined ? 'en' : options.lang });
  return decision.rule.id === 'hit';
}

describe('folding', () => {
  it('folds case, accents, compatibility forms and ß; keeps hashtags, handles, links and emoji whole', () => {
    const n = normalizeText('Ça MARCHE 👍🏽 #Panne @AcmeCare https://acme.example/billing. Straße ＡＢＣ');
    expect(n.tokens).toEqual(['ca', 'marche', '👍', '#panne', '@acmecare', 'https://acme.example/billing', 'strasse', 'abc']);
    expect(n.kinds).toEqual(['word', 'word', 'emoji', 'hashtag', 'handle', 'link', 'word', 'word']);
  });

  it('splits words at apostrophes and hyphens, and notes questions and clause breaks', () => {
    const n = normalizeText("Don't go. L'appli wi-fi?");
    expect(n.tokens).toEqual(['don', 't', 'go', 'l', 'appli', 'wi', 'fi']);
    expect(n.clauses).toEqual([0, 0, 0, 1, 1, 1, 1]);
    expect(n.question).toBe(true);
  });

  it('keeps ZWJ sequences and flags as one emoji token, emoticons and /s as tokens', () => {
    expect(normalizeText('👨‍👩‍👧 🇫🇷 :) <3 :d /s').tokens).toEqual(['👨‍👩‍👧', '🇫🇷', ':)', '<3', ':D', '/s']);
  });

  it('reads language codes by their primary subtag; "no language" codes are und', () => {
    expect(['en-GB', 'FR', 'pt_BR', '', null, undefined, 'und', 'zxx', 'qme', 'qht', '12'].map((l) => languageOf(l))).toEqual(['en', 'fr', 'pt', 'und', 'und', 'und', 'und', 'und', 'und', 'und', 'und']);
  });

  it('takes a 100,000-character message of any shape in one pass', () => {
    for (const text of ['a.'.repeat(50_000), 'a-'.repeat(50_000), "'a ".repeat(33_000), '#a'.repeat(50_000), '👍🏽'.repeat(25_000), 'x'.repeat(100_000)]) {
      expect(normalizeText(text).tokens.length).toBeGreaterThan(0);
    }
  });

  it('folds keywords the same way and says what they are', () => {
    expect(normalizeKeyword('Wi-Fi')).toEqual({ text: 'Wi-Fi', tokens: ['wi', 'fi'], form: 'phrase' });
    expect(normalizeKeyword('#Outage')?.form).toBe('hashtag');
    expect(normalizeKeyword('@AcmeCare')?.tokens).toEqual(['@acmecare']);
    expect(normalizeKeyword('👍🏾')?.tokens).toEqual(['👍']);
    expect(normalizeKeyword('!!!')).toBeNull();
  });
});

describe('keywords', () => {
  it('matches whole words only: "bill" is not in "billion" or "billing"', () => {
    const rule = { keywords: { any: ['bill'] } };
    expect(matches(rule, 'My BILL is wrong')).toBe(true);
    expect(matches(rule, "the bill's total")).toBe(true);
    expect(matches(rule, 'a billion thanks')).toBe(false);
    expect(matches(rule, 'billing team')).toBe(false);
  });

  it('is case- and accent-insensitive both ways', () => {
    expect(matches({ keywords: { any: ['cafe'] } }, 'Le CAFÉ est fermé')).toBe(true);
    expect(matches({ keywords: { any: ['Égalité'] } }, 'egalite')).toBe(true);
    expect(matches({ keywords: { any: ['résilier'] } }, 'je veux RESILIER')).toBe(true);
    expect(matches({ keywords: { any: ['Straße'] } }, 'strasse gesperrt')).toBe(true);
  });

  it('matches emoji whatever the skin tone or variation selector, even glued to a word', () => {
    expect(matches({ keywords: { any: ['👍'] } }, 'great👍🏽')).toBe(true);
    expect(matches({ keywords: { any: ['❤️'] } }, 'love ❤')).toBe(true);
    expect(matches({ keywords: { any: ['😡'] } }, 'angry 😠')).toBe(false);
  });

  it('a #hashtag keyword matches only the hashtag; a plain word matches the word and its hashtag', () => {
    expect(matches({ keywords: { any: ['#outage'] } }, 'big #Outage in Leeds')).toBe(true);
    expect(matches({ keywords: { any: ['#outage'] } }, 'big outage in Leeds')).toBe(false);
    expect(matches({ keywords: { any: ['outage'] } }, 'big #OUTAGE in Leeds')).toBe(true);
    expect(matches({ keywords: { any: ['outage'] } }, '#outages')).toBe(false);
  });

  it('an @handle keyword matches only the handle, and a word never matches a handle', () => {
    expect(matches({ keywords: { any: ['@AcmeCare'] } }, 'hey @acmecare help')).toBe(true);
    expect(matches({ keywords: { any: ['@AcmeCare'] } }, 'hey acmecare help')).toBe(false);
    expect(matches({ keywords: { any: ['acmecare'] } }, 'hey @AcmeCare help')).toBe(false);
  });

  it('matches phrases as consecutive words, across punctuation and case', () => {
    const rule = { keywords: { any: ['out of service'] } };
    expect(matches(rule, 'OUT OF SERVICE!!')).toBe(true);
    expect(matches(rule, 'out of the service')).toBe(false);
    expect(matches(rule, 'service out of order')).toBe(false);
    expect(matches({ keywords: { any: ['wi-fi'] } }, 'my Wi Fi died')).toBe(true);
    expect(matches({ keywords: { any: ["don't"] } }, 'I DON’T care')).toBe(true);
  });

  it('never finds words inside links', () => {
    expect(matches({ keywords: { any: ['billing'] } }, 'see https://acme.example/billing')).toBe(false);
    expect(matches({ keywords: { any: ['acme.example'] } }, 'mail help@acme.example')).toBe(false);
  });

  it('all of: every keyword; any of: at least one; none of: not one', () => {
    const rule = { keywords: { all: ['charged', 'twice'], any: ['bill', 'card'], none: ['thanks'] } };
    expect(matches(rule, 'charged twice on my card')).toBe(true);
    expect(matches(rule, 'charged on my card')).toBe(false);
    expect(matches(rule, 'charged twice on my account')).toBe(false);
    expect(matches(rule, 'charged twice on my card, thanks for fixing')).toBe(false);
  });

  it('a rule with only "none of" matches every message without those words', () => {
    const rule = { keywords: { none: ['thanks', '#ad'] } };
    expect(matches(rule, 'my router is dead')).toBe(true);
    expect(matches(rule, '')).toBe(true);
    expect(matches(rule, 'THANKS!')).toBe(false);
    expect(matches(rule, 'win a phone #AD')).toBe(false);
  });

  it('an empty rule matches every message (and the editor is warned it hides what follows)', () => {
    expect(matches({}, 'anything at all')).toBe(true);
    expect(matches({}, '')).toBe(true);
    expect(ruleSetWarnings(setWith({}))).toEqual(['rule "Hit" matches every message: the default rule is never reached']);
  });

  it('reports the keywords found as the rule writes them', () => {
    const decision = explainRule(setWith({ keywords: { any: ['Refund', '#Outage', 'on hold'], all: ['Bill'] } }), {
      text: 'my bill refund, still on hold #outage',
      kind: 'x.mention',
      lang: 'en',
    });
    expect(decision.matchedKeywords).toEqual(['Bill', 'Refund', '#Outage', 'on hold']);
    expect(decision.conditions).toContain('any of: found "Refund", "#Outage", "on hold"');
  });
});

describe('event types, languages, sentiment', () => {
  it('matches listed event types only', () => {
    expect(matches({ kinds: ['x.dm', 'messenger.message'] }, 'hi', { kind: 'x.dm' })).toBe(true);
    expect(matches({ kinds: ['x.dm', 'messenger.message'] }, 'hi', { kind: 'x.mention' })).toBe(false);
  });

  it('matches the platform language (primary subtag), a guess when the platform gives none, and "und" for unknown', () => {
    expect(matches({ languages: ['fr'] }, 'bonjour', { lang: 'fr-FR' })).toBe(true);
    expect(matches({ languages: ['fr'] }, 'hello', { lang: 'en' })).toBe(false);
    expect(matches({ languages: ['fr'] }, 'Je ne trouve pas ma facture, est-ce que vous pouvez la renvoyer ?', { lang: null })).toBe(true);
    expect(matches({ languages: ['und'] }, '👍', { lang: null })).toBe(true);
    expect(matches({ languages: ['und'] }, '👍', { lang: 'en' })).toBe(false);
  });

  it('matches a sentiment range, both ends included', () => {
    const decision = explainRule(setWith({}), { text: 'thanks', kind: 'x.mention', lang: 'en' });
    const score = decision.sentiment.score;
    expect(matches({ sentiment: { min: score, max: score } }, 'thanks')).toBe(true);
    expect(matches({ sentiment: { min: -1, max: score - 0.01 } }, 'thanks')).toBe(false);
    expect(matches({ sentiment: { min: 0.5, max: 1 } }, 'this is terrible')).toBe(false);
  });
});
