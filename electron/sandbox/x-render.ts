// X API v2 objects as X renders them: default fields, *.fields, expansions and includes, and the
// error shapes (problem JSON, invalid-request with per-parameter errors, partial errors).
import { json, isoTime, type PlainResponse } from './http';
import type { World, XDmEvent, XTweet, XUser } from './world';

export const TWEET_FIELDS = [
  'article', 'attachments', 'author_id', 'card_uri', 'community_id', 'context_annotations', 'conversation_id', 'created_at',
  'display_text_range', 'edit_controls', 'edit_history_tweet_ids', 'entities', 'geo', 'id', 'in_reply_to_user_id', 'lang',
  'media_metadata', 'non_public_metrics', 'note_tweet', 'organic_metrics', 'possibly_sensitive', 'promoted_metrics',
  'public_metrics', 'referenced_tweets', 'reply_settings', 'scopes', 'source', 'text', 'withheld',
] as const;
export const USER_FIELDS = [
  'affiliation', 'connection_status', 'created_at', 'description', 'entities', 'id', 'is_identity_verified', 'location',
  'most_recent_tweet_id', 'name', 'parody', 'pinned_tweet_id', 'profile_banner_url', 'profile_image_url', 'protected',
  'public_metrics', 'receives_your_dm', 'subscription', 'subscription_type', 'url', 'username', 'verified', 'verified_type', 'withheld',
] as const;
export const DM_EVENT_FIELDS = ['attachments', 'created_at', 'dm_conversation_id', 'entities', 'event_type', 'id', 'participant_ids', 'referenced_tweets', 'sender_id', 'text'] as const;
export const TWEET_EXPANSIONS = [
  'article.cover_media', 'article.media_entities', 'attachments.media_keys', 'attachments.media_source_tweet', 'attachments.poll_ids',
  'author_id', 'edit_history_tweet_ids', 'entities.mentions.username', 'geo.place_id', 'in_reply_to_user_id',
  'entities.note.mentions.username', 'referenced_tweets.id', 'referenced_tweets.id.attachments.media_keys', 'referenced_tweets.id.author_id',
] as const;
export const DM_EXPANSIONS = ['attachments.media_keys', 'participant_ids', 'referenced_tweets.id', 'sender_id'] as const;
export const USER_EXPANSIONS = ['affiliation.user_id', 'most_recent_tweet_id', 'pinned_tweet_id'] as const;
/** Accepted and ignored: the sandbox has no media, places or polls. */
export const OTHER_FIELD_PARAMS = ['media.fields', 'place.fields', 'poll.fields'] as const;

// ---- errors ----------------------------------------------------------------------------------

const PROBLEM = 'application/problem+json';

export function problem(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): PlainResponse {
  return json(status, body, headers, PROBLEM);
}

export const unauthorized = (): PlainResponse => problem(401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });

export const tooManyRequests = (headers: Record<string, string>): PlainResponse =>
  problem(429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }, headers);

export const forbidden = (detail: string): PlainResponse => problem(403, { detail, type: 'about:blank', title: 'Forbidden', status: 403 });

export function unsupportedAuthentication(given: 'user' | 'app'): PlainResponse {
  const detail =
    given === 'app'
      ? 'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].'
      : 'Authenticating with OAuth 1.0a User Context is forbidden for this endpoint.  Supported authentication types are [OAuth 2.0 Application-Only].';
  return problem(403, { title: 'Unsupported Authentication', detail, type: 'https://api.twitter.com/2/problems/unsupported-authentication', status: 403 });
}

export interface ParameterError {
  parameters: Record<string, string[]>;
  message: string;
}

export function invalidRequest(errors: ParameterError[]): PlainResponse {
  return json(400, {
    errors,
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: 'https://api.twitter.com/2/problems/invalid-request',
  });
}

export function notFoundError(resourceType: 'tweet' | 'user', parameter: string, value: string): Record<string, unknown> {
  return {
    value,
    detail: `Could not find ${resourceType} with ${parameter}: [${value}].`,
    title: 'Not Found Error',
    resource_type: resourceType,
    parameter,
    resource_id: value,
    type: 'https://api.twitter.com/2/problems/resource-not-found',
  };
}

