// X's search / filtered-stream rule language, the useful part of it: keywords, "exact phrases",
// #hashtags, @mentions, from: to: lang: conversation_id: url:, is:reply is:retweet is:quote
// is:verified, has:links has:mentions has:hashtags has:media, negation with -, OR, and
// parentheses. Keywords match whole tokens, case- and accent-insensitively.
import type { XTweet, XUser } from './world';

export type QueryNode =
  | { type: 'and'; items: QueryNode[] }
  | { type: 'or'; items: QueryNode[] }
  | { type: 'not'; item: QueryNode }
  | { type: 'keyword'; value: string }
  | { type: 'phrase'; value: string }
  | { type: 'hashtag'; value: string }
  | { type: 'mention'; value: string }
  | { type: 'operator'; name: string; value: string };

export class QueryError extends Error {}

const OPERATORS = new Set(['from', 'to', 'lang', 'conversation_id', 'url', 'is', 'has', 'in_reply_to_tweet_id']);
const IS_VALUES = new Set(['reply', 'retweet', 'quote', 'verified', 'nullcast']);
const HAS_VALUES = new Set(['links', 'mentions', 'hashtags', 'media', 'images', 'videos', 'geo', 'cashtags']);

type Token = { kind: 'lparen' | 'rparen' | 'or' | 'term'; text: string; negated: boolean; quoted: boolean };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(') {
      tokens.push({ kind: 'lparen', text: '(', negated: false, quoted: false });
      i++;
      continue;
    }
    if (ch === ')') {
      tokens.push({ kind: 'rparen', text: ')', negated: false, quoted: false });
      i++;
      continue;
    }
    let negated = false;
    if (ch === '-') {
      negated = true;
      i++;
      if (query[i] === '(') {
        tokens.push({ kind: 'lparen', text: '(', negated: true, quoted: false });
        i++;
        continue;
      }
    }
    if (query[i] === '"') {
      const end = query.indexOf('"', i + 1);
      if (end < 0) throw new QueryError('There is an unterminated quoted string.');
      tokens.push({ kind: 'term', text: query.slice(i + 1, end), negated, quoted: true });
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < query.length && !/[\s()]/.test(query[j] as string)) {
      if (query[j] === '"') {
        const end = query.indexOf('"', j + 1);
        if (end < 0) throw new QueryError('There is an unterminated quoted string.');
        j = end + 1;
      } else j++;
    }
    const word = query.slice(i, j);
    if (word === '') throw new QueryError(`Unexpected character at position ${i}.`);
    if (word === 'OR' && !negated) tokens.push({ kind: 'or', text: word, negated, quoted: false });
    else tokens.push({ kind: 'term', text: word, negated, quoted: false });
    i = j;
  }
  return tokens;
}

function term(token: Token): QueryNode {
  let node: QueryNode;
  const text = token.text;
  if (token.quoted) node = { type: 'phrase', value: fold(text) };
  else if (text.startsWith('#') && text.length > 1) node = { type: 'hashtag', value: fold(text.slice(1)) };
  else if (text.startsWith('@') && text.length > 1) node = { type: 'mention', value: text.slice(1).toLowerCase() };
  else {
    const colon = text.indexOf(':');
    if (colon > 0) {
      const name = text.slice(0, colon);
      let value = text.slice(colon + 1).replace(/^"|"$/g, '');
      if (!OPERATORS.has(name)) throw new QueryError(`Reference to invalid operator '${name}'. Operator is not available in current product or product packaging. Please refer to complete available operator list at https://developer.twitter.com/en/docs/twitter-api/enterprise/rules-and-filtering/operators-by-product.`);
      if (value === '') throw new QueryError(`The operator '${name}' needs a value.`);
      if (name === 'is' && !IS_VALUES.has(value)) throw new QueryError(`Reference to invalid operator 'is:${value}'.`);
      if (name === 'has' && !HAS_VALUES.has(value)) throw new QueryError(`Reference to invalid operator 'has:${value}'.`);
      if (name === 'from' || name === 'to') value = value.replace(/^@/, '').toLowerCase();
      node = { type: 'operator', name, value };
    } else node = { type: 'keyword', value: fold(text) };
  }
  return token.negated ? { type: 'not', item: node } : node;
}

