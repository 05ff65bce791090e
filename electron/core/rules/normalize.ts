/**
 * Folding a message into tokens, once, for keyword matching and sentiment alike.
 *
 * - Accents and compatibility forms fold away (NFKD, then combining marks dropped): "Égalité" and
 *   "egalite" are one word, full-width "ＡＢＣ" is "abc", "ﬁ" is "fi". German ß is "ss".
 * - Case folds (lower case). A keyword goes through the same folding, so matching is case- and
 *   accent-insensitive by construction.
 * - Words are runs of letters and digits. Apostrophes and hyphens split words ("l'appli" is
 *   "l" + "appli", "wi-fi" is "wi" + "fi"): a keyword written with them folds to the same tokens,
 *   so "wi-fi" still matches "Wi-Fi" (as a phrase).
 * - `#tag` and `@handle` stay whole ("#outage", "@acmecare"); so do links and e-mail addresses
 *   (lower-cased, never split into words: "acme.com/billing" does not contain the word "billing").
 * - Emoji are tokens of their own, without variation selectors or skin tones ("👍🏽" is "👍"); a ZWJ
 *   sequence or a flag is one token. Common emoticons (":)", ":(", "<3", ":D") are tokens too, and
 *   "/s" (the sarcasm tag) is one.
 * - Punctuation is not a token; it marks where a clause ends (for negation scope) and the text
 *   remembers whether it asked a question.
 *
 * Pure and fast: one regex pass; ASCII text skips the Unicode folding.
 */

export type TokenKind = 'word' | 'hashtag' | 'handle' | 'link' | 'emoji' | 'emoticon';

export interface NormalizedText {
  /** Folded tokens in order. */
  readonly tokens: readonly string[];
  /** What each token is. */
  readonly kinds: readonly TokenKind[];
  /** Each token as written after accent folding but before case folding (camelCase hashtags). */
  readonly written: readonly string[];
  /** Clause number of each token: it grows at each . ! ? ; , : … or line break. */
  readonly clauses: readonly number[];
  /** The text asks something ("?" or "¿"). */
  readonly question: boolean;
  /** Short spans in quotes ('fix', “upgrade”): often a sarcastic quotation. */
  readonly scareQuotes: readonly string[];
}

const NON_ASCII = /[^\p{ASCII}]/u;
const MARKS = /\p{M}/gu;

/**
 * The token grammar, tried left to right at each position:
 * 1 link (http(s)://, www.), 2 e-mail, 3 @handle, 4 #hashtag, 5 word, 6 emoticon or /s,
 * 7 emoji (with modifiers, ZWJ sequences, flags), 8 clause break, 9 question mark.
 */
const TOKEN = new RegExp(
  [
    String.raw`((?:https?:\/\/|www\.)[^\s<>"]+)`,
    // Bounded (RFC 5321's 64-character local part, 63-character labels): unbounded, a long
    // "a.a.a..." would be scanned again from every dot, quadratic in the message's length.
    String.raw`([\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63}){1,8})`,
    String.raw`(@[\p{L}\p{N}_]+)`,
    String.raw`(#[\p{L}\p{N}_]+)`,
    String.raw`([\p{L}\p{N}]+)`,
    String.raw`(<\/?3|[:;=][-'^]?[)(\]\[dDpP\/\\|*oO3]|\/s(?![\p{L}\p{N}]))`,
    String.raw`(\p{RI}\p{RI}|\p{Extended_Pictographic}(?:[\u{1F3FB}-\u{1F3FF}]|\uFE0F)*(?:\u200D\p{Extended_Pictographic}(?:[\u{1F3FB}-\u{1F3FF}]|\uFE0F)*)*)`,
    String.raw`([.!;,:…\n\r]+)`,
    String.raw`([?¿]+)`,
  ].join('|'),
  'gu',
);

const EMOJI_MODIFIERS = /[\u{1F3FB}-\u{1F3FF}]|\uFE0F/gu;
const TRAILING_LINK_PUNCTUATION = /[.,;:!?)\]}'"]+$/;
const QUOTED = /(?:^|[\s(])['‘“"]([^'’”"\n]{1,40}?)['’”"](?=$|[\s).,!?;:])/gu;

