/**
 * Live ingest: runs one connector per watched channel against the real platforms or, when no
 * real account is configured, against the sandbox; stores what they deliver exactly once;
 * pushes new messages and connector changes to the console.
 */
import type { Agent } from 'node:https';
import type { Clock } from './clock';
import type { AccountView, ConnectorName, ConnectorStatus, DeskEvent, FeedItem } from './contract';
import { createFacebookConnector } from './connectors/facebook';
import { createMessengerConnector, type MessengerConnector } from './connectors/messenger';
import { freshStatus } from './connectors/status';
import type { Connector, ConnectorHost } from './connectors/types';
import { testFacebookConnection, testXConnection } from './connectors/whoami';
import { createXConnector } from './connectors/x';
import { ingestBatch, type StoredMessage } from './ingest/ingest';
import type { Logger } from './logger';
import type { FacebookPage, SandboxFactory, SandboxNetwork, Transport, XCredentials } from './network';
import type { SecretStore } from './secrets';
import type { Store } from './store';
import { readAccount } from './store/accounts';
import { readCursor } from './store/cursors';
import { createGraphSender, createXSender, type Sender } from './outbox';

export const X_SECRETS = { apiKey: 'x.api-key', apiSecret: 'x.api-secret', accessToken: 'x.access-token', accessSecret: 'x.access-secret', bearerToken: 'x.bearer-token' } as const;
export const FACEBOOK_SECRETS = { pageToken: 'facebook.page-token' } as const;

export interface LiveIngestOptions {
  store: Store;
  secrets: SecretStore;
  clock: Clock;
  logger: Logger;
  emit(event: DeskEvent): void;
  /** Real platforms: outbound HTTPS goes through this agent when given (a proxy, say). */
  httpAgent?: Agent | undefined;
  /** Starts the simulated network; absent, the desk never falls back to it. */
  sandbox?: SandboxFactory | undefined;
  /** How far back the first connection fetches. */
  backfillSince(): Promise<number>;
  xStream(): Promise<boolean>;
  /** The desk's zone, for the times connectors write in their details ("resuming at 10:42"). */
  timeZone(): Promise<string>;
  /** New messages were stored: the next stage (the calendar gate) has work. */
  afterIngest?: () => void;
}

/**
 * The sandbox has no bill and generous limits: poll it often, so a trainee sees a message
 * arrive seconds after a simulated customer sends it. Real platforms keep the connectors'
 * defaults, which stay inside their rate limits.
 */
const SANDBOX_POLL_MS = 3_000;

export interface NetworkState {
  mode: 'sandbox' | 'live';
  reason: string;
}

interface Resolved {
  x: { credentials: XCredentials; userId: string | null; username: string | null; transport: Transport; stream: boolean } | null;
  facebook: { page: FacebookPage; transport: Transport } | null;
  network: NetworkState;
}

function idleStatus(connector: ConnectorName, detail: string): ConnectorStatus {
  return { connector, ...freshStatus('not-configured', detail) };
}

export function toFeedItem(stored: StoredMessage): FeedItem {
  return {
    messageId: stored.messageId,
    interactionId: stored.interactionId,
    contactId: stored.contactId,
    contactName: stored.contactName,
    handle: stored.handle,
    platform: stored.platform,
    kind: stored.kind,
    direction: 'inbound',
    visibility: stored.visibility,
    text: stored.text,
    createdAt: stored.createdAt,
    interactionState: 'new',
  };
}

export class LiveIngest {
  private connectors: Connector[] = [];
  private messenger: MessengerConnector | null = null;
  /** Conversations agents are chatting in now: the Messenger connector polls them every few seconds. */
  private activeChats: readonly string[] = [];
  private sandboxNetwork: SandboxNetwork | null = null;
  private readonly statuses = new Map<ConnectorName, ConnectorStatus>();
  private networkState: NetworkState = { mode: 'sandbox', reason: 'The desk has not connected yet.' };
  private outboundSenders: { x?: Sender; facebook?: Sender } = {};
  /** Told when the accounts (and so the senders) change, so the outbox uses the new ones. */
  onSendersChanged: ((senders: { x?: Sender; facebook?: Sender }) => void) | null = null;
  private readonly host: ConnectorHost;

