/**
 * Sentiment of a short social post, and whether the desk may like or retweet it by itself (R14).
 *
 * The scorer is the `sentiment` package (AFINN-165 word list and the Emoji Sentiment Ranking,
 * pure JS, no model or data fetched at run time) behind a small interface. The desk feeds it its
 * own tokens (normalize.ts: emoji split apart, accents folded, links and @handles left out) and
 * registers one language per desk language through the package's `registerLanguage`, each with
 * the desk's additions (lexicon.ts) and a scoring strategy of its own:
 *
 * - negation: a negator up to three words before ("not happy", "no complaints"), or after in
 *   French and German ("gefällt mir nicht"), within the clause, turns a word around: a positive
 *   one at 3/4 weight, a negative one at 1/2 ("not bad" is only mildly good); never an emoji;
 * - contrast: after "but" (mais, pero, aber, mas, ma in their languages) words weigh 1.5, before it 0.5;
 * - phrases score as one unit ("no internet", "pas terrible", "on hold");
 * - sarcasm: a marker (🙄 🙃 😒, "/s", "yeah right", "thanks for nothing", "so much for", a quoted
 *   'fix' in a negative post) or a short praising opener followed by something negative
 *   ("great, another outage") turns every positive word against the post.
 *
 * The sum becomes a score in -1..1 (s / sqrt(s² + 10)); 0.35 and above is positive, -0.35 and
 * below negative. See test/unit/rules-sentiment.test.ts for the comparison with wink-sentiment
 * on the labelled set in test/fixtures/sentiment/.
 */
import { createRequire } from 'node:module';
import Sentiment from 'sentiment';
import {
  COMPLAINT_WORDS,
  CONTRACTION_STEMS,
  CONTRAST_WORDS,
  DESK_LANGUAGES,
  EMOJI,
  EMOTICONS,
  ENGLISH,
  INTERNATIONAL,
  LANGUAGE_WORDS,
  NEGATION_FOLLOWS,
  NEGATORS,
  PHRASES,
  SARCASM_EMOJI,
  SARCASM_PHRASES,
  SARCASM_TAGS,
  STOPWORDS,
  type DeskLanguage,
  type Lexicon,
} from './lexicon';
import { foldAccents, languageOf, normalizeText, type NormalizedText } from './normalize';
import type { AutoLikeCheck, SentimentLabel, SentimentView } from './schema';

export type { SentimentLabel } from './schema';

/** What any scorer answers: a score in -1..1, its label, and the words that made it. */
export interface SentimentResult {
  score: number;
  label: SentimentLabel;
  reasons: string[];
}

/** The small interface the desk uses; the comparison test wraps other libraries in it. */
export interface SentimentScorer {
  readonly name: string;
  score(text: string, lang: string | null): SentimentResult;
}

/** Everything the desk's own scorer saw, for the auto-like checks and the decision's explanation. */
export interface SentimentAnalysis extends SentimentResult {
  /** The language whose word list scored it; `und` when neither given nor guessed. */
  language: string;
  languageSource: 'given' | 'guessed' | 'unknown';
  /** Negations present ("not", "pas", "don't"), as found. */
  negations: string[];
  /** Sarcasm markers present ("🙄", "/s", "yeah right", "great, ... outage"). */
  sarcasm: string[];
  /** Complaint words present ("refund", "still", "again"), and words or phrases that scored negative. */
  complaints: string[];
  /** Contrast words present ("but", "mais"): the post says two things. */
  contrasts: string[];
  question: boolean;
  links: number;
}

export const POSITIVE_AT = 0.35;
export const NEGATIVE_AT = -0.35;
const ALPHA = 10;
const NEGATION_WEIGHT = 0.75;
const NEGATED_NEGATIVE_WEIGHT = 0.5;
const WORD = /[\p{L}\p{N}]/u;
const CONTRAST_BEFORE = 0.5;
const CONTRAST_AFTER = 1.5;
const CLAUSE = '|';

export function labelOf(score: number): SentimentLabel {
  if (score >= POSITIVE_AT) return 'positive';
  if (score <= NEGATIVE_AT) return 'negative';
  return 'neutral';
}

