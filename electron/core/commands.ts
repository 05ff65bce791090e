/**
 * What each command does. The desk validates input before a handler runs and output after,
 * so a handler works with typed, checked values and can only answer what the contract says.
 */
import type { Agent } from 'node:https';
import { describeIssues, DeskFailure, Settings, type deskCommands, type CommandArgs, type CommandName, type CommandOutput, type DeskEvent, type DeskStatus, type JsonValue } from './contract';
import type { Clock } from './clock';
import type { Store } from './store';
import { appendAudit, readAudit } from './store/audit';
import { getContact, mergeContacts, searchContacts } from './store/contacts';
import { deleteAccount, readAccount, writeAccount } from './store/accounts';
import { readFeed } from './store/feed';
import type { SecretStore } from './secrets';
import { decide, formatReopensAt, holidaysToSpecialDays, parseCalendarConfig, parseEmergencyState, parseIcs, renderClosedAnswer } from './calendar';
import type { CalendarGate } from './gate';
import type { Outbox } from './outbox';
import { readCalendar, writeCalendar, writeEmergency } from './store/calendar';
import { FACEBOOK_SECRETS, X_SECRETS, type LiveIngest } from './live-ingest';
import { contactHistory } from './store/messages';
import { readSettings, writeSettings } from './store/settings';
import type { Router } from './routing';
import type { RulesStage } from './rules-stage';
import { agentDeskHandlers } from './handlers/agent-desk';
import { routingHandlers } from './handlers/routing';
import { rulesHandlers } from './handlers/rules';
import { reportsHandlers } from './handlers/reports';

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
  outbox: Outbox;
  gate: CalendarGate;
  router: Router;
  rules: RulesStage;
  emit(event: DeskEvent): void;
}

const CLOSED_REASON_WORDS = { emergency: 'emergency mode is on', 'special-day': 'it is a special day', 'outside-hours': 'it is outside operating hours' } as const;

/** Open, closed or emergency right now, with the reason in the words a supervisor uses. */
async function deskState(parts: DeskParts, timeZone: string, timeFormat: '24h' | '12h'): Promise<DeskStatus['deskState']> {
  const { calendar, emergency } = await readCalendar(parts.store.db, timeZone);
  const now = parts.clock.now();
  const decision = decide({ calendar, emergency, at: now, channel: 'x' });
  if (emergency.on) {
    const when = emergency.switchedAt === null ? '' : ` at ${formatReopensAt(emergency.switchedAt, { zone: calendar.zone, locale: calendar.locale, timeFormat })}`;
    return { state: 'emergency', reason: `Emergency mode, switched on by ${emergency.switchedBy ?? 'someone'}${when}: every customer gets the emergency answer.` };
  }
  if (decision.state === 'open') return { state: 'open', reason: 'Within operating hours.' };
  const day = decision.specialDay ? ` (${decision.specialDay.name})` : '';
  return { state: 'closed', reason: `Closed because ${CLOSED_REASON_WORDS[decision.reason]}${day}; reopens ${decision.reopens}.` };
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
    deskState: await deskState(parts, settings.timeZone, settings.timeFormat),
    store: { schemaVersion: parts.store.schemaVersion, dataDir: parts.dataDir },
  };
}

/** The handlers of one command table (contract.ts's own, or one of api/*.ts). */
export type HandlersFor<Table> = { [N in keyof Table & CommandName]: (args: CommandArgs<N>, context: CallContext) => Promise<CommandOutput<N>> };

/** Every command's handler: this file's, and each area's from handlers/*.ts. */
export function createHandlers(parts: DeskParts): Handlers {
  return {
    ...deskHandlers(parts),
    ...rulesHandlers(parts),
    ...routingHandlers(parts),
    ...agentDeskHandlers(parts),
    ...reportsHandlers(parts),
  };
}

