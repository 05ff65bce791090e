/**
 * The outbox's Facebook Page + Messenger sender: undici's fetch through the injected
 * dispatcher, the Page token in the Authorization header (never in a URL), a form body where
 * Graph takes fields (comments, hiding) and JSON for the Send API. Graph errors are decided on
 * `error.code` (and subcode), not the HTTP status; the usage headers on every answer can hold
 * the Page's items until Facebook lets the desk call again.
 */
import { fetch } from 'undici';
import type { Clock } from '../../clock';
import type { FacebookPage, Transport } from '../../network';
import { ACTION_KINDS, type OutboxAction } from '../actions';
import { OutboxSendError, asSendError, networkFailure } from '../errors';
import { FIND_MARGIN_MS, sameText, type FindRequest, type SendResult, type Sender } from './types';

export const GRAPH_ORIGIN = 'https://graph.facebook.com';
export const GRAPH_SEND_TIMEOUT_MS = 30_000;
/** How long to hold when usage is at 100% and Facebook gives no time to regain access. */
const FULL_USAGE_HOLD_MS = 5 * 60_000;
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80009, 80014]);

export interface GraphSenderOptions {
  page: FacebookPage;
  transport: Transport;
  clock: Clock;
  requestTimeoutMs?: number;
  /** Pages of comments/messages read when looking for an earlier try (default 5). */
  findPages?: number;
}

export interface GraphUsage {
  /** The highest share of any allowance in X-App-Usage / X-Business-Use-Case-Usage (percent), or null. */
  percent: number | null;
  /** estimated_time_to_regain_access (minutes; 0 when not throttled). */
  regainMinutes: number;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null;
}

