// The sandbox network: a simulated X + Facebook that the real connectors talk to unchanged.
// See README.md beside this file.
import type { Agent as NodeHttpsAgent } from 'node:https';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { createSandboxDispatcher, SandboxHttpsAgent } from './agent';
import { SANDBOX_HOSTS, createServerCertificate, loadOrCreateCertificateAuthority } from './certs';
import { ControlApi } from './control';
import { Customers, type CustomerEvent, type ScheduleKind, type ScheduleOptions } from './customers';
import { FaultRegistry, type ActiveFault } from './faults';
import { GraphApi } from './graph-api';
import { json, readBody, send, type Outcome, type SandboxRequest } from './http';
import { Inspector } from './inspector';
import { Personas } from './personas';
import { Random } from './random';
import { WindowCounters } from './ratelimit';
import { systemClock, type Clock, type FaultSpec, type InspectorAction } from './types';
import { World, type PostedItem } from './world';
import { XApi } from './x-api';

export type { Clock, FaultSpec, FaultKind, InspectorAction, ActionKind, SandboxPlatform } from './types';
export type { CustomerKind, PostedItem } from './world';
export type { ScheduleKind, ScheduleOptions, CustomerEvent } from './customers';
export { createSandboxDispatcher, createSandboxHttpsAgent, SandboxHttpsAgent, type SandboxEndpoint } from './agent';
export { SANDBOX_HOSTS, CA_CERT_FILE, CA_KEY_FILE } from './certs';
export { X_RATE_LIMITS } from './x-api';

export interface SandboxOptions {
  /** The CA is kept here as sandbox-ca.pem / sandbox-ca.key (created at the first run); else in memory. */
  dataDir?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Same seed, same people, same texts, same ids for the same clock. Default 1. */
  seed?: number;
  /** The time the sandbox lives at (post times, windows, the 24-hour rule). Timers still run in real time. */
  clock?: { now(): number };
  /** Listen address (default 127.0.0.1). */
  listenHost?: string;
  rateLimits?: {
    /** X's 15-minute window (ms). */
    windowMs?: number;
    /** X's 24-hour window (ms). */
    dayWindowMs?: number;
    /** Multiplies every X and Graph limit (default 1). */
    multiplier?: number;
    /** X limits per endpoint per window, e.g. { 'GET /2/users/:id/mentions': 3 }. */
    x?: Record<string, number>;
    /** Graph usage: calls per window for the app (X-App-Usage) and the Page (X-Business-Use-Case-Usage). */
    facebook?: { windowMs?: number; appCalls?: number; pageCalls?: number };
  };
  x?: {
    username?: string;
    /** How deep the mentions timeline goes (X documents 800; default unlimited). */
    mentionsDepth?: number;
    /** Same brand tweet text within this window is refused as a duplicate (default 24 h; 0 = off). */
    duplicateWindowMs?: number;
    /** Posts read per month before UsageCapExceeded (default none). */
    monthlyPostCap?: number | null;
    /** The filtered stream's keep-alive period (default 20 s). */
    streamHeartbeatMs?: number;
    streamMaxConnections?: number;
    streamMaxRules?: number;
  };
  facebook?: { pageName?: string; graphVersion?: string };
  /** How many simulated customers in the pool (default 500). */
  customerPoolSize?: number;
}

export interface SandboxXAccount {
  userId: string;
  username: string;
  credentials: { appKey: string; appSecret: string; accessToken: string; accessSecret: string; bearerToken: string };
}

export interface SandboxFacebookAccount {
  pageId: string;
  pageName: string;
  pageToken: string;
  graphVersion: string;
}

