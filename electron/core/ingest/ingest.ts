/**
 * Ingest: validate -> dedupe -> resolve or create the contact -> store the message and open its
 * interaction, for a whole batch in one transaction together with the connector's cursor.
 *
 * Exactly once: every message is unique by (platform, external id) and the cursor that
 * delivered a batch commits with it. A crash before the commit redelivers the batch from the
 * old cursor; the messages were not stored, so nothing is lost; a redelivery after the commit
 * finds them stored and skips them, so nothing is doubled.
 */
import type { MessageKind, Platform, Visibility } from '../contract';
import { describeIssues } from '../contract';
import type { Database } from '../store';
import { createContactsFor, displayNameOf, findIdentities, identityKey, refreshIdentities, type KnownIdentity } from '../store/contacts';
import { writeCursor } from '../store/cursors';
import { openInteractions } from '../store/interactions';
import { findStoredMessages, insertNewMessages, messageKey } from '../store/messages';
import { parseInbound, type InboundMessage } from './inbound';

export interface IngestSource {
  connector: string;
  stream: string;
  /** Saved with the batch; null leaves the stored cursor as it is. */
  cursor: string | null;
}

export interface StoredMessage {
  messageId: number;
  interactionId: number;
  contactId: number;
  contactName: string;
  handle: string | null;
  platform: Platform;
  kind: MessageKind;
  visibility: Visibility;
  text: string;
  createdAt: number;
  lang: string | null;
  newContact: boolean;
}

export interface Rejection {
  index: number;
  externalId: string | null;
  reason: string;
}

export interface IngestOutcome {
  stored: StoredMessage[];
  duplicates: number;
  rejected: Rejection[];
}

function externalIdOf(payload: unknown): string | null {
  if (typeof payload === 'object' && payload !== null && 'externalId' in payload) {
    const id = (payload as { externalId: unknown }).externalId;
    if (typeof id === 'string') return id.slice(0, 200);
  }
  return null;
}

export async function ingestBatch(db: Database, payloads: readonly unknown[], source: IngestSource | null, at: number): Promise<IngestOutcome> {
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  const valid: InboundMessage[] = [];
  let duplicates = 0;
  payloads.forEach((payload, index) => {
    const parsed = parseInbound(payload);
    if (!parsed.ok) {
      rejected.push({ index, externalId: externalIdOf(payload), reason: describeIssues(parsed.error) });
      return;
    }
    const key = messageKey(parsed.message);
    if (seen.has(key)) {
      duplicates += 1;
      return;
    }
    seen.add(key);
    valid.push(parsed.message);
  });

  const stored = await db.transaction(async (tx) => {
    const already = await findStoredMessages(tx, valid);
    const fresh = valid.filter((message) => !already.has(messageKey(message)));
    duplicates += valid.length - fresh.length;

    const authors = new Map<string, { platform: Platform; platformUserId: string; handle: string | null; name: string | null }>();
    for (const message of fresh) {
      // The newest message in the batch carries the freshest handle and name.
      authors.set(identityKey({ platform: message.platform, platformUserId: message.author.platformUserId }), { platform: message.platform, ...message.author });
    }
    const known = await findIdentities(tx, [...authors.values()]);
    const unknown = [...authors.entries()].filter(([key]) => !known.has(key));
    const newIds = await createContactsFor(tx, unknown.map(([, identity]) => identity), at);
    const resolved = new Map<string, KnownIdentity & { isNew: boolean }>();
    unknown.forEach(([key, identity], index) => {
      resolved.set(key, { ...identity, identityId: 0, contactId: newIds[index]!, contactName: displayNameOf(identity), isNew: true });
    });
    const renamed: { identityId: number; contactId: number; handle: string | null; name: string | null }[] = [];
    for (const [key, identity] of known) {
      const latest = authors.get(key)!;
      const handle = latest.handle ?? identity.handle;
      const name = latest.name ?? identity.name;
      if (handle !== identity.handle || name !== identity.name) renamed.push({ identityId: identity.identityId, contactId: identity.contactId, handle, name });
      resolved.set(key, { ...identity, handle, name, isNew: false });
    }
    await refreshIdentities(tx, renamed, at);

    const contactOf = (message: InboundMessage) => resolved.get(identityKey({ platform: message.platform, platformUserId: message.author.platformUserId }))!;
    const messageIds = await insertNewMessages(
      tx,
      fresh.map((message) => ({
        platform: message.platform,
        externalId: message.externalId,
        contactId: contactOf(message).contactId,
        kind: message.kind,
        direction: 'inbound' as const,
        visibility: message.visibility,
        text: message.text,
        conversationRef: message.conversationRef,
        inReplyToExternalId: message.inReplyToExternalId,
        createdAt: message.createdAt,
        receivedAt: at,
        lang: message.lang,
      })),
    );
    const interactionIds = await openInteractions(
      tx,
      fresh.map((message, index) => ({ messageId: messageIds[index]!, contactId: contactOf(message).contactId })),
      at,
    );
    if (source && source.cursor !== null) await writeCursor(tx, source.connector, source.stream, source.cursor, at);

    return fresh.map((message, index): StoredMessage => {
      const contact = contactOf(message);
      return {
        messageId: messageIds[index]!,
        interactionId: interactionIds[index]!,
        contactId: contact.contactId,
        contactName: contact.contactName,
        handle: contact.handle,
        platform: message.platform,
        kind: message.kind,
        visibility: message.visibility,
        text: message.text,
        createdAt: message.createdAt,
        lang: message.lang,
        newContact: contact.isNew,
      };
    });
  });
  return { stored, duplicates, rejected };
}
