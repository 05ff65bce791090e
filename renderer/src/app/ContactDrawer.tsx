/**
 * The "Find contact" drawer: matches for the header search, then one contact's history
 * across platforms, newest first. Everything from the platforms is rendered as text.
 */
import { useCallback, useEffect, useId, useRef, useState, type RefObject } from 'react';
import type { ContactSummary, Message, PlatformIdentity } from '../../../electron/core/contract';
import { DeskCallError } from '../client/desk-client';
import { useDeskClient, useDeskEvents, useDeskSnapshot } from '../state/hooks';
import { ConfirmDialog } from './ConfirmDialog';
import { formatDateTime, isoInstant, messageKindLabels, platformLabels, zoneFormatOf, type ZoneFormat } from './format';
import {
  BackIcon,
  CheckIcon,
  CloseIcon,
  ContactIcon,
  GlobeIcon,
  InboundIcon,
  LinkIcon,
  LockIcon,
  OutboundIcon,
  SearchIcon,
  WarningIcon,
} from './icons';
import { LinkifiedText } from './LinkifiedText';

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

export function identityLabel(identity: PlatformIdentity): string {
  return identity.handle !== null ? `@${identity.handle.replace(/^@/, '')}` : (identity.name ?? identity.platformUserId);
}

function IdentityChip({ identity }: { identity: PlatformIdentity }) {
  const label = identityLabel(identity);
  return (
    <span className={`identity identity-${identity.platform}`}>
      <span className="identity-platform">{platformLabels[identity.platform]}</span>
      <span className="identity-handle">{label}</span>
    </span>
  );
}

export function Avatar({ name }: { name: string }) {
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
      <p className="message-text">
        <LinkifiedText text={message.text} />
      </p>
    </li>
  );
}

// ---------------------------------------------------------------------------------------------
// Linking two contacts that are the same person

