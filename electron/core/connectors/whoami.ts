/**
 * The console's "test connection" button: one or two light calls with the credentials as
 * entered, answered in a sentence that says what works, or what is wrong and what to do.
 * No retries (the person is waiting), nothing stored.
 */
import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { systemClock } from '../clock';
import { silentLogger } from '../logger';
import type { FacebookPage, Transport, XCredentials } from '../network';
import { ConnectorFailure, clockTime } from './backoff';
import { GraphApiError, GraphClient, GraphHttpError } from './graph';
import { realTimers } from './scheduler';
import { X_REQUEST_TIMEOUT_MS, createAppClient, createUserClient, isUsageCap, requestCause } from './x-client';

export interface ConnectionTest {
  ok: boolean;
  /** '@username' for X, the Page's name for Facebook; null when the test failed. */
  identity: string | null;
  detail: string;
}

function networkCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('UND_ERR_')) return code;
    const inner = current instanceof ApiRequestError ? requestCause(current) : (current as Error & { cause?: unknown }).cause;
    current = inner;
  }
  return error instanceof Error && error.name === 'TimeoutError' ? 'no answer in time' : 'network error';
}

function xFailure(error: unknown, timeZone?: string): string {
  if (error instanceof ApiResponseError) {
    if (isUsageCap(error)) return "The keys work, but X says the plan's monthly read allowance is used up; reading resumes next month.";
    if (error.code === 401) {
      return 'X refused the keys (401 Unauthorized): check the API key and secret and the access token and secret; regenerating them in the X developer portal invalidates the old ones.';
    }
    if (error.code === 429) {
      const reset = error.rateLimit?.reset;
      return `X is rate limiting this account right now; try again${typeof reset === 'number' && Number.isFinite(reset) ? ` after ${clockTime(reset * 1000, timeZone)}` : ' in a few minutes'}.`;
    }
    if (error.code === 403) {
      const data = (typeof error.data === 'object' && error.data !== null ? error.data : {}) as { reason?: unknown; detail?: unknown };
      if (data.reason === 'client-not-enrolled') return 'X says the app is not attached to a Project with API v2 access: attach it in the X developer portal.';
      return `X refused access (403${typeof data.detail === 'string' ? `: ${data.detail.slice(0, 160)}` : ''}): check the app's permissions (read and write, direct messages) and plan.`;
    }
    if (error.code >= 500) return `X is having trouble right now (HTTP ${error.code}); try again in a few minutes.`;
    return `X turned the test down (HTTP ${error.code}).`;
  }
  if (error instanceof ApiPartialResponseError) return 'The connection to X dropped in the middle of the answer; try again.';
  if (error instanceof ApiRequestError) return `Could not reach X (${networkCode(error)}): check the internet connection or the proxy.`;
  return `The test failed unexpectedly: ${error instanceof Error ? error.message.slice(0, 160) : String(error).slice(0, 160)}.`;
}

/** Checks the X keys and tokens (GET /2/users/me) and, when set, the app bearer token (stream rules). */
export async function testXConnection(credentials: XCredentials, transport: Transport, options: { timeZone?: string } = {}): Promise<ConnectionTest> {
  let identity: string;
  let name: string | null = null;
  try {
    const me = await createUserClient(credentials, transport).v2.get<{ data?: { id?: unknown; username?: unknown; name?: unknown } }>('users/me', { 'user.fields': 'name,username' }, { timeout: X_REQUEST_TIMEOUT_MS });
    const username = me.data?.username;
    if (typeof username !== 'string') return { ok: false, identity: null, detail: 'X answered, but did not say which account the tokens belong to; try again.' };
    identity = `@${username}`;
    if (typeof me.data?.name === 'string' && me.data.name.trim() !== '') name = me.data.name.trim().slice(0, 80);
  } catch (error) {
    return { ok: false, identity: null, detail: xFailure(error, options.timeZone) };
  }
  const who = `${identity}${name ? ` (${name})` : ''}`;
  const app = createAppClient(credentials, transport);
  if (!app) return { ok: true, identity, detail: `Connected to X as ${who}. No bearer token is set, so mentions are polled.` };
  try {
    await app.v2.get('tweets/search/stream/rules', {}, { timeout: X_REQUEST_TIMEOUT_MS });
    return { ok: true, identity, detail: `Connected to X as ${who}; the bearer token works, so mentions can arrive live through the filtered stream.` };
  } catch (error) {
    let why: string;
    if (error instanceof ApiResponseError && error.code === 401) why = 'X refused the bearer token (401)';
    else if (error instanceof ApiResponseError && error.code === 403) why = 'the X plan does not include the filtered stream (403)';
    else why = `the stream could not be checked (${xFailure(error, options.timeZone).replace(/\.$/, '')})`;
    return { ok: true, identity, detail: `Connected to X as ${who}, but ${why}; mentions will be polled instead of streamed.` };
  }
}

