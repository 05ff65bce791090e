/**
 * Puts contacts and messages into a desk's SQLite file through the store's own modules, the
 * way ingest will, so tests start from a history without a network.
 */
import type { MessageKind, Platform, PlatformIdentity } from '../../electron/core/contract';
import { openStore } from '../../electron/core/store';
import { addContact } from '../../electron/core/store/contacts';
import { openInteractions } from '../../electron/core/store/interactions';
import { insertMessages } from '../../electron/core/store/messages';

export interface SeedMessage {
  platform: Platform;
  kind: MessageKind;
  text: string;
  at: number;
  direction?: 'inbound' | 'outbound';
  visibility?: 'public' | 'private';
  externalId?: string;
}

export interface SeedContact {
  displayName: string;
  identities: PlatformIdentity[];
  messages: SeedMessage[];
}

let counter = 0;

/** Seeds the contacts; returns their ids in order. */
export async function seedContacts(dataDir: string, contacts: SeedContact[]): Promise<number[]> {
  const store = await openStore(dataDir);
  try {
    return await store.db.transaction(async (tx) => {
      const ids: number[] = [];
      for (const contact of contacts) {
        const at = Math.min(...contact.messages.map((m) => m.at), Date.UTC(2026, 0, 1));
        const contactId = await addContact(tx, { displayName: contact.displayName, identities: contact.identities, at });
        ids.push(contactId);
        await insertMessages(
          tx,
          contact.messages.map((m) => ({
            platform: m.platform,
            externalId: m.externalId ?? `seed-${(counter += 1)}-${m.at}`,
            contactId,
            kind: m.kind,
            direction: m.direction ?? 'inbound',
            visibility: m.visibility ?? (m.kind.endsWith('dm') || m.kind.startsWith('messenger') || m.kind.endsWith('private-reply') ? 'private' : 'public'),
            text: m.text,
            conversationRef: null,
            inReplyToExternalId: null,
            createdAt: m.at,
            receivedAt: m.at,
          })),
        );
        const inbound = await tx.all<{ id: number }>("SELECT id FROM messages WHERE contact_id = ? AND direction = 'inbound' ORDER BY id", [contactId]);
        await openInteractions(tx, inbound.map((row) => ({ messageId: row.id, contactId })), at);
      }
      return ids;
    });
  } finally {
    await store.close();
  }
}

/** A small cross-platform history: one person on X and Messenger, one on Facebook. */
export const sampleContacts: SeedContact[] = [
  {
    displayName: 'Zoë Martín',
    identities: [
      { platform: 'x', platformUserId: '1001', handle: 'zoe_m', name: 'Zoë Martín' },
      { platform: 'messenger', platformUserId: 'psid-77', handle: null, name: 'Zoë Martín' },
    ],
    messages: [
      { platform: 'x', kind: 'x.mention', text: '@acme my order #5521 never arrived 😡', at: Date.UTC(2026, 10, 20, 9, 0) },
      { platform: 'x', kind: 'x.reply', text: 'Sorry to hear that, Zoë! We will continue in a private message.', at: Date.UTC(2026, 10, 20, 9, 5), direction: 'outbound' },
      { platform: 'messenger', kind: 'messenger.message', text: 'Here is my order number: 5521 <script>alert(1)</script>', at: Date.UTC(2026, 10, 20, 9, 7) },
    ],
  },
  {
    displayName: 'Björn Ek',
    identities: [{ platform: 'facebook', platformUserId: 'asid-5', handle: null, name: 'Björn Ek' }],
    messages: [{ platform: 'facebook', kind: 'facebook.comment', text: 'Great service today, thanks!', at: Date.UTC(2026, 10, 21, 14, 30) }],
  },
];
