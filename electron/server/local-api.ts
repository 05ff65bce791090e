/**
 * Server mode's transport: the console's contract over HTTP (commands) and a WebSocket
 * (events), plus the built console's files, on 127.0.0.1 only.
 *
 * Anything on this machine can reach a loopback port, including web pages in the user's
 * browser, so every request proves itself: the Host header must name this server (defeats DNS
 * rebinding), a browser's Origin must be this server's (defeats cross-site requests), and every
 * API call and event socket carries the per-launch token (defeats other local programs and
 * pages that guessed the port).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { transport, type DeskError, type DeskResult, type ErrorCode } from '../core/contract';
import type { Desk } from '../core/desk';
import type { Logger } from '../core/logger';

export interface LocalApiOptions {
  desk: Desk;
  token: string;
  /** 0 picks a free port. */
  port: number;
  /** The built console (Vite's output). */
  staticDir: string;
  logger: Logger;
  /** Who the audit log names for calls arriving here. */
  actor?: string;
}

export interface LocalApi {
  port: number;
  close(): Promise<void>;
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_input: 400,
  unknown_command: 404,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  unavailable: 503,
  internal: 500,
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(text);
}

function refuse(response: ServerResponse, code: ErrorCode, message: string): void {
  const error: DeskError = { code, message };
  sendJson(response, HTTP_STATUS[code], { ok: false, error } satisfies DeskResult<never>);
}

function readBody(request: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(null);
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  const { desk, token, logger } = options;
  const actor = options.actor ?? 'console';
  logger.redact(token);
  let port = options.port;
  const sockets = new Set<WebSocket>();

  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((host) => `http://${host}`);

  /** Host and Origin: the checks every request passes, page or API. */
  function checkPeer(request: IncomingMessage): { code: ErrorCode; message: string } | null {
    const host = request.headers.host ?? '';
    if (!allowedHosts().includes(host)) return { code: 'forbidden', message: `Host ${JSON.stringify(host.slice(0, 100))} is not this desk` };
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedOrigins().includes(origin)) {
      return { code: 'forbidden', message: `requests from ${JSON.stringify(origin.slice(0, 100))} are not allowed` };
    }
    return null;
  }

  function bearer(request: IncomingMessage): string | null {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header);
    return match?.[1] ?? null;
  }

  async function handleCommand(request: IncomingMessage, response: ServerResponse, name: string): Promise<void> {
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      refuse(response, 'bad_input', 'commands are sent with POST');
      return;
    }
    const given = bearer(request);
    if (given === null || !sameSecret(given, token)) {
      refuse(response, 'unauthorized', 'a valid Authorization: Bearer <token> header is required (the token is in the address the desk printed at launch)');
      return;
    }
    const type = request.headers['content-type'] ?? '';
    if (!/^application\/json(;|$)/i.test(type)) {
      refuse(response, 'bad_input', 'the body must be JSON (Content-Type: application/json)');
      return;
    }
    const body = await readBody(request, transport.maxRequestBytes);
    if (body === null) {
      refuse(response, 'bad_input', `the body is larger than ${transport.maxRequestBytes} bytes`);
      return;
    }
    let input: unknown;
    try {
      input = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      refuse(response, 'bad_input', 'the body is not valid JSON');
      return;
    }
    const result = await desk.call(name, input, { actor });
    sendJson(response, result.ok ? 200 : HTTP_STATUS[result.error.code], result);
  }

  async function handleStatic(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let relative: string;
    try {
      relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    } catch {
      response.writeHead(404).end();
      return;
    }
    const root = resolve(options.staticDir);
    const file = normalize(join(root, relative));
    if (!file.startsWith(root + sep)) {
      response.writeHead(404).end();
      return;
    }
    let contents: Buffer;
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      contents = await readFile(file);
    } catch {
      if (pathname === '/') {
        response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The console is not built yet: run `npm run build`.\n');
      } else {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      }
      return;
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': contents.length,
      // Vite names assets by content hash; only index.html must be fetched fresh.
      'cache-control': relative === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
      'content-security-policy': contentSecurityPolicy(port),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
    response.end(request.method === 'HEAD' ? undefined : contents);
  }

  const server: Server = createServer((request, response) => {
    const peerProblem = checkPeer(request);
    if (peerProblem) {
      logger.warn('request refused', { reason: peerProblem.message, method: request.method });
      refuse(response, peerProblem.code, peerProblem.message);
      return;
    }
    const pathname = new URL(request.url ?? '/', 'http://local').pathname;
    const work = pathname.startsWith(transport.httpCommandPrefix)
      ? handleCommand(request, response, pathname.slice(transport.httpCommandPrefix.length))
      : handleStatic(request, response, pathname);
    work.catch((error: unknown) => {
      logger.error('request failed', { error, pathname });
      if (!response.headersSent) refuse(response, 'internal', 'the request failed inside the desk; the details are in the log');
      else response.destroy();
    });
  });

  const events = new WebSocketServer({
    noServer: true,
    maxPayload: 4096, // the console sends nothing on this socket
    handleProtocols: (protocols) => (protocols.has(transport.webSocketProtocol) ? transport.webSocketProtocol : false),
  });

  function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
    logger.warn('event socket refused', { status, reason });
    socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const peerProblem = checkPeer(request);
    if (peerProblem) return refuseUpgrade(socket, 403, peerProblem.message);
    if (new URL(request.url ?? '/', 'http://local').pathname !== transport.webSocketPath) return refuseUpgrade(socket, 404, 'no such socket');
    const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const tokenOffer = offered.find((p) => p.startsWith(transport.webSocketTokenPrefix));
    const given = tokenOffer?.slice(transport.webSocketTokenPrefix.length) ?? bearer(request);
    if (!given || !sameSecret(given, token)) return refuseUpgrade(socket, 401, 'missing or wrong token');
    if (!offered.includes(transport.webSocketProtocol)) return refuseUpgrade(socket, 403, `subprotocol ${transport.webSocketProtocol} required`);
    events.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', (error) => logger.warn('event socket error', { error }));
      ws.on('message', () => ws.close(1003, 'this socket only sends'));
    });
  });

  const unsubscribe = desk.subscribe((batch) => {
    const text = JSON.stringify(batch);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : options.port;
      resolve({
        port,
        async close() {
          unsubscribe();
          for (const ws of sockets) ws.close(1001, 'the desk is stopping');
          events.close();
          await new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          });
        },
      });
    });
  });
}