  constructor(private readonly options: LiveIngestOptions) {
    for (const name of ['x', 'facebook', 'messenger'] as const) this.statuses.set(name, idleStatus(name, 'Not connected yet.'));
    this.host = {
      clock: options.clock,
      logger: options.logger,
      ingest: async (payloads, source) => {
        const outcome = await ingestBatch(options.store.db, payloads, source, options.clock.now());
        for (const rejection of outcome.rejected) {
          options.logger.warn('payload rejected', { connector: source.connector, stream: source.stream, externalId: rejection.externalId, reason: rejection.reason });
        }
        if (outcome.stored.length > 0) {
          options.emit({ type: 'feedAppended', payload: { items: outcome.stored.map(toFeedItem) } });
          options.afterIngest?.();
        }
        return outcome;
      },
      readCursor: (connector, stream) => readCursor(options.store.db, connector, stream),
      report: (connector, patch) => {
        const next = { ...(this.statuses.get(connector) ?? idleStatus(connector, '')), ...patch, connector };
        this.statuses.set(connector, next);
        options.emit({ type: 'connectorChanged', payload: next });
      },
    };
  }

  get network(): NetworkState {
    return this.networkState;
  }

  /**
   * The platform refused an account's token while sending: the console's connector panel says
   * so at once (the connectors would find out at their next poll anyway).
   */
  reportAuthError(account: 'x' | 'facebook', reason: string): void {
    const names: ConnectorName[] = account === 'x' ? ['x'] : ['facebook', 'messenger'];
    for (const name of names) this.host.report(name, { state: 'auth-error', detail: `Sending failed: ${reason} Re-enter the account in Settings.`, lastError: reason });
  }

  /** Who performs outbound actions on each account (the outbox's senders). */
  senders(): { x?: Sender; facebook?: Sender } {
    return this.outboundSenders;
  }

  connectorStatuses(): ConnectorStatus[] {
    return [...this.statuses.values()];
  }

  async start(): Promise<void> {
    const resolved = await this.resolve();
    this.networkState = resolved.network;
    const { clock } = this.options;
    this.outboundSenders = {
      ...(resolved.x ? { x: createXSender({ credentials: resolved.x.credentials, transport: resolved.x.transport, clock, ...(resolved.x.userId ? { userId: resolved.x.userId } : {}) }) } : {}),
      ...(resolved.facebook ? { facebook: createGraphSender({ page: resolved.facebook.page, transport: resolved.facebook.transport, clock }) } : {}),
    };
    this.onSendersChanged?.(this.outboundSenders);
    const backfillSince = await this.options.backfillSince();
    const timeZone = await this.options.timeZone();
    const poll = resolved.network.mode === 'sandbox' ? SANDBOX_POLL_MS : undefined;
    const pace = poll === undefined ? {} : { pollIntervalMs: poll };
    if (resolved.x) {
      this.connectors.push(
        createXConnector(this.host, {
          credentials: resolved.x.credentials,
          ...(resolved.x.userId ? { userId: resolved.x.userId } : {}),
          ...(resolved.x.username ? { username: resolved.x.username } : {}),
          transport: resolved.x.transport,
          stream: resolved.x.stream,
          backfillSince,
          timeZone,
          ...pace,
          ...(poll === undefined ? {} : { dmPollIntervalMs: poll }),
        }),
      );
    } else {
      this.host.report('x', idleStatus('x', 'No X account is configured.'));
    }
    if (resolved.facebook) {
      const { page, transport } = resolved.facebook;
      this.connectors.push(createFacebookConnector(this.host, { page, transport, backfillSince, timeZone, ...pace }));
      this.messenger = createMessengerConnector(this.host, { page, transport, backfillSince, timeZone, ...pace });
      this.messenger.setActiveConversations(this.activeChats);
      this.connectors.push(this.messenger);
    } else {
      this.host.report('facebook', idleStatus('facebook', 'No Facebook Page is configured.'));
      this.host.report('messenger', idleStatus('messenger', 'No Facebook Page is configured, so Messenger is not watched.'));
    }
    for (const connector of this.connectors) await connector.start();
  }

  /** The Messenger conversations (Graph ids) with a live chat open at an agent's desk (R18). */
  setActiveChats(conversationIds: readonly string[]): void {
    this.activeChats = [...conversationIds];
    this.messenger?.setActiveConversations(this.activeChats);
  }

