/**
 * Compiling a rule set and deciding for each inbound message (R2, R12-R14).
 *
 * `compileRuleSet` runs once per rule set (cached per rule-set object): rules sorted by priority,
 * disabled ones left out, every keyword of every rule folded once into one table (single tokens
 * in a map, phrases by their first token). `evaluate` then folds the message once, marks which
 * keywords occur in one pass over its tokens, scores its sentiment once, and walks the rules:
 * O(tokens + rules), whatever the number of keywords.
 *
 * The first rule that matches and can act decides. A rule that matches but cannot act is passed
 * over (and named in the decision with the reason), and the next one is tried:
 * - like/retweet (R14) when a safety check fails (checkAutoLike) or emergency mode is on (R7:
 *   the emergency overrides everything else, nothing is liked automatically during it);
 * - auto-reply (R12) while the calendar says closed or emergency: the calendar gate's answer is
 *   the one the customer gets. A rule that routes after its reply still routes (its reply held);
 *   one that does not is passed over.
 * The default rule always decides when no other rule does.
 */
import { normalizeKeyword, normalizeText, type NormalizedText } from './normalize';
import {
  EVENT_TYPE_NAMES,
  PRIVATE_EVENT_TYPES,
  X_EVENT_TYPES,
  type AutoLikeCheck,
  type CalendarState,
  type PassedOverRule,
  type RouteTarget,
  type Rule,
  type RuleAction,
  type RuleDecision,
  type RuleEventType,
  type RuleSend,
  type RuleSet,
} from './schema';
import { analyzeSentiment, checkAutoLike, sentimentView, type SentimentAnalysis } from './sentiment';

/** One inbound message as the rules see it. */
export interface EvaluateInput {
  text: string;
  kind: RuleEventType;
  /** The platform's language code (X gives one, Facebook does not): null or "und" when unknown. */
  lang?: string | null;
  /** The instant decided for (the message's arrival), epoch ms: sets an auto-reply's deadline. */
  at?: number | null;
  /** The calendar's state for the message (calendar/decide.ts), when the caller has it. */
  calendarState?: CalendarState | null;
  /** The message replies to the company's own answer in a complaint thread: never liked (R14). */
  replyInComplaintThread?: boolean;
  /** Automatic likes already made today, in the desk's zone (R14's daily cap). */
  autoLikesToday?: number;
}

interface KeywordRef {
  id: number;
  text: string;
}

interface CompiledRule {
  rule: Rule;
  kinds: ReadonlySet<RuleEventType> | null;
  languages: ReadonlySet<string> | null;
  any: readonly KeywordRef[];
  all: readonly KeywordRef[];
  none: readonly KeywordRef[];
}

interface PhraseEntry {
  id: number;
  tokens: readonly string[];
}

export interface CompiledRuleSet {
  readonly version: number;
  readonly ruleSet: RuleSet;
  /** Enabled rules in the order they are tried. */
  readonly rules: readonly CompiledRule[];
  readonly keywordCount: number;
  readonly single: ReadonlyMap<string, readonly number[]>;
  readonly phrases: ReadonlyMap<string, readonly PhraseEntry[]>;
}

const compiledCache = new WeakMap<RuleSet, CompiledRuleSet>();

/** Compiles a parsed rule set once; the same rule-set object always gives the same compiled one. */
export function compileRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  const cached = compiledCache.get(ruleSet);
  if (cached) return cached;

  const ids = new Map<string, number>();
  const single = new Map<string, number[]>();
  const phrases = new Map<string, PhraseEntry[]>();
  const addTo = <T>(map: Map<string, T[]>, key: string, value: T) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  const keywordRefs = (texts: readonly string[]): KeywordRef[] => {
    const refs: KeywordRef[] = [];
    for (const text of texts) {
      const keyword = normalizeKeyword(text);
      if (keyword === null) continue; // refused by the schema; never here after parseRuleSet
      const key = `${keyword.form}:${keyword.tokens.join(' ')}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
        if (keyword.tokens.length > 1) addTo(phrases, keyword.tokens[0]!, { id, tokens: keyword.tokens });
        else {
          addTo(single, keyword.tokens[0]!, id);
          // A plain word also matches its hashtag.
          if (keyword.form === 'word') addTo(single, `#${keyword.tokens[0]!}`, id);
        }
      }
      if (!refs.some((r) => r.id === id)) refs.push({ id, text });
    }
    return refs;
  };

  const rules = ruleSet.rules
    .filter((rule) => rule.enabled)
    .sort((a, b) => a.priority - b.priority)
    .map(
      (rule): CompiledRule => ({
        rule,
        kinds: rule.match.kinds.length > 0 ? new Set(rule.match.kinds) : null,
        languages: rule.match.languages.length > 0 ? new Set(rule.match.languages) : null,
        any: keywordRefs(rule.match.keywords.any),
        all: keywordRefs(rule.match.keywords.all),
        none: keywordRefs(rule.match.keywords.none),
      }),
    );

  const compiled: CompiledRuleSet = { version: ruleSet.version, ruleSet, rules, keywordCount: ids.size, single, phrases };
  compiledCache.set(ruleSet, compiled);
  return compiled;
}

