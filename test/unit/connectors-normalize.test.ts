// Platform payloads -> inbound messages: what is kept, what is cleaned, what is refused and why;
// and that whatever passes is stored safely by the real ingest into a real SQLite store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestBatch } from '../../electron/core/ingest/ingest';
import type { InboundMessageInput } from '../../electron/core/ingest/inbound';
import { openStore, type Store } from '../../electron/core/store';
import { contactHistory } from '../../electron/core/store/messages';
import { NO_TEXT, isFromPage, normalizeComment, normalizeMessengerMessage, normalizePost, parseGraphTime } from '../../electron/core/connectors/normalize-graph';
import { cleanName, isNormalizeError, normalizeDm, normalizeTweet, usersById, type Normalized, type XContext } from '../../electron/core/connectors/normalize-x';
import { tempDir } from '../support/temp';

const SELF = '1500000000000000001';
const CUSTOMER = '987654321';
const ctx: XContext = { selfId: SELF, users: usersById({ users: [{ id: CUSTOMER, name: 'Ada Lovelace', username: 'ada_l' }] }) };

function tweet(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '1861000000000000001',
    text: '@NorthwindCare my line is down',
    author_id: CUSTOMER,
    created_at: '2026-11-25T10:29:26.095Z',
    conversation_id: '1861000000000000001',
    lang: 'en',
    edit_history_tweet_ids: ['1861000000000000001'],
    ...extra,
  };
}

function ok(value: Normalized): InboundMessageInput {
  if (isNormalizeError(value)) throw new Error(`expected a message, got: ${value.error}`);
  return value;
}

function error(value: Normalized): string {
  if (!isNormalizeError(value)) throw new Error(`expected an error, got a ${value.kind}`);
  return value.error;
}

describe('X posts', () => {
  it('makes a mention with the author from includes, the time, the thread and the language', () => {
    expect(ok(normalizeTweet(tweet(), ctx))).toEqual({
      kind: 'x.mention',
      externalId: '1861000000000000001',
      author: { platformUserId: CUSTOMER, handle: 'ada_l', name: 'Ada Lovelace' },
      text: '@NorthwindCare my line is down',
      createdAt: Date.UTC(2026, 10, 25, 10, 29, 26, 95),
      conversationRef: '1861000000000000001',
      inReplyToExternalId: null,
      lang: 'en',
    });
  });

  it('is a reply when it answers the desk, a mention when it answers someone else', () => {
    const toUs = ok(normalizeTweet(tweet({ in_reply_to_user_id: SELF, referenced_tweets: [{ type: 'replied_to', id: '1860000000000000009' }], conversation_id: '1860000000000000001' }), ctx));
    expect(toUs).toMatchObject({ kind: 'x.reply', inReplyToExternalId: '1860000000000000009', conversationRef: '1860000000000000001' });
    const toOther = ok(normalizeTweet(tweet({ in_reply_to_user_id: '42', referenced_tweets: [{ type: 'replied_to', id: '1860000000000000007' }] }), ctx));
    expect(toOther).toMatchObject({ kind: 'x.mention', inReplyToExternalId: '1860000000000000007' });
  });

  it('keeps a post whose author is missing from includes (id only, no handle or name)', () => {
    const stranger = ok(normalizeTweet(tweet({ author_id: '555' }), ctx));
    expect(stranger.author).toEqual({ platformUserId: '555', handle: null, name: null });
  });

  it('refuses a post without author, with a numeric id, or with text that is not text, naming the field', () => {
    const { author_id: _omit, ...noAuthor } = tweet();
    expect(error(normalizeTweet(noAuthor, ctx))).toMatch(/^post 1861000000000000001 is malformed: author_id /);
    expect(error(normalizeTweet(tweet({ id: Number('1861000000000000001') }), ctx))).toMatch(/id expected string/);
    expect(error(normalizeTweet(tweet({ text: { html: '<b>hi</b>' } }), ctx))).toMatch(/text expected string/);
    expect(error(normalizeTweet(tweet({ author_id: '12ab' }), ctx))).toMatch(/author_id is not an X id/);
    for (const junk of [null, 'a string', 42, [tweet()]]) expect(error(normalizeTweet(junk, ctx))).toMatch(/^post is malformed/);
  });

  it('reads the time from the snowflake when created_at is absent, and refuses an unreadable one', () => {
    const { created_at: _omit, ...noTime } = tweet({ id: '1861234567890123456' });
    // (1861234567890123456 >> 22) + X's epoch
    expect(ok(normalizeTweet(noTime, ctx)).createdAt).toBe(Number((1861234567890123456n >> 22n) + 1288834974657n));
    expect(error(normalizeTweet(tweet({ created_at: 'yesterday' }), ctx))).toMatch(/unreadable created_at/);
    expect(error(normalizeTweet(tweet({ created_at: '1999-01-01T00:00:00Z' }), ctx))).toMatch(/unreadable created_at/);
  });

  it('refuses 1 MB of text with the size in the reason (and no text in it)', () => {
    const reason = error(normalizeTweet(tweet({ text: 'spam '.repeat(200_000) }), ctx));
    expect(reason).toBe('post 1861000000000000001: its text is 1,000,000 characters long, more than the 100,000 the desk stores');
  });

  it('takes the whole text of a long post from note_tweet', () => {
    const long = 'a'.repeat(1000);
    expect(ok(normalizeTweet(tweet({ text: long.slice(0, 280), note_tweet: { text: long } }), ctx)).text).toBe(long);
  });

  it('cleans names and handles: bidi overrides and controls go, markup stays text, overlong names are cut, odd handles are dropped', () => {
    const users = usersById({
      users: [
        { id: '1', name: 'Eve \u202Eevil\u202C\u0000 <script>alert(1)</script>', username: 'eve<script>' },
        { id: '2', name: '😀'.repeat(150), username: 'smiley' },
        { id: '3', name: 42, username: 'numbername' },
        'not a user',
      ],
    });
    expect(users.get('1')).toEqual({ handle: null, name: 'Eve evil <script>alert(1)</script>' });
    const long = users.get('2')!.name!;
    expect(long.length).toBe(200);
    expect(long).toBe('😀'.repeat(100));
    expect(users.has('3')).toBe(false);
    expect(cleanName('   \u200B  ')).toBe('\u200B');
    expect(cleanName('\u0007')).toBeNull();
  });

  it('keeps RTL and zero-width characters in the text as sent, and replaces NUL', () => {
    const text = 'שלום @NorthwindCare\u200B\u200F مرحبا\u0000!';
    expect(ok(normalizeTweet(tweet({ text }), ctx)).text).toBe('שלום @NorthwindCare\u200B\u200F مرحبا\uFFFD!');
  });

  it('drops a language tag that is not one', () => {
    expect(ok(normalizeTweet(tweet({ lang: 'en; DROP TABLE' }), ctx)).lang).toBeNull();
  });
});

