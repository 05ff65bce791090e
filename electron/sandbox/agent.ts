// How clients reach the sandbox while keeping the real URLs: the TCP/TLS connection goes to
// 127.0.0.1:<port>, SNI and the Host header still say api.x.com / graph.facebook.com, and the
// sandbox CA is the only one trusted. Requests to any other host are refused, so nothing
// leaks to the real network by accident.
import { Agent as HttpsAgent, type AgentOptions, type RequestOptions } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { Agent as UndiciAgent, buildConnector, type Dispatcher } from 'undici';
import { SANDBOX_HOSTS } from './certs';

export interface SandboxEndpoint {
  port: number;
  caPem: string;
  /** Default 127.0.0.1. */
  host?: string;
}

const ROUTED = new Set<string>([...SANDBOX_HOSTS.x, ...SANDBOX_HOSTS.facebook, ...SANDBOX_HOSTS.control, '127.0.0.1']);

function refuse(host: string): Error {
  return Object.assign(new Error(`The sandbox agent only connects to ${[...ROUTED].join(', ')}; refused ${host}.`), { code: 'ERR_SANDBOX_HOST' });
}

/** An https.Agent (for twitter-api-v2's `httpAgent`) that sends the platform hosts to the sandbox. */
export class SandboxHttpsAgent extends HttpsAgent {
  constructor(
    private readonly endpoint: SandboxEndpoint,
    options: AgentOptions = {},
  ) {
    super({ keepAlive: true, maxSockets: 32, ...options, ca: endpoint.caPem });
  }

  override createConnection(options: RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const tlsOptions = options as ConnectionOptions & RequestOptions;
    const host = String(tlsOptions.servername ?? tlsOptions.host ?? tlsOptions.hostname ?? '');
    if (!ROUTED.has(host)) {
      const error = refuse(host);
      if (callback) process.nextTick(() => callback(error, undefined as unknown as Duplex));
      else throw error;
      return undefined;
    }
    // Returned synchronously: the agent takes the socket from the return value.
    return tlsConnect({
      ...tlsOptions,
      ca: this.endpoint.caPem,
      host: this.endpoint.host ?? '127.0.0.1',
      port: this.endpoint.port,
      servername: isIP(host) ? undefined : host,
    } as ConnectionOptions);
  }
}

/** An undici dispatcher (for fetch's `dispatcher`) that sends the platform hosts to the sandbox. */
export function createSandboxDispatcher(endpoint: SandboxEndpoint, options: UndiciAgent.Options = {}): Dispatcher {
  const connector = buildConnector({ ca: endpoint.caPem });
  return new UndiciAgent({
    keepAliveTimeout: 10_000,
    ...options,
    connect: (opts, callback) => {
      const host = opts.servername || opts.hostname;
      if (!ROUTED.has(host)) {
        callback(refuse(host), null);
        return;
      }
      connector({ ...opts, hostname: endpoint.host ?? '127.0.0.1', port: String(endpoint.port), ...(isIP(host) ? {} : { servername: host }) }, callback);
    },
  });
}

export function createSandboxHttpsAgent(endpoint: SandboxEndpoint, options: AgentOptions = {}): SandboxHttpsAgent {
  return new SandboxHttpsAgent(endpoint, options);
}
