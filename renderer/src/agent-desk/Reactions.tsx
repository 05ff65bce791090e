/**
 * Like or retweet (X), like or hide (Facebook) the customer's message without replying (R10).
 * Each button says when it is done, and why not when it is not possible.
 */
import { useState } from 'react';
import type { ConversationView, OutboxItem, Reaction } from '../../../electron/core/contract';
import { CheckIcon, WarningIcon } from '../app/icons';
import { useDeskClient } from '../state/hooks';
import { errorText } from './data';
import { EyeOffIcon, HeartIcon, RepostIcon } from './icons';

const LABELS: Record<Reaction, { verb: string; done: string }> = {
  like: { verb: 'Like', done: 'Liked' },
  retweet: { verb: 'Retweet', done: 'Retweeted' },
  hide: { verb: 'Hide', done: 'Hidden' },
};

const ICONS = { like: HeartIcon, retweet: RepostIcon, hide: EyeOffIcon } as const;

export function Reactions({ view, agentId, onDone }: { view: ConversationView; agentId: number; onDone: (item: OutboxItem, what: string) => void }) {
  const client = useDeskClient();
  const [busy, setBusy] = useState<Reaction | null>(null);
  const [error, setError] = useState<{ reaction: Reaction; message: string } | null>(null);
  const [asked, setAsked] = useState<ReadonlySet<Reaction>>(new Set());
  if (view.reactions.length === 0) return null;
  const platform = view.interaction.message.platform;

  const react = async (reaction: Reaction): Promise<void> => {
    setBusy(reaction);
    setError(null);
    try {
      const item = await client.react({ interactionId: view.interaction.id, agentId, reaction });
      setAsked((current) => new Set([...current, reaction]));
      onDone(item, `${LABELS[reaction].verb} queued.`);
    } catch (failure) {
      setError({ reaction, message: errorText(failure) });
    } finally {
      setBusy(null);
    }
  };

  const notes = view.reactions.filter((option) => !option.allowed && !option.done && option.reason !== null);
  const reasons = new Set(notes.map((option) => option.reason));
  // None possible, for one reason (a private chat): say it once instead of three greyed buttons.
  if (notes.length === view.reactions.length && reasons.size === 1 && !asked.size) {
    return (
      <p className="reactions reactions-none" data-testid="reactions">
        <span className="reactions-label">Like, retweet or hide:</span> <span className="muted">not possible here — {notes[0]?.reason?.replace(/\.$/, '')}.</span>
      </p>
    );
  }

  return (
    <div className="reactions" role="group" aria-label="React without replying" data-testid="reactions">
      <span className="reactions-label">Without replying:</span>
      {view.reactions.map((option) => {
        const Icon = ICONS[option.reaction];
        const done = option.done || asked.has(option.reaction);
        const label = option.reaction === 'hide' && platform === 'facebook' ? (done ? 'Comment hidden' : 'Hide comment') : done ? LABELS[option.reaction].done : LABELS[option.reaction].verb;
        return (
          <button
            key={option.reaction}
            type="button"
            className={`button button-secondary button-small reaction${done ? ' reaction-done' : ''}`}
            disabled={!option.allowed || done || busy !== null}
            data-testid={`react-${option.reaction}`}
            title={option.reason ?? undefined}
            onClick={() => void react(option.reaction)}
          >
            {done ? <CheckIcon size={14} /> : <Icon size={14} />}
            {busy === option.reaction ? 'Working…' : label}
          </button>
        );
      })}
      {notes.length > 0 && (
        <ul className="reaction-notes">
          {notes.map((option) => (
            <li key={option.reaction}>
              <strong>{LABELS[option.reaction].verb}:</strong> {option.reason}
            </li>
          ))}
        </ul>
      )}
      {error !== null && (
        <p className="inline-error reaction-error" role="alert" data-testid="reaction-error">
          <WarningIcon size={16} /> {LABELS[error.reaction].verb} did not go: {error.message}
        </p>
      )}
    </div>
  );
}