describe('X direct messages', () => {
  const dm = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    id: '1862000000000000001',
    event_type: 'MessageCreate',
    text: 'Order #123 never arrived',
    sender_id: CUSTOMER,
    dm_conversation_id: `${CUSTOMER}-${SELF}`,
    created_at: '2026-11-25T10:30:00.000Z',
    ...extra,
  });

  it('makes a private x.dm under the sender', () => {
    expect(ok(normalizeDm(dm(), ctx))).toEqual({
      kind: 'x.dm',
      externalId: '1862000000000000001',
      author: { platformUserId: CUSTOMER, handle: 'ada_l', name: 'Ada Lovelace' },
      text: 'Order #123 never arrived',
      createdAt: Date.UTC(2026, 10, 25, 10, 30),
      conversationRef: `${CUSTOMER}-${SELF}`,
      inReplyToExternalId: null,
      lang: null,
    });
  });

  it('refuses a DM without sender and an event that is not a message', () => {
    const { sender_id: _omit, ...noSender } = dm();
    expect(error(normalizeDm(noSender, ctx))).toMatch(/sender_id/);
    expect(error(normalizeDm(dm({ event_type: 'ParticipantsJoin' }), ctx))).toMatch(/ParticipantsJoin event, not a message/);
  });
});

describe('Graph payloads', () => {
  const PAGE = '167175064248148';

  it('reads Graph times in their +0000 form and the usual ISO forms', () => {
    expect(parseGraphTime('2025-03-22T18:20:04+0000')).toBe(Date.UTC(2025, 2, 22, 18, 20, 4));
    expect(parseGraphTime('2025-03-22T19:20:04+0100')).toBe(Date.UTC(2025, 2, 22, 18, 20, 4));
    expect(parseGraphTime('2025-03-22T18:20:04Z')).toBe(Date.UTC(2025, 2, 22, 18, 20, 4));
    expect(parseGraphTime('2025-03-22T18:20:04.250+00:00')).toBe(Date.UTC(2025, 2, 22, 18, 20, 4, 250));
    expect(parseGraphTime('22/03/2025')).toBeNull();
    expect(parseGraphTime('2025-02-30T25:99:99+0000')).toBeNull();
  });

  it('makes a visitor post a facebook.post under its author; a photo-only post gets a placeholder text', () => {
    const post = { id: `${PAGE}_1`, message: 'Is the shop open on Sunday?', created_time: '2026-11-25T10:00:00+0000', from: { id: '5998442037740302', name: 'Emma Brown' } };
    expect(ok(normalizePost(post, { pageId: PAGE }))).toEqual({
      kind: 'facebook.post',
      externalId: `${PAGE}_1`,
      author: { platformUserId: '5998442037740302', handle: null, name: 'Emma Brown' },
      text: 'Is the shop open on Sunday?',
      createdAt: Date.UTC(2026, 10, 25, 10),
      conversationRef: `${PAGE}_1`,
      inReplyToExternalId: null,
      lang: null,
    });
    const { message: _omit, ...photo } = post;
    expect(ok(normalizePost(photo, { pageId: PAGE })).text).toBe(NO_TEXT);
    expect(isFromPage({ ...post, from: { id: PAGE, name: 'Northwind' } }, PAGE)).toBe(true);
    expect(isFromPage(post, PAGE)).toBe(false);
  });

  it('refuses a post without author (with the likely cause) and one with an unreadable time', () => {
    expect(error(normalizePost({ id: `${PAGE}_2`, message: 'hi', created_time: '2026-11-25T10:00:00+0000' }, { pageId: PAGE }))).toMatch(/no author \(from\).*pages_read_user_content/);
    expect(error(normalizePost({ id: `${PAGE}_3`, message: 'hi', created_time: 'soon', from: { id: '1' } }, { pageId: PAGE }))).toMatch(/unreadable created_time/);
    expect(error(normalizePost({ id: 7, message: 'hi' }, { pageId: PAGE }))).toMatch(/^post 7 is malformed/);
  });

  it('makes a top-level comment facebook.comment and an answer to a comment facebook.reply', () => {
    const postId = `${PAGE}_9`;
    const comment = { id: '9_100', message: 'Same problem here', created_time: '2026-11-25T10:05:00+0000', from: { id: '77', name: 'Noah' } };
    expect(ok(normalizeComment(comment, { pageId: PAGE, postId }))).toMatchObject({ kind: 'facebook.comment', inReplyToExternalId: postId, conversationRef: postId });
    expect(ok(normalizeComment({ ...comment, id: '9_101', parent: { id: '9_100' } }, { pageId: PAGE, postId }))).toMatchObject({ kind: 'facebook.reply', inReplyToExternalId: '9_100' });
    expect(error(normalizeComment({ ...comment, parent: { id: 12 } }, { pageId: PAGE, postId }))).toMatch(/parent\.id/);
  });

  it('makes a Messenger message under the page-scoped id and name', () => {
    const message = { id: 'm_abc-DEF_123', message: 'Hello?', created_time: '2026-11-25T10:06:00+0000', from: { id: '5998442037740302', name: 'Emma Brown', email: '5998442037740302@facebook.com' } };
    expect(ok(normalizeMessengerMessage(message, { pageId: PAGE, conversationId: 't_1' }))).toEqual({
      kind: 'messenger.message',
      externalId: 'm_abc-DEF_123',
      author: { platformUserId: '5998442037740302', handle: null, name: 'Emma Brown' },
      text: 'Hello?',
      createdAt: Date.UTC(2026, 10, 25, 10, 6),
      conversationRef: 't_1',
      inReplyToExternalId: null,
      lang: null,
    });
    const { from: _omit, ...anonymous } = message;
    expect(error(normalizeMessengerMessage(anonymous, { pageId: PAGE, conversationId: 't_1' }))).toMatch(/no sender/);
    expect(error(normalizeMessengerMessage({ ...message, id: 'm_<script>' }, { pageId: PAGE, conversationId: 't_1' }))).toMatch(/id is not a Graph id/);
  });
});

