/**
 * The server-mode access token.
 *
 * Server mode opens the console at `http://127.0.0.1:<port>/#token=<token>`. The token is
 * taken from the fragment (fragments never reach server logs or Referer headers), kept in
 * sessionStorage so a reload keeps working, and then wiped from the address bar so it does
 * not end up in screenshots, bookmarks or the history list.
 *
 * Pure functions only: the browser glue lives in http-transport.ts.
 */

export const TOKEN_STORAGE_KEY = 'social-care-desk.token';

/** Tokens are opaque, but they ride in a WebSocket subprotocol, which allows only token characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9._~-]{8,1024}$/;

/** The token in a `#token=...` fragment, or null when there is none (or it is malformed). */
export function tokenFromHash(hash: string): string | null {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!fragment.startsWith('token=') && !fragment.includes('&token=')) return null;
  const token = new URLSearchParams(fragment).get('token');
  return token !== null && TOKEN_PATTERN.test(token) ? token : null;
}

export interface ResolvedToken {
  /** The token to use, or null when the page was opened without one. */
  readonly token: string | null;
  /** True when the address bar still shows the token and must be rewritten. */
  readonly mustCleanAddressBar: boolean;
}

/**
 * A token in the fragment wins over a stored one: each launch of the desk mints a new token,
 * so the link that was just opened is fresher than whatever an earlier tab left behind.
 */
export function resolveToken(hash: string, stored: string | null): ResolvedToken {
  const fromHash = tokenFromHash(hash);
  if (fromHash !== null) return { token: fromHash, mustCleanAddressBar: true };
  const hashMentionsToken = /(^#?|&)token=/.test(hash);
  const fromStorage = stored !== null && TOKEN_PATTERN.test(stored) ? stored : null;
  return { token: fromStorage, mustCleanAddressBar: hashMentionsToken };
}
