/**
 * Cursor values and the ordering helpers behind them.
 *
 *   X (snowflakes): the newest id stored, a decimal string ("1861234567890123456"). Ids are
 *   64-bit, so they are compared as BigInt, never as numbers.
 *
 *   Graph (second-resolution times): `{"t":<epoch ms>,"ids":[...]}`: everything created before
 *   `t` is stored, and of what was created exactly at `t`, the listed ids (for a Messenger
 *   conversation, that includes its newest message id).
 */

export function compareSnowflakes(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isSnowflake(text: string): boolean {
  return /^[0-9]{1,20}$/.test(text);
}

export function maxSnowflake(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareSnowflakes(a, b) >= 0 ? a : b;
}

const X_EPOCH = 1288834974657n;

/** The lowest snowflake X can make at an instant (ms). */
export function snowflakeAt(ms: number): string {
  const t = BigInt(Math.floor(ms)) - X_EPOCH;
  return (t > 0n ? t << 22n : 0n).toString();
}

/** When X made a snowflake id (ms). */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + X_EPOCH);
}

// ---------------------------------------------------------------------------------------------

export interface TimeCursor {
  /** Epoch ms of the newest item stored. */
  t: number;
  /** Ids stored that were created exactly at `t`. */
  ids: string[];
}

export function parseTimeCursor(value: string | null): TimeCursor | null {
  if (value === null) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'object' && parsed !== null) {
      const { t, ids } = parsed as { t?: unknown; ids?: unknown };
      if (typeof t === 'number' && Number.isFinite(t) && Array.isArray(ids) && ids.every((id) => typeof id === 'string')) return { t, ids: ids as string[] };
    }
  } catch {
    // fall through: a cursor this version cannot read is treated as none (a backfill, deduped)
  }
  return null;
}

export function formatTimeCursor(cursor: TimeCursor): string {
  return JSON.stringify({ t: cursor.t, ids: cursor.ids });
}

/** True when an item (created at `t`, with `id`) is past the cursor: not stored yet. */
export function isAfterCursor(cursor: TimeCursor | null, floor: number, t: number, id: string): boolean {
  if (cursor === null) return t >= floor;
  return t > cursor.t || (t === cursor.t && !cursor.ids.includes(id));
}

/** Moves a time cursor over one more item (items must come oldest first). */
export function advanceTimeCursor(cursor: TimeCursor | null, t: number, id: string): TimeCursor {
  if (cursor === null || t > cursor.t) return { t, ids: [id] };
  if (t === cursor.t) return cursor.ids.includes(id) ? cursor : { t, ids: [...cursor.ids, id] };
  return cursor;
}

// ---------------------------------------------------------------------------------------------

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