// ---------------------------------------------------------------------------------------------
// Word lists, folded once

type ScoringLanguage = 'en' | DeskLanguage | 'und';
const SCORING_LANGUAGES: readonly ScoringLanguage[] = ['en', ...DESK_LANGUAGES, 'und'];

const fold = (word: string) => foldAccents(word).toLowerCase();

function folded(lexicon: Lexicon): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [word, value] of Object.entries(lexicon)) out[fold(word)] = value;
  return out;
}

/** The synthetic token a phrase becomes: "no internet" -> "no-internet" (hyphens never occur in tokens). */
const phraseToken = (tokens: readonly string[]) => tokens.join('-');

interface Phrase {
  tokens: readonly string[];
  token: string;
  score: number | null;
  sarcasm: boolean;
}

/** Words of other languages too ambiguous for a text whose language is unknown ("mal", "gut"). */
const UNKNOWN_LANGUAGE_EXCLUDED = new Set(['content', 'lent', 'gut', 'toll', 'mal', 'plante', 'sin', 'personne']);

interface LanguageTables {
  labels: Record<string, number>;
  negators: ReadonlySet<string>;
  /** Negators that also turn the word before them (French, German). */
  trailingNegators: ReadonlySet<string>;
  /** "but" and its kin. */
  contrasts: ReadonlySet<string>;
  phrases: ReadonlyMap<string, readonly Phrase[]>;
}

/** Contrast words for a text of unknown language: those no other desk language uses for something else ("mas", "ma" are not here). */
const UNKNOWN_LANGUAGE_CONTRASTS = ['but', 'however', 'mais', 'pero', 'aber'];

function buildPhrases(lists: readonly Lexicon[], sarcasm: readonly string[]): Map<string, Phrase[]> {
  const byFirst = new Map<string, Phrase[]>();
  const add = (text: string, score: number | null, isSarcasm: boolean) => {
    const tokens = normalizeText(text).tokens;
    if (tokens.length < 2) return;
    const list = byFirst.get(tokens[0]!) ?? [];
    const existing = list.find((p) => phraseToken(p.tokens) === phraseToken(tokens));
    if (existing) {
      existing.sarcasm ||= isSarcasm;
      if (score !== null) existing.score = score;
    } else list.push({ tokens, token: phraseToken(tokens), score, sarcasm: isSarcasm });
    byFirst.set(tokens[0]!, list);
  };
  for (const list of lists) for (const [text, score] of Object.entries(list)) add(text, score, false);
  for (const text of sarcasm) add(text, null, true);
  // Longest first: "cut me off" before "cut off".
  for (const list of byFirst.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);
  return byFirst;
}

const require = createRequire(import.meta.url);
/** The library's own English list (AFINN-165); its emoji table is merged into every language it registers. */
const AFINN = require('sentiment/languages/en/labels.json') as Record<string, number>;

