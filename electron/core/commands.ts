/**
 * What each command does. The desk validates input before a handler runs and output after,
 * so a handler works with typed, checked values and can only answer what the contract says.
 */
import type { Agent } from 'node:https';
import { DeskFailure, Settings, type CommandArgs, type CommandName, type CommandOutput, type DeskEvent, type DeskStatus, type JsonValue } from './contract';
import type { Clock } from './clock';
import type { Store } from './store';
import { appendAudit, readAudit } from './store/audit';
import { getContact, searchContacts } from './store/contacts';
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
    // No account can be configured yet, so the desk can only be on the simulated network.
    network: { mode: 'sandbox', reason: 'No real X or Facebook account is configured yet.' },
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
      const { entry, next } = await store.db.transaction(async (tx) => {
        const { settings: current } = await readSettings(tx);
        const candidate = Settings.safeParse({ ...current, ...patch });
        if (!candidate.success) throw new DeskFailure('bad_input', `updateSettings: ${describeIssues(candidate.error)}`);
        const changed = Object.fromEntries(
          Object.entries(candidate.data).filter(([key, value]) => current[key as keyof Settings] !== value),
        ) as Partial<Settings>;
        if (Object.keys(changed).length === 0) return { entry: null, next: candidate.data };
        await writeSettings(tx, changed, at, context.actor);
        const from = Object.fromEntries(Object.keys(changed).map((key) => [key, current[key as keyof Settings]])) as Record<string, JsonValue>;
        const entry = await appendAudit(tx, {
          at,
          actor: context.actor,
          action: 'settings.updated',
          subject: Object.keys(changed).join(', '),
          detail: { from, to: changed as Record<string, JsonValue> },
        });
        return { entry, next: candidate.data };
      });
      if (entry) {
        parts.emit({ type: 'settingsChanged', payload: next });
        parts.emit({ type: 'auditAppended', payload: entry });
        parts.emit({ type: 'statusChanged', payload: await deskStatus(parts) });
      }
      return next;
    },

    searchContacts: async ({ query, limit }) => ({ contacts: await searchContacts(store.db, query, limit) }),

    getContactHistory: async ({ contactId, before, limit }) => {
      const contact = await getContact(store.db, contactId);
      if (!contact) throw new DeskFailure('not_found', `getContactHistory: there is no contact ${contactId}`);
      const page = await contactHistory(store.db, contactId, before, limit);
      return { contact, ...page };
    },

    readAuditLog: ({ before, action, limit }) => readAudit(store.db, { before, action, limit }),
  };
}