/** Parses a query; throws QueryError with X-like wording when it is not valid. */
export function parseQuery(query: string): QueryNode {
  const tokens = tokenize(query);
  if (tokens.length === 0) throw new QueryError('The query is empty.');
  let pos = 0;
  const parseOr = (): QueryNode => {
    const items = [parseAnd()];
    while (tokens[pos]?.kind === 'or') {
      pos++;
      items.push(parseAnd());
    }
    return items.length === 1 ? (items[0] as QueryNode) : { type: 'or', items };
  };
  const parseAnd = (): QueryNode => {
    const items: QueryNode[] = [];
    for (;;) {
      const token = tokens[pos];
      if (!token || token.kind === 'or' || token.kind === 'rparen') break;
      if (token.kind === 'lparen') {
        pos++;
        const inner = parseOr();
        if (tokens[pos]?.kind !== 'rparen') throw new QueryError('There are mismatched parentheses.');
        pos++;
        items.push(token.negated ? { type: 'not', item: inner } : inner);
      } else {
        items.push(term(token));
        pos++;
      }
    }
    if (items.length === 0) throw new QueryError('Ambiguous use of OR.');
    return items.length === 1 ? (items[0] as QueryNode) : { type: 'and', items };
  };
  const node = parseOr();
  if (pos < tokens.length) throw new QueryError('There are mismatched parentheses.');
  if (!hasPositive(node)) throw new QueryError('Rules must contain a non-negation term.');
  return node;
}

function hasPositive(node: QueryNode): boolean {
  switch (node.type) {
    case 'not':
      return false;
    case 'and':
      return node.items.some(hasPositive);
    case 'or':
      return node.items.every(hasPositive);
    default:
      return true;
  }
}

export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

export interface MatchContext {
  author: XUser | undefined;
  inReplyToUser: XUser | undefined;
}

interface Prepared {
  tokens: Set<string>;
  folded: string;
}

const preparedCache = new WeakMap<XTweet, Prepared>();

function prepare(tweet: XTweet): Prepared {
  let p = preparedCache.get(tweet);
  if (!p) {
    const folded = fold(tweet.text);
    p = { folded, tokens: new Set(folded.match(/[\p{L}\p{N}_]+/gu) ?? []) };
    preparedCache.set(tweet, p);
  }
  return p;
}

export function matchesQuery(node: QueryNode, tweet: XTweet, ctx: MatchContext): boolean {
  switch (node.type) {
    case 'and':
      return node.items.every((n) => matchesQuery(n, tweet, ctx));
    case 'or':
      return node.items.some((n) => matchesQuery(n, tweet, ctx));
    case 'not':
      return !matchesQuery(node.item, tweet, ctx);
    case 'keyword': {
      const p = prepare(tweet);
      const parts = node.value.match(/[\p{L}\p{N}_]+/gu) ?? [];
      if (parts.length <= 1) return parts.length === 1 && p.tokens.has(parts[0] as string);
      return p.folded.includes(node.value);
    }
    case 'phrase':
      return prepare(tweet).folded.includes(node.value);
    case 'hashtag':
      return tweet.hashtags.some((h) => fold(h.tag) === node.value);
    case 'mention':
      return tweet.mentions.some((m) => m.username.toLowerCase() === node.value);
    case 'operator':
      return matchOperator(node.name, node.value, tweet, ctx);
  }
}

function matchOperator(name: string, value: string, tweet: XTweet, ctx: MatchContext): boolean {
  switch (name) {
    case 'from':
      return ctx.author !== undefined && (ctx.author.username.toLowerCase() === value || ctx.author.id === value);
    case 'to':
      return ctx.inReplyToUser !== undefined && (ctx.inReplyToUser.username.toLowerCase() === value || ctx.inReplyToUser.id === value);
    case 'lang':
      return tweet.lang === value;
    case 'conversation_id':
      return tweet.conversationId === value;
    case 'in_reply_to_tweet_id':
      return tweet.referenced.some((r) => r.type === 'replied_to' && r.id === value);
    case 'url':
      return tweet.urls.some((u) => u.url.toLowerCase().includes(value.toLowerCase()));
    case 'is':
      if (value === 'reply') return tweet.referenced.some((r) => r.type === 'replied_to');
      if (value === 'retweet') return tweet.referenced.some((r) => r.type === 'retweeted');
      if (value === 'quote') return tweet.referenced.some((r) => r.type === 'quoted');
      if (value === 'verified') return ctx.author?.verified === true;
      return false;
    case 'has':
      if (value === 'links') return tweet.urls.length > 0;
      if (value === 'mentions') return tweet.mentions.length > 0;
      if (value === 'hashtags') return tweet.hashtags.length > 0;
      return false;
    default:
      return false;
  }
}