/** Accent and compatibility folding, case kept (NFKD, combining marks dropped, ß as ss). */
export function foldAccents(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text.normalize('NFKD').replace(MARKS, '').replace(/ß/g, 'ss').replace(/ẞ/g, 'SS');
}

/** One token as the matcher sees it: lower case; emoji without skin tones and variation selectors. */
function foldToken(raw: string, kind: TokenKind): string {
  switch (kind) {
    case 'emoji':
      return raw.replace(EMOJI_MODIFIERS, '');
    case 'emoticon':
      // ":d" is ":D", ":p" is ":P"; "/S" is "/s".
      return raw[0] === '/' ? '/s' : raw.toUpperCase();
    default:
      return raw.toLowerCase();
  }
}

/** Splits a message into folded tokens (see the module comment for the rules). */
export function normalizeText(text: string): NormalizedText {
  const folded = foldAccents(text);
  const tokens: string[] = [];
  const kinds: TokenKind[] = [];
  const written: string[] = [];
  const clauses: number[] = [];
  let clause = 0;
  let question = false;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(folded); m !== null; m = TOKEN.exec(folded)) {
    let kind: TokenKind;
    let raw = m[0];
    if (m[1] !== undefined) {
      kind = 'link';
      raw = raw.replace(TRAILING_LINK_PUNCTUATION, '');
    } else if (m[2] !== undefined) kind = 'link';
    else if (m[3] !== undefined) kind = 'handle';
    else if (m[4] !== undefined) kind = 'hashtag';
    else if (m[5] !== undefined) kind = 'word';
    else if (m[6] !== undefined) kind = 'emoticon';
    else if (m[7] !== undefined) kind = 'emoji';
    else if (m[8] !== undefined) {
      clause++;
      continue;
    } else {
      question = true;
      clause++;
      continue;
    }
    tokens.push(foldToken(raw, kind));
    kinds.push(kind);
    written.push(raw);
    clauses.push(clause);
  }
  return { tokens, kinds, written, clauses, question, scareQuotes: scareQuotesOf(folded) };
}

function scareQuotesOf(folded: string): string[] {
  if (!/['‘“"]/.test(folded)) return [];
  const out: string[] = [];
  QUOTED.lastIndex = 0;
  for (let m = QUOTED.exec(folded); m !== null; m = QUOTED.exec(folded)) {
    const inner = m[1]!.trim();
    // A quotation of one to four words; an apostrophe inside a word ("don't") never opens one.
    if (inner !== '' && inner.split(/\s+/).length <= 4) out.push(inner.toLowerCase());
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Keywords

export type KeywordForm = 'word' | 'phrase' | 'hashtag' | 'handle' | 'emoji' | 'link';

export interface NormalizedKeyword {
  /** The keyword as the rule's author wrote it. */
  readonly text: string;
  /** Its folded tokens: one for a word, a tag, a handle, an emoji; several for a phrase. */
  readonly tokens: readonly string[];
  readonly form: KeywordForm;
}

/**
 * A keyword folded the way message text is. A plain word also matches the same word as a hashtag
 * ("outage" matches "#outage"; "#outage" matches only the hashtag). A phrase matches its words in
 * order, next to each other. Null when nothing is left to match ("!!!", "   ").
 */
export function normalizeKeyword(text: string): NormalizedKeyword | null {
  const { tokens, kinds } = normalizeText(text);
  if (tokens.length === 0) return null;
  if (tokens.length > 1) return { text, tokens, form: 'phrase' };
  const kind = kinds[0]!;
  const form: KeywordForm = kind === 'emoticon' ? 'emoji' : kind;
  return { text, tokens, form };
}

/** Codes that say "no language": undetermined, none, several, and the private-use range X uses ("qme" media only, "qht" hashtags only ...). */
const NO_LANGUAGE = /^(und|zxx|mul|mis|q[a-t][a-z])$/;

/** The primary language subtag, lower case: "en-GB" is "en"; null, "", "und", "zxx" and X's "qme"-style codes are "und". */
export function languageOf(lang: string | null | undefined): string {
  if (!lang) return 'und';
  const primary = lang.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return primary === '' || NO_LANGUAGE.test(primary) || !/^[a-z]{2,3}$/.test(primary) ? 'und' : primary;
}
