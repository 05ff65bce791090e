/**
 * The "Find contact" drawer: matches for the header search, then one contact's history
 * across platforms, newest first. Everything from the platforms is rendered as text.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { ContactSummary, Message, PlatformIdentity } from '../../../electron/core/contract';
import { DeskCallError } from '../client/desk-client';
import { useDeskClient, useDeskSnapshot } from '../state/hooks';
import { formatDateTime, isoInstant, messageKindLabels, platformLabels, zoneFormatOf, type ZoneFormat } from './format';
import {
  BackIcon,
  CloseIcon,
  ContactIcon,
  GlobeIcon,
  InboundIcon,
  LockIcon,
  OutboundIcon,
  SearchIcon,
  WarningIcon,
} from './icons';

const SEARCH_DEBOUNCE_MS = 250;
const HISTORY_PAGE = 50;

function errorText(error: unknown): string {
  return error instanceof DeskCallError ? error.message : 'Something went wrong while asking the desk.';
}

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter((word) => word !== '');
  const letters = words.slice(0, 2).map((word) => Array.from(word)[0]?.toUpperCase() ?? '');
  return letters.join('') || '?';
}

function IdentityChip({ identity }: { identity: PlatformIdentity }) {
  const label = identity.handle !== null ? `@${identity.handle.replace(/^@/, '')}` : (identity.name ?? identity.platformUserId);
  return (
    <span className={`identity identity-${identity.platform}`}>
      <span className="identity-platform">{platformLabels[identity.platform]}</span>
      <span className="identity-handle">{label}</span>
    </span>
  );
}

function Avatar({ name }: { name: string }) {
  return (
    <span className="avatar" aria-hidden="true">
      {initials(name)}
    </span>
  );
}

// ---------------------------------------------------------------------------------------------
// Search results

type SearchState =
  | { kind: 'idle' }
  | { kind: 'loading'; query: string }
  | { kind: 'done'; query: string; contacts: ContactSummary[] }
  | { kind: 'failed'; query: string; message: string };

function useContactSearch(query: string, runNow: number): SearchState {
  const client = useDeskClient();
  const [state, setState] = useState<SearchState>({ kind: 'idle' });
  const sequence = useRef(0);
  const trimmed = query.trim();

  useEffect(() => {
    const ticket = ++sequence.current;
    if (trimmed === '') {
      setState({ kind: 'idle' });
      return undefined;
    }
    setState((previous) => (previous.kind === 'done' ? previous : { kind: 'loading', query: trimmed }));
    const timer = setTimeout(
      () => {
        client.searchContacts({ query: trimmed, limit: 25 }).then(
          (result) => {
            if (ticket === sequence.current) setState({ kind: 'done', query: trimmed, contacts: result.contacts });
          },
          (error: unknown) => {
            if (ticket === sequence.current) setState({ kind: 'failed', query: trimmed, message: errorText(error) });
          },
        );
      },
      runNow > 0 ? 0 : SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [client, trimmed, runNow]);

  return state;
}

function ResultList({
  state,
  zone,
  onPick,
  listRef,
}: {
  state: SearchState;
  zone: ZoneFormat;
  onPick: (contact: ContactSummary) => void;
  listRef: RefObject<HTMLUListElement | null>;
}) {
  if (state.kind === 'idle') {
    return (
      <div className="drawer-empty">
        <SearchIcon size={28} />
        <p>Type a name or a platform handle to find a contact.</p>
      </div>
    );
  }
  if (state.kind === 'failed') {
    return (
      <p className="inline-error" role="alert">
        <WarningIcon size={16} /> {state.message}
      </p>
    );
  }
  if (state.kind === 'loading') {
    return <p className="drawer-note">Searching…</p>;
  }
  if (state.contacts.length === 0) {
    return (
      <div className="drawer-empty">
        <ContactIcon size={28} />
        <p>No contact matches “{state.query}”.</p>
      </div>
    );
  }
  return (
    <>
      <p className="drawer-note" aria-live="polite">
        {state.contacts.length === 1 ? '1 contact' : `${state.contacts.length} contacts`}, most recently active first
      </p>
      <ul className="result-list" ref={listRef} data-testid="contact-results">
        {state.contacts.map((contact) => (
          <li key={contact.id}>
            <button type="button" className="result" onClick={() => onPick(contact)}>
              <Avatar name={contact.displayName} />
              <span className="result-body">
                <span className="result-name">{contact.displayName}</span>
                <span className="identity-list">
                  {contact.identities.map((identity) => (
                    <IdentityChip key={`${identity.platform}:${identity.platformUserId}`} identity={identity} />
                  ))}
                </span>
                <span className="result-meta">
                  {contact.messageCount === 1 ? '1 message' : `${contact.messageCount} messages`}
                  {contact.lastMessageAt !== null && <> · last {formatDateTime(contact.lastMessageAt, zone)}</>}
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// One contact's history

type HistoryState =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | {
      kind: 'ready';
      contact: ContactSummary;
      messages: Message[];
      nextCursor: string | null;
      loadingOlder: boolean;
      olderError: string | null;
    };

function MessageItem({ message, zone, focusRef }: { message: Message; zone: ZoneFormat; focusRef?: RefObject<HTMLLIElement | null> }) {
  const inbound = message.direction === 'inbound';
  return (
    <li ref={focusRef} tabIndex={-1} className={`message message-${message.direction}`} data-testid="history-message">
      <div className="message-meta">
        <span className={`platform-badge platform-${message.platform}`}>{platformLabels[message.platform]}</span>
        <span className="message-kind">{messageKindLabels[message.kind]}</span>
        <span className="message-tag">
          {inbound ? <InboundIcon size={13} /> : <OutboundIcon size={13} />}
          {inbound ? 'Inbound' : 'Outbound'}
        </span>
        <span className="message-tag">
          {message.visibility === 'public' ? <GlobeIcon size={13} /> : <LockIcon size={13} />}
          {message.visibility === 'public' ? 'Public' : 'Private'}
        </span>
        <time className="message-time" dateTime={isoInstant(message.createdAt)}>
          {formatDateTime(message.createdAt, zone)}
        </time>
      </div>
      <p className="message-text">{message.text}</p>
    </li>
  );
}

function ContactHistory({ contactId, zone, onBack }: { contactId: number; zone: ZoneFormat; onBack: () => void }) {
  const client = useDeskClient();
  const [state, setState] = useState<HistoryState>({ kind: 'loading' });
  const headingRef = useRef<HTMLHeadingElement>(null);
  // After "load older", focus moves to the first message that arrived, so the keyboard does not fall back to the page.
  const firstOlderRef = useRef<HTMLLIElement>(null);
  const [firstOlderId, setFirstOlderId] = useState<number | null>(null);

  useEffect(() => {
    let current = true;
    setState({ kind: 'loading' });
    client.getContactHistory({ contactId, limit: HISTORY_PAGE }).then(
      (page) => {
        if (current) {
          setState({ kind: 'ready', ...page, loadingOlder: false, olderError: null });
        }
      },
      (error: unknown) => {
        if (current) setState({ kind: 'failed', message: errorText(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [client, contactId]);

  const ready = state.kind === 'ready';
  useEffect(() => {
    // Move focus to the contact so keyboard and screen-reader users land on what they opened.
    if (ready) headingRef.current?.focus();
  }, [ready]);

  useEffect(() => {
    if (firstOlderId !== null) firstOlderRef.current?.focus();
  }, [firstOlderId]);

  const loadOlder = useCallback(() => {
    if (state.kind !== 'ready' || state.nextCursor === null || state.loadingOlder) return;
    const before = state.nextCursor;
    setState({ ...state, loadingOlder: true, olderError: null });
    client.getContactHistory({ contactId, before, limit: HISTORY_PAGE }).then(
      (page) => {
        setState((previous) =>
          previous.kind === 'ready'
            ? {
                ...previous,
                contact: page.contact,
                messages: [...previous.messages, ...page.messages.filter((m) => !previous.messages.some((p) => p.id === m.id))],
                nextCursor: page.nextCursor,
                loadingOlder: false,
              }
            : previous,
        );
        setFirstOlderId(page.messages[0]?.id ?? null);
      },
      (error: unknown) =>
        setState((previous) =>
          previous.kind === 'ready' ? { ...previous, loadingOlder: false, olderError: errorText(error) } : previous,
        ),
    );
  }, [client, contactId, state]);

  return (
    <div className="history">
      <button type="button" className="button button-ghost button-small history-back" onClick={onBack}>
        <BackIcon size={16} /> All results
      </button>
      {state.kind === 'loading' && <p className="drawer-note">Loading history…</p>}
      {state.kind === 'failed' && (
        <p className="inline-error" role="alert">
          <WarningIcon size={16} /> {state.message}
        </p>
      )}
      {state.kind === 'ready' && (
        <>
          <div className="history-contact">
            <Avatar name={state.contact.displayName} />
            <div>
              <h3 ref={headingRef} tabIndex={-1} className="history-name" data-testid="history-contact-name">
                {state.contact.displayName}
              </h3>
              <span className="identity-list">
                {state.contact.identities.map((identity) => (
                  <IdentityChip key={`${identity.platform}:${identity.platformUserId}`} identity={identity} />
                ))}
              </span>
              <p className="result-meta">
                {state.contact.messageCount === 1 ? '1 message' : `${state.contact.messageCount} messages`} across platforms
              </p>
            </div>
          </div>
          {state.messages.length === 0 ? (
            <p className="drawer-note">No messages stored for this contact yet.</p>
          ) : (
            <ol className="message-list" aria-label={`Messages with ${state.contact.displayName}, newest first`}>
              {state.messages.map((message) => (
                <MessageItem
                  key={message.id}
                  message={message}
                  zone={zone}
                  focusRef={message.id === firstOlderId ? firstOlderRef : undefined}
                />
              ))}
            </ol>
          )}
          {state.olderError !== null && (
            <p className="inline-error" role="alert">
              <WarningIcon size={16} /> {state.olderError}
            </p>
          )}
          {state.nextCursor !== null ? (
            <button type="button" className="button button-secondary history-older" onClick={loadOlder} disabled={state.loadingOlder}>
              {state.loadingOlder ? 'Loading…' : 'Load older messages'}
            </button>
          ) : (
            state.messages.length > 0 && <p className="drawer-note history-end">Beginning of this contact’s history</p>
          )}
        </>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

export interface ContactDrawerProps {
  readonly open: boolean;
  readonly query: string;
  /** Bumped when the user presses Enter, to search without waiting for the debounce. */
  readonly runNow: number;
  readonly resultListRef: RefObject<HTMLUListElement | null>;
  onClose(): void;
}