function MergePicker({
  contact,
  zone,
  onPick,
  onCancel,
}: {
  contact: ContactSummary;
  zone: ZoneFormat;
  onPick: (other: ContactSummary) => void;
  onCancel: () => void;
}) {
  const [query, setQuery] = useState('');
  const [runNow, setRunNow] = useState(0);
  const search = useContactSearch(query, runNow);
  const inputRef = useRef<HTMLInputElement>(null);
  const ids = useId();
  useEffect(() => inputRef.current?.focus(), []);
  const others = search.kind === 'done' ? search.contacts.filter((other) => other.id !== contact.id) : [];

  return (
    <section className="merge-picker" aria-labelledby={`${ids}-title`} data-testid="merge-picker">
      <div className="merge-picker-head">
        <h4 id={`${ids}-title`} className="merge-picker-title">
          Link another contact to {contact.displayName}
        </h4>
        <button type="button" className="button button-ghost button-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <p className="drawer-note">
        For when one person wrote from two accounts. Find the other contact; you confirm before anything changes.
      </p>
      <div className="merge-search">
        <label htmlFor={`${ids}-query`} className="visually-hidden">
          Find the other contact
        </label>
        <SearchIcon size={16} className="merge-search-icon" />
        <input
          ref={inputRef}
          id={`${ids}-query`}
          type="search"
          autoComplete="off"
          spellCheck={false}
          placeholder="Find the other contact by name or handle"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              setRunNow((n) => n + 1);
            }
          }}
        />
      </div>
      {search.kind === 'loading' && <p className="drawer-note">Searching…</p>}
      {search.kind === 'failed' && (
        <p className="inline-error" role="alert">
          <WarningIcon size={16} /> {search.message}
        </p>
      )}
      {search.kind === 'done' && others.length === 0 && <p className="drawer-note">No other contact matches “{search.query}”.</p>}
      {others.length > 0 && (
        <ul className="result-list" data-testid="merge-results">
          {others.map((other) => (
            <li key={other.id}>
              <button type="button" className="result result-compact" onClick={() => onPick(other)}>
                <Avatar name={other.displayName} />
                <span className="result-body">
                  <span className="result-name">{other.displayName}</span>
                  <span className="identity-list">
                    {other.identities.map((identity) => (
                      <IdentityChip key={`${identity.platform}:${identity.platformUserId}`} identity={identity} />
                    ))}
                  </span>
                  <span className="result-meta">
                    {other.messageCount === 1 ? '1 message' : `${other.messageCount} messages`}
                    {other.lastMessageAt !== null && <> · last {formatDateTime(other.lastMessageAt, zone)}</>}
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function describeIdentities(contact: ContactSummary): string {
  if (contact.identities.length === 0) return 'no platform identity';
  return contact.identities.map((identity) => `${platformLabels[identity.platform]} ${identityLabel(identity)}`).join(', ');
}

function messagesText(count: number): string {
  return count === 1 ? '1 message' : `${count} messages`;
}

function MergeDialog({
  current,
  other,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  current: ContactSummary;
  other: ContactSummary;
  busy: boolean;
  error: string | null;
  onConfirm: (keep: ContactSummary, merge: ContactSummary) => void;
  onCancel: () => void;
}) {
  const [keepId, setKeepId] = useState(current.id);
  const keep = keepId === other.id ? other : current;
  const merge = keep === current ? other : current;
  const ids = useId();
  return (
    <ConfirmDialog
      open
      title="Link these two contacts?"
      confirmLabel="Link contacts"
      busyLabel="Linking…"
      busy={busy}
      error={error}
      testId="merge-dialog"
      onConfirm={() => onConfirm(keep, merge)}
      onCancel={onCancel}
    >
      <p>
        <strong>{current.displayName}</strong> and <strong>{other.displayName}</strong> will become one contact: the same person,
        with both histories.
      </p>
      <ul className="merge-pair">
        {[current, other].map((contact) => (
          <li key={contact.id}>
            <Avatar name={contact.displayName} />
            <span>
              <span className="result-name">{contact.displayName}</span>
              <span className="result-meta">
                {describeIdentities(contact)} · {messagesText(contact.messageCount)}
              </span>
            </span>
          </li>
        ))}
      </ul>
      <fieldset className="merge-keep">
        <legend>Name to keep</legend>
        {[current, other].map((contact) => (
          <label key={contact.id} className="radio">
            <input
              type="radio"
              name={`${ids}-keep`}
              checked={keepId === contact.id}
              onChange={() => setKeepId(contact.id)}
              disabled={busy}
            />
            <span>{contact.displayName}</span>
          </label>
        ))}
      </fieldset>
      <p className="dialog-note">
        {merge.displayName}’s identities ({describeIdentities(merge)}) and {messagesText(merge.messageCount)} move to {keep.displayName}.
        Later messages from any of these identities land there too. The console cannot split them again.
      </p>
    </ConfirmDialog>
  );
}

// ---------------------------------------------------------------------------------------------
// One contact's history

function ContactHistory({
  contactId,
  zone,
  backLabel,
  onBack,
  onShowContact,
}: {
  contactId: number;
  zone: ZoneFormat;
  backLabel: string;
  onBack: () => void;
  onShowContact: (contactId: number) => void;
}) {
  const client = useDeskClient();
  const [state, setState] = useState<HistoryState>({ kind: 'loading' });
  const [reloadKey, setReloadKey] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // After "load older", focus moves to the first message that arrived, so the keyboard does not fall back to the page.
  const firstOlderRef = useRef<HTMLLIElement>(null);
  const [firstOlderId, setFirstOlderId] = useState<number | null>(null);
  const [merge, setMerge] = useState<
    | { step: 'idle' }
    | { step: 'picking' }
    | { step: 'confirming'; other: ContactSummary; busy: boolean; error: string | null }
  >({ step: 'idle' });
  const [mergedNote, setMergedNote] = useState<string | null>(null);
  const linkButtonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let current = true;
    setState((previous) => (previous.kind === 'ready' && previous.contact.id === contactId ? previous : { kind: 'loading' }));
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
  }, [client, contactId, reloadKey]);

  // Merged elsewhere (another window, the API): follow the contact to where it went.
  useDeskEvents((events) => {
    for (const event of events) {
      if (event.type !== 'contactsMerged') continue;
      if (event.payload.mergedContactId === contactId) onShowContact(event.payload.kept.id);
      else if (event.payload.kept.id === contactId) setReloadKey((n) => n + 1);
    }
  });

  const ready = state.kind === 'ready';
  useEffect(() => {
    // Move focus to the contact so keyboard and screen-reader users land on what they opened.
    if (ready) headingRef.current?.focus();
  }, [ready, contactId]);

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

  const confirmMerge = (keep: ContactSummary, other: ContactSummary): void => {
    if (merge.step !== 'confirming') return;
    setMerge({ ...merge, busy: true, error: null });
    client.mergeContacts({ keepContactId: keep.id, mergeContactId: other.id }).then(
      (kept) => {
        setMerge({ step: 'idle' });
        setMergedNote(`${other.displayName} is now part of ${kept.displayName}: both identities, one history.`);
        if (kept.id === contactId) {
          // The desk answered with the merged contact: show it now; the messages follow.
          setState((previous) => (previous.kind === 'ready' ? { ...previous, contact: kept } : previous));
          setReloadKey((n) => n + 1);
        } else {
          onShowContact(kept.id);
        }
      },
      (error: unknown) =>
        setMerge((previous) => (previous.step === 'confirming' ? { ...previous, busy: false, error: errorText(error) } : previous)),
    );
  };

  return (
    <div className="history">
      <button type="button" className="button button-ghost button-small history-back" onClick={onBack}>
        <BackIcon size={16} /> {backLabel}
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
              <span className="identity-list" data-testid="history-identities">
                {state.contact.identities.map((identity) => (
                  <IdentityChip key={`${identity.platform}:${identity.platformUserId}`} identity={identity} />
                ))}
              </span>
              <p className="result-meta">
                {state.contact.messageCount === 1 ? '1 message' : `${state.contact.messageCount} messages`} across platforms
              </p>
            </div>
            {merge.step === 'idle' && (
              <button
                ref={linkButtonRef}
                type="button"
                className="button button-secondary button-small history-link"
                onClick={() => {
                  setMergedNote(null);
                  setMerge({ step: 'picking' });
                }}
              >
                <LinkIcon size={15} /> Link contact…
              </button>
            )}
          </div>
          {mergedNote !== null && (
            <p className="success-note" role="status" data-testid="merge-done">
              <CheckIcon size={16} /> {mergedNote}
            </p>
          )}
          {merge.step !== 'idle' && (
            <MergePicker
              contact={state.contact}
              zone={zone}
              onPick={(other) => setMerge({ step: 'confirming', other, busy: false, error: null })}
              onCancel={() => setMerge({ step: 'idle' })}
            />
          )}
          {merge.step === 'confirming' && (
            <MergeDialog
              current={state.contact}
              other={merge.other}
              busy={merge.busy}
              error={merge.error}
              onConfirm={confirmMerge}
              onCancel={() => setMerge({ step: 'picking' })}
            />
          )}
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
  /** The contact whose history is shown; null shows the search results. */
  readonly selected: number | null;
  readonly resultListRef: RefObject<HTMLUListElement | null>;
  onSelect(contactId: number | null): void;
  onClose(): void;
}

export function ContactDrawer({ open, query, runNow, selected, resultListRef, onSelect, onClose }: ContactDrawerProps) {
  const { status } = useDeskSnapshot();
  const zone = zoneFormatOf(status);
  const search = useContactSearch(open ? query : '', runNow);

  // Escape closes the drawer wherever focus is (it may have fallen back to the page body),
  // except inside a dialog, whose own Escape closes just the dialog.
  const latestClose = useRef(onClose);
  useEffect(() => {
    latestClose.current = onClose;
  });
  useEffect(() => {
    if (!open) return undefined;
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (event.target instanceof Element && event.target.closest('dialog[open]') !== null) return;
      if (document.querySelector('dialog[open]') !== null) return;
      event.preventDefault();
      latestClose.current();
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
          <ResultList state={search} zone={zone} onPick={(contact) => onSelect(contact.id)} listRef={resultListRef} />
        ) : (
          <ContactHistory
            key="history"
            contactId={selected}
            zone={zone}
            backLabel={query.trim() === '' ? 'Find contact' : 'All results'}
            onBack={() => onSelect(null)}
            onShowContact={(id) => onSelect(id)}
          />
        )}
      </div>
    </aside>
  );
}
