/**
 * Shared set-up for the outbox tests: a sandbox living on a ManualClock, a real SQLite store in
 * a temp dir, a contact, real senders over HTTPS to the sandbox, and helpers to step time.
 */
import { ManualClock } from '../../electron/core/clock';
import { openStore, type Store } from '../../electron/core/store';
import { addContact } from '../../electron/core/store/contacts';
import { insertMessages } from '../../electron/core/store/messages';
import type { MessageKind, Platform } from '../../electron/core/contract';
import {
  createGraphSender,
  createOutbox,
  createXSender,
  manualOutboxTimers,
  type Outbox,
  type OutboxAccount,
  type OutboxItem,
  type OutboxOptions,
  type Sender,
} from '../../electron/core/outbox';
import { startSandbox, type InspectorAction, type Sandbox } from '../../electron/sandbox/index';
import { tempDir } from '../support/temp';

export interface World {
  sandbox: Sandbox;
  clock: ManualClock;
}

export async function startWorld(seed: number): Promise<World> {
  const clock = new ManualClock(Date.now());
  const sandbox = await startSandbox({ seed, clock });
  return { sandbox, clock };
}

export function xSender(world: World): Sender {
  return createXSender({ credentials: world.sandbox.x.credentials, transport: { httpsAgent: world.sandbox.httpsAgent() }, clock: world.clock });
}

export function graphSender(world: World): Sender {
  const { pageId, pageToken, graphVersion } = world.sandbox.facebook;
  return createGraphSender({ page: { pageId, pageToken, graphVersion }, transport: { dispatcher: world.sandbox.dispatcher() }, clock: world.clock });
}

export interface DeskSide {
  dir: ReturnType<typeof tempDir>;
  store: Store;
  contactId: number;
  changes: OutboxItem[];
  authErrors: Array<{ account: OutboxAccount; reason: string }>;
  /** A runner on this store with real senders, manual timers and a fixed jitter draw (0.5). */
  outbox(overrides?: Partial<OutboxOptions>): Outbox;
  close(): Promise<void>;
}

export async function openDeskSide(world: World, dir = tempDir('desk-outbox-')): Promise<DeskSide> {
  const store = await openStore(dir.path);
  const contactId = await addContact(store.db, {
    displayName: 'Ana Souza',
    identities: [{ platform: 'x', platformUserId: '1001', handle: 'ana', name: 'Ana Souza' }],
    at: world.clock.now(),
  });
  const changes: OutboxItem[] = [];
  const authErrors: DeskSide['authErrors'] = [];
  const runners: Outbox[] = [];
  return {
    dir,
    store,
    contactId,
    changes,
    authErrors,
    outbox(overrides = {}) {
      const outbox = createOutbox(
        {
          db: store.db,
          clock: world.clock,
          senders: { x: xSender(world), facebook: graphSender(world) },
          timers: manualOutboxTimers,
          backoff: { random: () => 0.5 },
          onAuthError: (account, reason) => authErrors.push({ account, reason }),
          ...overrides,
        },
        (item) => changes.push(item),
      );
      runners.push(outbox);
      return outbox;
    },
    async close() {
      for (const runner of runners) await runner.stop();
      await store.close();
      dir.remove();
    },
  };
}

/** Stores an inbound message as ingest would (so the outbox can find the thread it answers). */
export async function storeInbound(side: DeskSide, message: { platform: Platform; kind: MessageKind; externalId: string; text: string; conversationRef?: string | null; at: number }): Promise<void> {
  await insertMessages(side.store.db, [
    {
      platform: message.platform,
      externalId: message.externalId,
      contactId: side.contactId,
      kind: message.kind,
      direction: 'inbound',
      visibility: message.kind === 'x.dm' || message.kind === 'messenger.message' ? 'private' : 'public',
      text: message.text,
      conversationRef: message.conversationRef ?? null,
      inReplyToExternalId: null,
      createdAt: message.at,
      receivedAt: message.at,
    },
  ]);
}

export async function item(outbox: Outbox, id: number): Promise<OutboxItem> {
  const found = await outbox.get(id);
  if (!found) throw new Error(`no outbox item ${id}`);
  return found;
}

/** Moves the clock to the item's next try and runs the runner once. */
export async function stepToNextTry(world: World, outbox: Outbox, id: number): Promise<OutboxItem> {
  const current = await item(outbox, id);
  if (current.nextAttemptAt === null) throw new Error(`outbox item ${id} is ${current.state}: no next try`);
  if (current.nextAttemptAt > world.clock.now()) world.clock.set(current.nextAttemptAt);
  await outbox.kick();
  return item(outbox, id);
}

/** What the sandbox saw the desk do, of one kind (and text). */
export function actions(world: World, kind: InspectorAction['kind'], text?: string): InspectorAction[] {
  return world.sandbox.inspector.actions().filter((a) => a.kind === kind && (text === undefined || a.text === text));
}

export interface StoredMessage {
  id: number;
  platform: string;
  external_id: string;
  contact_id: number;
  kind: string;
  direction: string;
  visibility: string;
  text: string;
  conversation_ref: string | null;
  in_reply_to_external_id: string | null;
}

export function outboundMessages(side: DeskSide): Promise<StoredMessage[]> {
  return side.store.db.all<StoredMessage>(
    "SELECT id, platform, external_id, contact_id, kind, direction, visibility, text, conversation_ref, in_reply_to_external_id FROM messages WHERE direction = 'outbound' ORDER BY id",
  );
}

let counter = 0;
/** A text no earlier test used (X refuses the same brand text twice within 24 hours). */
export function uniqueText(what: string): string {
  counter += 1;
  return `${what} (ref ${Date.now().toString(36)}-${counter})`;
}