export interface Sandbox {
  port: number;
  caPem: string;
  /** Where the CA certificate is on disk (null when in memory). */
  caPath: string | null;
  x: SandboxXAccount;
  facebook: SandboxFacebookAccount;
  /** https.Agent that sends api.x.com / upload.x.com / graph.facebook.com to the sandbox with its CA trusted. */
  httpsAgent(): NodeHttpsAgent;
  /** undici dispatcher doing the same, for fetch. */
  dispatcher(): Dispatcher;
  customers: {
    /** Make one customer act now; returns the created platform object ids. */
    post(event: CustomerEvent): Promise<{ id: string; authorId: string }>;
    schedule(kind: ScheduleKind, options?: ScheduleOptions): { stop(): void; done: Promise<number> };
    /** Everything the customers posted so far (ground truth for 0-lost/0-duplicated tests). */
    posted(): PostedItem[];
  };
  faults: {
    inject(fault: FaultSpec): void;
    clear(): void;
    /** Faults still waiting to happen. */
    list(): ActiveFault[];
  };
  inspector: {
    /** Everything the desk did, in order; `afterSeq` skips what was already seen. */
    actions(afterSeq?: number): InspectorAction[];
  };
  /** Counts for a glance (and for tests). */
  stats(): { tweets: number; mentions: number; dmEvents: number; posts: number; comments: number; conversations: number; messages: number; actions: number; openStreams: number };
  close(): Promise<void>;
}