  async stop(): Promise<void> {
    const running = this.connectors;
    this.connectors = [];
    this.messenger = null;
    await Promise.all(running.map((connector) => connector.stop()));
    await this.sandboxNetwork?.close();
    this.sandboxNetwork = null;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Poll every connector now and wait until what they found is stored. */
  async pollNow(): Promise<void> {
    await Promise.all(this.connectors.map((connector) => connector.pollNow()));
  }

  async accounts(): Promise<AccountView[]> {
    const names = new Set(await this.options.secrets.names());
    const x = await readAccount(this.options.store.db, 'x');
    const facebook = await readAccount(this.options.store.db, 'facebook');
    const usesSandbox = this.networkState.mode === 'sandbox';
    return [
      { platform: 'x', configured: x !== null, identity: x?.identity ?? null, secretsSet: Object.values(X_SECRETS).filter((n) => names.has(n)), usesSandbox },
      { platform: 'facebook', configured: facebook !== null, identity: facebook?.identity ?? null, secretsSet: Object.values(FACEBOOK_SECRETS).filter((n) => names.has(n)), usesSandbox },
    ];
  }

  async testConnection(platform: 'x' | 'facebook'): Promise<{ ok: boolean; identity: string | null; detail: string }> {
    const resolved = await this.resolve();
    if (platform === 'x') {
      if (!resolved.x) return { ok: false, identity: null, detail: 'No X account is configured.' };
      return testXConnection(resolved.x.credentials, resolved.x.transport);
    }
    if (!resolved.facebook) return { ok: false, identity: null, detail: 'No Facebook Page is configured.' };
    return testFacebookConnection(resolved.facebook.page, resolved.facebook.transport);
  }

  /** Real accounts where configured; the sandbox only when none is. */
  private async resolve(): Promise<Resolved> {
    const { secrets, store } = this.options;
    const xRecord = await readAccount(store.db, 'x');
    const facebookRecord = await readAccount(store.db, 'facebook');
    const realTransport: Transport = { httpsAgent: this.options.httpAgent };
    if (xRecord || facebookRecord) {
      let x: Resolved['x'] = null;
      if (xRecord) {
        const [appKey, appSecret, accessToken, accessSecret, bearerToken] = await Promise.all(
          [X_SECRETS.apiKey, X_SECRETS.apiSecret, X_SECRETS.accessToken, X_SECRETS.accessSecret, X_SECRETS.bearerToken].map((name) => secrets.get(name)),
        );
        if (appKey && appSecret && accessToken && accessSecret) {
          x = {
            credentials: { appKey, appSecret, accessToken, accessSecret, bearerToken: bearerToken ?? undefined },
            userId: xRecord.userId,
            username: xRecord.identity?.replace(/^@/, '') ?? null,
            transport: realTransport,
            stream: xRecord.stream && Boolean(bearerToken),
          };
        }
      }
      let facebook: Resolved['facebook'] = null;
      if (facebookRecord) {
        const pageToken = await secrets.get(FACEBOOK_SECRETS.pageToken);
        if (pageToken) facebook = { page: { pageId: facebookRecord.pageId, pageToken, graphVersion: facebookRecord.graphVersion }, transport: realTransport };
      }
      return { x, facebook, network: { mode: 'live', reason: 'Connected to the real platforms with the accounts in Settings.' } };
    }
    if (!this.options.sandbox) {
      return { x: null, facebook: null, network: { mode: 'live', reason: 'No account is configured yet: add one in Settings.' } };
    }
    this.sandboxNetwork ??= await this.options.sandbox();
    const sandbox = this.sandboxNetwork;
    const transport: Transport = { httpsAgent: sandbox.httpsAgent(), dispatcher: sandbox.dispatcher() };
    return {
      x: { credentials: sandbox.x.credentials, userId: sandbox.x.userId, username: sandbox.x.username, transport, stream: await this.options.xStream() },
      facebook: { page: { pageId: sandbox.facebook.pageId, pageToken: sandbox.facebook.pageToken, graphVersion: sandbox.facebook.graphVersion }, transport },
      network: { mode: 'sandbox', reason: 'No real X or Facebook account is configured yet.' },
    };
  }
}
