// Identifiers in the platforms' own shapes.
//   X: snowflakes, 64-bit decimal strings that grow with time ((ms - epoch) << 22 | sequence).
//   Facebook: numeric object ids; posts "<pageId>_<n>", comments "<postN>_<n>"; Messenger
//   conversations "t_<n>" and messages "m_<base64url>".

const X_EPOCH = 1288834974657n;

/** Compares two decimal id strings numerically (length, then text): no BigInt on the hot path. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when text is a plain decimal id (1-19 digits, no leading zero). */
export function isDecimalId(text: string): boolean {
  return /^[1-9][0-9]{0,19}$/.test(text);
}

export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + X_EPOCH);
}

/** The smallest snowflake at a given time (what X's since_id-from-start_time conversion uses). */
export function snowflakeAt(ms: number): string {
  return ((BigInt(Math.max(0, Math.floor(ms))) - X_EPOCH) << 22n).toString();
}

/** Makes snowflakes for given times. Ids for the same millisecond differ by a sequence number. */
export class SnowflakeMaker {
  private sequence = 0;
  private lastMs = -1;
  private lastId = 0n;

  next(ms: number): string {
    const t = BigInt(Math.max(Math.floor(ms), Number(X_EPOCH))) - X_EPOCH;
    // The low 22 bits: a sequence moving on every id, so that ids for past instants (a backlog)
    // do not collide with ones already given (the store still checks).
    this.sequence = (this.sequence + 1) & 0x3fffff;
    let id = (t << 22n) | BigInt(this.sequence);
    if (ms >= this.lastMs && id <= this.lastId) id = this.lastId + 1n;
    if (ms >= this.lastMs) {
      this.lastMs = ms;
      this.lastId = id;
    }
    return id.toString();
  }
}

/** Sequential numeric ids for Graph objects, starting from a seeded base. */
export class CounterIds {
  constructor(private value: bigint) {}
  next(): string {
    this.value += 1n + (this.value % 7n);
    return this.value.toString();
  }
}

/** Binary search in an array sorted ascending by a key: the first index whose key is >= target. */
export function lowerBound<T>(items: readonly T[], target: string, key: (item: T) => string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareIds(key(items[mid] as T), target) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose key is > target. */
export function upperBound<T>(items: readonly T[], target: string, key: (item: T) => string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareIds(key(items[mid] as T), target) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts into an array kept sorted ascending by key; appending is O(1) in the usual case. */
export function insertSorted<T>(items: T[], item: T, key: (item: T) => string): number {
  const k = key(item);
  const last = items[items.length - 1];
  if (last === undefined || compareIds(key(last), k) < 0) {
    items.push(item);
    return items.length - 1;
  }
  const at = upperBound(items, k, key);
  items.splice(at, 0, item);
  return at;
}

/** Opaque page tokens in X's style (lowercase base36 with a version letter). */
export function encodeXToken(id: string): string {
  return '7' + BigInt(id).toString(36) + 'zz';
}

export function decodeXToken(token: string): string | null {
  if (!/^7[0-9a-z]+zz$/.test(token)) return null;
  let value = 0n;
  for (const ch of token.slice(1, -2)) value = value * 36n + BigInt(parseInt(ch, 36));
  return value > 0n ? value.toString() : null;
}

/** Graph cursors: base64 of a position key. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64').replace(/=+$/, '');
}

export function decodeCursor(cursor: string): string | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  return /^[\x20-\x7e]+$/.test(text) ? text : null;
}