function pct(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/** Reads X-App-Usage and X-Business-Use-Case-Usage (advice, never fatal: unreadable headers are ignored). */
export function parseGraphUsage(headers: { get(name: string): string | null }): GraphUsage {
  const values: number[] = [];
  let regain = 0;
  const parse = (name: string): unknown => {
    const raw = headers.get(name);
    if (!raw) return null;
    try {
      return JSON.parse(raw);
    } catch {
      return null;
    }
  };
  const app = record(parse('x-app-usage'));
  if (app) for (const key of ['call_count', 'total_cputime', 'total_time']) values.push(pct(app[key]) ?? -1);
  const buc = record(parse('x-business-use-case-usage'));
  if (buc) {
    for (const list of Object.values(buc)) {
      if (!Array.isArray(list)) continue;
      for (const entry of list.map(record)) {
        if (!entry) continue;
        for (const key of ['call_count', 'total_cputime', 'total_time']) values.push(pct(entry[key]) ?? -1);
        regain = Math.max(regain, pct(entry.estimated_time_to_regain_access) ?? 0);
      }
    }
  }
  const present = values.filter((v) => v >= 0);
  return { percent: present.length > 0 ? Math.max(...present) : null, regainMinutes: regain };
}

/** When the usage headers say the desk must stop calling: regain time, or a fixed pause at 100%. */
export function usageHold(usage: GraphUsage, now: number): number | null {
  if (usage.regainMinutes > 0) return now + usage.regainMinutes * 60_000;
  if (usage.percent !== null && usage.percent >= 100) return now + FULL_USAGE_HOLD_MS;
  return null;
}

export interface GraphErrorInfo {
  status: number;
  code: number;
  subcode: number | null;
  message: string;
  isTransient: boolean;
  retryAfterMs: number | null;
  usage: GraphUsage;
}

/** What a Graph error answer means for the outbox. `noun` names the action ("Messenger message"). */
export function classifyGraphSendError(info: GraphErrorInfo, noun: string, now: number): OutboxSendError {
  const { code, subcode } = info;
  const tag = `Graph error ${code}${subcode !== null ? `/${subcode}` : ''}`;
  const said = info.message.replace(/^\(#\d+\)\s*/, '').slice(0, 200);
  if (code === 190 || code === 102) {
    const expired = subcode === 463 || /expired/i.test(info.message);
    return new OutboxSendError('auth', {
      reason: `the account's token was refused by Facebook (${expired ? 'it has expired' : 'it is no longer valid'}); reconnect the Page in Settings`,
      detail: tag,
    });
  }
  if (RATE_LIMIT_CODES.has(code)) {
    const retryAt = usageHold(info.usage, now) ?? (info.retryAfterMs !== null ? now + info.retryAfterMs : undefined);
    return new OutboxSendError('rate-limited', { reason: `Facebook says the desk is making too many calls (#${code}); the ${noun} waits until Facebook allows it again.`, detail: tag, retryAt });
  }
  if (code === 10 && subcode === 2018278) {
    return new OutboxSendError('permanent', {
      reason: `Messenger allows a reply only within 24 hours of the customer's last message (7 days with the human-agent tag); the ${noun} was outside that window and was not sent.`,
      detail: tag,
    });
  }
  if (code === 551) {
    return new OutboxSendError('permanent', {
      reason: `This person isn't available on Messenger right now (they may have blocked the Page or left Messenger); the ${noun} was not delivered.`,
      detail: tag,
    });
  }
  if (code === 100 && subcode === 2018001) {
    return new OutboxSendError('permanent', { reason: `Messenger knows no such person for this Page (no matching user); the ${noun} was not sent.`, detail: tag });
  }
  if (code === 10900) {
    return new OutboxSendError('permanent', { reason: `Facebook says this comment already has a private reply (one is allowed per comment); the ${noun} was not sent.`, detail: tag, alreadyDone: true });
  }
  if (code === 10903) {
    return new OutboxSendError('permanent', {
      reason: `Facebook does not allow a private reply to this comment (it is older than 7 days, or it is the Page's own); the ${noun} was not sent.`,
      detail: tag,
    });
  }
  if (code === 10 || (code >= 200 && code <= 299)) {
    return new OutboxSendError('permanent', { reason: `Facebook says the Page token lacks a permission this needs (#${code}: ${said}); grant it when reconnecting the Page. The ${noun} was not sent.`, detail: tag });
  }
  if (code === 368) {
    return new OutboxSendError('permanent', { reason: `Facebook has blocked the Page from this action for a while (#368); the ${noun} was not sent.`, detail: tag });
  }
  if (code === 1 || code === 2 || info.isTransient || info.status >= 500) {
    return new OutboxSendError('transient', { reason: `Facebook is having trouble (#${code}); trying the ${noun} again.`, detail: tag });
  }
  if (code === 100 && subcode === 33) {
    return new OutboxSendError('permanent', { reason: `Facebook says the post or comment no longer exists, or the Page cannot see it; the ${noun} was not sent.`, detail: tag });
  }
  return new OutboxSendError('permanent', { reason: `Facebook refused the ${noun} (#${code}: ${said}).`, detail: tag });
}

/** Graph's dates ('2025-03-22T18:20:04+0000') as epoch ms; NaN when unreadable. */
function graphTime(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : Number.NaN;
}

interface Answer {
  body: unknown;
  holdUntil: number | null;
}

export function createGraphSender(options: GraphSenderOptions): Sender {
  const { page, transport, clock } = options;
  const timeout = options.requestTimeoutMs ?? GRAPH_SEND_TIMEOUT_MS;
  const findPages = Math.max(1, options.findPages ?? 5);
  const version = /^v\d+\.\d+$/.test(page.graphVersion) ? page.graphVersion : 'v25.0';

  /** One Graph call; throws an OutboxSendError for anything but a readable success. */
  async function call(method: 'GET' | 'POST' | 'DELETE', path: string, noun: string, body?: { form: Record<string, string> } | { json: unknown }, query: Record<string, string> = {}): Promise<Answer> {
    const search = new URLSearchParams(query);
    const url = `${GRAPH_ORIGIN}/${version}/${path}${search.size > 0 ? `?${search.toString()}` : ''}`;
    const headers: Record<string, string> = { authorization: `Bearer ${page.pageToken}`, accept: 'application/json' };
    let payload: string | undefined;
    if (body && 'form' in body) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(body.form).toString();
    } else if (body && 'json' in body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    }
    let response: Awaited<ReturnType<typeof fetch>>;
    try {
      response = await fetch(url, {
        method,
        headers,
        signal: AbortSignal.timeout(timeout),
        ...(payload !== undefined ? { body: payload } : {}),
        ...(transport.dispatcher ? { dispatcher: transport.dispatcher } : {}),
      });
    } catch (error) {
      throw networkFailure('Facebook', error);
    }
    const now = clock.now();
    const usage = parseGraphUsage(response.headers);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw networkFailure('Facebook', error, { afterAnswerStarted: true });
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (!/json|javascript/i.test(contentType)) {
      throw new OutboxSendError('transient', {
        reason: `Facebook is having trouble (HTTP ${response.status}, an error page); the desk looks on Facebook for the ${noun} before trying again.`,
        detail: `HTTP ${response.status} (${contentType.slice(0, 40) || 'no content type'})`,
        uncertain: method !== 'GET',
      });
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch (error) {
      throw new OutboxSendError('transient', {
        reason: `Facebook sent a cut-off answer; the desk looks on Facebook for the ${noun} before trying again.`,
        detail: 'unreadable JSON',
        uncertain: method !== 'GET',
        cause: error,
      });
    }
    const error = record(record(parsed)?.error);
    if (!response.ok || error) {
      const retryAfter = Number(response.headers.get('retry-after'));
      throw classifyGraphSendError(
        {
          status: response.status,
          code: typeof error?.code === 'number' ? error.code : response.status >= 500 ? 2 : 1,
          subcode: typeof error?.error_subcode === 'number' ? error.error_subcode : null,
          message: typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`,
          isTransient: error?.is_transient === true,
          retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
          usage,
        },
        noun,
        now,
      );
    }
    return { body: parsed, holdUntil: usageHold(usage, now) };
  }

  function confirmed(answer: Answer, noun: string): SendResult {
    if (record(answer.body)?.success !== true) {
      throw new OutboxSendError('transient', { reason: `Facebook did not confirm the ${noun}; trying again.`, detail: 'no success:true', uncertain: true });
    }
    return { resultId: null, holdUntil: answer.holdUntil };
  }

  function created(answer: Answer, field: 'id' | 'message_id', noun: string): SendResult {
    const id = str(record(answer.body)?.[field]);
    if (id === null) throw new OutboxSendError('transient', { reason: `Facebook answered without the ${noun}'s id.`, detail: `no ${field}`, uncertain: true });
    return { resultId: id, holdUntil: answer.holdUntil };
  }

  async function send(action: OutboxAction): Promise<SendResult> {
    const noun = ACTION_KINDS[action.kind].noun;
    try {
      switch (action.kind) {
        case 'facebook.comment':
          return created(await call('POST', `${action.objectId}/comments`, noun, { form: { message: action.text } }), 'id', noun);
        case 'facebook.like':
          return confirmed(await call('POST', `${action.objectId}/likes`, noun), noun);
        case 'facebook.unlike':
          return confirmed(await call('DELETE', `${action.objectId}/likes`, noun), noun);
        case 'facebook.hide':
          return confirmed(await call('POST', action.commentId, noun, { form: { is_hidden: action.hidden ? 'true' : 'false' } }), noun);
        case 'facebook.private-reply':
          return created(await call('POST', `${page.pageId}/messages`, noun, { json: { recipient: { comment_id: action.commentId }, message: { text: action.text } } }), 'message_id', noun);
        case 'messenger.send': {
          const json = action.tag
            ? { recipient: { id: action.psid }, messaging_type: 'MESSAGE_TAG', tag: action.tag, message: { text: action.text } }
            : { recipient: { id: action.psid }, messaging_type: 'RESPONSE', message: { text: action.text } };
          return created(await call('POST', `${page.pageId}/messages`, noun, { json }), 'message_id', noun);
        }
        default:
          throw new OutboxSendError('permanent', { reason: `The Facebook sender cannot do a ${noun}.`, detail: `unsupported kind ${action.kind}` });
      }
    } catch (error) {
      throw asSendError(error, 'Facebook');
    }
  }

  /** Our message among a list of Graph items (comments or messages): by the Page, same text, recent, unclaimed. */
  function ours(items: unknown, text: string, request: FindRequest, textField: 'message'): { id: string; older: boolean } | { id: null; older: boolean } {
    const from = request.since - FIND_MARGIN_MS;
    let older = false;
    for (const item of Array.isArray(items) ? items : []) {
      const i = record(item);
      const id = str(i?.id);
      const at = graphTime(i?.created_time);
      if (Number.isFinite(at) && at < from) {
        older = true;
        continue;
      }
      if (id === null || request.exclude.has(id) || str(record(i?.from)?.id) !== page.pageId) continue;
      const said = i?.[textField];
      if (typeof said === 'string' && sameText(said, text)) return { id, older };
    }
    return { id: null, older };
  }

  async function findComment(objectId: string, text: string, request: FindRequest, noun: string): Promise<string | null> {
    let after: string | null = null;
    for (let n = 0; n < findPages; n += 1) {
      const answer = await call('GET', `${objectId}/comments`, noun, undefined, {
        fields: 'id,message,from{id},created_time',
        filter: 'stream',
        order: 'reverse_chronological',
        limit: '100',
        ...(after ? { after } : {}),
      });
      const body = record(answer.body);
      const found = ours(body?.data, text, request, 'message');
      if (found.id !== null) return found.id;
      const paging = record(body?.paging);
      after = typeof paging?.next === 'string' ? str(record(paging.cursors)?.after) : null;
      if (after === null || found.older) break;
    }
    return null;
  }

  async function find(action: OutboxAction, request: FindRequest): Promise<SendResult | null> {
    const noun = ACTION_KINDS[action.kind].noun;
    try {
      switch (action.kind) {
        case 'facebook.comment': {
          const direct = await findComment(action.objectId, action.text, request, noun);
          if (direct !== null) return { resultId: direct };
          // A reply to a reply lands under the top-level comment, as on facebook.com.
          let parent: string | null = null;
          try {
            parent = str(record(record((await call('GET', action.objectId, noun, undefined, { fields: 'parent{id}' })).body)?.parent)?.id);
          } catch (error) {
            if (!(error instanceof OutboxSendError && error.class === 'permanent')) throw error;
          }
          if (parent === null) return null;
          const nested = await findComment(parent, action.text, request, noun);
          return nested === null ? null : { resultId: nested };
        }
        case 'facebook.private-reply': {
          const comment = record((await call('GET', action.commentId, noun, undefined, { fields: 'private_reply_conversation' })).body);
          const conversation = str(record(comment?.private_reply_conversation)?.id);
          if (conversation === null) return null;
          const answer = await call('GET', `${conversation}/messages`, noun, undefined, { fields: 'id,message,from,created_time', limit: '50' });
          const found = ours(record(answer.body)?.data, action.text, request, 'message');
          return found.id === null ? null : { resultId: found.id, conversationRef: conversation };
        }
        case 'messenger.send': {
          const answer = await call('GET', `${page.pageId}/conversations`, noun, undefined, {
            platform: 'messenger',
            user_id: action.psid,
            fields: 'id,messages.limit(50){id,message,from,created_time}',
          });
          const conversations = record(answer.body)?.data;
          for (const conversation of Array.isArray(conversations) ? conversations : []) {
            const c = record(conversation);
            const found = ours(record(c?.messages)?.data, action.text, request, 'message');
            if (found.id !== null) return { resultId: found.id, conversationRef: str(c?.id) };
          }
          return null;
        }
        default:
          return null;
      }
    } catch (error) {
      throw asSendError(error, 'Facebook');
    }
  }

  return { account: 'facebook', send, find };
}