/** Which of the compiled keywords occur in the message: one pass over its tokens. */
function keywordHits(compiled: CompiledRuleSet, normalized: NormalizedText): Uint8Array {
  const hits = new Uint8Array(compiled.keywordCount);
  const { tokens } = normalized;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const ids = compiled.single.get(token);
    if (ids) for (const id of ids) hits[id] = 1;
    const candidates = compiled.phrases.get(token);
    if (candidates) {
      for (const phrase of candidates) {
        if (hits[phrase.id] === 1 || i + phrase.tokens.length > tokens.length) continue;
        let ok = true;
        for (let k = 1; ok && k < phrase.tokens.length; k++) ok = tokens[i + k] === phrase.tokens[k];
        if (ok) hits[phrase.id] = 1;
      }
    }
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------
// Deciding

const quoted = (texts: readonly string[]) => texts.map((t) => `"${t}"`).join(', ');

/** "an X mention", "a Facebook post". */
function withArticle(kind: RuleEventType): string {
  return `${kind.startsWith('x.') ? 'an' : 'a'} ${EVENT_TYPE_NAMES[kind]}`;
}

interface Match {
  matchedKeywords: string[];
  conditions: string[];
}

function matchRule(c: CompiledRule, input: EvaluateInput, hits: Uint8Array, analysis: SentimentAnalysis): Match | null {
  if (c.kinds !== null && !c.kinds.has(input.kind)) return null;
  if (c.languages !== null && !c.languages.has(analysis.language)) return null;
  for (const k of c.all) if (hits[k.id] !== 1) return null;
  for (const k of c.none) if (hits[k.id] === 1) return null;
  const anyFound = c.any.filter((k) => hits[k.id] === 1);
  if (c.any.length > 0 && anyFound.length === 0) return null;
  const range = c.rule.match.sentiment;
  if (range !== null && (analysis.score < range.min || analysis.score > range.max)) return null;

  const conditions: string[] = [];
  conditions.push(c.kinds === null ? `any event type (this is ${withArticle(input.kind)})` : `event type ${EVENT_TYPE_NAMES[input.kind]} (${input.kind})`);
  if (c.languages !== null) conditions.push(`language ${analysis.language} (${analysis.languageSource === 'given' ? 'from the platform' : 'guessed'}) is one of ${[...c.languages].join(', ')}`);
  if (c.all.length > 0) conditions.push(`all of ${quoted(c.all.map((k) => k.text))} found`);
  if (anyFound.length > 0) conditions.push(`any of: found ${quoted(anyFound.map((k) => k.text))}`);
  if (c.none.length > 0) conditions.push(`none of ${quoted(c.none.map((k) => k.text))} present`);
  if (range !== null) conditions.push(`sentiment ${analysis.score} (${analysis.label}) within ${range.min} to ${range.max}`);
  return { matchedKeywords: [...c.all.map((k) => k.text), ...anyFound.map((k) => k.text)], conditions };
}

function routeOf(action: RuleAction): RouteTarget | null {
  if (action.type === 'route-to-queue') return { type: 'queue', queue: action.queue, priority: action.priority };
  if (action.type === 'route-to-group') return { type: 'group', group: action.group, priority: action.priority };
  return null;
}

function describeRoute(route: RouteTarget): string {
  return route.type === 'queue' ? `queue "${route.queue}" (${route.priority} priority)` : `agent group "${route.group}" (${route.priority} priority)`;
}

/** What one rule's action does for this message, or why it cannot act. */
type Acting =
  | { ok: true; outcome: RuleDecision['outcome']; route: RouteTarget | null; sends: RuleSend[]; notes: string[]; autoLike: AutoLikeCheck | null; summary: string }
  | { ok: false; reason: string; autoLike: AutoLikeCheck | null };

function act(action: RuleAction, input: EvaluateInput, analysis: SentimentAnalysis, normalized: NormalizedText): Acting {
  const calendar = input.calendarState ?? null;
  const emergency = calendar?.state === 'closed' && calendar.reason === 'emergency';
  switch (action.type) {
    case 'route-to-queue':
    case 'route-to-group': {
      const route = routeOf(action)!;
      return { ok: true, outcome: 'routed', route, sends: [], notes: [], autoLike: null, summary: `routed to ${describeRoute(route)}` };
    }
    case 'ignore':
      return { ok: true, outcome: 'ignored', route: null, sends: [], notes: [], autoLike: null, summary: 'ignored: kept in the history, no interaction work' };
    case 'auto-reply': {
      const then = action.thenRoute ? routeOf(action.thenRoute) : null;
      if (calendar !== null && calendar.state === 'closed') {
        const why = emergency ? 'emergency mode is on, so the emergency answer goes instead' : `the desk is closed (${closedWords(calendar.reason)}), so the closed-desk answer goes instead`;
        if (then === null) return { ok: false, reason: `its auto-reply is held: ${why}`, autoLike: null };
        return { ok: true, outcome: 'routed', route: then, sends: [], notes: [`auto-reply held: ${why}`], autoLike: null, summary: `routed to ${describeRoute(then)} (auto-reply held)` };
      }
      const visibility = PRIVATE_EVENT_TYPES.includes(input.kind) ? 'private' : action.visibility;
      const notes = visibility !== action.visibility ? [`a private conversation is answered privately`] : [];
      const at = input.at ?? null;
      const send: RuleSend = {
        type: 'reply',
        origin: 'auto-reply',
        visibility,
        template: action.template,
        deadlineMinutes: action.deadlineMinutes,
        deadlineAt: at === null ? null : at + action.deadlineMinutes * 60_000,
      };
      const replyWords = `auto-reply (${visibility}, trying for up to ${action.deadlineMinutes} minutes)`;
      return then === null
        ? { ok: true, outcome: 'auto-handled', route: null, sends: [send], notes, autoLike: null, summary: replyWords }
        : { ok: true, outcome: 'routed', route: then, sends: [send], notes, autoLike: null, summary: `${replyWords}, then routed to ${describeRoute(then)}` };
    }
    case 'like-retweet': {
      if (PRIVATE_EVENT_TYPES.includes(input.kind)) return { ok: false, reason: `${withArticle(input.kind)} cannot be liked or retweeted`, autoLike: null };
      if (emergency) return { ok: false, reason: 'emergency mode is on: nothing is liked or retweeted automatically', autoLike: null };
      const check = checkAutoLike({
        analysis,
        threshold: action.minScore,
        replyInComplaintThread: input.replyInComplaintThread ?? false,
        likesToday: input.autoLikesToday ?? 0,
        dailyCap: action.dailyCap,
      });
      if (!check.allowed) return { ok: false, reason: check.summary, autoLike: check };
      const sends: RuleSend[] = [];
      const notes: string[] = [];
      if (action.like) sends.push({ type: 'like', origin: 'auto-like' });
      if (action.retweet) {
        if (!X_EVENT_TYPES.includes(input.kind)) notes.push('retweet left out: only X posts can be retweeted');
        else if (normalized.kinds.includes('link')) notes.push('retweet left out: the post has a link, and the desk never spreads links by itself');
        else sends.push({ type: 'retweet', origin: 'auto-like' });
      }
      if (sends.length === 0) return { ok: false, reason: notes.join('; ').replace('retweet left out: ', 'nothing to do: '), autoLike: check };
      const verbs = sends.map((s) => (s.type === 'like' ? 'liked' : 'retweeted')).join(' and ');
      return { ok: true, outcome: 'auto-handled', route: null, sends, notes, autoLike: check, summary: `${verbs} (${check.summary})` };
    }
  }
}

function closedWords(reason: CalendarState['reason']): string {
  if (reason === 'special-day') return 'special day';
  if (reason === 'outside-hours') return 'outside operating hours';
  return reason ?? 'closed';
}

function calendarSentence(calendar: CalendarState | null, outcome: RuleDecision['outcome']): string | null {
  if (calendar === null) return null;
  if (calendar.state === 'open') return 'The desk is open.';
  const reopens = calendar.reopens ? `, reopens ${calendar.reopens}` : '';
  const reason = calendar.reason === 'emergency' ? 'Emergency mode is on' : `The desk is closed (${closedWords(calendar.reason)}${reopens})`;
  return outcome === 'routed' ? `${reason}: the calendar gate answers and the interaction waits until the desk reopens.` : `${reason}.`;
}

/** Decides for one message. Pure: the same rule set and input give the same decision. */
export function evaluate(compiled: CompiledRuleSet, input: EvaluateInput): RuleDecision {
  const normalized = normalizeText(input.text);
  const hits = keywordHits(compiled, normalized);
  const analysis = analyzeSentiment(normalized, input.lang ?? null);
  const sentiment = sentimentView(analysis);
  const calendar = input.calendarState ?? null;
  const passedOver: PassedOverRule[] = [];
  let autoLike: AutoLikeCheck | null = null;

  const decide = (
    rule: RuleDecision['rule'],
    action: RuleAction,
    match: Match,
    acting: Extract<Acting, { ok: true }>,
  ): RuleDecision => {
    const sentimentWords = `sentiment ${sentiment.score} (${sentiment.label})`;
    const head = rule.isDefault
      ? `No rule matched${passedOver.length > 0 ? ' and could act' : ''}, so the default rule "${rule.name}" decided: ${acting.summary}.`
      : `Rule "${rule.name}" (priority ${rule.priority}) decided: ${acting.summary}.`;
    const hasRange = match.conditions.some((c) => c.startsWith('sentiment '));
    const why = rule.isDefault
      ? `The ${EVENT_TYPE_NAMES[input.kind]} has ${sentimentWords}.`
      : `It matched on ${match.conditions.join('; ')}${hasRange ? '' : `; ${sentimentWords}`}.`;
    const passed = passedOver.length > 0 ? `Passed over first: ${passedOver.map((p) => `"${p.ruleName}" (${p.reason})`).join('; ')}.` : null;
    const notes = acting.notes.length > 0 ? `${acting.notes.map((n) => n.charAt(0).toUpperCase() + n.slice(1)).join('. ')}.` : null;
    const explanation = [head, why, passed, notes, calendarSentence(calendar, acting.outcome)].filter((s) => s !== null).join(' ');
    const languageNote = analysis.languageSource === 'guessed' ? [`language guessed as ${analysis.language} (the platform gave none)`] : [];
    return {
      at: input.at ?? null,
      kind: input.kind,
      rule,
      action,
      outcome: acting.outcome,
      route: acting.route,
      sends: acting.sends,
      matchedKeywords: match.matchedKeywords,
      conditions: match.conditions,
      sentiment,
      autoLike: acting.autoLike ?? autoLike,
      calendar,
      passedOver,
      notes: [...acting.notes, ...languageNote],
      explanation,
    };
  };

  for (const c of compiled.rules) {
    const match = matchRule(c, input, hits, analysis);
    if (match === null) continue;
    const acting = act(c.rule.action, input, analysis, normalized);
    if (acting.ok) return decide({ id: c.rule.id, name: c.rule.name, priority: c.rule.priority, isDefault: false }, c.rule.action, match, acting);
    passedOver.push({ ruleId: c.rule.id, ruleName: c.rule.name, reason: acting.reason });
    if (acting.autoLike) autoLike = acting.autoLike;
  }

  const fallback = compiled.ruleSet.defaultRule;
  let acting = act(fallback.action, input, analysis, normalized);
  if (!acting.ok) {
    // Only a held auto-reply without a route gets here (parseRuleSet refuses that for the default
    // rule); still, the message must land somewhere: it goes on to the calendar gate unrouted.
    acting = { ok: true, outcome: 'routed', route: null, sends: [], notes: [acting.reason], autoLike: acting.autoLike, summary: 'passed to the calendar gate and routing' };
  }
  return decide(
    { id: fallback.id, name: fallback.name, priority: null, isDefault: true },
    fallback.action,
    { matchedKeywords: [], conditions: ['the default rule matches every message'] },
    acting,
  );
}