function seededCredentials(random: Random, userId: string): SandboxXAccount['credentials'] {
  return {
    appKey: random.token(25),
    appSecret: random.token(50),
    accessToken: `${userId}-${random.token(40)}`,
    accessSecret: random.token(45),
    bearerToken: `AAAAAAAAAAAAAAAAAAAAA${random.token(20)}%3D${random.token(50)}`,
  };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock: Clock = options.clock ?? systemClock;
  const seed = options.seed ?? 1;
  const random = new Random(seed);
  const ca = loadOrCreateCertificateAuthority(options.dataDir);
  const leaf = createServerCertificate(ca);

  const accountRandom = random.fork('accounts');
  const brandUserId = accountRandom.digits(19);
  const username = options.x?.username ?? 'NorthwindCare';
  const xAccount: SandboxXAccount = { userId: brandUserId, username, credentials: seededCredentials(accountRandom, brandUserId) };
  const pageId = accountRandom.digits(15);
  const facebook: SandboxFacebookAccount = {
    pageId,
    pageName: options.facebook?.pageName ?? 'Northwind',
    pageToken: `EAAG${accountRandom.token(180)}`,
    graphVersion: options.facebook?.graphVersion ?? 'v25.0',
  };

  const world = new World(clock, random.fork('world'), {
    brand: { xUserId: brandUserId, username, name: 'Northwind Care' },
    page: { id: pageId, name: facebook.pageName },
  });
  const personas = new Personas(seed, options.customerPoolSize ?? 500, { usernames: [username] });
  for (const persona of personas.pool) world.ensureXUser(persona);
  const inspector = new Inspector(clock);
  const faults = new FaultRegistry();
  const counters = new WindowCounters(clock);
  const multiplier = options.rateLimits?.multiplier ?? 1;
  const x = new XApi(
    world,
    inspector,
    faults,
    counters,
    {
      windowMs: options.rateLimits?.windowMs ?? 15 * 60_000,
      dayWindowMs: options.rateLimits?.dayWindowMs ?? 24 * 3_600_000,
      multiplier,
      overrides: options.rateLimits?.x ?? {},
      mentionsDepth: options.x?.mentionsDepth ?? Infinity,
      duplicateWindowMs: options.x?.duplicateWindowMs ?? 24 * 3_600_000,
      monthlyPostCap: options.x?.monthlyPostCap ?? null,
      stream: {
        heartbeatMs: options.x?.streamHeartbeatMs ?? 20_000,
        maxConnections: options.x?.streamMaxConnections ?? 1,
        maxRules: options.x?.streamMaxRules ?? 1000,
        maxRuleLength: 1024,
      },
    },
    xAccount.credentials,
  );
  const graph = new GraphApi(world, inspector, faults, counters, {
    version: facebook.graphVersion,
    pageToken: facebook.pageToken,
    windowMs: options.rateLimits?.facebook?.windowMs ?? 3_600_000,
    appCallLimit: options.rateLimits?.facebook?.appCalls ?? 4800,
    pageCallLimit: options.rateLimits?.facebook?.pageCalls ?? 4800,
    multiplier,
  });
  const customers = new Customers(world, personas, random.fork('customers'), clock);

  // What was there before the desk looked: a few brand tweets and page posts to reply under.
  const now = clock.now();
  world.createTweet({ authorId: world.brand.id, text: 'Our new fibre plans are live: twice the speed, same price. Questions? Ask us here 👇', at: now - 3 * 86_400_000 });
  world.createTweet({ authorId: world.brand.id, text: 'Planned maintenance tonight 01:00-03:00 in the north region. Thanks for your patience 🛠️', at: now - 26 * 3_600_000 });
  world.createTweet({ authorId: world.brand.id, text: 'We are here for you every day 8:00-20:00. DM us your order number and we will take a look.', at: now - 5 * 3_600_000 });
  world.createPost({ fromId: world.page.id, message: 'Welcome to the Northwind page! Ask us anything about your line, your bill or your order.', at: now - 4 * 86_400_000 });
  world.createPost({ fromId: world.page.id, message: 'New: the Northwind app now shows your delivery in real time 📦', at: now - 2 * 86_400_000 });
  world.createPost({ fromId: world.page.id, message: 'Planned maintenance tonight 01:00-03:00. Service may be interrupted for a few minutes.', at: now - 6 * 3_600_000 });

  let port = 0;
  let agent: SandboxHttpsAgent | null = null;
  let dispatcher: Dispatcher | null = null;
  const control = new ControlApi({
    world,
    inspector,
    faults,
    customers,
    describe: () => ({
      sandbox: true,
      port,
      caPath: ca.path,
      hosts: SANDBOX_HOSTS,
      x: xAccount,
      facebook,
    }),
  });

  const xHosts = new Set<string>(SANDBOX_HOSTS.x);
  const controlHosts = new Set<string>([...SANDBOX_HOSTS.control, '127.0.0.1']);
  const server: Server = createServer({ key: leaf.keyPem, cert: leaf.certPem }, (req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        const hostHeader = String(req.headers.host ?? '').toLowerCase();
        const host = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.replace(/:\d+$/, '');
        const rawUrl = req.url ?? '/';
        const q = rawUrl.indexOf('?');
        const request: SandboxRequest = {
          method: (req.method ?? 'GET').toUpperCase(),
          host,
          path: q < 0 ? rawUrl : rawUrl.slice(0, q),
          query: new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1)),
          headers: req.headers,
          body,
          raw: req,
        };
        let result: { outcome: Outcome; dropMidResponse?: boolean } | 'destroy';
        if (xHosts.has(host)) result = x.handle(request);
        else if (host === 'graph.facebook.com') result = graph.handle(request);
        else if (controlHosts.has(host)) result = { outcome: control.handle(request) };
        else result = { outcome: json(421, { error: `The sandbox does not serve ${host || 'this host'}.` }) };
        if (result === 'destroy') {
          req.socket.destroy();
          return;
        }
        if (result.outcome.kind === 'stream') result.outcome.start(req, res);
        else await send(req, res, result.outcome, { dropMidResponse: result.dropMidResponse === true });
      } catch (error) {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
        } else res.destroy();
      }
    })();
  });
  server.keepAliveTimeout = 30_000;
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.listenHost ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const endpoint = { port, caPem: ca.certPem };

  let closed = false;
  return {
    port,
    caPem: ca.certPem,
    caPath: ca.path,
    x: xAccount,
    facebook,
    httpsAgent: () => (agent ??= new SandboxHttpsAgent(endpoint)),
    dispatcher: () => (dispatcher ??= createSandboxDispatcher(endpoint)),
    customers: {
      post: async (event) => customers.post(event),
      schedule: (kind, scheduleOptions) => customers.schedule(kind, scheduleOptions),
      posted: () => world.posted.map((p) => ({ ...p })),
    },
    faults: {
      inject: (fault) => void faults.inject(fault),
      clear: () => faults.clear(),
      list: () => faults.list(),
    },
    inspector: { actions: (afterSeq) => inspector.actions(afterSeq) },
    stats: () => {
      let comments = 0;
      for (const post of world.feed) comments += post.comments.length;
      let messages = 0;
      for (const c of world.conversations.values()) messages += c.messages.length;
      return {
        tweets: world.tweets.size,
        mentions: world.mentions.length,
        dmEvents: world.dmEvents.length,
        posts: world.feed.length,
        comments,
        conversations: world.conversations.size,
        messages,
        actions: inspector.actions().length,
        openStreams: x.stream.openConnections,
      };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      customers.stopAll();
      x.stream.closeAll();
      agent?.destroy();
      if (dispatcher) await dispatcher.destroy().catch(() => undefined);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The kinds a customer can act as (for the CLI and the control API). */
export { CUSTOMER_KINDS } from './customers';
