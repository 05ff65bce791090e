// The sandbox's state: X users, tweets and DMs; the Facebook Page, its posts and comments;
// Messenger conversations. Everything in memory, in arrays kept sorted by id (or by a time key)
// plus id -> object maps, so that reading a page costs O(log n + page size).
import { CounterIds, SnowflakeMaker, compareIds, insertSorted, lowerBound } from './ids';
import type { Persona } from './personas';
import type { Random } from './random';
import type { Clock } from './types';

// ---- X ---------------------------------------------------------------------------------------

export interface XUser {
  id: string;
  name: string;
  username: string;
  createdAt: number;
  description: string;
  location: string;
  verified: boolean;
  followers: number;
  following: number;
  tweetCount: number;
  acceptsDms: boolean;
}

export interface XEntity {
  start: number;
  end: number;
}

export interface XTweet {
  id: string;
  text: string;
  authorId: string;
  createdAt: number;
  conversationId: string;
  inReplyToUserId: string | null;
  referenced: Array<{ type: 'replied_to' | 'quoted' | 'retweeted'; id: string }>;
  lang: string;
  hidden: boolean;
  mentions: Array<XEntity & { username: string; id: string }>;
  urls: Array<XEntity & { url: string }>;
  hashtags: Array<XEntity & { tag: string }>;
  likeCount: number;
  retweetCount: number;
  replyCount: number;
  /** Mentions the brand and is not by the brand: it is in the brand's mentions timeline. */
  mentionsBrand: boolean;
}

export interface XDmEvent {
  id: string;
  text: string;
  senderId: string;
  recipientId: string;
  conversationId: string;
  createdAt: number;
}

// ---- Facebook --------------------------------------------------------------------------------

export interface FbProfile {
  id: string;
  name: string;
  isPage: boolean;
}

export interface FbPost {
  id: string;
  fromId: string;
  message: string;
  createdAt: number;
  updatedAt: number;
  key: string;
  /** All comments and replies, oldest first. */
  comments: FbComment[];
  /** Top-level comments, oldest first. */
  topLevel: FbComment[];
  likes: Set<string>;
  isHidden: boolean;
  privateReplyAt: number | null;
}

export interface FbComment {
  id: string;
  postId: string;
  /** The top-level comment this replies to (Facebook nests one level). */
  parentId: string | null;
  fromId: string;
  message: string;
  createdAt: number;
  key: string;
  isHidden: boolean;
  replies: FbComment[];
  likes: Set<string>;
  privateReplyAt: number | null;
}

export interface FbMessage {
  id: string;
  conversationId: string;
  fromId: string;
  toId: string;
  text: string;
  createdAt: number;
  key: string;
  tag: string | null;
}

export interface FbConversation {
  id: string;
  customerId: string;
  /** Oldest first. */
  messages: FbMessage[];
  updatedAt: number;
  /** Last message from the customer: the start of the 24-hour window. */
  lastCustomerAt: number | null;
  key: string;
}

export type GraphNode =
  | { type: 'page'; page: FbProfile }
  | { type: 'user'; user: FbProfile }
  | { type: 'post'; post: FbPost }
  | { type: 'comment'; comment: FbComment }
  | { type: 'conversation'; conversation: FbConversation }
  | { type: 'message'; message: FbMessage };

export type CustomerKind = 'x.mention' | 'x.reply' | 'x.dm' | 'facebook.post' | 'facebook.comment' | 'facebook.reply' | 'messenger.message';

export interface PostedItem {
  platform: 'x' | 'facebook' | 'messenger';
  kind: CustomerKind;
  id: string;
  authorId: string;
  text: string;
  at: number;
  /** The language the customer wrote in (en, es, fr, de, pt, ar, it). */
  lang: string;
  /** The customer's stable key (the `customer` given, or the pool's "c17"). */
  customer: string;
}

