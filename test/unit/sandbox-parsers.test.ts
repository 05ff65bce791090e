// The sandbox's small languages: OAuth 1.0a signing, X's rule/search queries, Graph's `fields`.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FieldsError, parseFields } from '../../electron/sandbox/graph-fields';
import { compareIds, decodeXToken, encodeXToken, SnowflakeMaker, snowflakeTime } from '../../electron/sandbox/ids';
import { tweetLength } from '../../electron/sandbox/texts';
import { percentEncode, signatureBaseString } from '../../electron/sandbox/x-oauth';
import { matchesQuery, parseQuery, QueryError } from '../../electron/sandbox/x-query';
import type { XTweet } from '../../electron/sandbox/world';

describe('OAuth 1.0a signature base string', () => {
  it('reproduces the worked example from X’s "Creating a signature" guide', () => {
    const base = signatureBaseString('post', 'https://api.twitter.com/1.1/statuses/update.json', [
      ['status', 'Hello Ladies + Gentlemen, a signed OAuth request!'],
      ['include_entities', 'true'],
      ['oauth_consumer_key', 'xvz1evFS4wEEPTGEFPHBog'],
      ['oauth_nonce', 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '1318622958'],
      ['oauth_token', '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb'],
      ['oauth_version', '1.0'],
    ]);
    expect(base.startsWith('POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key')).toBe(true);
    const key = `${percentEncode('kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw')}&${percentEncode('LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE')}`;
    expect(createHmac('sha1', key).update(base).digest('base64')).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
  });

  it('percent-encodes the RFC 3986 way', () => {
    expect(percentEncode("a b!*'()~")).toBe('a%20b%21%2A%27%28%29~');
  });
});

function tweet(text: string, extra: Partial<XTweet> = {}): XTweet {
  const mentions = [...text.matchAll(/@(\w+)/g)].map((m) => ({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, username: m[1] as string, id: '1' }));
  const hashtags = [...text.matchAll(/#(\w+)/g)].map((m) => ({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, tag: m[1] as string }));
  return {
    id: '1', text, authorId: '2', createdAt: 0, conversationId: '1', inReplyToUserId: null, referenced: [], lang: 'en', hidden: false,
    mentions, urls: [], hashtags, likeCount: 0, retweetCount: 0, replyCount: 0, mentionsBrand: false, ...extra,
  };
}

describe('X query language', () => {
  const ctx = { author: undefined, inReplyToUser: undefined };
  const match = (query: string, text: string, extra: Partial<XTweet> = {}): boolean => matchesQuery(parseQuery(query), tweet(text, extra), ctx);

  it('matches keywords as whole tokens, accents and case aside', () => {
    expect(match('refund', 'Where is my REFUND?')).toBe(true);
    expect(match('refund', 'refunds please')).toBe(false);
    expect(match('reembolso', 'Quiero mi reembolsó')).toBe(true);
    expect(match('"my line"', 'why is my line down')).toBe(true);
  });

  it('combines AND, OR, negation, groups and operators', () => {
    expect(match('(outage OR down) -maintenance', 'the network is down')).toBe(true);
    expect(match('(outage OR down) -maintenance', 'down for maintenance')).toBe(false);
    expect(match('@NorthwindCare #help', '@northwindcare #Help me')).toBe(true);
    expect(match('lang:es hola', 'hola', { lang: 'es' })).toBe(true);
    expect(match('hola is:reply', 'hola')).toBe(false);
    expect(match('hola is:reply', 'hola', { referenced: [{ type: 'replied_to', id: '9' }] })).toBe(true);
  });

  it('refuses what X refuses', () => {
    expect(() => parseQuery('-only -negations')).toThrow(QueryError);
    expect(() => parseQuery('(unbalanced')).toThrow(/parentheses/);
    expect(() => parseQuery('bogus:operator')).toThrow(/invalid operator/);
    expect(() => parseQuery('"unterminated')).toThrow(/unterminated/);
  });
});

describe('Graph fields', () => {
  it('parses nested edges and modifiers', () => {
    expect(parseFields('id,from{id,name},comments.limit(5).order(reverse_chronological){id,message}')).toEqual([
      { name: 'id', modifiers: {}, children: null },
      { name: 'from', modifiers: {}, children: [{ name: 'id', modifiers: {}, children: null }, { name: 'name', modifiers: {}, children: null }] },
      { name: 'comments', modifiers: { limit: '5', order: 'reverse_chronological' }, children: [{ name: 'id', modifiers: {}, children: null }, { name: 'message', modifiers: {}, children: null }] },
    ]);
    expect(() => parseFields('id,{')).toThrow(FieldsError);
    expect(() => parseFields('messages{id')).toThrow(FieldsError);
  });
});

describe('ids and lengths', () => {
  it('makes increasing snowflakes that carry their time', () => {
    const maker = new SnowflakeMaker();
    const t = Date.UTC(2026, 0, 1);
    const a = maker.next(t);
    const b = maker.next(t);
    const c = maker.next(t + 1);
    expect(compareIds(a, b)).toBeLessThan(0);
    expect(compareIds(b, c)).toBeLessThan(0);
    expect(snowflakeTime(c)).toBe(t + 1);
    expect(compareIds('999', '1000')).toBeLessThan(0);
    expect(decodeXToken(encodeXToken(c))).toBe(c);
    expect(decodeXToken('garbage')).toBeNull();
  });

  it('counts tweet length the way X does (URLs 23, CJK and emoji 2)', () => {
    expect(tweetLength('hello')).toBe(5);
    expect(tweetLength('see https://example.com/a/very/long/path/indeed')).toBe(4 + 23);
    expect(tweetLength('日本')).toBe(4);
    expect(tweetLength('مرحبا')).toBe(5);
  });
});