function graphFailure(error: unknown, page: FacebookPage): string {
  const cause = error instanceof ConnectorFailure ? error.cause : error;
  if (cause instanceof GraphApiError) {
    if (cause.code === 190 || cause.code === 102) {
      return `Facebook refused the Page access token (${cause.subcode === 463 || /expired/i.test(cause.message) ? 'it has expired' : 'it is not valid'}): generate a new Page access token and enter it in Settings.`;
    }
    if (cause.code === 100 || cause.code === 803) {
      return `Facebook does not know a Page with id ${page.pageId}, or this token cannot see it: check the Page id and that the token is a Page access token for that Page.`;
    }
    if (cause.code === 10 || (cause.code >= 200 && cause.code <= 299)) return `The token works but lacks a permission (#${cause.code}: ${cause.message.slice(0, 120)}); grant pages_read_engagement, pages_manage_metadata, pages_read_user_content and pages_messaging.`;
    if ([4, 17, 32, 613, 80001].includes(cause.code)) return `Facebook is limiting calls for this app or Page right now (#${cause.code}); try again later.`;
    return `Facebook turned the test down (#${cause.code}: ${cause.message.slice(0, 120)}).`;
  }
  if (cause instanceof GraphHttpError) return `Facebook is having trouble right now (HTTP ${cause.status}); try again in a few minutes.`;
  if (cause instanceof SyntaxError) return 'Facebook sent a cut-off answer; try again.';
  return `Could not reach Facebook (${networkCode(cause)}): check the internet connection or the proxy.`;
}

/** Checks the Page id and token (GET /<page>?fields=id,name) and read access to its feed and inbox. */
export async function testFacebookConnection(page: FacebookPage, transport: Transport): Promise<ConnectionTest> {
  const abort = new AbortController();
  const graph = new GraphClient({ page, transport, clock: systemClock, timers: realTimers, logger: silentLogger, signal: abort.signal, attempts: 1 });
  let name: string;
  try {
    const body = (await graph.get(page.pageId, { fields: 'id,name' }, 'the Page')) as { id?: unknown; name?: unknown } | null;
    if (!body || body.id !== page.pageId) {
      return { ok: false, identity: null, detail: `The token answers for another object than Page ${page.pageId}: check the Page id in Settings.` };
    }
    name = typeof body.name === 'string' && body.name.trim() !== '' ? body.name.trim().slice(0, 80) : `Page ${page.pageId}`;
  } catch (error) {
    return { ok: false, identity: null, detail: graphFailure(error, page) };
  }
  const problems: string[] = [];
  for (const [path, params, what] of [
    [`${page.pageId}/feed`, { fields: 'id', limit: 1 }, 'the feed'],
    [`${page.pageId}/conversations`, { platform: 'messenger', fields: 'id', limit: 1 }, 'Messenger'],
  ] as const) {
    try {
      await graph.get(path, params, what);
    } catch (error) {
      problems.push(`${what}: ${graphFailure(error, page).replace(/\.$/, '')}`);
    }
  }
  if (problems.length > 0) return { ok: false, identity: name, detail: `Connected to ${name}, but the desk cannot read ${problems.join('; ')}.` };
  return { ok: true, identity: name, detail: `Connected to the Facebook Page ${name}; the desk can read its feed, comments and Messenger inbox.` };
}
