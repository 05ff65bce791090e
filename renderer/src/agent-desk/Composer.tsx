/**
 * The reply composer: public or private (each side says what it becomes on the platform, or why
 * it is not allowed), "Move to private" (a public reply and the private message as one action),
 * the length as the platform counts it, Messenger's windows, and canned responses with their
 * placeholders filled. Ctrl+Enter sends. Drafts survive switching between interactions.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { fillCannedResponse, type CannedResponse, type ConversationView, type OutboxItem, type ReplyChannel, type Visibility } from '../../../electron/core/contract';
import { formatDuration, formatWhen, type ZoneFormat } from '../app/format';
import { GlobeIcon, InfoIcon, LockIcon, WarningIcon } from '../app/icons';
import { useDeskClient, useDeskSnapshot, useNow } from '../state/hooks';
import { errorText } from './data';
import { SendIcon } from './icons';
import { readLength } from './length';

interface Draft {
  visibility: Visibility;
  text: string;
  move: boolean;
  publicText: string;
  privateText: string;
}

/** Unsent drafts by interaction, for this window's lifetime. */
const drafts = new Map<number, Draft>();

export function forgetDraft(interactionId: number): void {
  drafts.delete(interactionId);
}

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

function defaultVisibility(view: ConversationView): Visibility {
  const wanted = view.interaction.message.visibility;
  if (view.reply[wanted].allowed) return wanted;
  const other: Visibility = wanted === 'public' ? 'private' : 'public';
  return view.reply[other].allowed ? other : wanted;
}

function Counter({ text, channel, id }: { text: string; channel: ReplyChannel; id: string }) {
  const reading = readLength(text, channel.lengthRule, channel.maxLength);
  return (
    <span id={id} className={`reply-count${reading.over ? ' reply-count-over' : reading.near ? ' reply-count-near' : ''}`} data-testid="reply-count" title={reading.description}>
      <span aria-hidden="true">{reading.text}</span>
      <span className="visually-hidden">{reading.description}</span>
      {reading.over && <span className="reply-count-note"> — {reading.length - reading.max} over</span>}
    </span>
  );
}

/** Messenger's windows, ticking: the standard 24 hours, then the human-agent tag up to 7 days. */
function WindowNotice({ channel, zone }: { channel: ReplyChannel; zone: ZoneFormat }) {
  const { clockOffsetMs } = useDeskSnapshot();
  const now = useNow(clockOffsetMs);
  if (channel.windowEndsAt === null && channel.humanAgentUntil === null) return null;
  if (channel.windowEndsAt !== null && now < channel.windowEndsAt) {
    const left = channel.windowEndsAt - now;
    return (
      <p className={`window-notice${left < 60 * 60_000 ? ' window-notice-warn' : ''}`} data-testid="messenger-window">
        <InfoIcon size={15} />
        <span>
          24-hour window: <strong>{left < 60_000 ? 'less than a minute' : formatDuration(left)}</strong> left (until {formatWhen(channel.windowEndsAt, now, zone)}).
          {channel.humanAgentUntil !== null && ' After that, replies carry the human-agent tag until ' + formatWhen(channel.humanAgentUntil, now, zone) + '.'}
        </span>
      </p>
    );
  }
  if (channel.humanAgentUntil !== null && now < channel.humanAgentUntil) {
    return (
      <p className="window-notice window-notice-warn" data-testid="messenger-window">
        <WarningIcon size={15} />
        <span>
          The 24-hour window has ended. This reply goes out with Messenger’s <strong>human-agent tag</strong>, allowed for{' '}
          {formatDuration(channel.humanAgentUntil - now)} more (until {formatWhen(channel.humanAgentUntil, now, zone)}). Use it only for a person’s answer, not for
          promotions.
        </span>
      </p>
    );
  }
  return (
    <p className="window-notice window-notice-danger" data-testid="messenger-window">
      <WarningIcon size={15} />
      <span>Messenger’s 7 days after the customer’s last message have ended: no reply can be sent until they write again.</span>
    </p>
  );
}