function tablesFor(language: ScoringLanguage): LanguageTables {
  const emoji = folded(EMOJI);
  if (language === 'en') {
    const phrases = buildPhrases([PHRASES.en], SARCASM_PHRASES);
    const labels = { ...AFINN, ...folded(ENGLISH), ...emoji };
    for (const list of phrases.values()) for (const p of list) if (p.score !== null) labels[p.token] = p.score;
    return { labels, negators: new Set(NEGATORS.en.map(fold)), trailingNegators: new Set(), contrasts: new Set(CONTRAST_WORDS.en.map(fold)), phrases };
  }
  if (language === 'und') {
    // English, plus the other languages' words that mean nothing else in English.
    const labels: Record<string, number> = {};
    for (const lang of DESK_LANGUAGES) {
      for (const [word, value] of Object.entries(folded(LANGUAGE_WORDS[lang]))) if (!UNKNOWN_LANGUAGE_EXCLUDED.has(word)) labels[word] = value;
    }
    Object.assign(labels, AFINN, folded(ENGLISH), emoji);
    const phrases = buildPhrases([PHRASES.en, ...DESK_LANGUAGES.map((l) => PHRASES[l])], SARCASM_PHRASES);
    for (const list of phrases.values()) for (const p of list) if (p.score !== null) labels[p.token] = p.score;
    const negators = new Set([...NEGATORS.en, ...DESK_LANGUAGES.flatMap((l) => NEGATORS[l])].map(fold).filter((w) => !UNKNOWN_LANGUAGE_EXCLUDED.has(w)));
    return { labels, negators, trailingNegators: new Set(), contrasts: new Set(UNKNOWN_LANGUAGE_CONTRASTS), phrases };
  }
  // Another desk language: its own words, the loanwords every language uses, emoji, and the
  // English phrases (people switch languages mid-post). Not the whole English list: "die", "sin",
  // "hell" or "fast" mean something else in German, Spanish or French.
  const phrases = buildPhrases([PHRASES.en, PHRASES[language]], SARCASM_PHRASES);
  const labels = { ...folded(INTERNATIONAL), ...folded(LANGUAGE_WORDS[language]), ...emoji };
  for (const list of phrases.values()) for (const p of list) if (p.score !== null) labels[p.token] = p.score;
  return {
    labels,
    negators: new Set(NEGATORS[language].map(fold)),
    trailingNegators: new Set((NEGATION_FOLLOWS[language] ?? []).map(fold)),
    contrasts: new Set([...CONTRAST_WORDS[language], ...CONTRAST_WORDS.en].map(fold)),
    phrases,
  };
}

// ---------------------------------------------------------------------------------------------
// The library, with one registered language per desk language

/** What the scoring strategy noted while the library ran (the library is synchronous). */
interface Note {
  token: string;
  index: number;
  base: number;
  final: number;
  negatedBy: string | null;
  contrast: 'before' | 'after' | null;
}
let notes: Note[] = [];
/** Where the last "but" of the text being scored stands (-1: none). */
let lastContrast = -1;

const analyzer = new Sentiment();
const TABLES = new Map<ScoringLanguage, LanguageTables>();

function strategyFor(tables: LanguageTables) {
  return {
    apply(tokens: string[], cursor: number, tokenScore: number): number {
      let score = tokenScore;
      let negatedBy: string | null = null;
      // Emoji say what they say: "nothing 😤" is not a happy face.
      const isWord = WORD.test(tokens[cursor]!);
      for (let k = cursor - 1; isWord && k >= 0 && k >= cursor - 3; k--) {
        const t = tokens[k]!;
        if (t === CLAUSE) break;
        if (tables.negators.has(t)) {
          negatedBy = t;
          break;
        }
      }
      if (isWord && negatedBy === null && tables.trailingNegators.size > 0) {
        for (let k = cursor + 1; k < tokens.length && k <= cursor + 2; k++) {
          const t = tokens[k]!;
          if (t === CLAUSE) break;
          if (tables.trailingNegators.has(t)) {
            negatedBy = t;
            break;
          }
        }
      }
      // "not happy" is unhappy; "not bad" is only mildly good.
      if (negatedBy !== null) score = -score * (score > 0 ? NEGATION_WEIGHT : NEGATED_NEGATIVE_WEIGHT);
      // Contrast: the part after "but" says what the customer means.
      let contrast: Note['contrast'] = null;
      if (lastContrast >= 0) {
        contrast = cursor < lastContrast ? 'before' : 'after';
        score *= contrast === 'before' ? CONTRAST_BEFORE : CONTRAST_AFTER;
      }
      notes.push({ token: tokens[cursor]!, index: cursor, base: tokenScore, final: score, negatedBy, contrast });
      return score;
    },
  };
}

