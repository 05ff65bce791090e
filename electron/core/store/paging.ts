/**
 * Keyset paging cursors: "everything older than (at, id)". Opaque to callers, checked when
 * they come back, so a tampered cursor is a clear input error instead of a wrong page.
 */
import { DeskFailure } from '../contract';

export interface Position {
  at: number;
  id: number;
}

export function encodeCursor(position: Position): string {
  return `${position.at}.${position.id}`;
}

export function decodeCursor(cursor: string): Position {
  const match = /^(\d{1,16})\.(\d{1,16})$/.exec(cursor);
  if (!match) throw new DeskFailure('bad_input', 'before is not a cursor this desk handed out');
  return { at: Number(match[1]), id: Number(match[2]) };
}
