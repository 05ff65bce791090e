/**
 * Serves the built console (dist/renderer) on the app://desk/ origin.
 *
 * Only files under the renderer root are reachable: the URL path is decoded once, resolved, and
 * must stay inside the root, so `..` or encoded separators cannot reach the data directory or the
 * rest of the disk. Every answer carries the CSP header and nosniff.
 */
import { readFile as readFileFromDisk } from 'node:fs/promises';
import path from 'node:path';
import { isRendererUrl } from './renderer-origin';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export interface RendererHandlerOptions {
  /** Absolute path of the built renderer (the folder holding index.html). */
  root: string;
  csp: string;
  /** Injected by tests; Electron's patched fs also reads from inside app.asar. */
  readFile?: (file: string) => Promise<Uint8Array>;
}

export type RendererRequestHandler = (request: Request) => Promise<Response>;

export function createRendererRequestHandler(options: RendererHandlerOptions): RendererRequestHandler {
  const root = path.resolve(options.root);
  const readFile = options.readFile ?? ((file: string) => readFileFromDisk(file));
  const baseHeaders = {
    'Content-Security-Policy': options.csp,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
  const fail = (status: number, text: string): Response =>
    new Response(text, { status, headers: { ...baseHeaders, 'Content-Type': 'text/plain; charset=utf-8' } });

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return fail(405, 'method not allowed');
    if (!isRendererUrl(request.url)) return fail(404, 'not found');

    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url).pathname);
    } catch {
      return fail(400, 'bad path');
    }
    if (pathname.includes('\0') || pathname.includes('\\')) return fail(400, 'bad path');
    if (pathname === '/' || pathname === '') pathname = '/index.html';

    const file = path.resolve(root, `.${pathname}`);
    if (!file.startsWith(root + path.sep)) return fail(404, 'not found');

    let body: Uint8Array;
    try {
      body = await readFile(file);
    } catch {
      return fail(404, 'not found');
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...baseHeaders, 'Content-Type': type },
    });
  };
}
