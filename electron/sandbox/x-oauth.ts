// Verifies X's request authentication the way X does: OAuth 1.0a HMAC-SHA1 signatures over the
// real URL (user context), or an app-only bearer token.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SandboxRequest } from './http';

export interface XCredentials {
  appKey: string;
  appSecret: string;
  accessToken: string;
  accessSecret: string;
  bearerToken: string;
}

export type XAuth = { type: 'user'; userId: string } | { type: 'app' } | { type: 'invalid'; reason: string } | { type: 'none' };

/** RFC 3986 percent-encoding, as OAuth 1.0a wants it. */
export function percentEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!*'()]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, '%20'));
  } catch {
    return text;
  }
}

export function parseOAuthHeader(header: string): Map<string, string> | null {
  if (!/^OAuth\s/i.test(header)) return null;
  const params = new Map<string, string>();
  for (const m of header.slice(6).matchAll(/([A-Za-z0-9_\-.~%]+)="([^"]*)"/g)) params.set(safeDecode(m[1] as string), safeDecode(m[2] as string));
  return params;
}

/** The OAuth 1.0a signature base string of a request. */
export function signatureBaseString(method: string, baseUrl: string, params: Array<[string, string]>): string {
  const encoded = params.map(([k, v]) => [percentEncode(k), percentEncode(v)] as [string, string]);
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const paramString = encoded.map(([k, v]) => `${k}=${v}`).join('&');
  return `${method.toUpperCase()}&${percentEncode(baseUrl)}&${percentEncode(paramString)}`;
}

export class XAuthenticator {
  /** nonce -> timestamp, to refuse replays (pruned as it grows). */
  private readonly nonces = new Map<string, number>();

  constructor(
    private readonly credentials: XCredentials,
    private readonly userId: string,
  ) {}

  authenticate(req: SandboxRequest): XAuth {
    const header = req.headers.authorization;
    if (!header) return { type: 'none' };
    if (/^Bearer\s/i.test(header)) {
      const token = header.slice(7).trim();
      const expected = this.credentials.bearerToken;
      if (token === expected || safeDecode(token) === expected) return { type: 'app' };
      return { type: 'invalid', reason: 'unknown bearer token' };
    }
    const oauth = parseOAuthHeader(header);
    if (!oauth) return { type: 'invalid', reason: 'unsupported Authorization scheme' };
    if (oauth.get('oauth_consumer_key') !== this.credentials.appKey) return { type: 'invalid', reason: 'unknown consumer key' };
    if (oauth.get('oauth_signature_method') !== 'HMAC-SHA1') return { type: 'invalid', reason: 'signature method must be HMAC-SHA1' };
    const version = oauth.get('oauth_version');
    if (version !== undefined && version !== '1.0') return { type: 'invalid', reason: 'oauth_version must be 1.0' };
    const token = oauth.get('oauth_token');
    if (token !== this.credentials.accessToken) return { type: 'invalid', reason: 'unknown access token' };
    const timestamp = Number(oauth.get('oauth_timestamp'));
    const nonce = oauth.get('oauth_nonce');
    const signature = oauth.get('oauth_signature');
    if (!Number.isFinite(timestamp) || !nonce || !signature) return { type: 'invalid', reason: 'missing oauth parameters' };
    // Signatures are made with the real time, whatever the sandbox clock says.
    if (Math.abs(timestamp * 1000 - Date.now()) > 15 * 60_000) return { type: 'invalid', reason: 'timestamp out of range' };

    const params: Array<[string, string]> = [];
    for (const [k, v] of oauth) if (k !== 'oauth_signature' && k !== 'realm') params.push([k, v]);
    for (const [k, v] of req.query) params.push([k, v]);
    const contentType = String(req.headers['content-type'] ?? '');
    if (contentType.startsWith('application/x-www-form-urlencoded') && req.body.length > 0) {
      for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.push([k, v]);
    }
    const base = signatureBaseString(req.method, `https://${req.host}${req.path}`, params);
    const key = `${percentEncode(this.credentials.appSecret)}&${percentEncode(this.credentials.accessSecret)}`;
    const expected = Buffer.from(createHmac('sha1', key).update(base).digest('base64'));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { type: 'invalid', reason: 'signature does not match' };

    const seen = this.nonces.get(nonce);
    if (seen !== undefined && seen === timestamp) return { type: 'invalid', reason: 'nonce already used' };
    this.nonces.set(nonce, timestamp);
    if (this.nonces.size > 100_000) {
      const cutoff = Date.now() / 1000 - 15 * 60;
      for (const [n, t] of this.nonces) if (t < cutoff) this.nonces.delete(n);
      if (this.nonces.size > 100_000) this.nonces.clear();
    }
    return { type: 'user', userId: this.userId };
  }
}
