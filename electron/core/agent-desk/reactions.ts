/**
 * Acting on a customer's message without answering it (R10): like or retweet on X, like or hide
 * on Facebook. Pure rules: which reactions a message allows, the outbox action each becomes,
 * and whether the desk has already done it (read from the outbox items on that message, since
 * a like, retweet or hide leaves no message of its own).
 */
import type { OutboxAction, OutboxState, Reaction } from '../contract';
import type { MessageFacts } from './channels';

export const REACTIONS: readonly Reaction[] = ['like', 'retweet', 'hide'];

export interface ReactionOptionView {
  reaction: Reaction;
  allowed: boolean;
  done: boolean;
  reason: string | null;
}

/** Why a reaction is not possible on this message; null when it is. */
export function reactionProblem(facts: Pick<MessageFacts, 'platform' | 'kind'>, reaction: Reaction): string | null {
  switch (facts.kind) {
    case 'x.mention':
    case 'x.reply':
      if (reaction === 'hide') return 'the desk hides Facebook comments; on X only replies to the desk\'s own posts can be hidden';
      return null;
    case 'facebook.post':
    case 'facebook.comment':
    case 'facebook.reply':
      if (reaction === 'retweet') return 'retweeting is for X: on Facebook the desk can like or hide';
      return null;
    case 'x.dm':
    case 'messenger.message':
    case 'facebook.private-reply':
      return 'a private message cannot be liked, retweeted or hidden';
  }
}

/** The outbox action for a reaction (check `reactionProblem` first). */
export function reactionAction(facts: Pick<MessageFacts, 'platform' | 'kind' | 'externalId'>, reaction: Reaction): OutboxAction {
  const problem = reactionProblem(facts, reaction);
  if (problem) throw new Error(`no ${reaction} for ${facts.kind}: ${problem}`);
  if (facts.platform === 'x') return reaction === 'like' ? { kind: 'x.like', tweetId: facts.externalId } : { kind: 'x.retweet', tweetId: facts.externalId };
  return reaction === 'like' ? { kind: 'facebook.like', objectId: facts.externalId } : { kind: 'facebook.hide', commentId: facts.externalId, hidden: true };
}

/** An outbox item as far as "is it done" is concerned. */
export interface ReactionRecord {
  id: number;
  state: OutboxState;
  action: OutboxAction;
}

/**
 * For each reaction, the item that did it (or is doing it) when it stands now, else null.
 * Items are read in id order; a failed or cancelled item changed nothing; an undo (unlike,
 * undo retweet, unhide) cancels what came before it.
 */
export function doneReactions<T extends ReactionRecord>(items: readonly T[], targetId: string): Record<Reaction, T | null> {
  const done: Record<Reaction, T | null> = { like: null, retweet: null, hide: null };
  for (const item of [...items].sort((a, b) => a.id - b.id)) {
    if (item.state === 'failed' || item.state === 'cancelled') continue;
    const action = item.action;
    switch (action.kind) {
      case 'x.like':
      case 'facebook.like':
        if (('tweetId' in action ? action.tweetId : action.objectId) === targetId) done.like = item;
        break;
      case 'x.unlike':
      case 'facebook.unlike':
        if (('tweetId' in action ? action.tweetId : action.objectId) === targetId) done.like = null;
        break;
      case 'x.retweet':
        if (action.tweetId === targetId) done.retweet = item;
        break;
      case 'x.unretweet':
        if (action.tweetId === targetId) done.retweet = null;
        break;
      case 'facebook.hide':
        if (action.commentId === targetId) done.hide = action.hidden ? item : null;
        break;
      case 'x.hide-reply':
        if (action.tweetId === targetId) done.hide = action.hidden ? item : null;
        break;
      default:
        break;
    }
  }
  return done;
}

/** Every reaction with whether it is possible here and whether the desk did it already. */
export function reactionOptions(facts: Pick<MessageFacts, 'platform' | 'kind'>, done: Record<Reaction, unknown>): ReactionOptionView[] {
  return REACTIONS.map((reaction) => {
    const reason = reactionProblem(facts, reaction);
    return { reaction, allowed: reason === null, done: reason === null && done[reaction] !== null, reason };
  });
}