function ReplyField({
  id,
  label,
  hint,
  value,
  channel,
  textareaRef,
  onChange,
  onKeyDown,
  onFocus,
  testId,
  rows = 4,
}: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  channel: ReplyChannel;
  textareaRef?: RefObject<HTMLTextAreaElement | null>;
  onChange: (text: string) => void;
  onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => void;
  onFocus: (element: HTMLTextAreaElement) => void;
  testId: string;
  rows?: number;
}) {
  const over = readLength(value, channel.lengthRule, channel.maxLength).over;
  return (
    <div className="reply-field">
      <div className="reply-field-head">
        <label htmlFor={id}>{label}</label>
        <Counter text={value} channel={channel} id={`${id}-count`} />
      </div>
      <textarea
        id={id}
        ref={textareaRef}
        className="textarea reply-textarea"
        rows={rows}
        value={value}
        spellCheck
        aria-describedby={`${id}-count${hint !== undefined ? ` ${id}-hint` : ''}`}
        aria-invalid={over || undefined}
        aria-keyshortcuts="Control+Enter"
        data-testid={testId}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
        onFocus={(event) => onFocus(event.currentTarget)}
      />
      {hint !== undefined && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

export function Composer({
  view,
  agentId,
  agentName,
  deskName,
  canned,
  cannedError,
  zone,
  composerRef,
  onSent,
  onManageCanned,
}: {
  view: ConversationView;
  agentId: number;
  agentName: string;
  deskName: string;
  canned: CannedResponse[] | null;
  cannedError: string | null;
  zone: ZoneFormat;
  composerRef: RefObject<HTMLTextAreaElement | null>;
  onSent: (items: OutboxItem[], what: string) => void;
  onManageCanned: () => void;
}) {
  const client = useDeskClient();
  const ids = useId();
  const interactionId = view.interaction.id;
  const contactName = view.contact.displayName;
  const [draft, setDraft] = useState<Draft>(
    () =>
      drafts.get(interactionId) ?? {
        visibility: defaultVisibility(view),
        text: '',
        move: false,
        publicText: `Hi ${firstName(contactName)}, thanks for getting in touch. We have sent you a private message so we can look at your details there.`,
        privateText: '',
      },
  );
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [cannedChoice, setCannedChoice] = useState('');
  const lastField = useRef<HTMLTextAreaElement | null>(null);
  const publicRef = useRef<HTMLTextAreaElement>(null);
  const privateRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    drafts.set(interactionId, draft);
  }, [interactionId, draft]);

  // The chosen side may stop being allowed (a window closed): fall back to the other.
  const sideAllowed = view.reply[draft.visibility].allowed;
  const otherSide: Visibility = draft.visibility === 'public' ? 'private' : 'public';
  const otherAllowed = view.reply[otherSide].allowed;
  useEffect(() => {
    if (!sideAllowed && otherAllowed) setDraft((current) => ({ ...current, visibility: otherSide }));
  }, [sideAllowed, otherAllowed, otherSide]);
  const channel = view.reply[draft.visibility];
  const update = (patch: Partial<Draft>): void => {
    setDraft((current) => ({ ...current, ...patch }));
    if (error !== null) setError(null);
  };

  const identity = view.contact.identities.find((candidate) => candidate.platform === view.interaction.message.platform) ?? view.contact.identities[0];
  const handle = identity?.handle ? `@${identity.handle.replace(/^@/, '')}` : null;
  const fillValues = { contact_name: contactName, handle, agent_name: agentName, desk_name: deskName };

  const moving = draft.move && view.canMoveToPrivate;
  const publicChannel = view.reply.public;
  const privateChannel = view.reply.private;

  const problems: string[] = [];
  if (moving) {
    if (!publicChannel.allowed) problems.push(`The public reply is not allowed: ${publicChannel.reason ?? 'no reason given'}`);
    if (!privateChannel.allowed) problems.push(`The private message is not allowed: ${privateChannel.reason ?? 'no reason given'}`);
    if (readLength(draft.publicText, publicChannel.lengthRule, publicChannel.maxLength).over) problems.push('The public reply is too long.');
    if (readLength(draft.privateText, privateChannel.lengthRule, privateChannel.maxLength).over) problems.push('The private message is too long.');
  } else {
    if (!channel.allowed) problems.push(`${channel.label} is not possible: ${channel.reason ?? 'no reason given'}`);
    if (readLength(draft.text, channel.lengthRule, channel.maxLength).over) problems.push(`Too long for ${channel.label.toLowerCase()}.`);
  }
  const empty = moving ? draft.publicText.trim() === '' || draft.privateText.trim() === '' : draft.text.trim() === '';

  const send = async (): Promise<void> => {
    if (sending) return;
    if (empty) {
      setError(moving ? 'Write both the public reply and the private message first.' : 'Write the answer first.');
      return;
    }
    if (problems.length > 0) {
      setError(problems.join(' '));
      return;
    }
    setSending(true);
    setError(null);
    try {
      if (moving) {
        const result = await client.moveToPrivate({ interactionId, agentId, publicText: draft.publicText, privateText: draft.privateText });
        onSent([result.public, result.private], 'Public reply and private message queued.');
        setDraft((current) => ({ ...current, move: false, privateText: '', visibility: privateChannel.allowed ? 'private' : current.visibility }));
      } else {
        const item = await client.sendReply({ interactionId, agentId, visibility: draft.visibility, text: draft.text });
        onSent([item], `${channel.label} queued.`);
        setDraft((current) => ({ ...current, text: '' }));
      }
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setSending(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  };

  const insertCanned = (): void => {
    const response = canned?.find((candidate) => candidate.id === cannedChoice);
    if (response === undefined) return;
    const filled = fillCannedResponse(response.text, fillValues);
    const target = moving ? (lastField.current === publicRef.current ? 'publicText' : 'privateText') : 'text';
    const element = moving ? (target === 'publicText' ? publicRef.current : privateRef.current) : composerRef.current;
    const current = draft[target];
    const start = element !== null && document.activeElement !== element && lastField.current !== element ? current.length : (element?.selectionStart ?? current.length);
    const end = element?.selectionEnd ?? start;
    const next = current.slice(0, start) + filled + current.slice(Math.max(start, end));
    update({ [target]: next } as Partial<Draft>);
    setCannedChoice('');
    requestAnimationFrame(() => {
      if (element === null) return;
      element.focus();
      const caret = start + filled.length;
      element.setSelectionRange(caret, caret);
    });
  };

  const sideOption = (side: Visibility) => {
    const option = view.reply[side];
    const Icon = side === 'public' ? GlobeIcon : LockIcon;
    return (
      <label className={`reply-side${option.allowed ? '' : ' reply-side-disabled'}`} data-testid={`reply-${side}`}>
        <input
          type="radio"
          name={`${ids}-side`}
          value={side}
          checked={draft.visibility === side}
          disabled={!option.allowed || moving}
          onChange={() => update({ visibility: side })}
          aria-describedby={option.reason !== null ? `${ids}-${side}-reason` : undefined}
        />
        <span className="reply-side-body">
          <span className="reply-side-title">
            <Icon size={14} /> {side === 'public' ? 'Public' : 'Private'}
          </span>
          <span className="reply-side-label">{option.label}</span>
        </span>
      </label>
    );
  };

  const reasons = (['public', 'private'] as const).filter((side) => view.reply[side].reason !== null);
  const publicFirstHint =
    !moving && view.interaction.message.visibility === 'public' && draft.visibility === 'private' && view.reply.public.allowed
      ? 'Good practice: answer a public message publicly first, saying the conversation continues privately. “Move to private” does both in one go.'
      : null;

  return (
    <form
      className="composer"
      aria-labelledby={`${ids}-title`}
      data-testid="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <div className="composer-head">
        <h3 id={`${ids}-title`} className="composer-title">
          Reply
        </h3>
        <fieldset className="reply-sides" disabled={sending}>
          <legend className="visually-hidden">Answer publicly or privately</legend>
          {sideOption('public')}
          {sideOption('private')}
        </fieldset>
        {view.canMoveToPrivate && (
          <button
            type="button"
            className="button button-secondary button-small"
            aria-pressed={moving}
            data-testid="move-to-private"
            onClick={() => update({ move: !draft.move })}
          >
            <LockIcon size={14} /> {moving ? 'Back to one reply' : 'Move to private…'}
          </button>
        )}
      </div>

      {reasons.length > 0 && (
        <ul className="reply-reasons">
          {reasons.map((side) => (
            <li key={side} id={`${ids}-${side}-reason`} className={view.reply[side].allowed ? 'reply-reason-caution' : 'reply-reason-refused'} data-testid={`reply-${side}-reason`}>
              {view.reply[side].allowed ? <InfoIcon size={14} /> : <WarningIcon size={14} />}
              <span>
                <strong>{side === 'public' ? 'Public' : 'Private'}:</strong> {view.reply[side].reason}
              </span>
            </li>
          ))}
        </ul>
      )}

      {moving ? (
        <div className="move-fields">
          <ReplyField
            id={`${ids}-public`}
            label={`1. Public: ${publicChannel.label}`}
            hint="Says the conversation continues privately; sent first."
            value={draft.publicText}
            channel={publicChannel}
            textareaRef={publicRef}
            onChange={(publicText) => update({ publicText })}
            onKeyDown={onKeyDown}
            onFocus={(element) => (lastField.current = element)}
            testId="move-public-text"
            rows={3}
          />
          <ReplyField
            id={`${ids}-private`}
            label={`2. Private: ${privateChannel.label}`}
            value={draft.privateText}
            channel={privateChannel}
            textareaRef={privateRef}
            onChange={(privateText) => update({ privateText })}
            onKeyDown={onKeyDown}
            onFocus={(element) => (lastField.current = element)}
            testId="move-private-text"
          />
          <WindowNotice channel={privateChannel} zone={zone} />
        </div>
      ) : (
        <>
          <ReplyField
            id={`${ids}-text`}
            label={`Your answer — ${channel.label}`}
            value={draft.text}
            channel={channel}
            textareaRef={composerRef}
            onChange={(text) => update({ text })}
            onKeyDown={onKeyDown}
            onFocus={(element) => (lastField.current = element)}
            testId="reply-text"
          />
          {draft.visibility === 'private' && <WindowNotice channel={channel} zone={zone} />}
          {draft.visibility === 'public' && view.reply.public.windowEndsAt !== null && <WindowNotice channel={channel} zone={zone} />}
          {channel.usesHumanAgentTag && channel.windowEndsAt === null && (
            <p className="window-notice window-notice-warn">
              <WarningIcon size={15} /> This reply goes out with Messenger’s human-agent tag.
            </p>
          )}
          {publicFirstHint !== null && (
            <p className="field-hint composer-advice">
              <InfoIcon size={14} /> {publicFirstHint}
            </p>
          )}
        </>
      )}

      <div className="composer-foot">
        <div className="canned-pick">
          <label htmlFor={`${ids}-canned`} className="visually-hidden">
            Canned response
          </label>
          <select
            id={`${ids}-canned`}
            className="select-compact"
            value={cannedChoice}
            disabled={canned === null || canned.length === 0}
            data-testid="canned-select"
            onChange={(event) => setCannedChoice(event.target.value)}
          >
            <option value="">{canned === null ? (cannedError !== null ? 'Canned responses unavailable' : 'Reading canned responses…') : canned.length === 0 ? 'No canned responses yet' : 'Canned response…'}</option>
            {canned?.map((response) => (
              <option key={response.id} value={response.id}>
                {response.title}
              </option>
            ))}
          </select>
          <button type="button" className="button button-secondary button-small" disabled={cannedChoice === ''} onClick={insertCanned} data-testid="canned-insert">
            Insert
          </button>
          <button type="button" className="button button-ghost button-small" onClick={onManageCanned} data-testid="canned-manage">
            Manage…
          </button>
        </div>
        <div className="composer-send">
          <span className="composer-keys" aria-hidden="true">
            <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
          </span>
          <button type="submit" className="button button-primary" disabled={sending} data-testid="send-reply" aria-keyshortcuts="Control+Enter">
            <SendIcon size={16} />
            {sending ? 'Sending…' : moving ? 'Reply publicly and move to private' : draft.visibility === 'public' ? 'Send public reply' : 'Send private reply'}
          </button>
        </div>
      </div>
      {cannedError !== null && canned === null && (
        <p className="field-hint">
          <WarningIcon size={14} /> Canned responses could not be read: {cannedError}
        </p>
      )}
      {error !== null && (
        <p className="inline-error" role="alert" data-testid="reply-error">
          <WarningIcon size={16} /> {error}
        </p>
      )}
    </form>
  );
}