describe('normalized messages in the real store', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  beforeEach(async () => {
    dir = tempDir();
    store = await openStore(dir.path);
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('stores odd but valid text as sent (lone surrogates made well-formed), under the right contact, and nothing of what was refused', async () => {
    const users = usersById({ users: [{ id: CUSTOMER, name: '<img src=x onerror=alert(1)> \u202Eevil', username: 'ada_l' }] });
    const c: XContext = { selfId: SELF, users };
    const candidates = [
      normalizeTweet(tweet({ id: '1861000000000000011', text: 'broken \uD83D surrogate' }), c),
      normalizeTweet(tweet({ id: '1861000000000000012', text: 'שלום\u200F مرحبا\u200B <script>alert(1)</script>' }), c),
      normalizeTweet(tweet({ id: '1861000000000000013', text: 'x'.repeat(1_000_000) }), c),
      normalizeTweet(tweet({ id: '1861000000000000014', author_id: 15 }), c),
    ];
    const payloads = candidates.filter((n): n is InboundMessageInput => !isNormalizeError(n));
    expect(payloads).toHaveLength(2);
    const outcome = await ingestBatch(store.db, payloads, { connector: 'x', stream: 'mentions', cursor: '1861000000000000014' }, Date.UTC(2026, 10, 25, 11));
    expect(outcome.rejected).toEqual([]);
    expect(outcome.stored).toHaveLength(2);
    expect(outcome.stored[0]!.contactName).toBe('<img src=x onerror=alert(1)> evil');
    const history = await contactHistory(store.db, outcome.stored[0]!.contactId, undefined, 10);
    expect(history.messages.map((m) => m.text).sort()).toEqual(['broken \uFFFD surrogate', 'שלום\u200F مرحبا\u200B <script>alert(1)</script>'].sort());
  });
});
