/**
 * How a sender says what went wrong. Every failure is one of four classes, and the runner
 * decides from the class alone:
 *
 * - transient: the platform or the network stumbled; try again with backoff until the deadline.
 *   `uncertain` says the request may have taken effect unseen (the answer was cut off, the
 *   connection dropped after the request went out, a timeout): the next try looks first.
 * - rate-limited: the platform said "not now"; try again at `retryAt` (its reset), never earlier.
 * - permanent: the platform said no for good (duplicate text, outside the messaging window,
 *   person unavailable, deleted target); stop and say why.
 * - auth: the account's token was refused; stop, and stop the account.
 */
export type SendErrorClass = 'transient' | 'permanent' | 'auth' | 'rate-limited';

export interface SendErrorInit {
  /** Plain English for the console: what happened, in the desk's words. */
  reason: string;
  /** Short technical tag for logs ('HTTP 503', 'Graph error 10/2018278', 'ECONNRESET'). */
  detail: string;
  retryAt?: number | undefined;
  uncertain?: boolean;
  /**
   * The platform says this was done already (X: duplicate content; Graph: the comment already has
   * a private reply). After an unseen outcome that usually means our own earlier try landed.
   */
  alreadyDone?: boolean;
  cause?: unknown;
}

export class OutboxSendError extends Error {
  readonly class: SendErrorClass;
  readonly reason: string;
  readonly detail: string;
  readonly retryAt: number | undefined;
  readonly uncertain: boolean;
  readonly alreadyDone: boolean;

  constructor(errorClass: SendErrorClass, init: SendErrorInit) {
    super(`${init.detail}: ${init.reason}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'OutboxSendError';
    this.class = errorClass;
    this.reason = init.reason;
    this.detail = init.detail;
    this.retryAt = init.retryAt;
    this.uncertain = init.uncertain ?? false;
    this.alreadyDone = init.alreadyDone ?? false;
  }
}

/** Network error codes that mean the request never left this machine: nothing can have happened. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_SANDBOX_HOST', 'UND_ERR_CONNECT_TIMEOUT', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'ERR_TLS_CERT_ALTNAME_INVALID']);

/** The first string `code` on an error or its causes ('ECONNRESET', 'UND_ERR_SOCKET'). */
export function networkCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** A network failure: transient, and uncertain unless the request surely never went out. */
export function networkFailure(platformName: string, error: unknown, options: { afterAnswerStarted?: boolean } = {}): OutboxSendError {
  const code = networkCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const never = code !== null && NEVER_SENT.has(code);
  const timeout = (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) || /timeout/i.test(message);
  if (never) {
    return new OutboxSendError('transient', { reason: `Could not reach ${platformName} (${code}).`, detail: `network: ${code}`, cause: error });
  }
  const why = options.afterAnswerStarted
    ? `The connection to ${platformName} dropped in the middle of its answer`
    : timeout
      ? `${platformName} did not answer in time`
      : `The connection to ${platformName} dropped before its answer arrived`;
  return new OutboxSendError('transient', {
    reason: `${why}; the desk looks on ${platformName} for it before trying again.`,
    detail: `network: ${code ?? (timeout ? 'timeout' : message.slice(0, 80))}`,
    uncertain: true,
    cause: error,
  });
}

/** Anything a sender did not classify (a bug, an unexpected answer): transient and, to be safe, uncertain. */
export function asSendError(error: unknown, platformName: string): OutboxSendError {
  if (error instanceof OutboxSendError) return error;
  const message = error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
  return new OutboxSendError('transient', {
    reason: `Something unexpected went wrong sending to ${platformName} (${message}); the desk looks on ${platformName} before trying again.`,
    detail: `unexpected: ${message}`,
    uncertain: true,
    cause: error,
  });
}
