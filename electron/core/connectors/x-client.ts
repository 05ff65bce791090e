/**
 * The X REST calls the desk makes, through twitter-api-v2: clients pointed at the injected
 * transport, one `get` that remembers each endpoint's rate-limit window and retries a blip,
 * and the classification of every error X (or the network on the way) can produce.
 */
import { ApiPartialResponseError, ApiRequestError, ApiResponseError, TwitterApi } from 'twitter-api-v2';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Transport, XCredentials } from '../network';
import { ConnectorFailure, failure, nextMonthStart, type Failure } from './backoff';
import { withRetry, type RateLimitMemory, type Timers } from './scheduler';

/** A request that has not answered after this long is abandoned (and retried as a network failure). */
export const X_REQUEST_TIMEOUT_MS = 30_000;

export function createUserClient(credentials: XCredentials, transport: Transport): TwitterApi {
  const { appKey, appSecret, accessToken, accessSecret } = credentials;
  return new TwitterApi({ appKey, appSecret, accessToken, accessSecret }, transport.httpsAgent ? { httpAgent: transport.httpsAgent } : {});
}

export function createAppClient(credentials: XCredentials, transport: Transport): TwitterApi | null {
  if (!credentials.bearerToken) return null;
  return new TwitterApi(credentials.bearerToken, transport.httpsAgent ? { httpAgent: transport.httpsAgent } : {});
}

function field(data: unknown, name: string): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const value = (data as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.slice(0, 200) : undefined;
}

/**
 * The network error under an ApiRequestError. twitter-api-v2 1.29 builds it with `{ error }`
 * but its `requestError` getter reads `requestError`, so the getter is always undefined.
 */
export function requestCause(error: ApiRequestError): Error | undefined {
  const options = (error as unknown as { _options?: { error?: unknown; requestError?: unknown } })._options;
  const cause = error.requestError ?? options?.requestError ?? options?.error;
  return cause instanceof Error ? cause : undefined;
}

function networkCode(error: ApiRequestError): string {
  const cause = requestCause(error) as (Error & { code?: unknown }) | undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  return cause?.message?.slice(0, 80) ?? 'network error';
}

/** Is this X's monthly usage cap (a 429 or 403 whose problem type is usage-capped)? */
export function isUsageCap(error: unknown): boolean {
  if (!(error instanceof ApiResponseError)) return false;
  return field(error.data, 'title') === 'UsageCapExceeded' || (field(error.data, 'type') ?? '').includes('usage-capped');
}

/**
 * What an X error means for the desk. `what` names the work in a sentence ("mentions",
 * "direct messages", "the filtered stream"); `{until}` in a detail becomes the resume time.
 */