export function ContactDrawer({ open, query, runNow, resultListRef, onClose }: ContactDrawerProps) {
  const { status } = useDeskSnapshot();
  const zone = zoneFormatOf(status);
  const search = useContactSearch(open ? query : '', runNow);
  const [selected, setSelected] = useState<number | null>(null);

  // A new query goes back to the result list.
  useEffect(() => setSelected(null), [query]);

  // Escape closes the drawer wherever focus is (it may have fallen back to the page body).
  const latestClose = useRef(onClose);
  useEffect(() => {
    latestClose.current = onClose;
  });
  useEffect(() => {
    if (!open) return undefined;
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && !event.defaultPrevented) {
        event.preventDefault();
        latestClose.current();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  if (!open) return null;
  return (
    <aside
      id="contact-drawer"
      className="drawer"
      aria-labelledby="contact-drawer-title"
      data-testid="contact-drawer"
    >
      <div className="drawer-header">
        <h2 id="contact-drawer-title" className="drawer-title">
          {selected === null ? 'Find contact' : 'Contact history'}
        </h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close contact finder">
          <CloseIcon size={18} />
        </button>
      </div>
      <div className="drawer-body">
        {selected === null ? (
          <ResultList state={search} zone={zone} onPick={(contact) => setSelected(contact.id)} listRef={resultListRef} />
        ) : (
          <ContactHistory contactId={selected} zone={zone} onBack={() => setSelected(null)} />
        )}
      </div>
    </aside>
  );
}
