// Types shared by the sandbox's parts (and its public API in index.ts).

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export type SandboxPlatform = 'x' | 'facebook';

export type FaultKind =
  | 'rate-limit'
  | 'server-error'
  | 'html-503'
  | 'drop-connection'
  | 'stream-disconnect'
  | 'expired-token'
  | 'usage-cap'
  /** X: 403 client-not-enrolled; Graph: a permission error (code 200 unless graphCode says otherwise). */
  | 'forbidden'
  /** Graph only: any Graph error by code/subcode (551 person unavailable, 2 transient, 10, 613...). */
  | 'graph-error';

export interface FaultSpec {
  kind: FaultKind;
  /** Only requests to this platform (default: both). */
  platform?: SandboxPlatform;
  /**
   * Only requests whose path contains this text, or matches this route template
   * ('/2/users/:id/mentions', '/:page-id/messages'); a leading method ('POST /2/tweets') narrows further.
   */
  path?: string;
  /** How many matching requests it hits (default 1); Infinity (or -1 over HTTP) until cleared. */
  times?: number;
  /** rate-limit / usage-cap: when the limit resets (default 60 s; usage-cap: the next month). */
  resetInSeconds?: number;
  /** server-error: the status (default 503 for X, 500 for Graph); graph-error: overrides the usual status. */
  status?: number;
  /**
   * Graph's error code: rate-limit (4 app, 17 user, 32 page, 613, 80001 page business use case;
   * default 80001), forbidden (10, 200-299; default 200), graph-error (any; default 2).
   */
  graphCode?: number;
  /** Graph's error_subcode: expired-token (458, 459, 460, 463 default, 467), graph-error (e.g. 1545041 with 551). */
  graphSubcode?: number;
  /** drop-connection: 'mid-response' (default: the request took effect, then half the answer and the socket dies) or 'before-processing'. */
  when?: 'mid-response' | 'before-processing';
}

export type ActionKind =
  | 'reply'
  | 'tweet'
  | 'delete'
  | 'dm'
  | 'like'
  | 'unlike'
  | 'retweet'
  | 'unretweet'
  | 'hide'
  | 'unhide'
  | 'comment'
  | 'post'
  | 'private-reply'
  | 'messenger-send';

export interface InspectorAction {
  /** 1, 2, 3... in the order the sandbox accepted them. */
  seq: number;
  at: number;
  platform: 'x' | 'facebook' | 'messenger';
  kind: ActionKind;
  /** What it acted on: the tweet/comment/post replied to, liked, hidden; the DM/Messenger recipient. */
  targetId: string | null;
  text: string | null;
  /** What it created: the new tweet/comment/DM event/message id; null for likes and hides. */
  resultId: string | null;
  /** The request as the sandbox understood it (method, path, body; no credentials). */
  request: Record<string, unknown>;
}
