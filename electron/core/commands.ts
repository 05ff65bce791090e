/**
 * What each command does. The desk validates input before a handler runs and output after,
 * so a handler works with typed, checked values and can only answer what the contract says.
 */
import type { Agent } from 'node:https';
import { DeskFailure, Settings, type CommandArgs, type CommandName, type CommandOutput, type DeskEvent, type DeskStatus, type JsonValue } from './contract';
import type { Clock } from './clock';
import type { Store } from './store';
import { appendAudit, readAudit } from './store/audit';
import { getContact, mergeContacts, searchContacts } from './store/contacts';
import { deleteAccount, readAccount, writeAccount } from './store/accounts';
import { readFeed } from './store/feed';
import type { SecretStore } from './secrets';
import { FACEBOOK_SECRETS, X_SECRETS, type LiveIngest } from './live-ingest';
import { contactHistory } from './store/messages';
import { readSettings, writeSettings } from './store/settings';
import { describeIssues } from './contract';

export interface CallContext {
  /** Who asked, for the audit log: "console", an agent's name, "system". */
  actor: string;
}

export interface DeskParts {
  store: Store;
  clock: Clock;
  version: string;
  dataDir: string;
  startedAt: number;
  httpAgent: Agent | undefined;
  secrets: SecretStore;
  live: LiveIngest;
  emit(event: DeskEvent): void;
}

export type Handlers = { [N in CommandName]: (args: CommandArgs<N>, context: CallContext) => Promise<CommandOutput<N>> };

export async function deskStatus(parts: DeskParts): Promise<DeskStatus> {
  const { settings } = await readSettings(parts.store.db);
  return {
    deskName: settings.deskName,
    version: parts.version,
    startedAt: parts.startedAt,
    now: parts.clock.now(),
    timeZone: settings.timeZone,
    timeFormat: settings.timeFormat,
    network: parts.live.network,
    deskState: { state: 'open', reason: 'No business calendar is set up yet: the desk counts as open around the clock.' },
    store: { schemaVersion: parts.store.schemaVersion, dataDir: parts.dataDir },
  };
}

