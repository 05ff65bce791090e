/**
 * The Messenger connector: customers' messages to the Page (messenger.message; the author is
 * the page-scoped id with the name Graph gives). Polled through the Page's conversations, most
 * recently updated first, each with its newest messages inline (one call covers many chats).
 *
 * Cursors:
 *   'conversations'         {"t":<ms>,"ids":[]}   updated_time down to which the inbox was read
 *   'conversation:<t_id>'   {"t":<ms>,"ids":[...]} messages of that conversation stored
 * The first is only a stopping point for paging the inbox; exactly-once comes from the second,
 * committed with the messages it covers. A conversation whose inline page does not reach its
 * cursor is paged further through /<conversation>/messages with Graph's `after` cursors.
 *
 * Open chats: `setActiveConversations(ids)` makes a fast poll of the top of the inbox run every
 * few seconds (one call, whatever the number of chats: a chat with a new message is at the top).
 */
import type { InboundMessageInput } from '../ingest/inbound';
import { advanceTimeCursor, chunks, formatTimeCursor, isAfterCursor, parseTimeCursor, type TimeCursor } from './cursors';
import { listPage } from './graph';
import { GraphConnectorBase, every, type GraphConnectorOptions } from './graph-base';
import { isFromPage, isNormalizeError, itemPosition, normalizeMessengerMessage, parseGraphTime } from './normalize-graph';
import { Mutex, throwIfAborted } from './scheduler';
import type { Connector, ConnectorHost } from './types';

export interface MessengerConnectorOptions extends GraphConnectorOptions {
  /** Inbox poll interval (default 60 s). */
  pollIntervalMs?: number;
  /** While a chat is open in the console, the top of the inbox is polled this often (default 3 s). */
  activeChatPollIntervalMs?: number;
}

export interface MessengerConnector extends Connector {
  /** The conversations (t_... ids) open in the console: polled every few seconds while open. */
  setActiveConversations(ids: readonly string[]): void;
}

export const MESSAGE_FIELDS = 'id,message,from,created_time';
const INLINE_MESSAGES = 25;
export const CONVERSATION_FIELDS = `id,updated_time,messages.limit(${INLINE_MESSAGES}){${MESSAGE_FIELDS}}`;
const INBOX_PAGE = 25;
const ACTIVE_INBOX_PAGE = 10;

interface Conversation {
  id: string;
  updated: number;
  messages: unknown[];
  /** Graph's cursor for the messages after the inline ones (null: there are no more). */
  after: string | null;
}

interface Positioned {
  raw: unknown;
  id: string;
  t: number;
}

export function createMessengerConnector(host: ConnectorHost, options: MessengerConnectorOptions): MessengerConnector {
  return new MessengerConnectorImpl(host, options);
}

class MessengerConnectorImpl extends GraphConnectorBase implements MessengerConnector {
  readonly name = 'messenger' as const;
  private readonly pollMs: number;
  private readonly activeMs: number;
  private active = new Set<string>();
  private readonly cursors = new Map<string, TimeCursor | null>();
  /** Conversations are stored one at a time: the deep and the fast poll share their cursors. */
  private readonly conversationMutex = new Mutex();

  constructor(host: ConnectorHost, private readonly options: MessengerConnectorOptions) {
    super(host, options, 'messenger');
    this.pollMs = options.pollIntervalMs ?? 60_000;
    this.activeMs = options.activeChatPollIntervalMs ?? 3_000;
    this.addTask({ name: 'inbox', what: 'Messenger conversations', intervalMs: () => this.pollMs, cycle: (signal) => this.inboxCycle(signal) });
    this.addTask({ name: 'active', what: 'open Messenger chats', intervalMs: () => (this.active.size > 0 ? this.activeMs : Infinity), cycle: (signal) => this.activeCycle(signal) });
  }

  setActiveConversations(ids: readonly string[]): void {
    this.active = new Set(ids.filter((id) => typeof id === 'string' && id !== ''));
    this.scheduler.wake('active');
    this.refresh();
  }

  protected override pollNowTasks(): string[] {
    return ['inbox'];
  }

  protected runningDetail(): string {
    const open = this.active.size > 0 ? `; ${this.active.size === 1 ? 'the open chat is' : `${this.active.size} open chats are`} checked ${every(this.activeMs)}` : '';
    return `Watching Messenger for ${this.pageName ?? 'the Page'}: new messages are checked ${every(this.pollMs)}${open}.`;
  }

  protected stoppedDetail(): string {
    return 'Stopped: the desk is not watching Messenger.';
  }

  private get pageId(): string {
    return this.options.page.pageId;
  }

  private conversationOf(raw: unknown): Conversation | { id: string | null; error: string } {
    if (typeof raw !== 'object' || raw === null) return { id: null, error: 'conversation is not an object' };
    const { id, updated_time: updatedText, messages } = raw as { id?: unknown; updated_time?: unknown; messages?: unknown };
    if (typeof id !== 'string' || id === '' || id.length > 200) return { id: null, error: 'conversation has no id' };
    const updated = typeof updatedText === 'string' ? parseGraphTime(updatedText) : null;
    if (updated === null) return { id, error: `conversation ${id} has an unreadable updated_time` };
    if (messages === undefined) return { id, updated, messages: [], after: '' };
    try {
      const page = listPage(messages, 'Messenger messages');
      return { id, updated, messages: page.data, after: page.after };
    } catch {
      return { id, error: `conversation ${id} has unreadable messages` };
    }
  }