function tables(language: ScoringLanguage): LanguageTables {
  let t = TABLES.get(language);
  if (!t) {
    t = tablesFor(language);
    // registerLanguage merges the library's emoji table into our labels; ours win where both rate one.
    const own = { ...t.labels };
    analyzer.registerLanguage(`desk-${language}`, { labels: t.labels, scoringStrategy: strategyFor(t) });
    Object.assign(t.labels, own);
    TABLES.set(language, t);
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Language

const STOPWORD_SETS = Object.entries(STOPWORDS).map(([lang, words]) => [lang, new Set(words.map(fold))] as const);

/** A language for a text that came without one: the desk language with the most of its small words (at least two, and clearly ahead). */
export function guessLanguage(normalized: NormalizedText): string {
  let best = 'und';
  let bestHits = 1;
  let tie = false;
  for (const [lang, words] of STOPWORD_SETS) {
    let hits = 0;
    for (let i = 0; i < normalized.tokens.length; i++) if (normalized.kinds[i] === 'word' && words.has(normalized.tokens[i]!)) hits++;
    if (hits > bestHits) {
      best = lang;
      bestHits = hits;
      tie = false;
    } else if (hits === bestHits && hits > 1) tie = true;
  }
  return tie ? 'und' : best;
}

/** The language a message is treated as: the platform's, else a guess, else `und`. */
export function effectiveLanguage(normalized: NormalizedText, lang: string | null | undefined): { language: string; source: SentimentAnalysis['languageSource'] } {
  const given = languageOf(lang);
  if (given !== 'und') return { language: given, source: 'given' };
  const guessed = guessLanguage(normalized);
  return guessed === 'und' ? { language: 'und', source: 'unknown' } : { language: guessed, source: 'guessed' };
}

function scoringLanguage(language: string): ScoringLanguage {
  return (SCORING_LANGUAGES as readonly string[]).includes(language) ? (language as ScoringLanguage) : 'und';
}

// ---------------------------------------------------------------------------------------------
// Scoring

const SARCASM_EMOJI_SET = new Set(SARCASM_EMOJI);
const SARCASM_TAG_SET = new Set(SARCASM_TAGS);
const COMPLAINT_SET = new Set(COMPLAINT_WORDS.map(fold));
const CONTRACTIONS = new Set(CONTRACTION_STEMS);
const OPENER_INTERJECTIONS = new Set(['oh', 'wow', 'well', 'yay', 'ah', 'ooh', 'just', 'so']);

function camelWords(body: string): string[] {
  return body
    .split(/_|(?<=\p{Ll})(?=\p{Lu})/u)
    .map((w) => w.toLowerCase())
    .filter((w) => w !== '');
}

interface Prepared {
  stream: string[];
  negations: string[];
  sarcasm: string[];
  complaints: string[];
  links: number;
}

/** The token stream the library scores, and the markers the auto-like checks read. */
function prepare(normalized: NormalizedText, t: LanguageTables): Prepared {
  const { tokens, kinds, written, clauses } = normalized;
  const stream: string[] = [];
  const negations: string[] = [];
  const sarcasm: string[] = [];
  const complaints: string[] = [];
  let links = 0;
  let lastClause = clauses[0] ?? 0;
  const push = (token: string, clause: number) => {
    if (clause !== lastClause && stream.length > 0 && stream[stream.length - 1] !== CLAUSE) stream.push(CLAUSE);
    lastClause = clause;
    stream.push(token);
    if (t.negators.has(token)) negations.push(token);
    if (COMPLAINT_SET.has(token)) complaints.push(token);
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const clause = clauses[i]!;
    switch (kinds[i]) {
      case 'link':
        links++;
        continue;
      case 'handle':
        continue;
      case 'emoticon':
        if (SARCASM_TAG_SET.has(token)) sarcasm.push(token);
        else if (EMOTICONS[token] !== undefined) push(EMOTICONS[token], clause);
        continue;
      case 'emoji':
        if (SARCASM_EMOJI_SET.has(token)) sarcasm.push(token);
        push(token, clause);
        continue;
      case 'hashtag':
        if (SARCASM_TAG_SET.has(token)) {
          sarcasm.push(token);
          continue;
        }
        for (const word of camelWords(written[i]!.slice(1))) push(word, clause);
        continue;
      default:
        break;
    }
    // A phrase, longest first.
    const candidates = t.phrases.get(token);
    let consumed = 0;
    if (candidates) {
      for (const phrase of candidates) {
        let ok = i + phrase.tokens.length <= tokens.length;
        for (let k = 1; ok && k < phrase.tokens.length; k++) ok = tokens[i + k] === phrase.tokens[k] && kinds[i + k] === 'word';
        if (!ok) continue;
        // "thank you so much for the help" is sincere; only a clause opening "so much for ..." mocks.
        if (phrase.sarcasm && token === 'so' && (tokens[i - 1] === 'thanks' || (tokens[i - 1] === 'you' && tokens[i - 2] === 'thank'))) continue;
        if (phrase.sarcasm) sarcasm.push(phrase.tokens.join(' '));
        if (phrase.score !== null) {
          push(phrase.token, clause);
          if (phrase.score < 0) complaints.push(phrase.tokens.join(' '));
          if (phrase.tokens.some((w) => t.negators.has(w) || w === 't')) negations.push(phrase.tokens.join(' '));
          consumed = phrase.tokens.length;
        }
        break;
      }
    }
    if (consumed > 0) {
      i += consumed - 1;
      continue;
    }
    // English contractions: "don" + "t" is a negation.
    if (CONTRACTIONS.has(token) && tokens[i + 1] === 't') {
      push('not', clause);
      negations[negations.length - 1] = `${token}'t`;
      i++;
      continue;
    }
    push(token, clause);
  }
  return { stream, negations, sarcasm, complaints, links };
}

const round = (n: number) => Math.round(n * 100) / 100;

function signed(n: number): string {
  const r = round(n);
  return r > 0 ? `+${r}` : `${r}`;
}

function displayToken(token: string): string {
  return token.includes('-') ? token.replace(/-/g, ' ') : token;
}

/** Scores a text already normalized (evaluate() normalizes once for keywords and sentiment). */
export function analyzeSentiment(normalized: NormalizedText, lang: string | null | undefined): SentimentAnalysis {
  const { language, source } = effectiveLanguage(normalized, lang);
  const scoring = scoringLanguage(language);
  const t = tables(scoring);
  const prepared = prepare(normalized, t);
  notes = [];
  lastContrast = prepared.stream.findLastIndex((token) => t.contrasts.has(token));
  // The library splits on spaces; no token of ours holds a space or the punctuation it strips.
  analyzer.analyze(prepared.stream.join(' '), { language: `desk-${scoring}` });
  // The library walks tokens from the end; put them back in reading order.
  const contributions = notes.reverse().filter((n) => n.final !== 0);
  notes = [];

  // Sarcasm by shape: a short praising opener, then something negative ("great, another outage").
  const firstBreak = prepared.stream.indexOf(CLAUSE);
  if (firstBreak > 0 && firstBreak <= 3) {
    const opener = prepared.stream.slice(0, firstBreak);
    const openerPositive = opener.some((w) => (t.labels[w] ?? 0) > 0) && opener.every((w) => (t.labels[w] ?? 0) > 0 || OPENER_INTERJECTIONS.has(w));
    const laterNegative = contributions.some((c) => c.final < 0 && c.index > firstBreak);
    if (openerPositive && laterNegative) prepared.sarcasm.push(`${opener.join(' ')}, then a complaint`);
  }
  // A 'quoted' word in a post that is negative elsewhere: "cheers for the 'fix'".
  if (normalized.scareQuotes.length > 0 && contributions.some((c) => c.final < 0)) prepared.sarcasm.push(`'${normalized.scareQuotes[0]}'`);

  const sarcastic = prepared.sarcasm.length > 0;
  let sum = 0;
  const reasons: string[] = [];
  for (const c of contributions) {
    const value = sarcastic && c.final > 0 ? -c.final : c.final;
    sum += value;
    const how = [c.negatedBy ? `after "${c.negatedBy}"` : null, c.contrast === 'before' ? 'before "but"' : c.contrast === 'after' ? 'after "but"' : null, sarcastic && c.final > 0 ? 'sarcasm' : null]
      .filter((x) => x !== null)
      .join(', ');
    reasons.push(`${displayToken(c.token)} ${signed(value)}${how ? ` (${how})` : ''}`);
  }
  if (sarcastic) reasons.push(`sarcasm marker ${prepared.sarcasm.map((s) => `"${s}"`).join(', ')}: positive words count against`);
  if (source === 'guessed') reasons.push(`language guessed: ${language}`);
  const score = round(sum / Math.sqrt(sum * sum + ALPHA));
  // Whatever scored negative counts as a complaint too (a sarcasm marker is named as one already).
  for (const c of contributions) {
    const word = displayToken(c.token);
    if (c.final < 0 && !prepared.complaints.includes(word) && !prepared.sarcasm.includes(word)) prepared.complaints.push(word);
  }
  return {
    score,
    label: labelOf(score),
    reasons: reasons.length > 0 ? reasons : ['no word with a sentiment'],
    language,
    languageSource: source,
    negations: prepared.negations,
    sarcasm: prepared.sarcasm,
    complaints: prepared.complaints,
    contrasts: [...new Set(prepared.stream.filter((token) => t.contrasts.has(token)))],
    question: normalized.question,
    links: prepared.links,
  };
}

/** The desk's scorer behind the small interface. */
export const deskSentiment: SentimentScorer = {
  name: 'sentiment (AFINN-165 + emoji) with desk lexicon',
  score(text, lang) {
    const { score, label, reasons } = analyzeSentiment(normalizeText(text), lang);
    return { score, label, reasons };
  },
};

/** The part of an analysis a decision keeps. */
export function sentimentView(analysis: SentimentAnalysis): SentimentView {
  return { score: analysis.score, label: analysis.label, reasons: analysis.reasons, language: analysis.language, languageSource: analysis.languageSource };
}

// ---------------------------------------------------------------------------------------------
// R14: may the desk like or retweet this by itself?

/** The daily cap: pure, the caller counts today's automatic likes (in the desk's zone). */
export function checkDailyCap(likesToday: number, dailyCap: number): { allowed: boolean; left: number; reason: string | null } {
  const left = Math.max(0, dailyCap - likesToday);
  if (left > 0) return { allowed: true, left, reason: null };
  return { allowed: false, left: 0, reason: `the daily cap of ${dailyCap} automatic likes is reached (${likesToday} today)` };
}

export interface AutoLikeInput {
  analysis: SentimentAnalysis;
  /** The lowest score the desk likes (the action's `minScore`). */
  threshold: number;
  /** The message answers one of the company's own replies in a complaint thread (the caller knows the thread). */
  replyInComplaintThread: boolean;
  likesToday: number;
  dailyCap: number;
}

const quoteList = (words: readonly string[]) => [...new Set(words)].map((w) => `"${w}"`).join(', ');

/**
 * Every check, each failure named: the score threshold, complaint words (and any word that scored
 * negative), negations, sarcasm markers, a "but" (mixed feelings), questions (a question wants an
 * answer, not a like), replies to the company's own answer in a complaint thread, and the daily cap.
 */
export function checkAutoLike(input: AutoLikeInput): AutoLikeCheck {
  const { analysis, threshold, likesToday, dailyCap } = input;
  const reasons: string[] = [];
  if (input.replyInComplaintThread) reasons.push("it replies to the company's own answer in a complaint thread");
  if (analysis.score < threshold) reasons.push(`its sentiment ${analysis.score} is below the threshold ${threshold}`);
  if (analysis.complaints.length > 0) reasons.push(`it has complaint words (${quoteList(analysis.complaints)})`);
  if (analysis.negations.length > 0) reasons.push(`it has a negation (${quoteList(analysis.negations)})`);
  if (analysis.sarcasm.length > 0) reasons.push(`it has a sarcasm marker (${quoteList(analysis.sarcasm)})`);
  if (analysis.contrasts.length > 0) reasons.push(`it says two things (${quoteList(analysis.contrasts)})`);
  if (analysis.question) reasons.push('it asks a question, which wants an answer rather than a like');
  const cap = checkDailyCap(likesToday, dailyCap);
  if (!cap.allowed) reasons.push(cap.reason!);
  const allowed = reasons.length === 0;
  const summary = allowed
    ? `safe to like: sentiment ${analysis.score} is at least ${threshold}, no complaint word, negation, sarcasm marker, "but" or question, and ${likesToday} of ${dailyCap} automatic likes are used today`
    : `not liked automatically: ${reasons.join('; ')}`;
  return { allowed, score: analysis.score, threshold, likesToday, dailyCap, reasons, summary };
}