export function createHandlers(parts: DeskParts): Handlers {
  const { store, clock } = parts;
  return {
    getStatus: () => deskStatus(parts),

    getSettings: async () => (await readSettings(store.db)).settings,

    updateSettings: async (patch, context) => {
      const at = clock.now();
      const { entry, next, changed } = await store.db.transaction(async (tx) => {
        const { settings: current } = await readSettings(tx);
        const candidate = Settings.safeParse({ ...current, ...patch });
        if (!candidate.success) throw new DeskFailure('bad_input', `updateSettings: ${describeIssues(candidate.error)}`);
        const changed = Object.fromEntries(
          Object.entries(candidate.data).filter(([key, value]) => current[key as keyof Settings] !== value),
        ) as Partial<Settings>;
        if (Object.keys(changed).length === 0) return { entry: null, next: candidate.data, changed };
        await writeSettings(tx, changed, at, context.actor);
        const from = Object.fromEntries(Object.keys(changed).map((key) => [key, current[key as keyof Settings]])) as Record<string, JsonValue>;
        const entry = await appendAudit(tx, {
          at,
          actor: context.actor,
          action: 'settings.updated',
          subject: Object.keys(changed).join(', '),
          detail: { from, to: changed as Record<string, JsonValue> },
        });
        return { entry, next: candidate.data, changed };
      });
      if (entry) {
        parts.emit({ type: 'settingsChanged', payload: next });
        parts.emit({ type: 'auditAppended', payload: entry });
        // Switching between X's stream and polling takes new connectors.
        if ('xStream' in changed) await parts.live.restart();
        parts.emit({ type: 'statusChanged', payload: await deskStatus(parts) });
      }
      return next;
    },

    searchContacts: async ({ query, limit }) => ({ contacts: await searchContacts(store.db, query, limit) }),

    getContactHistory: async ({ contactId, before, limit }) => {
      const contact = await getContact(store.db, contactId);
      if (!contact) throw new DeskFailure('not_found', `getContactHistory: there is no contact ${contactId}`);
      // A merged id still finds the person: the history is under the contact it became.
      const page = await contactHistory(store.db, contact.id, before, limit);
      return { contact, ...page };
    },

    readAuditLog: ({ before, action, limit }) => readAudit(store.db, { before, action, limit }),

    readFeed: (query) => readFeed(store.db, query),

    mergeContacts: async ({ keepContactId, mergeContactId }, context) => {
      const at = clock.now();
      const { kept, entry } = await store.db.transaction(async (tx) => {
        const keep = await getContact(tx, keepContactId);
        const merge = await getContact(tx, mergeContactId);
        if (!keep) throw new DeskFailure('not_found', `mergeContacts: there is no contact ${keepContactId}`);
        if (!merge) throw new DeskFailure('not_found', `mergeContacts: there is no contact ${mergeContactId}`);
        if (keep.id === merge.id) throw new DeskFailure('conflict', `mergeContacts: contacts ${keepContactId} and ${mergeContactId} are already one`);
        await mergeContacts(tx, keep.id, merge.id, at);
        const kept = (await getContact(tx, keep.id))!;
        const entry = await appendAudit(tx, {
          at,
          actor: context.actor,
          action: 'contacts.merged',
          subject: `${kept.displayName} (${kept.id})`,
          detail: { keptContactId: keep.id, mergedContactId: merge.id, mergedName: merge.displayName, identitiesMoved: merge.identities.length, messagesMoved: merge.messageCount },
        });
        return { kept, entry };
      });
      parts.emit({ type: 'contactsMerged', payload: { kept, mergedContactId: mergeContactId } });
      parts.emit({ type: 'auditAppended', payload: entry });
      return kept;
    },

    getConnectors: async () => ({ connectors: parts.live.connectorStatuses() }),

    getAccounts: async () => ({ accounts: await parts.live.accounts() }),

    saveXAccount: async (input, context) => {
      await parts.secrets.set(X_SECRETS.apiKey, input.apiKey);
      await parts.secrets.set(X_SECRETS.apiSecret, input.apiSecret);
      await parts.secrets.set(X_SECRETS.accessToken, input.accessToken);
      await parts.secrets.set(X_SECRETS.accessSecret, input.accessSecret);
      if (input.bearerToken) await parts.secrets.set(X_SECRETS.bearerToken, input.bearerToken);
      else await parts.secrets.delete(X_SECRETS.bearerToken);
      const { settings } = await readSettings(store.db);
      await saveAccountRecord(parts, 'x', { identity: null, userId: null, stream: settings.xStream }, context, { bearerToken: Boolean(input.bearerToken) });
      return accountView(parts, 'x');
    },

    saveFacebookAccount: async (input, context) => {
      await parts.secrets.set(FACEBOOK_SECRETS.pageToken, input.pageToken);
      await saveAccountRecord(parts, 'facebook', { pageId: input.pageId, graphVersion: input.graphVersion, identity: null }, context, { pageId: input.pageId, graphVersion: input.graphVersion });
      return accountView(parts, 'facebook');
    },

    removeAccount: async ({ platform }, context) => {
      if (!(await readAccount(store.db, platform))) throw new DeskFailure('not_found', `removeAccount: no ${platform === 'x' ? 'X account' : 'Facebook Page'} is configured`);
      for (const name of Object.values(platform === 'x' ? X_SECRETS : FACEBOOK_SECRETS)) await parts.secrets.delete(name);
      const at = clock.now();
      const entry = await store.db.transaction(async (tx) => {
        await deleteAccount(tx, platform);
        return appendAudit(tx, { at, actor: context.actor, action: 'account.removed', subject: platform, detail: null });
      });
      parts.emit({ type: 'auditAppended', payload: entry });
      await reconnect(parts);
      return accountView(parts, platform);
    },

    testConnection: async ({ platform }) => {
      const result = await parts.live.testConnection(platform);
      if (result.ok && result.identity) {
        const record = await readAccount(store.db, platform);
        if (record) await store.db.transaction((tx) => writeAccount(tx, platform, { ...record, identity: result.identity }, clock.now(), 'system'));
      }
      return result;
    },
  };
}

async function accountView(parts: DeskParts, platform: 'x' | 'facebook') {
  const view = (await parts.live.accounts()).find((account) => account.platform === platform);
  if (!view) throw new Error(`no account view for ${platform}`);
  return view;
}

/** Connectors pick up changed accounts; the console hears about the new network state. */
async function reconnect(parts: DeskParts): Promise<void> {
  await parts.live.restart();
  parts.emit({ type: 'statusChanged', payload: await deskStatus(parts) });
}

async function saveAccountRecord(
  parts: DeskParts,
  platform: 'x' | 'facebook',
  record: Parameters<typeof writeAccount>[2],
  context: CallContext,
  detail: Record<string, JsonValue>,
): Promise<void> {
  const at = parts.clock.now();
  const entry = await parts.store.db.transaction(async (tx) => {
    await writeAccount(tx, platform, record, at, context.actor);
    // The audit names what changed, never a secret's value.
    return appendAudit(tx, { at, actor: context.actor, action: 'account.saved', subject: platform, detail });
  });
  parts.emit({ type: 'auditAppended', payload: entry });
  await reconnect(parts);
}
