/**
 * The Facebook Page connector: visitors' posts on the Page feed (facebook.post) and comments on
 * recent posts (facebook.comment; a reply to a comment is facebook.reply). Polled.
 *
 * One cycle reads the feed back to the older of the feed cursor and the comment window (so it
 * also sees which posts had new comments: their updated_time moved), stores new visitor posts,
 * then reads the comments of each post that changed, newest first, down to that post's cursor.
 *
 * Cursors (Graph times have one-second resolution, so each also lists the ids stored at its
 * last second; see cursors.ts):
 *   'feed'              {"t":<ms>,"ids":[...]}  visitor posts stored
 *   'comments:<postId>' {"t":<ms>,"ids":[...]}  comments of that post stored
 * Paging inside one cycle uses Graph's `after` cursors, never the absolute `paging.next` links.
 */
import type { InboundMessageInput } from '../ingest/inbound';
import { ConnectorFailure } from './backoff';
import { advanceTimeCursor, chunks, formatTimeCursor, isAfterCursor, parseTimeCursor, type TimeCursor } from './cursors';
import { GraphApiError, listPage } from './graph';
import { GraphConnectorBase, every, type GraphConnectorOptions } from './graph-base';
import { isFromPage, isNormalizeError, itemPosition, normalizeComment, normalizePost, parseGraphTime } from './normalize-graph';
import { throwIfAborted } from './scheduler';
import type { Connector, ConnectorHost } from './types';

export interface FacebookConnectorOptions extends GraphConnectorOptions {
  /** Feed poll interval (default 60 s). */
  pollIntervalMs?: number;
  /** Posts created within this long are watched for new comments (default 30 days). */
  commentWindowMs?: number;
}

export const POST_FIELDS = 'id,message,created_time,updated_time,from{id,name},permalink_url';
export const COMMENT_FIELDS = 'id,message,created_time,from{id,name},parent{id}';
const PAGE_LIMIT = 100;

interface Positioned {
  raw: unknown;
  id: string;
  t: number;
}

interface PostWatch {
  cursor: TimeCursor | null;
  /** updated_time (ms) of the post when its comments were last read in full. */
  checkedUpdated: number;
}

export function createFacebookConnector(host: ConnectorHost, options: FacebookConnectorOptions): Connector {
  return new FacebookConnector(host, options);
}

