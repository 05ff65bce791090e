/**
 * What the desk needs of the network it talks to. The composition root (server.ts, main.ts)
 * supplies either the real platforms' settings or the sandbox's, so core never imports the
 * sandbox and the connectors never know which one they are talking to.
 */
import type { Agent } from 'node:https';
import type { Dispatcher } from 'undici';

export interface XCredentials {
  appKey: string;
  appSecret: string;
  accessToken: string;
  accessSecret: string;
  /** App-only token for the filtered stream; absent: the desk polls. */
  bearerToken?: string | undefined;
}

export interface FacebookPage {
  pageId: string;
  pageToken: string;
  graphVersion: string;
}

/** How connectors reach the platforms: real hosts by default, the sandbox when injected. */
export interface Transport {
  /** For twitter-api-v2 (`new TwitterApi(credentials, { httpAgent })`). */
  httpsAgent?: Agent | undefined;
  /** For undici's fetch against graph.facebook.com. */
  dispatcher?: Dispatcher | undefined;
}

/** The simulated network, as started by the composition root when no real account is set. */
export interface SandboxNetwork {
  x: { userId: string; username: string; credentials: XCredentials };
  facebook: { pageId: string; pageName: string; pageToken: string; graphVersion: string };
  httpsAgent(): Agent;
  dispatcher(): Dispatcher;
  close(): Promise<void>;
}

export type SandboxFactory = () => Promise<SandboxNetwork>;