export function usageCapExceeded(): PlainResponse {
  return problem(429, {
    title: 'UsageCapExceeded',
    detail: 'Usage cap exceeded: Monthly product cap',
    type: 'https://api.twitter.com/2/problems/usage-capped',
    period: 'Monthly',
    scope: 'Product',
  });
}

/** X's answer to an unknown path (v1.1 style, as the real API still gives). */
export function pageDoesNotExist(): PlainResponse {
  return json(404, { errors: [{ message: 'Sorry, that page does not exist', code: 34 }] });
}

// ---- parameters ------------------------------------------------------------------------------

/** Reads a comma-separated list parameter, checking each value against the allowed ones. */
export function listParam(query: URLSearchParams, name: string, allowed: readonly string[], errors: ParameterError[]): Set<string> {
  const raw = query.get(name);
  const out = new Set<string>();
  if (raw === null || raw === '') return out;
  for (const value of raw.split(',')) {
    if (!allowed.includes(value)) {
      errors.push({ parameters: { [name]: [value] }, message: `The \`${name}\` query parameter value [${value}] is not one of [${allowed.join(',')}]` });
    } else out.add(value);
  }
  return out;
}

export function checkKnownParams(query: URLSearchParams, allowed: readonly string[], errors: ParameterError[]): void {
  for (const key of new Set(query.keys())) {
    if (!allowed.includes(key)) errors.push({ parameters: { [key]: query.getAll(key) }, message: `The query parameter [${key}] is not one of [${allowed.join(',')}]` });
  }
}

export function intParam(query: URLSearchParams, name: string, min: number, max: number, fallback: number, errors: ParameterError[]): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || value < min || value > max) {
    errors.push({ parameters: { [name]: [raw] }, message: `The \`${name}\` query parameter value [${raw}] is not between ${min} and ${max}` });
    return fallback;
  }
  return value;
}

export function idParam(query: URLSearchParams, name: string, errors: ParameterError[]): string | null {
  const raw = query.get(name);
  if (raw === null) return null;
  if (!/^[0-9]{1,19}$/.test(raw)) {
    errors.push({ parameters: { [name]: [raw] }, message: `The \`${name}\` query parameter value [${raw}] does not match ^[0-9]{1,19}$` });
    return null;
  }
  return raw;
}

export function timeParam(query: URLSearchParams, name: string, errors: ParameterError[]): number | null {
  const raw = query.get(name);
  if (raw === null) return null;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(ms)) {
    errors.push({ parameters: { [name]: [raw] }, message: `Invalid '${name}':'${raw}'. '${name}' must be a valid RFC 3339 date-time (YYYY-MM-DDTHH:mm:ssZ).` });
    return null;
  }
  return ms;
}

// ---- rendering -------------------------------------------------------------------------------

export interface FieldSelection {
  tweet: Set<string>;
  user: Set<string>;
  dm: Set<string>;
  expansions: Set<string>;
}