function byTimeThenId(a: Positioned, b: Positioned): number {
  return a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

class FacebookConnector extends GraphConnectorBase {
  readonly name = 'facebook' as const;
  private readonly pollMs: number;
  private readonly windowMs: number;
  private readonly watched = new Map<string, PostWatch>();
  /** Feed items already counted as bad (they are read again each cycle and counted once). */
  private readonly seenBad = new Set<string>();

  constructor(host: ConnectorHost, private readonly options: FacebookConnectorOptions) {
    super(host, options, 'facebook');
    this.pollMs = options.pollIntervalMs ?? 60_000;
    this.windowMs = options.commentWindowMs ?? 30 * 86_400_000;
    this.addTask({ name: 'feed', what: 'the Page feed', intervalMs: () => this.pollMs, cycle: (signal) => this.cycle(signal) });
  }

  protected runningDetail(): string {
    return `Watching ${this.pageName ?? 'the Page'}: visitor posts and comments are checked ${every(this.pollMs)}.`;
  }

  protected stoppedDetail(): string {
    return 'Stopped: the desk is not watching the Facebook Page.';
  }

  private get pageId(): string {
    return this.options.page.pageId;
  }

  private async cycle(signal: AbortSignal): Promise<void> {
    this.resetBadLog();
    await this.ensurePage();
    const now = this.host.clock.now();
    const floor = this.floor;
    const feedCursor = parseTimeCursor(await this.host.readCursor('facebook', 'feed'));
    if (feedCursor === null) this.beginBackfill();
    const scanFrom = Math.min(feedCursor?.t ?? floor, now - this.windowMs);

    // The feed, newest first, back to scanFrom.
    const posts: unknown[] = [];
    let after: string | null = null;
    for (;;) {
      throwIfAborted(signal);
      const params: Record<string, string | number> = { fields: POST_FIELDS, limit: PAGE_LIMIT, since: Math.floor(scanFrom / 1000) };
      if (after) params.after = after;
      const page = listPage(await this.graph.get(`${this.pageId}/feed`, params, 'the Page feed'), 'the Page feed');
      posts.push(...page.data);
      const oldest = itemPosition(page.data[page.data.length - 1]);
      if (page.after === null || (oldest !== null && oldest.t < scanFrom)) break;
      after = page.after;
    }

    await this.storeVisitorPosts(posts, feedCursor, signal);

    for (const raw of posts) {
      const pos = itemPosition(raw);
      if (pos === null) continue;
      const updatedText = (raw as { updated_time?: unknown }).updated_time;
      const updated = typeof updatedText === 'string' ? (parseGraphTime(updatedText) ?? pos.t) : pos.t;
      await this.pollComments(pos.id, updated, signal);
    }
    this.endBackfill();
  }

  private async storeVisitorPosts(posts: readonly unknown[], cursor: TimeCursor | null, signal: AbortSignal): Promise<void> {
    const floor = this.floor;
    const fresh: Positioned[] = [];
    const unplaceable: { id: string | null; error: string }[] = [];
    for (const raw of posts) {
      if (isFromPage(raw, this.pageId)) continue;
      const pos = itemPosition(raw);
      if (pos === null) {
        const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
        if (!this.seenBad.has(id ?? '')) unplaceable.push({ id, error: 'post has no readable id or created_time' });
        if (id) this.seenBad.add(id);
        continue;
      }
      if (isAfterCursor(cursor, floor, pos.t, pos.id)) fresh.push({ raw, ...pos });
    }
    this.noteBad(unplaceable, 'feed');
    fresh.sort(byTimeThenId);
    this.progressBackfill(fresh.length);
    await this.storeOrdered(fresh, cursor, 'feed', signal, (raw) => normalizePost(raw, { pageId: this.pageId }));
  }

  /** Stores items (oldest first) in batches, each with the time cursor moved over it. */
  private async storeOrdered(
    items: readonly Positioned[],
    start: TimeCursor | null,
    stream: string,
    signal: AbortSignal,
    normalize: (raw: unknown) => ReturnType<typeof normalizePost>,
  ): Promise<TimeCursor | null> {
    let cursor = start;
    for (const batch of chunks(items, this.batchSize)) {
      const payloads: InboundMessageInput[] = [];
      const bad: { id: string | null; error: string }[] = [];
      for (const item of batch) {
        cursor = advanceTimeCursor(cursor, item.t, item.id);
        if (isFromPage(item.raw, this.pageId)) continue;
        const normalized = normalize(item.raw);
        if (isNormalizeError(normalized)) bad.push({ id: item.id, error: normalized.error });
        else payloads.push(normalized);
      }
      this.noteBad(bad, stream);
      await this.store(payloads, { connector: 'facebook', stream, cursor: cursor === null ? null : formatTimeCursor(cursor) }, signal);
    }
    return cursor;
  }

  private async pollComments(postId: string, updated: number, signal: AbortSignal): Promise<void> {
    let watch = this.watched.get(postId);
    if (!watch) {
      const cursor = parseTimeCursor(await this.host.readCursor('facebook', `comments:${postId}`));
      watch = { cursor, checkedUpdated: cursor ? cursor.t : -Infinity };
      this.watched.set(postId, watch);
    }
    if (updated <= watch.checkedUpdated) return;
    const floor = this.floor;
    const stopAt = watch.cursor?.t ?? floor;
    const collected: Positioned[] = [];
    const unplaceable: { id: string | null; error: string }[] = [];
    let after: string | null = null;
    try {
      for (;;) {
        throwIfAborted(signal);
        const params: Record<string, string | number> = { fields: COMMENT_FIELDS, filter: 'stream', order: 'reverse_chronological', limit: PAGE_LIMIT };
        if (after) params.after = after;
        const page = listPage(await this.graph.get(`${postId}/comments`, params, 'comments'), 'comments');
        let reached = false;
        for (const raw of page.data) {
          const pos = itemPosition(raw);
          if (pos === null) {
            unplaceable.push({ id: null, error: 'comment has no readable id or created_time' });
            continue;
          }
          if (pos.t < stopAt) {
            reached = true;
            break;
          }
          collected.push({ raw, ...pos });
        }
        if (reached || page.after === null) break;
        after = page.after;
      }
    } catch (error) {
      // A post deleted since the feed was read: nothing to watch any more.
      const cause = error instanceof ConnectorFailure ? error.cause : error;
      if (cause instanceof GraphApiError && cause.code === 100) {
        this.host.logger.info('facebook.post-gone', { postId });
        this.watched.set(postId, { cursor: watch.cursor, checkedUpdated: Infinity });
        return;
      }
      throw error;
    }
    this.noteBad(unplaceable, `comments:${postId}`);
    const fresh = collected.filter((item) => isAfterCursor(watch.cursor, floor, item.t, item.id)).sort(byTimeThenId);
    this.progressBackfill(fresh.filter((item) => !isFromPage(item.raw, this.pageId)).length);
    const cursor = fresh.length > 0 ? await this.storeOrdered(fresh, watch.cursor, `comments:${postId}`, signal, (raw) => normalizeComment(raw, { pageId: this.pageId, postId })) : watch.cursor;
    this.watched.set(postId, { cursor, checkedUpdated: updated });
  }
}
