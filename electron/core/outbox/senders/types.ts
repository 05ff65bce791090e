/** What the runner needs of a platform: do an action, and look for one that may have been done. */
import type { OutboxAccount, OutboxAction } from '../actions';

export interface SendResult {
  /** The platform's id of what was created (tweet id, dm_event_id, comment id, message_id); null for likes, retweets, hides. */
  resultId: string | null;
  /** The platform's thread, when the answer names it (X's dm_conversation_id). */
  conversationRef?: string | null;
  /**
   * The answer said the allowance is used up (X `x-rate-limit-remaining: 0`, Graph usage at
   * 100% or a time to regain access): hold the same rate group until then.
   */
  holdUntil?: number | null;
}

export interface FindRequest {
  /** Look from this instant (the first try whose outcome was not seen), less a margin for clock skew. */
  since: number;
  /** Result ids other outbox items already own: not ours to claim. */
  exclude: ReadonlySet<string>;
}

export interface Sender {
  readonly account: OutboxAccount;
  /** Does the action once. Resolves with what the platform created; throws an OutboxSendError. */
  send(action: OutboxAction): Promise<SendResult>;
  /**
   * For actions with `inDoubt: 'look'`: finds what an earlier unseen try posted (same target,
   * same text, by us, since `since`). Null: the platform shows nothing, so it was not done.
   * Throws an OutboxSendError when the platform cannot be asked.
   */
  find(action: OutboxAction, request: FindRequest): Promise<SendResult | null>;
}

/** How far before the first unseen try a look reaches, for clocks that disagree. */
export const FIND_MARGIN_MS = 10 * 60_000;

/**
 * Texts compare after what platforms do to them: X escapes &, < and > as HTML entities and
 * wraps links in t.co; both trim and may fold line endings and runs of spaces.
 */
export function sameText(posted: string, ours: string): boolean {
  return normalizeText(posted) === normalizeText(ours);
}

export function normalizeText(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/https?:\/\/\S+/g, '<link>')
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim();
}
