/**
 * The contact's whole history across platforms, oldest first, with what the desk sent and where
 * each send stands (waiting, sending, retrying, failed, sent). Platform text is text, never HTML.
 */
import { memo, useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import type { ConversationView, Message, OutboxItem } from '../../../electron/core/contract';
import { formatDateTime, formatWhen, isoInstant, messageKindLabels, platformLabels, type ZoneFormat } from '../app/format';
import { GlobeIcon, InboundIcon, LockIcon, OutboundIcon } from '../app/icons';
import { LinkifiedText } from '../app/LinkifiedText';

export const OUTBOX_STATE: Record<OutboxItem['state'], { label: string; tone: 'ok' | 'warn' | 'danger' | 'neutral' | 'info' }> = {
  pending: { label: 'Waiting to send', tone: 'info' },
  sending: { label: 'Sending…', tone: 'info' },
  retrying: { label: 'Retrying', tone: 'warn' },
  sent: { label: 'Delivered', tone: 'ok' },
  failed: { label: 'Failed', tone: 'danger' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
};

const ACTION_LABEL: Record<OutboxItem['action']['kind'], string> = {
  'x.reply': 'X reply',
  'x.dm': 'X direct message',
  'x.like': 'Like',
  'x.unlike': 'Unlike',
  'x.retweet': 'Retweet',
  'x.unretweet': 'Undo retweet',
  'x.hide-reply': 'Hide reply',
  'facebook.comment': 'Facebook comment',
  'facebook.like': 'Like',
  'facebook.unlike': 'Unlike',
  'facebook.hide': 'Hide comment',
  'facebook.private-reply': 'Facebook private reply',
  'messenger.send': 'Messenger message',
};

const ORIGIN_LABEL: Record<OutboxItem['origin'], string> = {
  agent: 'Agent',
  'auto-reply': 'Auto-reply',
  'closed-desk': 'Closed-desk answer',
  'auto-like': 'Automatic like',
  system: 'Desk',
};

function actionText(item: OutboxItem): string | null {
  return 'text' in item.action && typeof item.action.text === 'string' ? item.action.text : null;
}

function Delivery({ item, zone, now }: { item: OutboxItem; zone: ZoneFormat; now: number }) {
  const state = OUTBOX_STATE[item.state];
  const problem = item.state === 'sent' ? null : (item.reason ?? item.lastError);
  return (
    <span className="delivery" data-testid="delivery" data-state={item.state}>
      <span className={`status-chip status-chip-${state.tone}`}>
        <span className="status-chip-dot" aria-hidden="true" />
        {state.label}
      </span>
      {item.state === 'retrying' && item.nextAttemptAt !== null && <span className="muted">next try {formatWhen(item.nextAttemptAt, now, zone)}</span>}
      {problem !== null && <span className="delivery-problem">{problem}</span>}
    </span>
  );
}

const MessageBubble = memo(function MessageBubble({
  message,
  delivery,
  current,
  zone,
  now,
}: {
  message: Message;
  delivery: OutboxItem | null;
  current: boolean;
  zone: ZoneFormat;
  now: number;
}) {
  const inbound = message.direction === 'inbound';
  return (
    <li
      className={`bubble bubble-${message.direction}${current ? ' bubble-current' : ''}`}
      data-testid="thread-message"
      data-direction={message.direction}
      data-message-id={message.id}
    >
      <div className="bubble-meta">
        <span className={`platform-badge platform-${message.platform}`}>{platformLabels[message.platform]}</span>
        <span className="bubble-kind">{messageKindLabels[message.kind]}</span>
        <span className="message-tag">
          {inbound ? <InboundIcon size={13} /> : <OutboundIcon size={13} />}
          {inbound ? 'From the customer' : delivery !== null ? `Sent by the desk (${ORIGIN_LABEL[delivery.origin].toLowerCase()})` : 'Sent by the desk'}
        </span>
        <span className="message-tag">
          {message.visibility === 'public' ? <GlobeIcon size={13} /> : <LockIcon size={13} />}
          {message.visibility === 'public' ? 'Public' : 'Private'}
        </span>
        {current && <span className="bubble-current-tag">This interaction</span>}
        <time className="bubble-time" dateTime={isoInstant(message.createdAt)} title={formatDateTime(message.createdAt, zone)}>
          {formatWhen(message.createdAt, now, zone)}
        </time>
      </div>
      <p className="bubble-text" data-testid="thread-text">
        <LinkifiedText text={message.text} />
      </p>
      {delivery !== null && <Delivery item={delivery} zone={zone} now={now} />}
    </li>
  );
});

const PendingBubble = memo(function PendingBubble({ item, zone, now }: { item: OutboxItem; zone: ZoneFormat; now: number }) {
  const text = actionText(item);
  const isAction = text === null;
  return (
    <li className={`bubble bubble-outbound bubble-pending${isAction ? ' bubble-action' : ''}`} data-testid="thread-pending" data-state={item.state} data-outbox-id={item.id}>
      <div className="bubble-meta">
        <span className={`platform-badge platform-${item.platform}`}>{platformLabels[item.platform]}</span>
        <span className="bubble-kind">{ACTION_LABEL[item.action.kind]}</span>
        <span className="message-tag">
          <OutboundIcon size={13} /> {ORIGIN_LABEL[item.origin]}
        </span>
        <time className="bubble-time" dateTime={isoInstant(item.createdAt)} title={formatDateTime(item.createdAt, zone)}>
          {formatWhen(item.createdAt, now, zone)}
        </time>
      </div>
      {text !== null && (
        <p className="bubble-text" data-testid="thread-text">
          <LinkifiedText text={text} />
        </p>
      )}
      <Delivery item={item} zone={zone} now={now} />
    </li>
  );
});

/** Stays at the newest message when the reader was there; leaves them be when they scrolled up. */
function useStickToBottom(container: RefObject<HTMLElement | null>, key: unknown, resetKey: unknown): void {
  const atBottom = useRef(true);
  useEffect(() => {
    const element = container.current;
    if (element === null) return undefined;
    const onScroll = (): void => {
      atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => element.removeEventListener('scroll', onScroll);
  }, [container]);
  useLayoutEffect(() => {
    atBottom.current = true;
  }, [resetKey]);
  useLayoutEffect(() => {
    const element = container.current;
    if (element !== null && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [container, key, resetKey]);
}

export function Thread({ view, zone, now }: { view: ConversationView; zone: ZoneFormat; now: number }) {
  const scroller = useRef<HTMLDivElement>(null);
  const byMessage = new Map<number, OutboxItem>();
  const loose: OutboxItem[] = [];
  const shown = new Set(view.messages.map((message) => message.id));
  for (const item of view.outbox) {
    if (item.messageId !== null && shown.has(item.messageId)) byMessage.set(item.messageId, item);
    else if (item.state !== 'sent' || item.messageId === null) loose.push(item);
  }
  // Likes, retweets and hides that went through leave no message: shown once, as done, on the reaction buttons.
  const pending = loose.filter((item) => !(item.state === 'sent' && actionText(item) === null)).sort((a, b) => a.createdAt - b.createdAt);
  useStickToBottom(scroller, `${view.messages.length}:${pending.length}`, view.interaction.id);

  return (
    <div className="thread-scroll" ref={scroller} tabIndex={0} role="region" aria-label={`History with ${view.contact.displayName}, oldest first`} data-testid="thread">
      {view.messages.length === 0 && pending.length === 0 ? (
        <p className="muted thread-empty">No messages in this contact’s history.</p>
      ) : (
        <ol className="thread">
          {view.messages.map((message) => (
            <MessageBubble key={message.id} message={message} delivery={byMessage.get(message.id) ?? null} current={message.id === view.interaction.message.id} zone={zone} now={now} />
          ))}
          {pending.map((item) => (
            <PendingBubble key={`outbox-${item.id}`} item={item} zone={zone} now={now} />
          ))}
        </ol>
      )}
    </div>
  );
}
