import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { ContactSummary, FeedItem } from '../../electron/core/contract';
import { ManualClock } from '../../electron/core/clock';
import { createDesk, type Desk } from '../../electron/core/desk';
import { ingestBatch } from '../../electron/core/ingest/ingest';
import { FileSecretStore } from '../../electron/core/secrets';
import { openStore } from '../../electron/core/store';
import { sampleContacts, seedContacts } from '../support/seed';
import { tempDir } from '../support/temp';

const supervisor = { actor: 'supervisor Ana' };
let dir: ReturnType<typeof tempDir>;
let desk: Desk;

async function value<T>(promise: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(`call failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

beforeEach(async () => {
  dir = tempDir();
  desk = createDesk({ dataDir: dir.path, version: 't', secrets: new FileSecretStore(join(dir.path, 'secrets.json')), clock: new ManualClock(Date.UTC(2026, 10, 25, 12)), eventWindowMs: 5 });
});
afterEach(async () => {
  await desk.stop();
  dir.remove();
});

describe('merging contacts', () => {
  it('puts both identities and both histories under one contact, audits it, and routes later messages there', async () => {
    const [zoeOnX, bjorn] = await seedContacts(dir.path, [
      { displayName: 'Zoë (X)', identities: [{ platform: 'x', platformUserId: '1001', handle: 'zoe_m', name: 'Zoë' }], messages: [{ platform: 'x', kind: 'x.mention', text: 'order late', at: Date.UTC(2026, 10, 20) }] },
      { displayName: 'Zoë on Messenger', identities: [{ platform: 'messenger', platformUserId: 'psid-9', handle: null, name: 'Zoë M' }], messages: [{ platform: 'messenger', kind: 'messenger.message', text: 'it is me again', at: Date.UTC(2026, 10, 21) }] },
    ]);
    await desk.start();
    const kept = await value<ContactSummary>(desk.call('mergeContacts', { keepContactId: zoeOnX, mergeContactId: bjorn }, supervisor));
    expect(kept).toMatchObject({ id: zoeOnX, displayName: 'Zoë (X)', messageCount: 2 });
    expect(kept.identities.map((i) => i.platform).sort()).toEqual(['messenger', 'x']);

    // The old id still finds the person; search shows one contact.
    const viaOld = await value<{ contact: ContactSummary; messages: { text: string }[] }>(desk.call('getContactHistory', { contactId: bjorn! }, supervisor));
    expect(viaOld.contact.id).toBe(zoeOnX);
    expect(viaOld.messages.map((m) => m.text)).toEqual(['it is me again', 'order late']);
    expect((await value<{ contacts: ContactSummary[] }>(desk.call('searchContacts', { query: 'zoe' }, supervisor))).contacts.map((c) => c.id)).toEqual([zoeOnX]);

    const audit = await value<{ entries: { action: string; actor: string; detail: unknown }[] }>(desk.call('readAuditLog', { action: 'contacts.merged' }, supervisor));
    expect(audit.entries).toMatchObject([{ actor: 'supervisor Ana', detail: { keptContactId: zoeOnX, mergedContactId: bjorn, messagesMoved: 1 } }]);

    // A later Messenger message from the merged identity lands under the kept contact.
    await desk.stop();
    const store = await openStore(dir.path);
    const outcome = await ingestBatch(
      store.db,
      [{ kind: 'messenger.message', externalId: 'mid.new', author: { platformUserId: 'psid-9', handle: null, name: 'Zoë M' }, text: 'any news?', createdAt: Date.UTC(2026, 10, 22), conversationRef: 'c1', inReplyToExternalId: null, lang: null }],
      null,
      Date.UTC(2026, 10, 22),
    );
    await store.close();
    expect(outcome.stored[0]!.contactId).toBe(zoeOnX);
  });

  it('refuses a merge into itself, of unknown contacts, or of two already merged, changing nothing', async () => {
    const [a, b] = await seedContacts(dir.path, sampleContacts);
    await desk.start();
    expect(await desk.call('mergeContacts', { keepContactId: a, mergeContactId: a }, supervisor)).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/cannot merge a contact into itself/) } });
    expect(await desk.call('mergeContacts', { keepContactId: a, mergeContactId: 999 }, supervisor)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await value(desk.call('mergeContacts', { keepContactId: a, mergeContactId: b }, supervisor));
    expect(await desk.call('mergeContacts', { keepContactId: b, mergeContactId: a }, supervisor)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});

describe('the monitoring feed', () => {
  it('lists arrivals newest first, filters by channel, kind and text, and pages', async () => {
    await seedContacts(dir.path, sampleContacts);
    await desk.start();
    const all = await value<{ items: FeedItem[]; nextCursor: string | null }>(desk.call('readFeed', {}, supervisor));
    expect(all.items.map((i) => i.platform)).toEqual(['facebook', 'messenger', 'x', 'x']);
    expect(all.items[1]).toMatchObject({ contactName: 'Zoë Martín', kind: 'messenger.message', direction: 'inbound', visibility: 'private', interactionState: expect.stringMatching(/^(new|queued)$/), text: 'Here is my order number: 5521 <script>alert(1)</script>' });
    expect(all.items[3]).toMatchObject({ handle: 'zoe_m', kind: 'x.mention' });

    const x = await value<{ items: FeedItem[] }>(desk.call('readFeed', { platform: 'x' }, supervisor));
    expect(x.items.map((i) => i.kind)).toEqual(['x.reply', 'x.mention']);
    const mentions = await value<{ items: FeedItem[] }>(desk.call('readFeed', { kinds: ['x.mention', 'facebook.comment'] }, supervisor));
    expect(mentions.items.map((i) => i.kind)).toEqual(['facebook.comment', 'x.mention']);
    const text = await value<{ items: FeedItem[] }>(desk.call('readFeed', { text: '5521' }, supervisor));
    expect(text.items).toHaveLength(2);

    const first = await value<{ items: FeedItem[]; nextCursor: string }>(desk.call('readFeed', { limit: 3 }, supervisor));
    const rest = await value<{ items: FeedItem[]; nextCursor: string | null }>(desk.call('readFeed', { limit: 3, before: first.nextCursor }, supervisor));
    expect([...first.items, ...rest.items].map((i) => i.messageId)).toEqual(all.items.map((i) => i.messageId));
    expect(rest.nextCursor).toBeNull();
    expect(await desk.call('readFeed', { platform: 'myspace' }, supervisor)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });
});