const URL_RE = /https?:\/\/[^\s]+/g;
const MENTION_RE = /(^|[^\w@])@(\w{1,15})/g;
const HASHTAG_RE = /(^|[^\w#&])#([\p{L}\p{N}_]+)/gu;

/** Code-point offsets, the way X reports entity positions. */
function codePointIndex(text: string, utf16Index: number): number {
  return Array.from(text.slice(0, utf16Index)).length;
}

export interface WorldSeed {
  brand: { xUserId: string; username: string; name: string };
  page: { id: string; name: string };
}

export class World {
  readonly brand: XUser;
  readonly page: FbProfile;

  // X
  readonly users = new Map<string, XUser>();
  private readonly usernames = new Map<string, string>();
  readonly tweets = new Map<string, XTweet>();
  /** Every tweet, ascending by id. */
  readonly timeline: XTweet[] = [];
  /** Tweets mentioning the brand (not by it), ascending by id. */
  readonly mentions: XTweet[] = [];
  /** Brand tweets, ascending by id. */
  readonly brandTweets: XTweet[] = [];
  /** Brand tweets that start a conversation (not replies or retweets), ascending by id. */
  readonly brandOriginals: XTweet[] = [];
  readonly dmEvents: XDmEvent[] = [];
  readonly dmById = new Map<string, XDmEvent>();
  private readonly dmByConversation = new Map<string, XDmEvent[]>();
  readonly brandLikes = new Set<string>();
  /** tweet id -> the brand's retweet of it. */
  readonly brandRetweets = new Map<string, string>();
  /** Customer X id -> the latest brand reply to them (where their next reply goes). */
  private readonly lastBrandReplyTo = new Map<string, string>();
  private readonly snowflakes = new SnowflakeMaker();
  private readonly tweetListeners: Array<(tweet: XTweet) => void> = [];

  // Facebook
  readonly profiles = new Map<string, FbProfile>();
  readonly nodes = new Map<string, GraphNode>();
  /** Page feed (page posts and visitor posts), ascending by time key. */
  readonly feed: FbPost[] = [];
  /** The page's own posts / visitors' posts, ascending by time key. */
  readonly pagePosts: FbPost[] = [];
  readonly visitorPosts: FbPost[] = [];
  readonly conversations = new Map<string, FbConversation>();
  private readonly conversationByCustomer = new Map<string, FbConversation>();
  private conversationOrder: FbConversation[] = [];
  private conversationOrderDirty = false;
  private readonly lastPageReplyTo = new Map<string, string>();
  private readonly postIds: CounterIds;
  private readonly commentIds: CounterIds;
  private readonly conversationIds: CounterIds;
  private keySequence = 0;

  /** What the customers did: ground truth for tests. */
  readonly posted: PostedItem[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    seed: WorldSeed,
  ) {
    this.brand = this.addXUser({
      id: seed.brand.xUserId,
      name: seed.brand.name,
      username: seed.brand.username,
      createdAt: Date.UTC(2012, 4, 14),
      description: `Official help for ${seed.brand.name}. We answer every day 8:00-20:00.`,
      location: '',
      verified: true,
      followers: 48_210,
      following: 312,
      tweetCount: 120_455,
      acceptsDms: true,
    });
    this.page = { id: seed.page.id, name: seed.page.name, isPage: true };
    this.profiles.set(this.page.id, this.page);
    this.nodes.set(this.page.id, { type: 'page', page: this.page });
    this.postIds = new CounterIds(BigInt(random.digits(15)));
    this.commentIds = new CounterIds(BigInt(random.digits(15)));
    this.conversationIds = new CounterIds(BigInt(random.digits(15)));
  }

  now(): number {
    return this.clock.now();
  }

  /** A sortable key for time-ordered Facebook lists: time, then creation order. */
  private timeKey(ms: number): string {
    this.keySequence += 1;
    return String(Math.max(0, Math.floor(ms))).padStart(15, '0') + String(this.keySequence).padStart(10, '0');
  }

  // ---- X users ----------------------------------------------------------------------------

  addXUser(user: XUser): XUser {
    this.users.set(user.id, user);
    this.usernames.set(user.username.toLowerCase(), user.id);
    return user;
  }

  userByUsername(username: string): XUser | undefined {
    const id = this.usernames.get(username.toLowerCase());
    return id === undefined ? undefined : this.users.get(id);
  }

  ensureXUser(persona: Persona): XUser {
    const known = this.users.get(persona.xUserId);
    if (known) return known;
    return this.addXUser({
      id: persona.xUserId,
      name: persona.name,
      username: persona.username,
      createdAt: persona.accountCreatedAt,
      description: persona.description,
      location: persona.location,
      verified: persona.verified,
      followers: persona.followers,
      following: persona.following,
      tweetCount: persona.tweetCount,
      acceptsDms: persona.acceptsDms,
    });
  }

  onTweet(listener: (tweet: XTweet) => void): void {
    this.tweetListeners.push(listener);
  }

  // ---- X tweets ---------------------------------------------------------------------------

  private newSnowflake(at: number, taken: (id: string) => boolean): string {
    let id = this.snowflakes.next(at);
    while (taken(id)) id = this.snowflakes.next(at);
    return id;
  }

  createTweet(input: { authorId: string; text: string; at?: number; replyTo?: XTweet; retweetOf?: XTweet; lang?: string }): XTweet {
    const at = input.at ?? this.now();
    const id = this.newSnowflake(at, (candidate) => this.tweets.has(candidate));
    const text = input.text;
    const mentions: XTweet['mentions'] = [];
    for (const m of text.matchAll(MENTION_RE)) {
      const user = this.userByUsername(m[2] as string);
      if (!user) continue;
      const start = (m.index ?? 0) + (m[1] as string).length;
      mentions.push({ start: codePointIndex(text, start), end: codePointIndex(text, start + 1 + (m[2] as string).length), username: user.username, id: user.id });
    }
    const urls: XTweet['urls'] = [];
    for (const m of text.matchAll(URL_RE)) {
      const start = m.index ?? 0;
      urls.push({ start: codePointIndex(text, start), end: codePointIndex(text, start + m[0].length), url: m[0] });
    }
    const hashtags: XTweet['hashtags'] = [];
    for (const m of text.matchAll(HASHTAG_RE)) {
      const start = (m.index ?? 0) + (m[1] as string).length;
      hashtags.push({ start: codePointIndex(text, start), end: codePointIndex(text, start + 1 + (m[2] as string).length), tag: m[2] as string });
    }
    const referenced: XTweet['referenced'] = [];
    if (input.replyTo) referenced.push({ type: 'replied_to', id: input.replyTo.id });
    if (input.retweetOf) referenced.push({ type: 'retweeted', id: input.retweetOf.id });
    const tweet: XTweet = {
      id,
      text,
      authorId: input.authorId,
      createdAt: at,
      conversationId: input.replyTo ? input.replyTo.conversationId : id,
      inReplyToUserId: input.replyTo ? input.replyTo.authorId : null,
      referenced,
      lang: input.lang ?? 'en',
      hidden: false,
      mentions,
      urls,
      hashtags,
      likeCount: 0,
      retweetCount: 0,
      replyCount: 0,
      mentionsBrand: input.authorId !== this.brand.id && !input.retweetOf && mentions.some((m) => m.id === this.brand.id),
    };
    if (input.replyTo) input.replyTo.replyCount += 1;
    if (input.retweetOf) input.retweetOf.retweetCount += 1;
    this.tweets.set(id, tweet);
    insertSorted(this.timeline, tweet, byId);
    if (tweet.mentionsBrand) insertSorted(this.mentions, tweet, byId);
    if (tweet.authorId === this.brand.id) {
      insertSorted(this.brandTweets, tweet, byId);
      if (referenced.length === 0) insertSorted(this.brandOriginals, tweet, byId);
      if (input.replyTo && input.replyTo.authorId !== this.brand.id) this.lastBrandReplyTo.set(input.replyTo.authorId, id);
    }
    for (const listener of this.tweetListeners) listener(tweet);
    return tweet;
  }

  /** Removes a tweet everywhere (the brand deleting its own post). */
  deleteTweet(tweet: XTweet): void {
    this.tweets.delete(tweet.id);
    for (const list of [this.timeline, this.mentions, this.brandTweets, this.brandOriginals]) {
      const at = lowerBound(list, tweet.id, byId);
      if (list[at] === tweet) list.splice(at, 1);
    }
    for (const [customer, id] of this.lastBrandReplyTo) if (id === tweet.id) this.lastBrandReplyTo.delete(customer);
    for (const [target, id] of this.brandRetweets) if (id === tweet.id) this.brandRetweets.delete(target);
  }

  /** The brand tweet a customer's next reply goes under: the desk's last reply to them, else a brand post before `at`. */
  replyTargetFor(customerXId: string, at: number): XTweet {
    const lastReply = this.lastBrandReplyTo.get(customerXId);
    const candidate = lastReply ? this.tweets.get(lastReply) : undefined;
    if (candidate && candidate.createdAt <= at) return candidate;
    const before: XTweet[] = [];
    for (let i = this.brandOriginals.length - 1; i >= 0 && before.length < 5; i--) {
      const t = this.brandOriginals[i] as XTweet;
      if (t.createdAt <= at) before.push(t);
    }
    if (before.length > 0) return this.random.pick(before);
    return this.createTweet({ authorId: this.brand.id, text: 'We are here to help, 8:00-20:00 every day. Tell us what you need 💬', at: at - 3_600_000 });
  }

  // ---- X direct messages ------------------------------------------------------------------

  static dmConversationId(a: string, b: string): string {
    return compareIds(a, b) <= 0 ? `${a}-${b}` : `${b}-${a}`;
  }

  createDm(input: { senderId: string; recipientId: string; text: string; at?: number }): XDmEvent {
    const at = input.at ?? this.now();
    const id = this.newSnowflake(at, (candidate) => this.dmById.has(candidate));
    const event: XDmEvent = {
      id,
      text: input.text,
      senderId: input.senderId,
      recipientId: input.recipientId,
      conversationId: World.dmConversationId(input.senderId, input.recipientId),
      createdAt: at,
    };
    this.dmById.set(id, event);
    insertSorted(this.dmEvents, event, byId);
    let conversation = this.dmByConversation.get(event.conversationId);
    if (!conversation) {
      conversation = [];
      this.dmByConversation.set(event.conversationId, conversation);
    }
    insertSorted(conversation, event, byId);
    return event;
  }

  /** One DM conversation's events, ascending by id. */
  dmConversation(conversationId: string): readonly XDmEvent[] {
    return this.dmByConversation.get(conversationId) ?? [];
  }

  // ---- Facebook ---------------------------------------------------------------------------

  ensureFbProfile(persona: Persona): FbProfile {
    const known = this.profiles.get(persona.facebookId);
    if (known) return known;
    const profile: FbProfile = { id: persona.facebookId, name: persona.name, isPage: false };
    this.profiles.set(profile.id, profile);
    this.nodes.set(profile.id, { type: 'user', user: profile });
    return profile;
  }

  createPost(input: { fromId: string; message: string; at?: number }): FbPost {
    const at = input.at ?? this.now();
    const post: FbPost = {
      id: `${this.page.id}_${this.postIds.next()}`,
      fromId: input.fromId,
      message: input.message,
      createdAt: at,
      updatedAt: at,
      key: this.timeKey(at),
      comments: [],
      topLevel: [],
      likes: new Set(),
      isHidden: false,
      privateReplyAt: null,
    };
    insertSorted(this.feed, post, byKey);
    insertSorted(post.fromId === this.page.id ? this.pagePosts : this.visitorPosts, post, byKey);
    this.nodes.set(post.id, { type: 'post', post });
    return post;
  }

  createComment(input: { post: FbPost; parent?: FbComment; fromId: string; message: string; at?: number }): FbComment {
    const at = input.at ?? this.now();
    const postNumber = input.post.id.split('_')[1] as string;
    const comment: FbComment = {
      id: `${postNumber}_${this.commentIds.next()}`,
      postId: input.post.id,
      parentId: input.parent ? input.parent.id : null,
      fromId: input.fromId,
      message: input.message,
      createdAt: at,
      key: this.timeKey(at),
      isHidden: false,
      replies: [],
      likes: new Set(),
      privateReplyAt: null,
    };
    insertSorted(input.post.comments, comment, byKey);
    if (input.parent) insertSorted(input.parent.replies, comment, byKey);
    else insertSorted(input.post.topLevel, comment, byKey);
    if (at > input.post.updatedAt) input.post.updatedAt = at;
    this.nodes.set(comment.id, { type: 'comment', comment });
    if (input.fromId === this.page.id && input.parent) this.lastPageReplyTo.set(input.parent.fromId, comment.id);
    return comment;
  }

  /** A page post created before `at` for a customer to comment on. */
  commentTargetFor(at: number): FbPost {
    const candidates: FbPost[] = [];
    for (let i = this.pagePosts.length - 1; i >= 0 && candidates.length < 5; i--) {
      const post = this.pagePosts[i] as FbPost;
      if (post.createdAt <= at) candidates.push(post);
    }
    if (candidates.length > 0) return this.random.pick(candidates);
    return this.createPost({ fromId: this.page.id, message: 'Questions about your order or your line? Ask us here 👇', at: at - 3_600_000 });
  }

  /** The comment a customer's reply goes under: the page's last reply to them, else a recent top-level comment. */
  replyTargetForComment(customerId: string, at: number): FbComment {
    const last = this.lastPageReplyTo.get(customerId);
    const node = last ? this.nodes.get(last) : undefined;
    if (node?.type === 'comment' && node.comment.createdAt <= at) {
      const parentId = node.comment.parentId ?? node.comment.id;
      const parent = this.nodes.get(parentId);
      if (parent?.type === 'comment') return parent.comment;
    }
    const post = this.commentTargetFor(at);
    const top: FbComment[] = [];
    for (let i = post.topLevel.length - 1; i >= 0 && top.length < 5; i--) {
      const c = post.topLevel[i] as FbComment;
      if (c.createdAt <= at) top.push(c);
    }
    if (top.length > 0) return this.random.pick(top);
    return this.createComment({ post, fromId: this.page.id, message: 'Tell us what you think in the comments!', at: Math.max(post.createdAt, at - 60_000) });
  }

  // ---- Messenger --------------------------------------------------------------------------

  conversationFor(customerId: string): FbConversation | undefined {
    return this.conversationByCustomer.get(customerId);
  }

  createMessage(input: { customerId: string; fromCustomer: boolean; text: string; at?: number; tag?: string | null }): FbMessage {
    const at = input.at ?? this.now();
    let conversation = this.conversationByCustomer.get(input.customerId);
    if (!conversation) {
      conversation = { id: `t_${this.conversationIds.next()}`, customerId: input.customerId, messages: [], updatedAt: at, lastCustomerAt: null, key: '' };
      this.conversations.set(conversation.id, conversation);
      this.conversationByCustomer.set(input.customerId, conversation);
      this.nodes.set(conversation.id, { type: 'conversation', conversation });
      this.conversationOrder.push(conversation);
    }
    const message: FbMessage = {
      id: `m_${this.random.token(22)}${this.random.token(20)}`,
      conversationId: conversation.id,
      fromId: input.fromCustomer ? input.customerId : this.page.id,
      toId: input.fromCustomer ? this.page.id : input.customerId,
      text: input.text,
      createdAt: at,
      key: this.timeKey(at),
      tag: input.tag ?? null,
    };
    insertSorted(conversation.messages, message, byKey);
    if (at >= conversation.updatedAt || conversation.key === '') {
      conversation.updatedAt = Math.max(at, conversation.updatedAt);
      conversation.key = this.timeKey(conversation.updatedAt);
      this.conversationOrderDirty = true;
    }
    if (input.fromCustomer && (conversation.lastCustomerAt === null || at > conversation.lastCustomerAt)) conversation.lastCustomerAt = at;
    this.nodes.set(message.id, { type: 'message', message });
    return message;
  }

  /** Conversations, most recently updated first. */
  conversationsByUpdate(): FbConversation[] {
    if (this.conversationOrderDirty) {
      this.conversationOrder.sort((a, b) => compareIds(b.key, a.key));
      this.conversationOrderDirty = false;
    }
    return this.conversationOrder;
  }

  profile(id: string): FbProfile | undefined {
    return this.profiles.get(id);
  }
}

function byId(item: { id: string }): string {
  return item.id;
}

function byKey(item: { key: string }): string {
  return item.key;
}