export function classifyXError(error: unknown, what: string, now: number): Failure {
  if (error instanceof ConnectorFailure) return error.failure;
  if (error instanceof ApiResponseError) {
    const code = error.code;
    const title = field(error.data, 'title');
    if (isUsageCap(error)) {
      return failure('budget', `X says the plan's monthly read allowance is used up; reading ${what} resumes on {until}.`, 'X usage cap exceeded (monthly product cap)', nextMonthStart(now));
    }
    if (code === 429) {
      const reset = error.rateLimit?.reset;
      const until = typeof reset === 'number' && Number.isFinite(reset) && reset * 1000 > now ? reset * 1000 : null;
      if (field(error.data, 'connection_issue') === 'TooManyConnections') {
        return failure('rate-limited', 'X allows one stream connection and says another is still open; reconnecting at {until}.', 'HTTP 429 TooManyConnections', until);
      }
      return failure('rate-limited', `X says too many requests for ${what}; resuming at {until}.`, `HTTP 429 on ${what}`, until);
    }
    if (code === 401) {
      return failure('auth', 'X refused the access token or API keys (401 Unauthorized); re-enter the X keys and tokens in Settings.', 'HTTP 401 Unauthorized');
    }
    if (code === 403) {
      const type = field(error.data, 'type') ?? '';
      if (field(error.data, 'reason') === 'client-not-enrolled' || type.includes('client-forbidden')) {
        return failure('config', 'The X app is not attached to a Project with API v2 access; attach it in the X developer portal, then reconnect in Settings.', 'HTTP 403 client-not-enrolled');
      }
      if (type.includes('unsupported-authentication')) {
        return failure('config', `X does not accept these credentials for ${what}; check which tokens are entered in Settings.`, 'HTTP 403 unsupported authentication');
      }
      return failure('config', `X forbids reading ${what} with these credentials (403${title ? `: ${title}` : ''}); check the app's permissions and plan in the X developer portal.`, `HTTP 403 ${title ?? ''}`.trim());
    }
    if (code >= 500) {
      const html = typeof error.data === 'string';
      return failure('transient', `X is having trouble (HTTP ${code}${html ? ', an error page' : ''}); retrying ${what} at {until}.`, `HTTP ${code}${html ? ' (HTML body)' : ''}`);
    }
    if (code === 404) {
      return failure('config', 'X does not know the account the desk watches (404); check the X account in Settings.', 'HTTP 404');
    }
    return failure('internal', `X turned down the request for ${what} (HTTP ${code}${title ? `: ${title}` : ''}); retrying at {until}.`, `HTTP ${code} ${title ?? ''}`.trim());
  }
  if (error instanceof ApiPartialResponseError) {
    return failure('transient', `The connection to X dropped in the middle of an answer; retrying ${what} at {until}.`, 'connection dropped mid-response');
  }
  if (error instanceof ApiRequestError) {
    const code = networkCode(error);
    return failure('transient', `Could not reach X (${code}); retrying ${what} at {until}.`, `network: ${code}`);
  }
  const message = error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
  return failure('internal', `Something unexpected went wrong with ${what}; retrying at {until}.`, message);
}

export interface XRestDeps {
  clock: Clock;
  timers: Timers;
  logger: Logger;
  rate: RateLimitMemory;
  signal: AbortSignal;
  random?: () => number;
}

/** GETs against api.x.com/2 with rate-limit memory and in-cycle retries. */
export class XRest {
  constructor(
    private readonly client: TwitterApi,
    private readonly deps: XRestDeps,
  ) {}

  /**
   * `endpoint` is X's templated path ('users/:id/mentions'): the key of its rate-limit window.
   * Throws a ConnectorFailure (rate-limited before calling when the window is used up).
   */
  async get(endpoint: string, query: Record<string, string | number>, options: { what: string; params?: Record<string, string> }): Promise<unknown> {
    const { clock, rate, logger } = this.deps;
    const blocked = rate.blockedUntil(endpoint, clock.now());
    if (blocked !== null) {
      throw new ConnectorFailure(failure('rate-limited', `X says too many requests for ${options.what}; resuming at {until}.`, `rate-limit window used up (${endpoint})`, blocked));
    }
    try {
      return await withRetry(
        async () => {
          const response = await this.client.v2.get<unknown>(endpoint, query, { fullResponse: true, timeout: X_REQUEST_TIMEOUT_MS, ...(options.params ? { params: options.params } : {}) });
          const limit = response.rateLimit;
          if (limit && Number.isFinite(limit.remaining) && Number.isFinite(limit.reset)) rate.note(endpoint, { remaining: limit.remaining, resetAt: limit.reset * 1000 });
          return response.data;
        },
        {
          timers: this.deps.timers,
          signal: this.deps.signal,
          classify: (error) => classifyXError(error, options.what, clock.now()),
          ...(this.deps.random ? { random: this.deps.random } : {}),
          onRetry: (f, delayMs, attempt) => logger.info('x.request-retry', { endpoint, reason: f.reason, delayMs, attempt }),
        },
      );
    } catch (error) {
      if (error instanceof ConnectorFailure && error.failure.kind === 'rate-limited' && error.failure.until !== null) rate.block(endpoint, error.failure.until);
      throw error;
    }
  }
}
