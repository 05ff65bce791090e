import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../electron/core/store';
import { getContact, searchContacts } from '../../electron/core/store/contacts';
import { readCursor } from '../../electron/core/store/cursors';
import { contactHistory } from '../../electron/core/store/messages';
import { ingestBatch } from '../../electron/core/ingest/ingest';
import type { InboundMessageInput } from '../../electron/core/ingest/inbound';
import { tempDir } from '../support/temp';

let dir: ReturnType<typeof tempDir>;
let store: Store;
const AT = Date.UTC(2026, 10, 25, 10, 0);

function mention(id: string, author: string, text: string, extra: Partial<InboundMessageInput> = {}): InboundMessageInput {
  return {
    kind: 'x.mention',
    externalId: id,
    author: { platformUserId: author, handle: `user${author}`, name: `User ${author}` },
    text,
    createdAt: AT - 60_000,
    conversationRef: id,
    inReplyToExternalId: null,
    lang: 'en',
    ...extra,
  };
}

beforeEach(async () => {
  dir = tempDir();
  store = await openStore(dir.path);
});
afterEach(async () => {
  await store.close();
  dir.remove();
});

describe('ingest', () => {
  it('stores each message once under its contact, creating unknown contacts, with a new interaction', async () => {
    const first = await ingestBatch(store.db, [mention('t1', '1', 'hello @acme'), mention('t2', '1', 'anyone there?'), mention('t3', '2', 'love it')], { connector: 'x', stream: 'mentions', cursor: 't3' }, AT);
    expect(first.rejected).toEqual([]);
    expect(first.duplicates).toBe(0);
    expect(first.stored.map((s) => [s.text, s.contactName, s.newContact])).toEqual([
      ['hello @acme', 'User 1', true],
      ['anyone there?', 'User 1', true],
      ['love it', 'User 2', true],
    ]);
    expect(new Set(first.stored.map((s) => s.contactId)).size).toBe(2);
    expect(await readCursor(store.db, 'x', 'mentions')).toBe('t3');

    // Redelivery (the same page after a crash) and a duplicate within the batch: skipped.
    const again = await ingestBatch(store.db, [mention('t2', '1', 'anyone there?'), mention('t4', '1', 'still waiting'), mention('t4', '1', 'still waiting')], { connector: 'x', stream: 'mentions', cursor: 't4' }, AT);
    expect(again.duplicates).toBe(2);
    expect(again.stored).toHaveLength(1);
    expect(again.stored[0]).toMatchObject({ contactId: first.stored[0]!.contactId, newContact: false });

    const history = await contactHistory(store.db, first.stored[0]!.contactId, undefined, 10);
    // Newest first; these share a timestamp, so the later-stored comes first.
    expect(history.messages.map((m) => [m.externalId, m.interactionState])).toEqual([
      ['t4', 'new'],
      ['t2', 'new'],
      ['t1', 'new'],
    ]);
    expect(await store.db.get('SELECT count(*) AS messages, (SELECT count(*) FROM interactions) AS interactions, (SELECT count(*) FROM contacts) AS contacts FROM messages')).toEqual({ messages: 4, interactions: 4, contacts: 2 });
  });

  it('keeps the handle and name current, and finds the contact by the new handle', async () => {
    const [stored] = (await ingestBatch(store.db, [mention('t1', '7', 'hi')], null, AT)).stored;
    await ingestBatch(store.db, [mention('t2', '7', 'new name, same me', { author: { platformUserId: '7', handle: 'renamed_7', name: 'Seven Renamed' } })], null, AT + 1);
    const contact = await getContact(store.db, stored!.contactId);
    expect(contact?.identities).toEqual([{ platform: 'x', platformUserId: '7', handle: 'renamed_7', name: 'Seven Renamed' }]);
    expect((await searchContacts(store.db, 'renamed_7', 5)).map((c) => c.id)).toEqual([stored!.contactId]);
  });

  it('rejects bad payloads with a reason, stores the good ones beside them, and keeps odd text safely', async () => {
    const lone = 'broken \uD83D surrogate';
    const outcome = await ingestBatch(
      store.db,
      [
        { kind: 'x.mention', externalId: 'm1' },
        mention('m2', '3', 'x'.repeat(1_000_001)),
        mention('m3', '3', 'ok', { createdAt: 'yesterday' as unknown as number }),
        mention('', '3', 'no id'),
        'not even an object',
        mention('m4', '3', lone),
        mention('m5', '3', 'مرحبا \u200Bzero\u200Dwidth \u202Eevil'),
        mention('m6', '<img src=x onerror=alert(1)>', '<script>alert(1)</script>', { author: { platformUserId: '<img src=x onerror=alert(1)>', handle: null, name: '<b>Bold</b>' } }),
      ],
      null,
      AT,
    );
    expect(outcome.rejected.map((r) => [r.index, r.externalId])).toEqual([
      [0, 'm1'],
      [1, 'm2'],
      [2, 'm3'],
      [3, ''],
      [4, null],
    ]);
    expect(outcome.rejected[1]!.reason).toMatch(/text is longer than 100,000 characters/);
    expect(outcome.rejected[2]!.reason).toMatch(/createdAt/);
    expect(outcome.stored.map((s) => s.text)).toEqual(['broken \uFFFD surrogate', 'مرحبا \u200Bzero\u200Dwidth \u202Eevil', '<script>alert(1)</script>']);
    expect(outcome.stored[2]!.contactName).toBe('<b>Bold</b>');
  });

  it('stores nothing of a batch that fails, and keeps the old cursor, so the batch can be fetched again', async () => {
    await ingestBatch(store.db, [mention('t1', '1', 'first')], { connector: 'x', stream: 'mentions', cursor: 't1' }, AT);
    // Make the store fail mid-batch, as a crash or a full disk would.
    await store.db.exec("CREATE TRIGGER fail_on_boom BEFORE INSERT ON messages WHEN NEW.text = 'boom' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
    await expect(ingestBatch(store.db, [mention('t2', '9', 'fine'), mention('t3', '9', 'boom')], { connector: 'x', stream: 'mentions', cursor: 't3' }, AT)).rejects.toThrow(/disk on fire/);
    expect(await readCursor(store.db, 'x', 'mentions')).toBe('t1');
    expect(await store.db.get('SELECT count(*) AS messages, (SELECT count(*) FROM contacts) AS contacts, (SELECT count(*) FROM interactions) AS interactions FROM messages')).toEqual({ messages: 1, contacts: 1, interactions: 1 });
  });

  it('keeps one contact per platform identity: the same id on X and Messenger are two people until merged', async () => {
    const outcome = await ingestBatch(
      store.db,
      [mention('t1', '42', 'on X'), { ...mention('mid.1', '42', 'on Messenger'), kind: 'messenger.message' }],
      null,
      AT,
    );
    expect(outcome.stored.map((s) => [s.platform, s.visibility])).toEqual([
      ['x', 'public'],
      ['messenger', 'private'],
    ]);
    expect(outcome.stored[0]!.contactId).not.toBe(outcome.stored[1]!.contactId);
  });
});