  private async inboxCycle(signal: AbortSignal): Promise<void> {
    this.resetBadLog();
    await this.ensurePage();
    const mark = parseTimeCursor(await this.host.readCursor('messenger', 'conversations'));
    if (mark === null) this.beginBackfill();
    const stopAt = mark?.t ?? this.floor;
    let newest: number | null = mark?.t ?? null;
    let after: string | null = null;
    for (;;) {
      throwIfAborted(signal);
      const params: Record<string, string | number> = { platform: 'messenger', fields: CONVERSATION_FIELDS, limit: INBOX_PAGE };
      if (after) params.after = after;
      const page = listPage(await this.graph.get(`${this.pageId}/conversations`, params, 'Messenger conversations'), 'Messenger conversations');
      let reached = false;
      for (const raw of page.data) {
        const conversation = this.conversationOf(raw);
        if ('error' in conversation) {
          this.noteBad([conversation], 'conversations');
          continue;
        }
        if (conversation.updated < stopAt) {
          reached = true;
          break;
        }
        await this.processConversation(conversation, signal);
        if (newest === null || conversation.updated > newest) newest = conversation.updated;
      }
      if (reached || page.after === null) break;
      after = page.after;
    }
    if (newest !== null && newest !== mark?.t) {
      await this.store([], { connector: 'messenger', stream: 'conversations', cursor: formatTimeCursor({ t: newest, ids: [] }) }, signal);
    }
    this.endBackfill();
  }

  private async activeCycle(signal: AbortSignal): Promise<void> {
    if (this.active.size === 0) return;
    this.resetBadLog();
    const params = { platform: 'messenger', fields: CONVERSATION_FIELDS, limit: Math.min(100, Math.max(ACTIVE_INBOX_PAGE, this.active.size)) };
    const page = listPage(await this.graph.get(`${this.pageId}/conversations`, params, 'open Messenger chats'), 'open Messenger chats');
    const floor = this.floor;
    for (const raw of page.data) {
      const conversation = this.conversationOf(raw);
      if ('error' in conversation || conversation.updated < floor) continue;
      await this.processConversation(conversation, signal);
    }
  }

  private async cursorOf(conversationId: string): Promise<TimeCursor | null> {
    if (!this.cursors.has(conversationId)) {
      this.cursors.set(conversationId, parseTimeCursor(await this.host.readCursor('messenger', `conversation:${conversationId}`)));
    }
    return this.cursors.get(conversationId) ?? null;
  }

  /** Stores the conversation's messages newer than its cursor, oldest first. */
  private processConversation(conversation: Conversation, signal: AbortSignal): Promise<void> {
    return this.conversationMutex.run(async () => {
      const cursor = await this.cursorOf(conversation.id);
      const floor = this.floor;
      const stopAt = cursor?.t ?? floor;
      if (cursor !== null && conversation.updated < cursor.t) return;
      const collected: Positioned[] = [];
      const bad: { id: string | null; error: string }[] = [];
      let reached = false;
      const walk = (list: readonly unknown[]): void => {
        for (const raw of list) {
          const pos = itemPosition(raw);
          if (pos === null) {
            bad.push({ id: null, error: `a message in conversation ${conversation.id} has no readable id or created_time` });
            continue;
          }
          if (pos.t < stopAt) {
            reached = true;
            return;
          }
          collected.push({ raw, ...pos });
        }
      };
      walk(conversation.messages);
      let after = conversation.after;
      while (!reached && after !== null) {
        throwIfAborted(signal);
        const params: Record<string, string | number> = { fields: MESSAGE_FIELDS, limit: 100 };
        if (after !== '') params.after = after;
        const page = listPage(await this.graph.get(`${conversation.id}/messages`, params, 'Messenger messages'), 'Messenger messages');
        walk(page.data);
        after = page.after;
      }
      this.noteBad(bad, `conversation:${conversation.id}`);
      // Graph lists newest first; stored oldest first. Equal times keep Graph's order.
      const fresh = collected.filter((item) => isAfterCursor(cursor, floor, item.t, item.id)).reverse();
      fresh.sort((a, b) => a.t - b.t);
      if (fresh.length === 0) return;
      this.progressBackfill(fresh.filter((item) => !isFromPage(item.raw, this.pageId)).length);
      let moving = cursor;
      for (const batch of chunks(fresh, this.batchSize)) {
        const payloads: InboundMessageInput[] = [];
        const failures: { id: string | null; error: string }[] = [];
        for (const item of batch) {
          moving = advanceTimeCursor(moving, item.t, item.id);
          // The Page's own messages are outbound: the outbox stores them.
          if (isFromPage(item.raw, this.pageId)) continue;
          const normalized = normalizeMessengerMessage(item.raw, { pageId: this.pageId, conversationId: conversation.id });
          if (isNormalizeError(normalized)) failures.push({ id: item.id, error: normalized.error });
          else payloads.push(normalized);
        }
        this.noteBad(failures, `conversation:${conversation.id}`);
        await this.store(payloads, { connector: 'messenger', stream: `conversation:${conversation.id}`, cursor: moving === null ? null : formatTimeCursor(moving) }, signal);
        this.cursors.set(conversation.id, moving);
      }
    });
  }
}
