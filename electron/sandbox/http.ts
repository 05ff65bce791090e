// The HTTP plumbing the simulated APIs share: parsed requests, plain responses that the server
// can compress, or drop half-way for a fault, and a small route matcher.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { gzip } from 'node:zlib';

export interface SandboxRequest {
  method: string;
  /** Host name without port, lower case. */
  host: string;
  /** Path as sent (percent-encoded), without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  raw: IncomingMessage;
}

export interface PlainResponse {
  kind: 'response';
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A long-lived response the handler drives itself (the filtered stream). */
export interface StreamResponse {
  kind: 'stream';
  start(req: IncomingMessage, res: ServerResponse): void;
}

export type Outcome = PlainResponse | StreamResponse;

export function json(status: number, body: unknown, headers: Record<string, string> = {}, contentType = 'application/json; charset=utf-8'): PlainResponse {
  return { kind: 'response', status, headers: { 'content-type': contentType, ...headers }, body: JSON.stringify(body) };
}

export function text(status: number, body: string, contentType: string, headers: Record<string, string> = {}): PlainResponse {
  return { kind: 'response', status, headers: { 'content-type': contentType, ...headers }, body };
}

export const HTML_503 =
  '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Service Unavailable</title></head>' +
  '<body><h1>503 Service Unavailable</h1><p>No server is available to handle this request.</p></body></html>\n';

export function readBody(req: IncomingMessage, limit = 4 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function gzipAsync(body: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => gzip(body, { level: 1 }, (error, result) => (error ? reject(error) : resolve(result))));
}

/** Writes a plain response, gzipped when the client accepts it and it is worth it. */
export async function send(req: IncomingMessage, res: ServerResponse, response: PlainResponse, options: { dropMidResponse?: boolean } = {}): Promise<void> {
  let body: Buffer = Buffer.from(response.body, 'utf8');
  const headers: Record<string, string | number> = { ...response.headers };
  const accepts = String(req.headers['accept-encoding'] ?? '');
  if (body.length >= 1024 && /\bgzip\b/.test(accepts) && !options.dropMidResponse) {
    body = await gzipAsync(body);
    headers['content-encoding'] = 'gzip';
    headers['vary'] = 'accept-encoding';
  }
  headers['content-length'] = body.length;
  if (res.destroyed) return;
  if (options.dropMidResponse) {
    // The head and half the body, then the socket dies: the client sees a truncated answer.
    res.writeHead(response.status, headers);
    const half = body.subarray(0, Math.max(1, Math.floor(body.length / 2)));
    res.write(half, () => res.socket?.destroy());
    return;
  }
  res.writeHead(response.status, headers);
  res.end(body);
}

// ---- routes --------------------------------------------------------------------------------

export interface RouteMatch<T> {
  route: T;
  params: Record<string, string>;
}

/** Matches '/2/users/:id/mentions' style templates, literal segments first in list order. */
export function matchRoute<T extends { method: string; template: string }>(routes: readonly T[], method: string, path: string): RouteMatch<T> | 'method-not-allowed' | null {
  const segments = path.split('/').filter((s) => s !== '');
  let pathMatched = false;
  for (const route of routes) {
    const parts = route.template.split('/').filter((s) => s !== '');
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      const segment = segments[i] as string;
      if (part.startsWith(':')) {
        try {
          params[part.slice(1)] = decodeURIComponent(segment);
        } catch {
          ok = false;
          break;
        }
      } else if (part !== segment) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? 'method-not-allowed' : null;
}

/** Parses a JSON body; null when empty; throws a SyntaxError when it is not JSON. */
export function parseJsonBody(body: Buffer): unknown {
  const textBody = body.toString('utf8').trim();
  if (textBody === '') return null;
  return JSON.parse(textBody) as unknown;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Graph's date format: 2025-03-22T18:20:04+0000 */
export function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}