function deskHandlers(parts: DeskParts): HandlersFor<typeof deskCommands> {
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
        if (changed.timeZone !== undefined) parts.router.setZone(changed.timeZone);
        if (changed.offerTimeoutSeconds !== undefined) parts.router.setAcceptTimeout(changed.offerTimeoutSeconds * 1000);
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

    getCalendar: async () => {
      const { settings } = await readSettings(store.db);
      const { calendar, emergency } = await readCalendar(store.db, settings.timeZone);
      return { calendar, emergency };
    },

    saveCalendar: async (input, context) => {
      const at = clock.now();
      const { settings } = await readSettings(store.db);
      const current = await readCalendar(store.db, settings.timeZone);
      const calendar = parseCalendarConfig(input.calendar, { deskName: settings.deskName, timeFormat: settings.timeFormat, emergencyMessage: current.emergency.message });
      const entry = await store.db.transaction(async (tx) => {
        await writeCalendar(tx, calendar, at, context.actor);
        // The calendar's zone is the desk's zone: every time the console shows follows it.
        if (calendar.zone !== settings.timeZone) await writeSettings(tx, { timeZone: calendar.zone }, at, context.actor);
        return appendAudit(tx, {
          at,
          actor: context.actor,
          action: 'calendar.saved',
          subject: calendar.zone,
          detail: { zone: calendar.zone, specialDays: calendar.specialDays.length, rangesPerWeek: Object.values(calendar.weekly).reduce((n, day) => n + day.length, 0) },
        });
      });
      parts.router.setZone(calendar.zone);
      parts.emit({ type: 'calendarChanged', payload: { calendar, emergency: current.emergency } });
      parts.emit({ type: 'auditAppended', payload: entry });
      parts.emit({ type: 'statusChanged', payload: await deskStatus(parts) });
      void parts.gate.sweep();
      return { calendar, emergency: current.emergency };
    },

    previewIcs: async ({ text }) => {
      const { settings } = await readSettings(store.db);
      const { calendar } = await readCalendar(store.db, settings.timeZone);
      const preview = parseIcs(text);
      const { added, skipped } = holidaysToSpecialDays(preview.holidays, calendar.specialDays);
      return { added, skipped, warnings: preview.warnings };
    },

    setEmergency: async ({ on, message }, context) => {
      const at = clock.now();
      const { settings } = await readSettings(store.db);
      const current = await readCalendar(store.db, settings.timeZone);
      const emergency = parseEmergencyState({ on, message: message ?? current.emergency.message, switchedBy: context.actor, switchedAt: at }, current.calendar, {
        deskName: settings.deskName,
        timeFormat: settings.timeFormat,
      });
      const entry = await store.db.transaction(async (tx) => {
        await writeEmergency(tx, emergency, at, context.actor);
        return appendAudit(tx, { at, actor: context.actor, action: 'emergency.switched', subject: on ? 'on' : 'off', detail: { on, message: emergency.message } });
      });
      parts.emit({ type: 'calendarChanged', payload: { calendar: current.calendar, emergency } });
      parts.emit({ type: 'auditAppended', payload: entry });
      parts.emit({ type: 'statusChanged', payload: await deskStatus(parts) });
      void parts.gate.sweep();
      return emergency;
    },

    whatHappensAt: async ({ at, kind, contactName }) => {
      const { settings } = await readSettings(store.db);
      const { calendar, emergency } = await readCalendar(store.db, settings.timeZone);
      const channel = kind.startsWith('x.') ? 'x' : kind.startsWith('messenger.') ? 'messenger' : 'facebook';
      const inbound = kind === 'x.dm' || kind === 'messenger.message' ? 'private' : 'public';
      const decision = decide({ calendar, emergency, at, channel, inbound });
      if (decision.state === 'open') {
        return { at, state: 'open', reason: null, reopensAt: null, reopens: null, specialDay: null, answer: null, explanation: 'The desk is open: the message goes to routing and an agent answers it.' };
      }
      const answer = renderClosedAnswer(decision, { calendar, emergency, deskName: settings.deskName, timeFormat: settings.timeFormat, contactName: contactName ?? null });
      const day = decision.specialDay ? ` (${decision.specialDay.name})` : '';
      return {
        at,
        state: 'closed',
        reason: decision.reason,
        reopensAt: decision.reopensAt,
        reopens: decision.reopens,
        specialDay: decision.specialDay?.name ?? null,
        answer,
        explanation: `Closed because ${CLOSED_REASON_WORDS[decision.reason]}${day}. The customer gets this answer ${answer.visibility === 'public' ? 'publicly' : 'privately'}${calendar.answerOncePerClosedPeriod ? ' (once per closed period)' : ''}, and the message waits until the desk reopens ${decision.reopens}.`,
      };
    },

    listOutbox: (query) => parts.outbox.list(query),

    retryOutboxItem: async ({ id }, context) => {
      const item = await parts.outbox.retryNow(id);
      await audit(parts, context, 'outbox.retried', `outbox item ${id}`, { kind: item.action.kind, state: item.state });
      return item;
    },

    cancelOutboxItem: async ({ id }, context) => {
      const item = await parts.outbox.cancel(id, `cancelled by ${context.actor}`);
      await audit(parts, context, 'outbox.cancelled', `outbox item ${id}`, { kind: item.action.kind });
      return item;
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

export async function audit(parts: DeskParts, context: CallContext, action: string, subject: string, detail: Record<string, JsonValue>): Promise<void> {
  const entry = await parts.store.db.transaction((tx) => appendAudit(tx, { at: parts.clock.now(), actor: context.actor, action, subject, detail }));
  parts.emit({ type: 'auditAppended', payload: entry });
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