export function renderTweet(t: XTweet, fields: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: t.id, text: t.text, edit_history_tweet_ids: [t.id] };
  if (fields.has('author_id')) out.author_id = t.authorId;
  if (fields.has('created_at')) out.created_at = isoTime(t.createdAt);
  if (fields.has('conversation_id')) out.conversation_id = t.conversationId;
  if (fields.has('in_reply_to_user_id') && t.inReplyToUserId) out.in_reply_to_user_id = t.inReplyToUserId;
  if (fields.has('referenced_tweets') && t.referenced.length > 0) out.referenced_tweets = t.referenced.map((r) => ({ type: r.type, id: r.id }));
  if (fields.has('lang')) out.lang = t.lang;
  if (fields.has('possibly_sensitive')) out.possibly_sensitive = false;
  if (fields.has('reply_settings')) out.reply_settings = 'everyone';
  if (fields.has('display_text_range')) out.display_text_range = [0, Array.from(t.text).length];
  if (fields.has('edit_controls')) out.edit_controls = { edits_remaining: 5, is_edit_eligible: false, editable_until: isoTime(t.createdAt + 3_600_000) };
  if (fields.has('public_metrics')) {
    out.public_metrics = { retweet_count: t.retweetCount, reply_count: t.replyCount, like_count: t.likeCount, quote_count: 0, bookmark_count: 0, impression_count: 0 };
  }
  if (fields.has('entities')) {
    const entities: Record<string, unknown> = {};
    if (t.mentions.length) entities.mentions = t.mentions.map((m) => ({ start: m.start, end: m.end, username: m.username, id: m.id }));
    if (t.urls.length) entities.urls = t.urls.map((u) => ({ start: u.start, end: u.end, url: u.url, expanded_url: u.url, display_url: u.url.replace(/^https?:\/\//, '') }));
    if (t.hashtags.length) entities.hashtags = t.hashtags.map((h) => ({ start: h.start, end: h.end, tag: h.tag }));
    if (Object.keys(entities).length) out.entities = entities;
  }
  return out;
}

export function renderUser(u: XUser, fields: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: u.id, name: u.name, username: u.username };
  if (fields.has('created_at')) out.created_at = isoTime(u.createdAt);
  if (fields.has('description')) out.description = u.description;
  if (fields.has('location') && u.location) out.location = u.location;
  if (fields.has('protected')) out.protected = false;
  if (fields.has('verified')) out.verified = u.verified;
  if (fields.has('verified_type')) out.verified_type = u.verified ? 'blue' : 'none';
  if (fields.has('profile_image_url')) out.profile_image_url = `https://pbs.twimg.com/profile_images/${u.id}/avatar_normal.jpg`;
  if (fields.has('url')) out.url = '';
  if (fields.has('receives_your_dm')) out.receives_your_dm = u.acceptsDms;
  if (fields.has('public_metrics')) {
    out.public_metrics = { followers_count: u.followers, following_count: u.following, tweet_count: u.tweetCount, listed_count: Math.floor(u.followers / 100), like_count: Math.floor(u.tweetCount / 3), media_count: 0 };
  }
  return out;
}

export function renderDm(e: XDmEvent, fields: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: e.id, event_type: 'MessageCreate', text: e.text };
  if (fields.has('sender_id')) out.sender_id = e.senderId;
  if (fields.has('dm_conversation_id')) out.dm_conversation_id = e.conversationId;
  if (fields.has('created_at')) out.created_at = isoTime(e.createdAt);
  if (fields.has('participant_ids')) out.participant_ids = [e.senderId, e.recipientId];
  return out;
}

/** The `includes` object for a set of tweets, per the requested expansions. */
export function tweetIncludes(world: World, tweets: readonly XTweet[], sel: FieldSelection): Record<string, unknown> | undefined {
  const users = new Map<string, XUser>();
  const refTweets = new Map<string, XTweet>();
  const addUser = (id: string | null): void => {
    if (!id || users.has(id)) return;
    const u = world.users.get(id);
    if (u) users.set(id, u);
  };
  for (const t of tweets) {
    if (sel.expansions.has('author_id')) addUser(t.authorId);
    if (sel.expansions.has('in_reply_to_user_id')) addUser(t.inReplyToUserId);
    if (sel.expansions.has('entities.mentions.username')) for (const m of t.mentions) addUser(m.id);
    if (sel.expansions.has('referenced_tweets.id') || sel.expansions.has('referenced_tweets.id.author_id')) {
      for (const r of t.referenced) {
        const ref = world.tweets.get(r.id);
        if (!ref) continue;
        if (sel.expansions.has('referenced_tweets.id')) refTweets.set(ref.id, ref);
        if (sel.expansions.has('referenced_tweets.id.author_id')) addUser(ref.authorId);
      }
    }
  }
  const includes: Record<string, unknown> = {};
  if (users.size) includes.users = [...users.values()].map((u) => renderUser(u, sel.user));
  if (refTweets.size) includes.tweets = [...refTweets.values()].map((t) => renderTweet(t, sel.tweet));
  return Object.keys(includes).length ? includes : undefined;
}

export function dmIncludes(world: World, events: readonly XDmEvent[], sel: FieldSelection): Record<string, unknown> | undefined {
  const users = new Map<string, XUser>();
  const addUser = (id: string): void => {
    if (users.has(id)) return;
    const u = world.users.get(id);
    if (u) users.set(id, u);
  };
  for (const e of events) {
    if (sel.expansions.has('sender_id')) addUser(e.senderId);
    if (sel.expansions.has('participant_ids')) {
      addUser(e.senderId);
      addUser(e.recipientId);
    }
  }
  return users.size ? { users: [...users.values()].map((u) => renderUser(u, sel.user)) } : undefined;
}
