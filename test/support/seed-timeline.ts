/**
 * Like seed.ts, but the messages of all contacts are stored in time order, the way a live desk
 * receives them, so the monitoring feed (arrival order = message id) reads like a real one.
 * Batched: 100k messages take a few seconds.
 */
import { openStore } from '../../electron/core/store';
import { addContact } from '../../electron/core/store/contacts';
import { openInteractions } from '../../electron/core/store/interactions';
import { insertMessages, type NewMessage } from '../../electron/core/store/messages';
import type { InteractionState } from '../../electron/core/contract';
import type { SeedContact, SeedMessage } from './seed';

/** A seed message may also say where its interaction stands (default: new). */
export type TimelineMessage = SeedMessage & { state?: InteractionState };
export type TimelineContact = Omit<SeedContact, 'messages'> & { messages: TimelineMessage[] };

let counter = 0;

/** Seeds the contacts; returns their ids in order. */
export async function seedTimeline(dataDir: string, contacts: TimelineContact[]): Promise<number[]> {
  const store = await openStore(dataDir);
  try {
    return await store.db.transaction(async (tx) => {
      const ids: number[] = [];
      const all: NewMessage[] = [];
      const states = new Map<string, InteractionState>();
      for (const contact of contacts) {
        const at = Math.min(...contact.messages.map((m) => m.at), Date.UTC(2026, 0, 1));
        const contactId = await addContact(tx, { displayName: contact.displayName, identities: contact.identities, at });
        ids.push(contactId);
        for (const m of contact.messages) {
          const externalId = m.externalId ?? `timeline-${(counter += 1)}-${m.at}`;
          if (m.state !== undefined) states.set(`${m.platform}:${externalId}`, m.state);
          all.push({
            platform: m.platform,
            externalId,
            contactId,
            kind: m.kind,
            direction: m.direction ?? 'inbound',
            visibility:
              m.visibility ?? (m.kind.endsWith('dm') || m.kind.startsWith('messenger') || m.kind.endsWith('private-reply') ? 'private' : 'public'),
            text: m.text,
            conversationRef: null,
            inReplyToExternalId: null,
            createdAt: m.at,
            receivedAt: m.at,
          });
        }
      }
      all.sort((a, b) => a.createdAt - b.createdAt);
      await insertMessages(tx, all);
      const inbound = await tx.all<{ id: number; contact_id: number; created_at: number }>(
        "SELECT id, contact_id, created_at FROM messages WHERE direction = 'inbound' ORDER BY id",
      );
      await openInteractions(
        tx,
        inbound.map((row) => ({ messageId: row.id, contactId: row.contact_id })),
        inbound[0]?.created_at ?? Date.UTC(2026, 0, 1),
      );
      for (const [key, state] of states) {
        const [platform, externalId] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
        await tx.run('UPDATE interactions SET state = ? WHERE message_id = (SELECT id FROM messages WHERE platform = ? AND external_id = ?)', [
          state,
          platform,
          externalId,
        ]);
      }
      return ids;
    });
  } finally {
    await store.close();
  }
}
